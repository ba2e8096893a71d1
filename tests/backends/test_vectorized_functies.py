"""Golden cases (gevallen/functies.yaml) for every built-in function on the vectorized backend."""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from dsl.irtypen import getypt
from engine import ir
from engine.backends.vectorized import backend
from engine.backends.vectorized.functies import FUNCTIES_POLARS
from engine.functies import FUNCTIES
from engine.werkset import SCHEMA

GEVALLEN: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "gevallen" / "functies.yaml").read_text(encoding="utf-8")
)
BREUK = re.compile(r"^-?\d+/\d+$")
LEEG_BOEK = ir.Regelboek("leeg", None, (), (), {}, {}, (), (), (), "leeg", ())


def evalueer_expressie(boek: ir.Regelboek, expr: ir.Expr, werkset: pl.DataFrame
                       ) -> list[ir.Waarde]:
    return backend.evalueer_expressie(getypt(boek, expr), expr, werkset)


def _waarde(ruw: Any) -> ir.Waarde:
    if isinstance(ruw, str) and BREUK.match(ruw):
        return Fraction(ruw)
    waarde: ir.Waarde = ruw
    return waarde


def _constante(ruw: Any, type_: ir.Type) -> ir.Constante:
    waarde = _waarde(ruw)
    if isinstance(waarde, bool):
        return ir.Constante(waarde, ir.WAARHEID)
    if isinstance(waarde, date):
        return ir.Constante(waarde, ir.DATUM)
    if isinstance(waarde, str):
        return ir.Constante(waarde, ir.TEKST)
    return ir.Constante(waarde, type_)


def werkset_met(afwezigheden: list[list[date]] | None = None) -> pl.DataFrame:
    """One row, every field empty, with the given absence periods."""
    rij: dict[str, Any] = {naam: [None] for naam in SCHEMA}
    rij["rij"] = [0]
    rij["afwezigheden"] = [[{"van": a, "tot": b} for a, b in (afwezigheden or [])]]
    return pl.DataFrame(rij, schema=SCHEMA)


def test_elke_functie_heeft_een_polars_implementatie() -> None:
    assert set(FUNCTIES) == set(FUNCTIES_POLARS)


def test_elke_functie_heeft_gouden_gevallen() -> None:
    assert {geval["functie"] for geval in GEVALLEN} == set(FUNCTIES)


@pytest.mark.parametrize(
    "geval", GEVALLEN, ids=[f"{g['functie']}-{i}" for i, g in enumerate(GEVALLEN)]
)
def test_gouden_geval(geval: dict[str, Any]) -> None:
    definitie = FUNCTIES[geval["functie"]]
    args = tuple(_constante(a, t) for a, t in zip(geval["args"], definitie.args, strict=True))
    werkset = werkset_met(geval.get("afwezigheden"))
    uitkomst = evalueer_expressie(LEEG_BOEK, ir.Functie(geval["functie"], args), werkset)
    verwacht = _waarde(geval["verwacht"])
    assert uitkomst == [verwacht]
    assert isinstance(uitkomst[0], bool) == isinstance(verwacht, bool)


def test_aggregaat_over_breuken_is_exact() -> None:
    """Sum, mean, max and min of fractions (7645/60, 1/3, ...) per group, exactly."""
    from fractions import Fraction

    rijen = [("A", 7645, 60), ("A", 1, 3), ("B", 5, 7), ("A", -2, 1), ("B", 1, 7)]
    werkset = pl.concat([werkset_met() for _ in rijen]).with_columns(
        pl.Series("rij", range(len(rijen))), pl.Series("bsn", [r[0] for r in rijen]),
        pl.Series("geleverd_volume", [r[1] for r in rijen]),
        pl.Series("producttarief", [r[2] for r in rijen]), pl.lit("D").alias("debet_credit"),
    )
    breuk = ir.Rekensom("/", ir.Veld("geleverd_volume"), ir.Veld("producttarief"))
    verwacht = {"A": [Fraction(7645, 60), Fraction(1, 3), Fraction(-2)],
                "B": [Fraction(5, 7), Fraction(1, 7)]}
    for functie, reken in (("som", sum), ("maximum", max), ("minimum", min),
                           ("gemiddelde", lambda w: sum(w) / len(w))):
        aggregaat = ir.Aggregaat(functie, breuk, ("bsn",))  # type: ignore[arg-type]
        uitkomst = evalueer_expressie(LEEG_BOEK, aggregaat, werkset)
        assert uitkomst == [reken(verwacht[r[0]]) for r in rijen], functie


def test_aggregaat_over_grote_breuken_valt_terug_op_python() -> None:
    from fractions import Fraction

    rijen = [(2**59, 3), (2**59, 7)]
    werkset = pl.concat([werkset_met() for _ in rijen]).with_columns(
        pl.Series("rij", range(len(rijen))), pl.lit("X").alias("bsn"),
        pl.Series("geleverd_volume", [r[0] for r in rijen]),
        pl.Series("producttarief", [r[1] for r in rijen]), pl.lit("D").alias("debet_credit"),
    )
    breuk = ir.Rekensom("/", ir.Veld("geleverd_volume"), ir.Veld("producttarief"))
    waarden = [Fraction(2**59, 3), Fraction(2**59, 7)]
    for functie, verwacht in (("maximum", max(waarden)), ("minimum", min(waarden)),
                              ("som", sum(waarden)), ("gemiddelde", sum(waarden) / 2)):
        for groep in (("bsn",), ()):
            aggregaat = ir.Aggregaat(functie, breuk, groep)  # type: ignore[arg-type]
            assert evalueer_expressie(LEEG_BOEK, aggregaat, werkset) == [verwacht] * 2
