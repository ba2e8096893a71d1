"""One notation for money and numbers in every report: `€ -12,50`, decimals with a comma."""

from __future__ import annotations

from fractions import Fraction

import pytest

from engine import ir, opmaak
from engine.waarden import toon_geld, toon_waarde
from weergave.sjablonen import omgeving


@pytest.mark.parametrize(("centen", "tekst"), [
    (0, "€ 0,00"), (7645, "€ 76,45"), (-1250, "€ -12,50"), (123456700, "€ 1.234.567,00"),
    (-5, "€ -0,05"), (Fraction(76451, 10), "€ 76,4510"), (Fraction(-1, 3), "€ -0,0033"),
])
def test_geld(centen: int | Fraction, tekst: str) -> None:
    assert opmaak.geld(centen) == tekst


@pytest.mark.parametrize(("centen", "tekst"), [
    (7645, "€ 76,45"), (10_000_000, "€ 100.000"), (1200, "€ 12"), (-1250, "€ -12,50"),
    (-1200, "€ -12"), (5, "€ 0,05"),
])
def test_geld_zoals_een_regelbestand_het_schrijft(centen: int, tekst: str) -> None:
    assert opmaak.geld_kort(centen) == tekst


def test_getallen() -> None:
    assert opmaak.getal(Fraction(3, 2), 2) == "1,5"
    assert opmaak.getal(Fraction(-1, 8), 2) == "-0,13"  # half away from zero
    assert opmaak.getal(Fraction(1234567, 2), 2, duizendtallen=True) == "617.283,50"
    assert opmaak.decimaal(Fraction(3, 2)) == "1,5"
    assert opmaak.decimaal(Fraction(100000)) == "100000"
    assert opmaak.decimaal(Fraction(-1, 8)) == "-0,125"
    assert opmaak.rond_half_weg_van_nul(Fraction(-5, 2)) == -3


def test_engine_pagina_en_rapport_schrijven_hetzelfde() -> None:
    """The reasons' values, the service's pages (jinja filter) and the reports agree."""
    euro = omgeving().filters["euro"]
    for centen in (-1234567, -1, 0, 99, 100_000_00):
        assert toon_geld(centen) == euro(centen) == opmaak.geld(centen)
        assert toon_waarde(centen, ir.GELD) == opmaak.geld(centen)
    assert euro(-1250) == "€ -12,50"
