"""Period rules over ledger rows (engine.periode): the totals per group, exact values, the
signals of the model contract's articles 47, 49 and 53."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.loader import laad_contract
from engine import periode as p

BOEK = laad_contract(Path(__file__).parents[2] / "contracten" / "amstelland")


def rijen(*regels: dict[str, object]) -> pl.DataFrame:
    basis = {"aanbieder": "A", "gemeente": "0363", "bsn": "1", "productcategorie": "45",
             "productcode": "45A48", "eenheid": "04", "volume": 1, "ingediend_bedrag": 0,
             "goedgekeurd_bedrag": 0, "status": "goedgekeurd", "debet_credit": "D",
             "zorg_begindatum": date(2026, 1, 1), "zorg_einddatum": date(2026, 1, 31),
             "dagen": 31, "afwezige_dagen": 0}
    return pl.DataFrame([{**basis, **r} for r in regels])


def codes(signalen: list[p.PeriodeSignaal]) -> list[tuple[str, str, str]]:
    return [(s.code, s.aanbieder, s.gemeente) for s in signalen]


def test_de_perioderegels_staan_apart_van_de_regels_per_prestatie() -> None:
    assert {r.retourcode for r in BOEK.perioderegels} == {"S472", "S491", "S495", "S530"}
    assert not {"S472", "S491", "S495", "S530"} & {r.retourcode for r in BOEK.regels}


def test_aanwezigheid_en_kosten_per_aanbieder_per_kwartaal() -> None:
    df = rijen({"bsn": "1", "productcategorie": "43", "eenheid": "14", "volume": 21,
                "ingediend_bedrag": 562800, "goedgekeurd_bedrag": 562800,
                "afwezige_dagen": 10},
               {"aanbieder": "B", "bsn": "2", "ingediend_bedrag": 39050,
                "goedgekeurd_bedrag": 39050})
    uit = p.signalen(BOEK, df, p.Periode(2026, 1))
    assert codes(uit) == [("S491", "A", ""), ("S495", "A", ""), ("S530", "A", "0363"),
                          ("S530", "B", "0363")]
    s491 = uit[0]
    assert dict(s491.waarden)["percentage aanwezig kwartaal"] == "67,74"
    assert s491.artikel == "49" and s491.lid == "49.1" and str(s491.periode) == "2026-K1"
    assert "67,74 procent" in s491.zin


def test_een_afgewezen_regel_telt_niet_en_een_credit_verlaagt() -> None:
    df = rijen({"ingediend_bedrag": 300000, "goedgekeurd_bedrag": 300000},
               {"bsn": "2", "ingediend_bedrag": 300000, "goedgekeurd_bedrag": 0,
                "status": "afgewezen"},
               {"ingediend_bedrag": -200000, "goedgekeurd_bedrag": -200000,
                "debet_credit": "C"})
    (s530,) = [s for s in p.signalen(BOEK, df, p.Periode(2026, 1)) if s.code == "S530"]
    waarden = dict(s530.waarden)
    assert waarden["jeugdigen kwartaal"] == "1"
    assert waarden["kosten per jeugdige kwartaal"] == "€ 1.000,00"


def test_controleverklaring_per_jaar_vanaf_de_grens() -> None:
    onder = rijen({"goedgekeurd_bedrag": 9_999_999})
    boven = rijen({"goedgekeurd_bedrag": 10_000_000, "zorg_begindatum": date(2026, 11, 1)})
    assert p.signalen(BOEK, onder, p.Periode(2026)) == []
    (s472,) = p.signalen(BOEK, boven, p.Periode(2026))
    assert s472.code == "S472" and str(s472.periode) == "2026"
    assert "1 maart 2027" in s472.zin and "1 april 2027" in s472.zin


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.integers(-10**9, 10**9)),
                min_size=1, max_size=30))
def test_de_jaaromzet_is_de_exacte_som_per_aanbieder(regels: list[tuple[str, int]]) -> None:
    df = rijen(*({"aanbieder": a, "goedgekeurd_bedrag": c} for a, c in regels))
    uit = p.waarden_van(BOEK, ("jaaromzet",), df, p.Periode(2026), ("aanbieder", "jaar"))
    verwacht = {a: sum(c for b, c in regels if b == a) for a, _ in regels}
    assert {s["aanbieder"]: w["jaaromzet"] for s, w in uit} == verwacht
