"""The engine uses the checker's types (dsl.vertaler): where uur meets minuut, and how a
value is shown, follow the type the rule text has, on every backend. Cases where the
engine's own inference once disagreed with the checker: a conditional value, a count plus
minutes, a count of weeks times hours."""

from __future__ import annotations

import pytest
from rete_boek import rij, werkset
from tekstboek import boek_uit_tekst

from engine.backends.basis import Backend
from engine.waarden import toon_waarde

GEVALLEN = [
    # 4 weken maal 3 uur is 12 uur, 720 minuten
    ("4 weken maal 3 uur groter is dan 600 minuten", "12 uur"),
    # 1 prestatie plus 30 minuten is 30 minuten and 1 (a bare number counts in minutes)
    ("het aantal prestaties met hetzelfde referentienummer plus 30 minuten groter is dan "
     "1 uur", None),
    # the conditional value is in minutes (2 uur counts as 120 minuten)
    ("(2 uur indien het geleverd volume groter is dan 0, anders 90 minuten) groter is dan "
     "100 minuten", "120 minuten"),
    ("(2 uur indien het geleverd volume groter is dan 0, anders 90 minuten) groter is dan "
     "130 minuten", None),
]


@pytest.mark.parametrize(("voorwaarde", "getoond"), GEVALLEN)
def test_het_type_van_de_controle(backend: Backend, voorwaarde: str, getoond: str | None
                                  ) -> None:
    boek = boek_uit_tekst(voorwaarde)
    treffers = backend.evalueer(boek, werkset([rij()]))
    assert bool(treffers) == (getoond is not None)
    if treffers:
        (_, waarde), = treffers[0].waarden
        (_, expr), = boek.regels[0].waarden
        assert toon_waarde(waarde, boek.type(expr)) == getoond
