"""What only the rete backend has: the durable quirks it must survive and its open rulesets
(what every backend must do is in test_elke_backend.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rete_boek import (
    BREUKBOEK,
    REGELBOEK,
    gesorteerd,
    rij,
    werkset,
)

from engine import ir
from engine.backends.rete.backend import ReteBackend, aantal_plannen, plan_voor
from engine.backends.rete.durable import DurableError, Regelset, iter_condities
from engine.backends.scalar.backend import ScalarBackend

RETE = ReteBackend()
SCALAR = ScalarBackend()

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
    assert gesorteerd(gevonden) == gesorteerd(SCALAR.evalueer(REGELBOEK, ws))


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
