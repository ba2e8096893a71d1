"""The reference evaluator (engine.backends.basis.referentie): functions, exact arithmetic,
empty values, logic, units, lookups, aggregates and rules.
Golden function cases are data (gevallen/*.yaml)."""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from dsl.irtypen import getypt
from engine import ir
from engine.backends.basis.functies import FUNCTIES_PYTHON
from engine.backends.basis.referentie import EvaluatieError, Omgeving, evalueer, treffers, waar
from engine.functies import FUNCTIES

MAP = Path(__file__).parent / "gevallen"
BREUK = re.compile(r"^-?\d+/\d+$")
BRON = ir.Bron("test.regels", 1, 1)
MINUTEN = ir.Type("getal", "minuut")
UREN = ir.Type("getal", "uur")


def boek(
    berekeningen: tuple[ir.Berekening, ...] = (),
    regels: tuple[ir.Regel, ...] = (),
    parameters: dict[str, tuple[ir.ParameterWaarde, ...]] | None = None,
    tabellen: dict[str, ir.Tabel] | None = None,
) -> ir.Regelboek:
    return getypt(ir.Regelboek("test", None, (), (), parameters or {}, tabellen or {},
                               berekeningen, regels, (), "test", ()))


LEEG = boek()


def c(waarde: ir.Waarde, type_: ir.Type = ir.GETAL) -> ir.Constante:
    return ir.Constante(waarde, type_)


def v(naam: str) -> ir.Veld:
    return ir.Veld(naam)


def waarde(expr: ir.Expr, rij: dict[str, Any] | None = None, regelboek: ir.Regelboek = LEEG,
           rijen: list[dict[str, Any]] | None = None) -> ir.Waarde:
    rij = rij if rij is not None else {}
    omgeving = Omgeving(getypt(regelboek, expr), rijen if rijen is not None else [rij])
    return evalueer(expr, rij, omgeving)


# ---------------------------------------------------------------- functions (golden data)


def _gevallen() -> list[dict[str, Any]]:
    uit: list[dict[str, Any]] = []
    for bestand in ("functies.yaml", "scalar_functies.yaml"):
        pad = MAP / bestand
        if pad.exists():
            for i, geval in enumerate(yaml.safe_load(pad.read_text(encoding="utf-8"))):
                uit.append({**geval, "id": f"{pad.stem}-{geval['functie']}-{i}"})
    return uit


def _lees(ruw: Any) -> ir.Waarde:
    if isinstance(ruw, str) and BREUK.match(ruw):
        return Fraction(ruw)
    gelezen: ir.Waarde = ruw
    return gelezen


def _constante(ruw: Any, type_: ir.Type) -> ir.Constante:
    gelezen = _lees(ruw)
    if isinstance(gelezen, bool):
        return c(gelezen, ir.WAARHEID)
    if isinstance(gelezen, date):
        return c(gelezen, ir.DATUM)
    if isinstance(gelezen, str):
        return c(gelezen, ir.TEKST)
    return c(gelezen, type_)


GEVALLEN = _gevallen()


def test_elke_functie_heeft_een_python_implementatie() -> None:
    assert set(FUNCTIES) == set(FUNCTIES_PYTHON)


def test_elke_functie_heeft_gouden_gevallen() -> None:
    assert {geval["functie"] for geval in GEVALLEN} == set(FUNCTIES)


@pytest.mark.parametrize("geval", GEVALLEN, ids=[g["id"] for g in GEVALLEN])
def test_gouden_geval(geval: dict[str, Any]) -> None:
    definitie = FUNCTIES[geval["functie"]]
    args = tuple(_constante(a, t) for a, t in zip(geval["args"], definitie.args, strict=True))
    rij = {"afwezigheden": [{"van": a, "tot": b} for a, b in geval.get("afwezigheden") or []]}
    uitkomst = waarde(ir.Functie(geval["functie"], args), rij)
    verwacht = _lees(geval["verwacht"])
    assert uitkomst == verwacht
    assert type(uitkomst) is type(verwacht)


# ---------------------------------------------------------------- DOMEIN.md §6 arithmetic

UURTARIEF = c(7645, ir.GELD)


def test_minutentarief_en_bedrag_zoals_domein() -> None:
    """€ 76,45 per hour, 95 minutes: tariff 127 cents shown, amount 12105 (not 127 x 95)."""
    per_minuut = ir.Rekensom("/", UURTARIEF, c(60))
    getoond = ir.Afronding(per_minuut, "rekenkundig")
    bedrag = ir.Afronding(ir.Rekensom("*", v("geleverd_volume"), per_minuut), "rekenkundig")
    rij = {"geleverd_volume": 95}
    assert waarde(per_minuut) == Fraction(7645, 60)
    assert waarde(getoond) == 127
    assert waarde(bedrag, rij) == 12105
    assert waarde(ir.Rekensom("*", getoond, v("geleverd_volume")), rij) == 12065


def test_weekplafond_zoals_domein() -> None:
    """3 h/week, 7 Oct - 30 Dec 2025: 12 + 15 + 15 per month, but 39 h over the whole."""
    def plafond(a: date, b: date) -> ir.Waarde:
        weken = ir.Functie("isoweken", (c(a, ir.DATUM), c(b, ir.DATUM)))
        return waarde(ir.Rekensom("*", c(3, UREN), weken))

    maanden = [(date(2025, 10, 7), date(2025, 10, 31)), (date(2025, 11, 1), date(2025, 11, 30)),
               (date(2025, 12, 1), date(2025, 12, 30))]
    assert [plafond(a, b) for a, b in maanden] == [12, 15, 15]
    assert plafond(date(2025, 10, 7), date(2025, 12, 30)) == 39


# ---------------------------------------------------------------- rounding and arithmetic

AFRONDINGEN: list[tuple[str, ir.Afrondingsmodus, str, str]] = [
    ("5/2", "rekenkundig", "1", "3"),
    ("-5/2", "rekenkundig", "1", "-3"),
    ("7/3", "rekenkundig", "1", "2"),
    ("-7/3", "naar_boven", "1", "-2"),
    ("-7/3", "naar_beneden", "1", "-3"),
    ("7/3", "naar_boven", "1", "3"),
    ("62", "naar_boven", "5", "65"),
    ("62", "naar_beneden", "5", "60"),
    ("125/2", "rekenkundig", "5", "65"),
    ("61", "rekenkundig", "1/2", "61"),
    ("1/4", "rekenkundig", "1/2", "1/2"),
]


@pytest.mark.parametrize(("getal", "modus", "stap", "verwacht"), AFRONDINGEN)
def test_afronding(getal: str, modus: ir.Afrondingsmodus, stap: str, verwacht: str) -> None:
    expr = ir.Afronding(c(Fraction(getal)), modus, Fraction(stap))
    uitkomst = waarde(expr)
    assert uitkomst == Fraction(verwacht)
    assert isinstance(uitkomst, int) == (Fraction(verwacht).denominator == 1)


def test_rekenen_is_exact_en_geheel_blijft_int() -> None:
    derde = ir.Rekensom("/", c(1), c(3))
    assert waarde(ir.Rekensom("+", derde, ir.Rekensom("+", derde, derde))) == 1
    assert type(waarde(ir.Rekensom("+", derde, ir.Rekensom("+", derde, derde)))) is int
    assert waarde(ir.Rekensom("/", c(10), c(4))) == Fraction(5, 2)
    assert waarde(ir.Rekensom("/", c(10), c(0))) is None


def test_leeg_in_rekenen_en_vergelijken() -> None:
    leeg_volume = {"toewijzing_volume": None, "geleverd_volume": 5}
    som = ir.Rekensom("+", v("toewijzing_volume"), c(1))
    assert waarde(som, leeg_volume) is None
    for op in ("<", "<=", ">", ">=", "==", "!="):
        assert waarde(ir.Vergelijking(op, v("toewijzing_volume"), c(1)), leeg_volume) is False
    assert waarde(ir.InLijst(v("productcode"), (c("1", ir.TEKST),), negatief=True), {}) is False
    assert waarde(ir.Functie("bekend", (som,)), leeg_volume) is False


def test_drie_waardige_logica() -> None:
    onbekend = ir.Functie("begint_met", (v("productcode"), c("45", ir.TEKST)))
    rij: dict[str, Any] = {"productcode": None}
    assert waarde(ir.Niet(onbekend), rij) is None
    assert waarde(ir.En((onbekend, c(False, ir.WAARHEID))), rij) is False
    assert waarde(ir.En((onbekend, c(True, ir.WAARHEID))), rij) is None
    assert waarde(ir.Of((onbekend, c(True, ir.WAARHEID))), rij) is True
    assert waarde(ir.Of((onbekend, c(False, ir.WAARHEID))), rij) is None
    assert not waar(ir.Niet(onbekend), rij, Omgeving(getypt(LEEG, ir.Niet(onbekend))))


def test_uur_en_minuut_en_procent() -> None:
    assert waarde(ir.Rekensom("+", c(1, UREN), c(30, MINUTEN))) == 90
    assert waarde(ir.Vergelijking("==", c(2, UREN), c(120, MINUTEN))) is True
    assert waarde(ir.Functie("kleinste", (c(2, UREN), c(100, MINUTEN)))) == 100
    assert waarde(ir.Rekensom("*", c(7645, ir.GELD), c(90, ir.Type("getal", "procent")))) == (
        Fraction(13761, 2))


def test_datumrekening() -> None:
    dag = c(date(2025, 1, 31), ir.DATUM)
    assert waarde(ir.Rekensom("+", dag, c(1, ir.Type("getal", "maand")))) == date(2025, 2, 28)
    assert waarde(ir.Rekensom("+", dag, c(2, ir.Type("getal", "week")))) == date(2025, 2, 14)
    assert waarde(ir.Rekensom("-", dag, c(31, ir.Type("getal", "dag")))) == date(2024, 12, 31)
    assert waarde(ir.Rekensom("-", dag, c(date(2025, 1, 1), ir.DATUM))) == 30
    with pytest.raises(EvaluatieError):
        waarde(ir.Rekensom("+", dag, c(date(2025, 1, 1), ir.DATUM)))


# ---------------------------------------------------------------- versions, lookups, aggregates


def _parameter(waarde_: int, vanaf: date, tot: date | None) -> ir.ParameterWaarde:
    return ir.ParameterWaarde("grens", c(waarde_), ir.Geldigheid(vanaf, tot), None, None,
                              "standaard", BRON)


def test_parameter_versie_op_begindatum() -> None:
    regelboek = boek(parameters={"grens": (
        _parameter(14, date(2025, 1, 1), date(2026, 1, 1)), _parameter(21, date(2026, 1, 1), None),
    )})
    expr = ir.Parameter("grens")
    assert waarde(expr, {"begindatum": date(2025, 12, 31)}, regelboek) == 14
    assert waarde(expr, {"begindatum": date(2026, 1, 1)}, regelboek) == 21
    assert waarde(expr, {"begindatum": date(2024, 6, 1)}, regelboek) is None


TARIEVEN = ir.Tabel(
    "tarieven", (ir.Kolom("productcode", ir.TEKST), ir.Kolom("eenheid", ir.TEKST),
                 ir.Kolom("tarief", ir.GELD)),
    (("45A48", "04", 7645), ("45A48", "04", 7810)),
    (ir.Geldigheid(date(2025, 1, 1), date(2026, 1, 1)), ir.Geldigheid(date(2026, 1, 1), None)),
    "regio", BRON, "tarieven.csv",
)


def test_opzoeking_op_peildatum() -> None:
    regelboek = boek(tabellen={"tarieven": TARIEVEN})
    expr = ir.Opzoeking("tarieven", "tarief", (("productcode", v("productcode")),
                                               ("eenheid", c("04", ir.TEKST))))
    rij = {"productcode": "45A48", "begindatum": date(2025, 12, 1)}
    assert waarde(expr, rij, regelboek) == 7645
    assert waarde(expr, {**rij, "begindatum": date(2026, 1, 1)}, regelboek) == 7810
    assert waarde(expr, {**rij, "begindatum": date(2024, 1, 1)}, regelboek) is None
    assert waarde(expr, {**rij, "productcode": None}, regelboek) is None


def _regel(i: int, **kolommen: Any) -> dict[str, Any]:
    basis = {"rij": i, "aanbieder": "A", "toewijzingnummer": "T1", "debet_credit": "D",
             "begindatum": date(2025, 10, 6), "geleverd_volume": 10}
    return {**basis, **kolommen}


def test_aggregaat_per_groep_en_periode_alleen_debet() -> None:
    rijen = [
        _regel(0), _regel(1, geleverd_volume=5), _regel(2, debet_credit="C", geleverd_volume=7),
        _regel(3, begindatum=date(2025, 10, 13)), _regel(4, toewijzingnummer="T2"),
        _regel(5, geleverd_volume=None),
    ]
    som = ir.Aggregaat("som", v("geleverd_volume"), ("aanbieder", "toewijzingnummer"), "isoweek")
    aantal = ir.Aggregaat("aantal", None, ("aanbieder", "toewijzingnummer"))
    gemiddelde = ir.Aggregaat("gemiddelde", v("geleverd_volume"), ("aanbieder",), "maand")
    credits = ir.Aggregaat("som", v("geleverd_volume"), ("aanbieder",),
                           filter=ir.Vergelijking("==", v("debet_credit"), c("C", ir.TEKST)))
    leeg_maximum = ir.Aggregaat("maximum", v("geleverd_volume"), ("aanbieder",),
                                filter=c(False, ir.WAARHEID))
    omgeving = Omgeving(getypt(LEEG, som, aantal, gemiddelde, credits, leeg_maximum), rijen)
    assert [evalueer(som, r, omgeving) for r in rijen] == [15, 15, 15, 10, 10, 15]
    assert evalueer(aantal, rijen[0], omgeving) == 4
    assert evalueer(gemiddelde, rijen[0], omgeving) == Fraction(35, 4)  # 10, 5, 10, 10
    assert evalueer(credits, rijen[0], omgeving) == 7
    assert evalueer(leeg_maximum, rijen[0], omgeving) is None


# ---------------------------------------------------------------- rules


def test_regel_vuurt_alleen_binnen_geldigheid_en_filter() -> None:
    regel = ir.Regel(
        "t/volume", "Volume te groot", "afwijzen", "prestatie", "9321", "t", None,
        ir.Vergelijking(">", v("geleverd_volume"), c(8)),
        ir.Vergelijking("==", v("debet_credit"), c("D", ir.TEKST)),
        "te veel", (("geleverd volume", v("geleverd_volume")),),
        ir.Geldigheid(date(2025, 10, 1), date(2025, 11, 1)), "standaard", BRON,
    )
    rijen = [_regel(0), _regel(1, geleverd_volume=8), _regel(2, debet_credit="C"),
             _regel(3, begindatum=date(2025, 11, 3))]
    gevonden = list(treffers(boek(regels=(regel,)), rijen))
    assert [(t.rij, t.regel_id, t.waarden) for t in gevonden] == [
        (0, "t/volume", (("geleverd volume", 10),))
    ]
