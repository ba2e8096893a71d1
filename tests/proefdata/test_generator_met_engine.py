"""The generator against the real engine and the example region's contract: every line
planted valid is approved, and every planted error gets its national retourcode."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dsl.loader import laad_contract
from engine.beoordeling import beoordeel_reeks
from engine.historie import GeheugenHistorie
from proefdata import VERWACHTE_CODES, genereer_regiomaand, lees_tarieven

REGIO = Path(__file__).parents[2] / "contracten" / "ijsselland"


@pytest.mark.parametrize("seed", [1, 2])
def test_geplante_uitkomsten(seed: int) -> None:
    regelboek = laad_contract(REGIO)
    rm = genereer_regiomaand(seed, 1500, tarieven=lees_tarieven(REGIO / "tarieven.csv"),
                             gemeenten=regelboek.gemeenten, begin=date(2026, 1, 1),
                             foutaandeel=0.2)
    beoordelingen = beoordeel_reeks(regelboek, rm.declaraties, rm.context(),
                                    GeheugenHistorie(), "vectorized")
    gezien: set[str] = set()
    for b, soorten in zip(beoordelingen, rm.soorten, strict=True):
        for u, soort in zip(b.uitkomsten, soorten, strict=True):
            gezien.add(soort)
            code = VERWACHTE_CODES[soort]
            if soort in ("geldig", "credit", "herdebet"):
                assert u.status == "goedgekeurd", (soort, u.retourcodes)
            elif soort == "dubbel_declaratienummer":
                assert code in b.retourcodes
            elif code is not None:
                assert code in u.retourcodes, (soort, u.retourcodes)
    assert len(gezien) > 15
