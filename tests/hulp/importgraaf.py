"""The import graph of the project's own modules, for the house tests (tests/huis).

Every import statement counts, wherever it stands (a function-level import still ties two
modules together), except those under `if TYPE_CHECKING:` (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PAKKETTEN = sorted(p.parent.name for p in REPO.glob("*/__init__.py"))


def _modulenaam(pad: Path) -> str:
    delen = pad.relative_to(REPO).with_suffix("").parts
    return ".".join(delen[:-1] if delen[-1] == "__init__" else delen)


def modules() -> dict[str, Path]:
    return {_modulenaam(pad): pad for pakket in PAKKETTEN
            for pad in (REPO / pakket).rglob("*.py")}


def _alleen_voor_typen(knoop: ast.If) -> bool:
    test = knoop.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(boom: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    gevonden: list[ast.Import | ast.ImportFrom] = []
    for knoop in ast.iter_child_nodes(boom):
        if isinstance(knoop, ast.If) and _alleen_voor_typen(knoop):
            continue
        if isinstance(knoop, ast.Import | ast.ImportFrom):
            gevonden.append(knoop)
        gevonden.extend(imports(knoop))
    return gevonden


def _doelen(naam: str, pad: Path, modules: dict[str, Path]) -> set[str]:
    pakket = naam if pad.name == "__init__.py" else naam.rpartition(".")[0]
    doelen: set[str] = set()
    for knoop in imports(ast.parse(pad.read_text(encoding="utf-8"))):
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


def graaf() -> dict[str, set[str]]:
    alle = modules()
    return {naam: _doelen(naam, pad, alle) for naam, pad in alle.items()}
