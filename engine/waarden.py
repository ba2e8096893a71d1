"""Values for people: the Dutch way of writing a value of a given type.

`toon_waarde(Fraction(7645), GELD)` gives '€ 76,45', `toon_waarde(95, Type("getal", "minuut"))`
gives '95 minuten', a date '1 april 2026' (a sentence's date: the JSON fields and the XML of a
message keep ISO), an empty end date 'geen einddatum'. Used for the `waarden` of a `Reden`
and to fill the `{placeholders}` of a rule's uitleg; the type of a rule's value is the one
the checker gave it (`ir.Regelboek.type`).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from engine import ir, opmaak
from engine.woorden import EENHEDEN

ONBEKEND = "onbekend"


def toon_waarde(waarde: ir.Waarde, type_: ir.Type | None = None, naam: str = "") -> str:
    """The value as a person reads it: money in euros, quantities with their unit, dates
    in words. `naam` is what the value is called; an empty date whose name says it is an
    end date is an open period ('geen einddatum'), not an unknown."""
    if waarde is None:
        if _is_einddatum(naam, type_):
            return opmaak.GEEN_EINDDATUM
        return ONBEKEND
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, date):
        return opmaak.datum(waarde)
    if isinstance(waarde, str):
        return waarde
    eenheid = type_.eenheid if type_ is not None else None
    if type_ is not None and type_.soort == "geld":
        return toon_geld(waarde)
    if isinstance(waarde, int):
        return _eenheid_erbij(str(waarde), waarde == 1, eenheid)
    return _toon_getal(Fraction(waarde), eenheid)


def _is_einddatum(naam: str, type_: ir.Type | None) -> bool:
    """An end date by its name ('einddatum van de toewijzing', 'toewijzing_einddatum', a
    table's column 'geldig_tot'): the vocabulary and the tables call every end date so; a
    date of another name stays 'onbekend'."""
    return ((type_ is None or type_.soort == "datum")
            and ("einddatum" in naam or naam == "tot" or naam.endswith("_tot")))


def toon_geld(centen: Fraction | int) -> str:
    """'€ 76,45', '€ 1.234,00', '€ -12,50'; a fraction of a cent shows four decimals."""
    return opmaak.geld(centen)


def _toon_getal(getal: Fraction, eenheid: str | None) -> str:
    decimalen = 0 if getal.denominator == 1 else 2
    tekst = opmaak.getal(getal, decimalen)
    return _eenheid_erbij(tekst, getal == 1, eenheid)


def _eenheid_erbij(tekst: str, een: bool, eenheid: str | None) -> str:
    if eenheid is None or eenheid in ("prestatie", "*"):
        return tekst
    woorden = EENHEDEN.get(eenheid)
    if woorden is None:
        return f"{tekst} {eenheid}"
    naam = woorden.woord if een else woorden.na_getal
    return f"{tekst} {naam}"


def vul_uitleg(uitleg: str, waarden: dict[str, str]) -> str:
    """Fill `{naam}` placeholders; an unknown name stays as written (never an exception)."""
    delen: list[str] = []
    positie = 0
    while (begin := uitleg.find("{", positie)) >= 0:
        eind = uitleg.find("}", begin)
        if eind < 0:
            break
        naam = uitleg[begin + 1 : eind]
        delen.append(uitleg[positie:begin])
        delen.append(waarden.get(naam, waarden.get(naam.strip(), uitleg[begin : eind + 1])))
        positie = eind + 1
    delen.append(uitleg[positie:])
    return "".join(delen)


@lru_cache(maxsize=1024)
def toon_pad(bestand: str) -> str:
    """A rule file's path as people and answers see it: relative to the working directory
    when the file lies under it, so a service does not reveal where it is installed."""
    pad = Path(bestand)
    try:
        return str(pad.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return bestand if not pad.is_absolute() else pad.name
