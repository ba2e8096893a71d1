"""The rete backend (durable-rules) against the reference evaluator, on a hand-built
standard-like Regelboek (tests/engine/rete_boek.py), plus the durable quirks it must survive."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rete_boek import (
    REGELBOEK,
    berekening,
    c,
    regel,
    rij,
    v,
    vgl,
    voorbeeldrijen,
    w,
    werkset,
)

from engine import ir
from engine.backends.basis import Treffer
from engine.backends.rete.backend import ReteBackend, aantal_plannen, plan_voor
from engine.backends.rete.durable import DurableError, Regelset, iter_condities
from engine.backends.scalar.backend import ScalarBackend

RETE = ReteBackend()
SCALAR = ScalarBackend()

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


def _gesorteerd(treffers: list[Treffer]) -> list[Treffer]:
    return sorted(treffers, key=lambda t: (t.rij, t.regel_id))


def test_rete_vuurt_wat_het_voorbeeld_verwacht() -> None:
    gevonden = RETE.evalueer(REGELBOEK, werkset(voorbeeldrijen()))
    assert {(t.rij, t.regel_id.removeprefix("t/")) for t in gevonden} == VERWACHT


def test_rete_en_scalar_geven_dezelfde_treffers_met_waarden() -> None:
    ws = werkset(voorbeeldrijen())
    rete = _gesorteerd(RETE.evalueer(REGELBOEK, ws))
    assert rete == _gesorteerd(SCALAR.evalueer(REGELBOEK, ws))
    minuten = next(t for t in rete if t.rij == 4)
    assert dict(minuten.waarden) == {"berekend bedrag": 12105,
                                     "onafgerond tarief": Fraction(7645, 60)}


def test_volgorde_van_de_rijen_verandert_niets() -> None:
    rijen = voorbeeldrijen()
    volgorde = list(range(len(rijen)))
    random.Random(7).shuffle(volgorde)
    geschud = werkset([rijen[i] | {"referentienummer": rijen[i].get("referentienummer") or f"R{i}",
                                   "toewijzingnummer": rijen[i].get("toewijzingnummer") or f"T{i}"}
                       for i in volgorde])
    terug = {(volgorde[t.rij], t.regel_id, t.waarden) for t in RETE.evalueer(REGELBOEK, geschud)}
    assert terug == {(t.rij, t.regel_id, t.waarden)
                     for t in RETE.evalueer(REGELBOEK, werkset(rijen))}


# ---------------------------------------------------------------- exactness with fractions

BREUK = w("breuk")
_OPS: tuple[ir.Vergelijkingsteken, ...] = ("<", "<=", ">", ">=", "==", "!=")


def _breukregels() -> tuple[ir.Regel, ...]:
    regels: list[ir.Regel] = []
    for op in _OPS:
        regels += [
            regel(f"veld {op} breuk", None, vgl(op, v("producttarief"), BREUK), filter_=None),
            regel(f"breuk {op} veld", None, vgl(op, BREUK, v("producttarief")), filter_=None),
            regel(f"niet veld {op} breuk", None, ir.Niet(vgl(op, v("producttarief"), BREUK)),
                  filter_=None),
            regel(f"breuk {op} breuk", None, vgl(op, BREUK, w("derde")), filter_=None),
            regel(f"niet som {op} breuk", None, ir.Niet(vgl(
                op, ir.Rekensom("+", v("producttarief"), v("geleverd_volume")), BREUK)),
                filter_=None),
        ]
    return tuple(regels)


BREUKBOEK = replace(
    REGELBOEK,
    berekeningen=(
        berekening("breuk", ir.Rekensom("/", v("ingediend_bedrag"), v("geleverd_volume")),
                   ir.GELD),
        berekening("derde", ir.Rekensom("/", v("producttarief"), c(3)), ir.GELD),
    ),
    regels=_breukregels(),
    hash="rete-test-breuken",
)

klein = st.none() | st.integers(min_value=-20, max_value=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(klein, klein, klein), min_size=1, max_size=6))
def test_vergelijkingen_met_breuken_zijn_exact(waarden: list[tuple[Any, Any, Any]]) -> None:
    rijen = [rij(producttarief=a, ingediend_bedrag=b, geleverd_volume=n, bsn=f"b{i}")
             for i, (a, b, n) in enumerate(waarden)]
    ws = werkset(rijen)
    assert _gesorteerd(RETE.evalueer(BREUKBOEK, ws)) == _gesorteerd(SCALAR.evalueer(BREUKBOEK, ws))


# ---------------------------------------------------------------- durable quirks


def _condities(regelboek: ir.Regelboek) -> list[Any]:
    definitie = json.loads(plan_voor(regelboek).regelset.definitie_json())
    return [regel_["all"][0]["m"] for regel_ in definitie.values()]


def _contracten() -> list[Path]:
    wortel = Path(__file__).resolve().parents[2] / "contracten"
    return sorted(p for p in wortel.glob("*") if (p / "contract.regels").exists())


@pytest.mark.parametrize("regelboek", [REGELBOEK, BREUKBOEK], ids=["voorbeeld", "breuken"])
def test_condities_vermijden_wat_durable_laat_hangen(regelboek: ir.Regelboek) -> None:
    for conditie in _condities(regelboek):
        namen = set(iter_condities(conditie))
        assert not namen & {"$div", "$nex", "id"}


def test_echte_contracten_vermijden_wat_durable_laat_hangen() -> None:
    from dsl.loader import laad_contract

    for map_ in _contracten():
        for conditie in _condities(laad_contract(map_)):
            assert not set(iter_condities(conditie)) & {"$div", "$nex", "id"}


def test_regelset_weigert_deling_en_nex() -> None:
    with pytest.raises(DurableError):
        Regelset("weigert_deling", {"r": {"$lt": {"x": {"$div": {"$l": {"$m": "y"}, "$r": 2}}}}})
    with pytest.raises(DurableError):
        Regelset("weigert_nex", {"r": {"$nex": {"x": 1}}})


def test_meer_dan_1024_clienten_in_een_werkset() -> None:
    """durable allows 1024 live sessions per ruleset: one per client, deleted after use."""
    rijen = [rij(bsn=f"{i:09d}", toewijzing_bekend=i % 2 == 0) for i in range(1100)]
    ws = werkset(rijen)
    gevonden = RETE.evalueer(REGELBOEK, ws)
    geen_toewijzing = {t.rij for t in gevonden if t.regel_id == "t/toewijzing bestaat"}
    assert geen_toewijzing == {i for i in range(1100) if i % 2 == 1}
    assert _gesorteerd(gevonden) == _gesorteerd(SCALAR.evalueer(REGELBOEK, ws))


def test_herladen_lekt_geen_regelsets() -> None:
    boeken = [replace(REGELBOEK, hash=f"versie-{i}") for i in range(7)]
    plannen = [plan_voor(b) for b in boeken]
    assert aantal_plannen() <= 4
    with pytest.raises(DurableError):
        plannen[0].regelset.verwerk([{"rij": 0}])
    nieuwste = werkset([rij(toewijzing_bekend=False)])
    assert [t.regel_id for t in RETE.evalueer(boeken[-1], nieuwste)] == ["t/toewijzing bestaat"]


def test_regel_buiten_geldigheid_vuurt_niet() -> None:
    later = replace(REGELBOEK.regels[0], geldig=ir.Geldigheid(date(2026, 1, 1), None))
    boek = replace(REGELBOEK, regels=(later,), hash="rete-test-geldig")
    rijen = [rij(toewijzing_bekend=False), rij(toewijzing_bekend=False,
                                                begindatum=date(2026, 1, 1))]
    assert [t.rij for t in RETE.evalueer(boek, werkset(rijen))] == [1]


def test_dubbel_feit_wordt_alleen_opnieuw_aangeboden() -> None:
    """durable refuses a fact it takes for a duplicate (32-bit id hash): the batch is
    replayed one fact per session, so nothing is lost."""
    regelset = Regelset("dubbel", {"groot": {"$gt": {"x": 5}}})
    try:
        assert regelset.verwerk([{"rij": 0, "x": 9}, {"rij": 0, "x": 9}]) == {(0, "groot")}
        assert regelset.verwerk([{"rij": 1, "x": 1}, {"rij": 2, "x": 6}]) == {(2, "groot")}
    finally:
        regelset.sluit()


def test_gesloten_regelset_wordt_opnieuw_gemaakt() -> None:
    boek = replace(REGELBOEK, hash="rete-test-gesloten")
    plan_voor(boek).regelset.sluit()
    gevonden = RETE.evalueer(boek, werkset([rij(toewijzing_bekend=False)]))
    assert [t.regel_id for t in gevonden] == ["t/toewijzing bestaat"]
