"""No import cycle between modules, function-level imports included (docs/architectuur.md).

A cycle hidden in a function (`def f(): from a import b`) still ties two modules together: each
can only be understood, tested and moved with the other. So every `import` statement counts,
wherever it stands, except those under `if TYPE_CHECKING:` (they never run).
"""

from __future__ import annotations

import ast

from importgraaf import graaf, imports


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
    gevonden = graaf()
    cycli = _sterke_componenten(gevonden)
    beschreven = "\n".join(" ↔ ".join(groep) for groep in cycli)
    assert not cycli, f"modules die elkaar (ook in een functie) importeren:\n{beschreven}"


def test_de_zoeker_vindt_een_cyclus() -> None:
    """The check itself can fail: two modules importing each other, one inside a function."""
    voorbeeld = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _sterke_componenten(voorbeeld) == [["a", "b", "c"]]
    boom = ast.parse("def f():\n    from engine import rete\nif TYPE_CHECKING:\n    import api\n")
    assert [type(k).__name__ for k in imports(boom)] == ["ImportFrom"]
