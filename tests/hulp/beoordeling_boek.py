"""A small standard-like Regelboek built by hand, and builders for allocations, lines and
declarations; shared by the pipeline tests of tests/engine (a uniquely named module on
pytest's `pythonpath`, so each test folder can import it alone or in a full run).
tests/engine/test_beoordeling_boek.py checks the builders."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from fractions import Fraction

from dsl.irtypen import getypt
from engine import ir
from engine.ir import (
    Afronding,
    Aggregaat,
    Als,
    Constante,
    En,
    Functie,
    InLijst,
    Niet,
    Opzoeking,
    Parameter,
    Rekensom,
    Veld,
    Vergelijking,
    Verwijzing,
)
from engine.model import Afwezigheid, Context, Declaratie, Prestatie, Toewijzing

BRON = ir.Bron("test.regels", 1, 1)
DAG = ir.Type("getal", "dag")
WEEK = ir.Type("getal", "week")
VOLUME = ir.Type("getal", "prestatie")


def tekst(waarde: str) -> Constante:
    return Constante(waarde, ir.TEKST)


def getal(waarde: int | Fraction, type_: ir.Type = ir.GETAL) -> Constante:
    return Constante(waarde, type_)


def regel(
    naam: str,
    code: str | None,
    voorwaarde: ir.Expr,
    *,
    filter: ir.Expr | None = None,
    niveau: ir.Niveau = "prestatie",
    soort: ir.RegelSoort = "afwijzen",
    artikel: str = "iJw",
    lid: str | None = None,
    waarden: tuple[tuple[str, ir.Expr], ...] = (),
    uitleg: str = "",
    geldig: ir.Geldigheid = ir.ALTIJD,
) -> ir.Regel:
    lid = lid or f"iJw-{code}"
    return ir.Regel(
        id=f"{artikel}.{lid}/{naam}", naam=naam, soort=soort, niveau=niveau, retourcode=code,
        artikel=artikel, lid=lid, voorwaarde=voorwaarde, filter=filter,
        uitleg=uitleg or naam, waarden=waarden, geldig=geldig, herkomst="standaard", bron=BRON,
    )


def berekening(naam: str, expr: ir.Expr, type_: ir.Type) -> ir.Berekening:
    return ir.Berekening(naam, expr, type_, ir.ALTIJD, "iJw", None, "standaard", BRON)


def parameter(naam: str, waarde: Constante, geldig: ir.Geldigheid) -> ir.ParameterWaarde:
    return ir.ParameterWaarde(naam, waarde, geldig, "43", "43.4", "standaard", BRON)


TARIEVEN = ir.Tabel(
    naam="tarieven",
    kolommen=(
        ir.Kolom("productcode", ir.TEKST), ir.Kolom("eenheid", ir.TEKST),
        ir.Kolom("tarief", ir.GELD),
    ),
    rijen=(
        ("45A48", "04", 7645),  # € 76,45 per uur
        ("45A48", "04", 7810),  # € 78,10 per uur vanaf 2026
        ("43A03", "14", 21500),  # € 215,00 per etmaal
        ("45A50", "82", 12000),
    ),
    geldigheid=(
        ir.Geldigheid(date(2018, 1, 1), date(2026, 1, 1)),
        ir.Geldigheid(date(2026, 1, 1), None),
        ir.ALTIJD,
        ir.ALTIJD,
    ),
    herkomst="regio", bron=BRON, bestand="tarieven.csv",
)

IN_MINUTEN = Vergelijking("==", Veld("eenheid"), tekst("01"))
TARIEFEENHEID = Als(IN_MINUTEN, tekst("04"), Veld("eenheid"))
TARIEF_PER_EENHEID = Opzoeking(
    "tarieven", "tarief", (("productcode", Veld("productcode")), ("eenheid", TARIEFEENHEID))
)

BEREKENINGEN = (
    berekening("uurtarief", TARIEF_PER_EENHEID, ir.GELD),
    berekening(
        "contracttarief",
        Als(IN_MINUTEN, Rekensom("/", Verwijzing("uurtarief"), getal(60)), Verwijzing("uurtarief")),
        ir.GELD,
    ),
    berekening("getoond tarief", Afronding(Verwijzing("contracttarief"), "rekenkundig"), ir.GELD),
    berekening(
        "berekend bedrag",
        Afronding(Rekensom("*", Veld("geleverd_volume"), Verwijzing("contracttarief")),
                  "rekenkundig"),
        ir.GELD,
    ),
    berekening(
        "maandperiode begin",
        Functie("laatste", (Functie("eerste_dag_van_maand", (Veld("begindatum"),)),
                            Veld("toewijzing_ingangsdatum"))),
        ir.DATUM,
    ),
    berekening(
        "maandperiode eind",
        Functie("vroegste", (Functie("laatste_dag_van_maand", (Veld("begindatum"),)),
                             Veld("toewijzing_einddatum"))),
        ir.DATUM,
    ),
    berekening(
        "maandplafond",
        Rekensom("*", Veld("toewijzing_volume"),
                 Functie("isoweken", (Verwijzing("maandperiode begin"),
                                      Verwijzing("maandperiode eind")))),
        VOLUME,
    ),
    berekening(
        "maandvolume",
        Aggregaat("som", Veld("geleverd_volume"), ("aanbieder", "toewijzingnummer"), "maand"),
        VOLUME,
    ),
    berekening(
        "declarabele dagen",
        Rekensom("+", Rekensom("-", Functie("dagen", (Veld("begindatum"), Veld("einddatum"))),
                               Functie("afwezige_dagen", (Veld("begindatum"), Veld("einddatum")))),
                 Functie("vergoede_afwezige_dagen", (Veld("begindatum"), Veld("einddatum"),
                                                     getal(0, DAG),
                                                     Parameter("maximale afwezigheid")))),
        DAG,
    ),
)

GETOOND = (("ingediend bedrag", Veld("ingediend_bedrag")),
           ("berekend bedrag", Verwijzing("berekend bedrag")))

REGELS = (
    regel("Geen toewijzing", "9338", Niet(Veld("toewijzing_bekend")),
          uitleg="Er is geen toewijzing met nummer {toewijzingnummer}.",
          waarden=(("toewijzingnummer", Veld("toewijzingnummer")),)),
    regel("BSN hoort bij toewijzing", "8187",
          Vergelijking("!=", Veld("bsn"), Veld("toewijzing_bsn")), niveau="client"),
    regel("Tarief volgens contract", "0611",
          Vergelijking("!=", Veld("producttarief"), Verwijzing("getoond tarief")),
          filter=Vergelijking("!=", Veld("eenheid"), tekst("83")),
          waarden=(("producttarief", Veld("producttarief")),
                   ("contracttarief", Verwijzing("getoond tarief"))),
          uitleg="Het tarief ({producttarief}) is niet het contracttarief ({contracttarief})."),
    regel("Bedrag is volume maal tarief", "9346",
          Vergelijking("!=", Veld("ingediend_bedrag"), Verwijzing("berekend bedrag")),
          filter=InLijst(Veld("eenheid"), (tekst("83"),), negatief=True), waarden=GETOOND,
          uitleg="Het ingediende bedrag ({ingediend bedrag}) is niet {berekend bedrag}."),
    regel("Volume per maand binnen weekfrequentie", "9321",
          Vergelijking(">", Verwijzing("maandvolume"), Verwijzing("maandplafond")),
          filter=En((Vergelijking("==", Veld("toewijzing_frequentie"), tekst("2")),
                     Niet(Veld("is_credit")))),
          waarden=(("maandvolume", Verwijzing("maandvolume")),
                   ("maandplafond", Verwijzing("maandplafond")))),
    regel("Referentienummer uniek", "8021",
          ir.Of((Veld("eerder_referentienummer"),
                 Vergelijking(">", Aggregaat("aantal", None, ("aanbieder", "referentienummer"),
                                             filter=Constante(True, ir.WAARHEID)),
                              getal(1)))),
          filter=Niet(Veld("is_credit"))),
    regel("Declaratienummer uniek", "9333", Veld("eerder_declaratienummer"),
          niveau="declaratie"),
    regel("Credit zonder debet", "8017", Niet(Veld("debet_bekend")), filter=Veld("is_credit")),
    regel("Debet al gecrediteerd", "9390", Veld("debet_al_gecrediteerd"),
          filter=Veld("is_credit")),
    regel("Nieuwe debet bij open debet", "9389", Veld("open_debet"),
          filter=Niet(Veld("is_credit"))),
    regel("Afwezigheid verblijf", "4304",
          Vergelijking(">", Veld("geleverd_volume"), Verwijzing("declarabele dagen")),
          filter=Vergelijking("==", Veld("eenheid"), tekst("14")), artikel="43", lid="43.4",
          waarden=(("geleverd volume", Veld("geleverd_volume")),
                   ("declarabele dagen", Verwijzing("declarabele dagen")))),
    regel("Hoog bedrag", "S471", Vergelijking(">", Veld("ingediend_bedrag"), getal(1_000_000,
          ir.GELD)), soort="signaleren", artikel="47", lid="47.1",
          waarden=(("ingediend bedrag", Veld("ingediend_bedrag")),)),
)

REGELBOEK = getypt(ir.Regelboek(
    naam="test", regio=None, gemeenten=("0384",),
    artikelen=(
        ir.Artikel("iJw", "Declaratiecontroles", None, "", ir.ALTIJD, (), "standaard", BRON),
        ir.Artikel("43", "Facturatie", None, "", ir.Geldigheid(date(2018, 1, 1)), (),
                   "standaard", BRON),
        ir.Artikel("60", "Nieuw", None, "", ir.Geldigheid(date(2027, 1, 1)), (), "lokaal", BRON),
    ),
    parameters={"maximale afwezigheid": (
        parameter("maximale afwezigheid", getal(14, DAG), ir.Geldigheid(None, date(2026, 1, 1))),
        parameter("maximale afwezigheid", getal(21, DAG), ir.Geldigheid(date(2026, 1, 1))),
    )},
    tabellen={"tarieven": TARIEVEN},
    berekeningen=BEREKENINGEN,
    regels=REGELS,
    wijzigingen=(),
    hash="test-hash",
    bestanden=("test.regels",),
))

# ---------------------------------------------------------------- declarations

AANBIEDER = "12345678"


def toewijzing(nummer: str = "T1", bsn: str = "999999990", **wijziging: object) -> Toewijzing:
    basis = Toewijzing(
        toewijzingnummer=nummer, bsn=bsn, gemeente="0384", aanbieder=AANBIEDER,
        productcategorie="45", productcode="45A48", toewijzingsdatum=date(2025, 9, 1),
        toewijzingstijd=time(12, 0), ingangsdatum=date(2025, 10, 7),
        einddatum=date(2025, 12, 30), volume=180, eenheid="01", frequentie="2", budget=None,
        reden_wijziging=None,
    )
    return dataclasses.replace(basis, **wijziging)  # type: ignore[arg-type]


def prestatie(volgnummer: int = 0, **wijziging: object) -> Prestatie:
    basis = Prestatie(
        volgnummer=volgnummer, bsn="999999990", referentienummer="",
        vorig_referentienummer=None, toewijzingnummer="T1", productcategorie="45",
        productcode="45A48", begindatum=date(2025, 10, 7), einddatum=date(2025, 10, 31),
        geleverd_volume=95, eenheid="01", producttarief=127, ingediend_bedrag=12105,
        debet_credit="D",
    )
    return dataclasses.replace(basis, **wijziging)  # type: ignore[arg-type]


def declaratie(*prestaties: Prestatie, nummer: str = "D1",
               begin: date = date(2025, 10, 1)) -> Declaratie:
    genummerd = tuple(
        dataclasses.replace(p, volgnummer=i,
                            referentienummer=p.referentienummer or f"{nummer}-R{i}")
        for i, p in enumerate(prestaties)
    )
    totaal = sum(p.ingediend_bedrag * (1 if p.debet_credit == "D" else -1) for p in genummerd)
    return Declaratie(
        aanbieder=AANBIEDER, gemeente="0384", bericht_identificatie=f"B{nummer}",
        bericht_dagtekening=date(2025, 11, 5), declaratienummer=nummer,
        declaratie_begindatum=begin, declaratie_einddatum=date(begin.year, begin.month, 28),
        declaratiedagtekening=date(2025, 11, 5), totaal_ingediend=totaal, prestaties=genummerd,
    )


def context(*toewijzingen: Toewijzing, afwezigheden: tuple[Afwezigheid, ...] = ()) -> Context:
    gekozen = toewijzingen or (toewijzing(),)
    return Context({t.toewijzingnummer: t for t in gekozen}, afwezigheden)

