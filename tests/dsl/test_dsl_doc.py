"""docs/taal.md stays in step with the parser: its complete examples parse, and every form
in its tables of conditions and built-ins parses (with A, B, C, D, G, M filled in)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dsl.parser import parse

DOC = (Path(__file__).resolve().parents[2] / "docs" / "taal.md").read_text(encoding="utf-8")
BLOKKEN = [b for b in re.findall(r"```\n(.*?)```", DOC, re.S)
           if "..." not in b and not b.startswith("regels/") and "fout:" not in b]
INVULLING = {"A": "de begindatum", "B": "de einddatum", "C": "creditprestatie",
             "D": "toewijzing verwijderd", "G": "14 dagen", "M": "14 dagen", "X": "1",
             "Y": "2", "E": "het geleverd volume"}


def _vormen() -> list[str]:
    """Backticked forms in the rows of the tables in sections 5 (conditions, built-ins)."""
    sectie = DOC[DOC.index("## 5."):DOC.index("## 6.")]
    vormen = []
    for regel in sectie.splitlines():
        if regel.startswith("| `"):
            eerste_kolom = regel.split("|")[1]
            vormen.extend(re.findall(r"`([^`]+)`", eerste_kolom))
    return vormen


def _als_waarde(vorm: str) -> str:
    vorm = vorm.replace('van ...', 'van "83"').removeprefix("... ")
    if vorm.startswith("in de"):
        vorm = f"het aantal dagen {vorm}"
    vorm = vorm.replace("...", "van A tot en met B")
    return re.sub(r"\b[A-GMXY]\b", lambda m: INVULLING[m.group()], vorm)


def _bron(blok: str) -> str:
    if blok.lstrip().startswith(("artikel", "contract")):
        return blok
    if blok.startswith(("de ", "het ")):
        regels = [r for r in blok.strip().splitlines() if "..." not in r]
        return 'artikel 1 "a"\n' + "".join(f"  waarde w{i} is {r}\n" for i, r in enumerate(regels))
    return 'artikel 1 "a"\n' + blok


@pytest.mark.parametrize("blok", BLOKKEN, ids=lambda b: b[:30])
def test_voorbeeld_parseert(blok: str) -> None:
    _, fouten = parse(_bron(blok), "taal.md")
    assert fouten == []


def test_er_zijn_vormen() -> None:
    assert len(_vormen()) >= 30


@pytest.mark.parametrize("vorm", _vormen())
def test_vorm_uit_de_tabel_parseert(vorm: str) -> None:
    if vorm.startswith(("niet C", "C en", "C of", "(C)")) or vorm.startswith("er is"):
        bron = f'artikel 1 "a"\n  waarde w is {_als_waarde(vorm)}\n'
    elif vorm.startswith("als "):
        bron = f'artikel 1 "a"\n  waarde w is {vorm.removeprefix("als ")}\n'
    else:
        bron = f'artikel 1 "a"\n  waarde w is {_als_waarde(vorm)}\n'
    _, fouten = parse(bron, "taal.md")
    assert fouten == [], bron
