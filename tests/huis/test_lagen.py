"""The layers: the engine is the floor and imports none of the packages built on it; the
messages (`berichten`) are an adapter over the engine's domain model and import only the
engine. Every import statement counts, wherever it stands (function-level included)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

BOVEN_DE_ENGINE = frozenset({
    "berichten", "batch", "weergave", "api", "cli", "toetsing", "proefdata", "dsl", "bench"})
"""The packages that use the engine; the engine may import none of them."""

VERBODEN = {
    "engine": BOVEN_DE_ENGINE,
    "berichten": BOVEN_DE_ENGINE - {"berichten"},
}


def _pakketten(pad: Path) -> set[str]:
    """The top-level names of the modules `pad` imports (absolute imports only: the house
    writes no relative ones)."""
    namen: set[str] = set()
    for knoop in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
        if isinstance(knoop, ast.Import):
            namen.update(alias.name.partition(".")[0] for alias in knoop.names)
        elif isinstance(knoop, ast.ImportFrom) and knoop.module and not knoop.level:
            namen.add(knoop.module.partition(".")[0])
    return namen


def _overtredingen(pakket: str) -> list[str]:
    return [f"{pad.relative_to(REPO)} importeert {naam}"
            for pad in sorted((REPO / pakket).rglob("*.py"))
            for naam in sorted(_pakketten(pad) & VERBODEN[pakket])]


@pytest.mark.parametrize("pakket", sorted(VERBODEN))
def test_laag_importeert_niets_van_erboven(pakket: str) -> None:
    assert _overtredingen(pakket) == []


def test_de_toets_ziet_een_import_in_een_functie(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from berichten.fouten import BerichtFoutError\n")
    assert _pakketten(module) == {"berichten"}
