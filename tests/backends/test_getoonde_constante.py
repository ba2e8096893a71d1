"""A shown value that is constant (no field in it) is shown on every line that fires, on
every backend (the vectorized backend once selected no column for it and failed)."""

from __future__ import annotations

from rete_boek import rij, werkset
from tekstboek import boek_uit_tekst

from engine.backends.basis import Backend


def test_een_constante_waarde_wordt_getoond(backend: Backend) -> None:
    boek = boek_uit_tekst("1 plus 1 groter is dan 1")
    treffers = backend.evalueer(boek, werkset([rij(), rij()]))
    assert [t.waarden for t in treffers] == [(("1 plus 1", 2),)] * 2
