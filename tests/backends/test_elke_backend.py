"""The shared backend suite: every registered backend (`engine.backends.namen()`, the
`backend` fixture of conftest.py) on the hand-built standard-like Regelboek (rete_boek.py),
against the reference evaluator: what fires, with which exact values, whatever the row order,
and comparisons with fractions decided exactly."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rete_boek import BREUKBOEK, REGELBOEK, gesorteerd, rij, voorbeeldrijen, werkset

from engine.backends.basis import Backend
from engine.backends.scalar.backend import ScalarBackend

SCALAR = ScalarBackend()
"""The reference."""

VERWACHT = {
    (1, "toewijzing bestaat"), (2, "tarief volgens contract"),
    (4, "bedrag is volume maal tarief"), (5, "volume per week"),
    (6, "referentienummer uniek"), (7, "referentienummer uniek"),
    (8, "referentienummer uniek"), (9, "bsn elfproef"), (10, "langdurig verblijf"),
    (11, "einde binnen toewijzing"), (11, "einde niet na toewijzing"), (11, "volume per week"),
    (12, "einde niet na toewijzing"), (13, "productcode niet in lijst"),
    (13, "tarief volgens contract"), (15, "meer dan tien uur"),
    (16, "bedrag is volume maal tarief"), (17, "bedrag is volume maal tarief"),
    (17, "duur per eenheid"),
}
"""What should fire on `voorbeeldrijen()`: (row, rule name)."""


def test_vuurt_wat_het_voorbeeld_verwacht(backend: Backend) -> None:
    gevonden = backend.evalueer(REGELBOEK, werkset(voorbeeldrijen()))
    assert {(t.rij, t.regel_id.removeprefix("t/")) for t in gevonden} == VERWACHT


def test_dezelfde_treffers_met_waarden_als_de_referentie(backend: Backend) -> None:
    ws = werkset(voorbeeldrijen())
    gevonden = gesorteerd(backend.evalueer(REGELBOEK, ws))
    assert gevonden == gesorteerd(SCALAR.evalueer(REGELBOEK, ws))
    minuten = next(t for t in gevonden if t.rij == 4)
    assert dict(minuten.waarden) == {"berekend bedrag": 12105,
                                     "onafgerond tarief": Fraction(7645, 60)}


def test_volgorde_van_de_rijen_verandert_niets(backend: Backend) -> None:
    rijen = voorbeeldrijen()
    volgorde = list(range(len(rijen)))
    random.Random(7).shuffle(volgorde)
    geschud = werkset([rijen[i] | {"referentienummer": rijen[i].get("referentienummer") or f"R{i}",
                                   "toewijzingnummer": rijen[i].get("toewijzingnummer") or f"T{i}"}
                       for i in volgorde])
    terug = {(volgorde[t.rij], t.regel_id, t.waarden) for t in backend.evalueer(REGELBOEK, geschud)}
    assert terug == {(t.rij, t.regel_id, t.waarden)
                     for t in backend.evalueer(REGELBOEK, werkset(rijen))}


klein = st.none() | st.integers(min_value=-20, max_value=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(klein, klein, klein), min_size=1, max_size=6))
def test_vergelijkingen_met_breuken_zijn_exact(
    backend: Backend, waarden: list[tuple[Any, Any, Any]]
) -> None:
    rijen = [rij(producttarief=a, ingediend_bedrag=b, geleverd_volume=n, bsn=f"b{i}")
             for i, (a, b, n) in enumerate(waarden)]
    ws = werkset(rijen)
    assert gesorteerd(backend.evalueer(BREUKBOEK, ws)) == gesorteerd(SCALAR.evalueer(BREUKBOEK, ws))
