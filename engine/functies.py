"""The catalogue of built-in functions: names, Dutch phrasing (from `engine.woorden`), signatures.

`dsl.checks` types calls against these signatures; each backend implements every entry
(the scalar evaluator in Python, the vectorized one as Polars expressions) and a test
checks that no entry lacks an implementation. Dates are inclusive on both ends here,
as in the iJw ProductPeriode.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.ir import DATUM, GELD, TEKST, WAARHEID, Type
from engine.woorden import FUNCTIEZINNEN, Functiezin

ELK = Type("getal", "*")
"""Signature wildcard: any getal (with any unit) or geld; the result keeps the unit."""


@dataclass(frozen=True, slots=True)
class FunctieDefinitie:
    naam: str
    args: tuple[Type, ...]
    resultaat: Type
    omschrijving: str
    zin: Functiezin
    """how it reads in Dutch (engine.woorden): the rule language and the renderer"""


def _f(naam: str, args: tuple[Type, ...], resultaat: Type, omschrijving: str) -> FunctieDefinitie:
    # a KeyError here, on import, is a function without a Dutch phrase
    return FunctieDefinitie(naam, args, resultaat, omschrijving, FUNCTIEZINNEN[naam])


DAGEN = Type("getal", "dag")
WEKEN = Type("getal", "week")
MAANDEN = Type("getal", "maand")
KAAL = Type("getal")
MINUTEN = Type("getal", "minuut")
UREN = Type("getal", "uur")

FUNCTIES: dict[str, FunctieDefinitie] = {
    f.naam: f
    for f in (
        _f("dagen", (DATUM, DATUM), DAGEN, "aantal kalenderdagen van a tot en met b (0 als b < a)"),
        _f("isoweken", (DATUM, DATUM), WEKEN,
           "aantal ISO-weken (maandag t/m zondag) die de periode a t/m b raken"),
        _f("zondagen", (DATUM, DATUM), WEKEN, "aantal zondagen in a t/m b"),
        _f("maanden", (DATUM, DATUM), MAANDEN, "aantal kalendermaanden die a t/m b raken"),
        _f("weekdag", (DATUM,), KAAL, "1 = maandag ... 7 = zondag"),
        _f("maand", (DATUM,), KAAL, "maandnummer 1..12"),
        _f("kwartaal", (DATUM,), KAAL, "kwartaal 1..4"),
        _f("jaar", (DATUM,), KAAL, "jaartal"),
        _f("isoweek", (DATUM,), KAAL, "ISO-weeknummer"),
        _f("eerste_dag_van_maand", (DATUM,), DATUM, "de eerste dag van de maand van a"),
        _f("laatste_dag_van_maand", (DATUM,), DATUM, "de laatste dag van de maand van a"),
        _f("plus_dagen", (DATUM, DAGEN), DATUM, "datum a plus n dagen"),
        _f("plus_maanden", (DATUM, MAANDEN), DATUM,
           "datum a plus n kalendermaanden (dag afgekapt op het einde van de maand)"),
        _f("vroegste", (DATUM, DATUM), DATUM, "de vroegste van twee datums (leeg telt niet)"),
        _f("laatste", (DATUM, DATUM), DATUM, "de laatste van twee datums (leeg telt niet)"),
        _f("kleinste", (ELK, ELK), ELK, "de kleinste van twee waarden"),
        _f("grootste", (ELK, ELK), ELK, "de grootste van twee waarden"),
        _f("bekend", (Type("*"),), WAARHEID, "waar als de waarde niet leeg is"),
        _f("elfproef", (TEKST,), WAARHEID,
           "waar als het BSN 9 cijfers heeft en de elfproef doorstaat"),
        _f("begint_met", (TEKST, TEKST), WAARHEID, "waar als tekst a begint met b"),
        _f("eerste_tekens", (TEKST, KAAL), TEKST, "de eerste n tekens van een tekst"),
        _f("afwezige_dagen", (DATUM, DATUM), DAGEN,
           "dagen in a t/m b waarop de jeugdige volgens de aanwezigheidsregistratie afwezig is "
           "(voor het BSN en ToewijzingNummer van de prestatie)"),
        _f("vergoede_afwezige_dagen", (DATUM, DATUM, DAGEN, DAGEN), DAGEN,
           "van elke aaneengesloten afwezigheid die langer duurt dan grens (arg 3) de eerste "
           "maximum (arg 4) dagen, geteld voor zover ze in a t/m b vallen"),
        _f("uren_uit_minuten", (MINUTEN,), UREN,
           "minuten naar hele uren: onder 30 minuten rest naar beneden, vanaf 30 naar boven, "
           "ten minste 1 uur"),
        _f("centen", (GELD,), GELD, "identiteit; maakt een bedrag in centen expliciet"),
    )
}
