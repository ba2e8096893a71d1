"""No import cycle between modules, function-level imports included (docs/architectuur.md).

A cycle hidden in a function (`def f(): from a import b`) still ties two modules together: each
can only be understood, tested and moved with the other. So every `import` statement counts,
wherever it stands, except those under `if TYPE_CHECKING:` (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PAKKETTEN = sorted(p.parent.name for p in REPO.glob("*/__init__.py"))


def _modulenaam(pad: Path) -> str:
    delen = pad.relative_to(REPO).with_suffix("").parts
    return ".".join(delen[:-1] if delen[-1] == "__init__" else delen)


def _modules() -> dict[str, Path]:
    return {_modulenaam(pad): pad for pakket in PAKKETTEN
            for pad in (REPO / pakket).rglob("*.py")}


def _alleen_voor_typen(knoop: ast.If) -> bool:
    test = knoop.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(boom: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    gevonden: list[ast.Import | ast.ImportFrom] = []
    for knoop in ast.iter_child_nodes(boom):
        if isinstance(knoop, ast.If) and _alleen_voor_typen(knoop):
            continue
        if isinstance(knoop, ast.Import | ast.ImportFrom):
            gevonden.append(knoop)
        gevonden.extend(_imports(knoop))
    return gevonden


def _doelen(naam: str, pad: Path, modules: dict[str, Path]) -> set[str]:
    pakket = naam if pad.name == "__init__.py" else naam.rpartition(".")[0]
    doelen: set[str] = set()
    for knoop in _imports(ast.parse(pad.read_text(encoding="utf-8"))):
        if isinstance(knoop, ast.Import):
            doelen.update(alias.name for alias in knoop.names)
            continue
        basis = knoop.module or ""
        if knoop.level:
            stappen = pakket.split(".")[: len(pakket.split(".")) - knoop.level + 1]
            basis = ".".join([*stappen, *([basis] if basis else [])])
        for alias in knoop.names:
            onder = f"{basis}.{alias.name}"
            doelen.add(onder if onder in modules else basis)
    return {d for d in doelen if d in modules and d != naam}


def _graaf() -> dict[str, set[str]]:
    modules = _modules()
    return {naam: _doelen(naam, pad, modules) for naam, pad in modules.items()}


def _sterke_componenten(graaf: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that reach each other."""
    index: dict[str, int] = {}
    laag: dict[str, int] = {}
    stapel: list[str] = []
    op_stapel: set[str] = set()
    groepen: list[list[str]] = []
    for begin in sorted(graaf):
        if begin in index:
            continue
        werk = [(begin, iter(sorted(graaf[begin])))]
        index[begin] = laag[begin] = len(index)
        stapel.append(begin)
        op_stapel.add(begin)
        while werk:
            knoop, buren = werk[-1]
            for buur in buren:
                if buur not in index:
                    index[buur] = laag[buur] = len(index)
                    stapel.append(buur)
                    op_stapel.add(buur)
                    werk.append((buur, iter(sorted(graaf[buur]))))
                    break
                if buur in op_stapel:
                    laag[knoop] = min(laag[knoop], index[buur])
            else:
                werk.pop()
                if werk:
                    laag[werk[-1][0]] = min(laag[werk[-1][0]], laag[knoop])
                if laag[knoop] == index[knoop]:
                    groep = []
                    while True:
                        lid = stapel.pop()
                        op_stapel.discard(lid)
                        groep.append(lid)
                        if lid == knoop:
                            break
                    if len(groep) > 1:
                        groepen.append(sorted(groep))
    return groepen


def test_geen_importcyclus() -> None:
    graaf = _graaf()
    cycli = _sterke_componenten(graaf)
    beschreven = "\n".join(" ↔ ".join(groep) for groep in cycli)
    assert not cycli, f"modules die elkaar (ook in een functie) importeren:\n{beschreven}"


def test_de_zoeker_vindt_een_cyclus() -> None:
    """The check itself can fail: two modules importing each other, one inside a function."""
    graaf = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _sterke_componenten(graaf) == [["a", "b", "c"]]
    boom = ast.parse("def f():\n    from engine import rete\nif TYPE_CHECKING:\n    import api\n")
    assert [type(k).__name__ for k in _imports(boom)] == ["ImportFrom"]
