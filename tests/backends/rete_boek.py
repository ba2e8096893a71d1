"""A hand-built, standard-like Regelboek and a werkset builder for the backend tests.

Rules: 9338 (no allocation), 0611 (tariff by lookup, minutes from the hour tariff),
9346 (amount = volume x unrounded tariff, rounded once), 9321 (weekly cap with an aggregate
per allocation and month), 8021 (reference number unique, aggregate per reference number),
9321-verblijf (absence: reimbursed absent days), 0001 on client level (elfproef), a signal
with a fraction, 9308 and a negated comparison on an empty-able field, and a rule that
compares hours with minutes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction
from typing import Any

import polars as pl

from dsl.irtypen import getypt
from engine import ir
from engine.backends.basis import Treffer
from engine.werkset import SCHEMA

BRON = ir.Bron("rete_boek.regels", 1, 1)
GELDIG = ir.Geldigheid(date(2025, 1, 1), None)
UREN = ir.Type("getal", "uur")
MINUTEN = ir.Type("getal", "minuut")
DAGEN = ir.Type("getal", "dag")


def c(waarde: ir.Waarde, type_: ir.Type = ir.GETAL) -> ir.Constante:
    return ir.Constante(waarde, type_)


def t(waarde: str) -> ir.Constante:
    return ir.Constante(waarde, ir.TEKST)


def v(naam: str) -> ir.Veld:
    return ir.Veld(naam)


def w(naam: str) -> ir.Verwijzing:
    return ir.Verwijzing(naam)


def vgl(op: ir.Vergelijkingsteken, a: ir.Expr, b: ir.Expr) -> ir.Vergelijking:
    return ir.Vergelijking(op, a, b)


NIET_CREDIT = ir.Niet(v("is_credit"))


def regel(
    naam: str, code: str | None, voorwaarde: ir.Expr, filter_: ir.Expr | None = NIET_CREDIT,
    waarden: tuple[tuple[str, ir.Expr], ...] = (), soort: ir.RegelSoort = "afwijzen",
    niveau: ir.Niveau = "prestatie",
) -> ir.Regel:
    return ir.Regel(f"t/{naam}", naam, soort, niveau, code, "t", None, voorwaarde, filter_,
                    naam, waarden, GELDIG, "standaard", BRON)


def berekening(naam: str, expr: ir.Expr, type_: ir.Type = ir.GETAL) -> ir.Berekening:
    return ir.Berekening(naam, expr, type_, ir.ALTIJD, None, None, "standaard", BRON)


TARIEVEN = ir.Tabel(
    "tarieven",
    (ir.Kolom("productcode", ir.TEKST), ir.Kolom("eenheid", ir.TEKST), ir.Kolom("tarief", ir.GELD)),
    (("45A48", "04", 7645), ("45A48", "04", 7810), ("43A03", "14", 21050)),
    (ir.Geldigheid(date(2025, 1, 1), date(2026, 1, 1)), ir.Geldigheid(date(2026, 1, 1), None),
     ir.ALTIJD),
    "regio", BRON, "tarieven.csv",
)


def _opzoeking(eenheid: ir.Expr) -> ir.Opzoeking:
    return ir.Opzoeking("tarieven", "tarief", (("productcode", v("productcode")),
                                               ("eenheid", eenheid)))


MAAND = ir.Aggregaat("som", v("geleverd_volume"), ("aanbieder", "toewijzingnummer"), "maand")
MAANDBEGIN = ir.Functie("laatste", (ir.Functie("eerste_dag_van_maand", (v("begindatum"),)),
                                    v("toewijzing_ingangsdatum")))
MAANDEINDE = ir.Functie("vroegste", (ir.Functie("laatste_dag_van_maand", (v("begindatum"),)),
                                     v("toewijzing_einddatum")))
GROENS = c(14, DAGEN)

BEREKENINGEN = (
    berekening("uurtarief", _opzoeking(t("04")), ir.GELD),
    berekening("contracttarief", ir.Als(
        vgl("==", v("eenheid"), t("01")), ir.Rekensom("/", w("uurtarief"), c(60)),
        _opzoeking(v("eenheid"))), ir.GELD),
    berekening("getoond tarief", ir.Afronding(w("contracttarief"), "rekenkundig"), ir.GELD),
    berekening("onafgerond tarief", ir.Als(
        vgl("==", v("producttarief"), w("getoond tarief")), w("contracttarief"),
        v("producttarief")), ir.GELD),
    berekening("berekend bedrag", ir.Afronding(
        ir.Rekensom("*", v("geleverd_volume"), w("onafgerond tarief")), "rekenkundig"), ir.GELD),
    berekening("toegestaan maandvolume", ir.Rekensom(
        "*", v("toewijzing_volume"), ir.Functie("isoweken", (MAANDBEGIN, MAANDEINDE)))),
    berekening("declarabele dagen", ir.Rekensom("+", ir.Rekensom(
        "-", ir.Functie("dagen", (v("begindatum"), v("einddatum"))),
        ir.Functie("afwezige_dagen", (v("begindatum"), v("einddatum")))),
        ir.Functie("vergoede_afwezige_dagen", (v("begindatum"), v("einddatum"), GROENS, GROENS))),
        DAGEN),
    berekening("bedrag per eenheid", ir.Rekensom("/", v("ingediend_bedrag"), v("geleverd_volume")),
               ir.GELD),
)

REGELS = (
    regel("toewijzing bestaat", "9338", ir.Niet(v("toewijzing_bekend")),
          waarden=(("toewijzingnummer", v("toewijzingnummer")),)),
    regel("tarief volgens contract", "0611", ir.Of((
        ir.Niet(ir.Functie("bekend", (w("contracttarief"),))),
        vgl("!=", v("producttarief"), w("getoond tarief")))),
        filter_=ir.En((vgl("!=", v("eenheid"), t("83")), NIET_CREDIT)),
        waarden=(("producttarief", v("producttarief")), ("getoond tarief", w("getoond tarief")))),
    regel("bedrag is volume maal tarief", "9346", vgl("!=", v("ingediend_bedrag"),
                                                      w("berekend bedrag")),
          waarden=(("berekend bedrag", w("berekend bedrag")),
                   ("onafgerond tarief", w("onafgerond tarief")))),
    regel("volume per week", "9321", vgl(">", MAAND, w("toegestaan maandvolume")),
          filter_=ir.En((vgl("==", v("toewijzing_frequentie"), t("2")), NIET_CREDIT)),
          waarden=(("gedeclareerd", MAAND), ("toegestaan", w("toegestaan maandvolume")))),
    regel("referentienummer uniek", "8021", ir.Of((
        v("eerder_referentienummer"),
        vgl(">", ir.Aggregaat("aantal", None, ("aanbieder", "referentienummer")), c(1)))),
        filter_=None),
    regel("langdurig verblijf", "9321", vgl(">", v("geleverd_volume"), w("declarabele dagen")),
          filter_=ir.En((vgl("==", v("eenheid"), t("14")), NIET_CREDIT)),
          waarden=(("declarabele dagen", w("declarabele dagen")),)),
    regel("bsn elfproef", "0001", ir.Niet(ir.Functie("elfproef", (v("bsn"),))),
          filter_=None, niveau="client"),
    regel("duur per eenheid", None,
          vgl(">", w("bedrag per eenheid"), c(Fraction(60001, 2), ir.GELD)),
          soort="signaleren", waarden=(("per eenheid", w("bedrag per eenheid")),)),
    regel("einde binnen toewijzing", "9308", vgl(">", v("einddatum"), v("toewijzing_einddatum"))),
    regel("einde niet na toewijzing", None,
          ir.Niet(vgl("<=", v("einddatum"), v("toewijzing_einddatum"))), soort="signaleren"),
    regel("meer dan tien uur", None, vgl(">", ir.Functie("uren_uit_minuten", (MAAND,)),
                                         c(600, MINUTEN)),
          filter_=ir.En((vgl("==", v("eenheid"), t("01")), NIET_CREDIT)), soort="signaleren"),
    regel("productcode niet in lijst", "9340", ir.InLijst(
        v("productcode"), (t("45A48"), t("43A03")), negatief=True)),
)

REGELBOEK = getypt(ir.Regelboek("rete-test", "test", ("0384",), (), {}, {"tarieven": TARIEVEN},
                                BEREKENINGEN, REGELS, (), "rete-test-boek", ()))

# ---------------------------------------------------------------- werkset rows

_STANDAARD: dict[str, Any] = {
    "bericht": 0, "aanbieder": "12345678", "gemeente": "0384", "declaratienummer": "D1",
    "declaratie_begindatum": date(2025, 10, 1), "declaratie_einddatum": date(2025, 10, 31),
    "declaratiedagtekening": date(2025, 11, 3), "bsn": "123456782", "vorig_referentienummer": None,
    "toewijzingnummer": None, "productcategorie": "45", "productcode": "45A48",
    "begindatum": date(2025, 10, 1), "einddatum": date(2025, 10, 31), "geleverd_volume": 12,
    "eenheid": "04", "producttarief": 7645, "ingediend_bedrag": 91740, "debet_credit": "D",
    "is_credit": False, "toewijzing_bekend": True, "toewijzing_bsn": "123456782",
    "toewijzing_productcategorie": "45", "toewijzing_productcode": "45A48",
    "toewijzing_ingangsdatum": date(2025, 10, 7), "toewijzing_einddatum": date(2025, 12, 30),
    "toewijzing_volume": 3, "toewijzing_eenheid": "04", "toewijzing_frequentie": "2",
    "toewijzing_budget": None, "toewijzing_reden_wijziging": None,
    "toewijzing_verwijderd": False, "eerder_referentienummer": False,
    "eerder_declaratienummer": False, "eerder_goedgekeurd_volume": 0,
    "eerder_goedgekeurd_bedrag": 0, "debet_bekend": False, "debet_al_gecrediteerd": False,
    "open_debet": False, "afwezigheden": [],
}


def rij(**kolommen: Any) -> dict[str, Any]:
    """A werkset row: a valid hourly line of 12 hours in October 2025, changed as given."""
    uit = {naam: None for naam in SCHEMA}
    uit.update(_STANDAARD)
    uit.update(kolommen)
    uit["afwezigheden"] = [{"van": a, "tot": b} for a, b in kolommen.get("afwezigheden", [])]
    return uit


def werkset(rijen: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows numbered in the order given; a row without its own reference or allocation
    number gets one of its own (R<i>, T<i>)."""
    genummerd = [
        {**r, "rij": i, "referentienummer": r.get("referentienummer") or f"R{i}",
         "toewijzingnummer": r.get("toewijzingnummer") or f"T{i}"}
        for i, r in enumerate(rijen)
    ]
    return pl.DataFrame(genummerd, schema=SCHEMA)


def voorbeeldrijen() -> list[dict[str, Any]]:
    """A client month with a little of everything (see the test for what should fire)."""
    return [
        rij(),  # valid: 12 h in Oct = 4 weeks x 3 h
        rij(toewijzing_bekend=False),  # 9338
        rij(producttarief=7600, ingediend_bedrag=91200),  # 0611
        rij(eenheid="01", geleverd_volume=95, producttarief=127, ingediend_bedrag=12105,
            toewijzingnummer="M1", toewijzing_frequentie="4"),  # minutes: valid
        rij(eenheid="01", geleverd_volume=95, producttarief=127, ingediend_bedrag=12065,
            toewijzingnummer="M1", toewijzing_frequentie="4"),  # 9346 (127 x 95)
        rij(toewijzingnummer="BOVEN", geleverd_volume=16, ingediend_bedrag=122320),  # 9321
        rij(referentienummer="DUBBEL"), rij(referentienummer="DUBBEL"),  # 8021 twice
        rij(eerder_referentienummer=True),  # 8021
        rij(bsn="123456789", toewijzing_bsn="123456789"),  # 0001 client
        rij(toewijzingnummer="V1", productcode="43A03", eenheid="14", geleverd_volume=31,
            producttarief=21050, ingediend_bedrag=652550, toewijzing_frequentie="1",
            afwezigheden=[(date(2025, 10, 1), date(2025, 10, 20))]),  # 9321 verblijf
        rij(toewijzing_einddatum=date(2025, 10, 15)),  # 9308 + signal
        rij(toewijzing_einddatum=None, toewijzing_bekend=True),  # nothing: empty end
        rij(productcode="45A99"),  # 9340, 0611 (no tariff)
        rij(debet_credit="C", is_credit=True, ingediend_bedrag=1),  # a credit: only 8021 checks
        rij(eenheid="01", geleverd_volume=700, producttarief=127, ingediend_bedrag=89192,
            toewijzingnummer="M2", toewijzing_frequentie="4"),  # signal: > 10 h in minutes
        rij(geleverd_volume=2, ingediend_bedrag=60001),  # 9346, not the signal (30000.5)
        rij(geleverd_volume=2, ingediend_bedrag=60003),  # 9346 and the signal: 30001.5
    ]


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


BREUKBOEK = getypt(replace(
    REGELBOEK,
    berekeningen=(
        berekening("breuk", ir.Rekensom("/", v("ingediend_bedrag"), v("geleverd_volume")),
                   ir.GELD),
        berekening("derde", ir.Rekensom("/", v("producttarief"), c(3)), ir.GELD),
    ),
    regels=_breukregels(),
    hash="rete-test-breuken",
))


def gesorteerd(treffers: list[Treffer]) -> list[Treffer]:
    return sorted(treffers, key=lambda t: (t.rij, t.regel_id))
