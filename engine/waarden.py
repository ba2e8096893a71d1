"""Values for people: the type of an IR expression and the Dutch way of writing its value.

`toon_waarde(Fraction(7645), GELD)` gives '€ 76,45', `toon_waarde(95, Type("getal", "minuut"))`
gives '95 minuten', a date '2026-04-01'. Used for the `waarden` of a `Reden` and to fill the
`{placeholders}` of a rule's uitleg. `type_van` infers the type of an expression so the
pipeline (and the vectorized backend, for uur/minuut conversion) know what a value is.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from engine import ir
from engine.functies import ELK, FUNCTIES
from engine.velden import PER_KOLOM

_MEERVOUD = {
    "minuut": "minuten",
    "uur": "uur",
    "dagdeel": "dagdelen",
    "etmaal": "etmalen",
    "dag": "dagen",
    "week": "weken",
    "maand": "maanden",
    "stuk": "stuks",
    "procent": "procent",
}

ONBEKEND = "onbekend"


def toon_waarde(waarde: ir.Waarde, type_: ir.Type | None = None) -> str:
    """The value as a person reads it: money in euros, quantities with their unit."""
    if waarde is None:
        return ONBEKEND
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, date):
        return waarde.isoformat()
    if isinstance(waarde, str):
        return waarde
    eenheid = type_.eenheid if type_ is not None else None
    if type_ is not None and type_.soort == "geld":
        return toon_geld(waarde)
    if isinstance(waarde, int):
        return _eenheid_erbij(str(waarde), waarde == 1, eenheid)
    return _toon_getal(Fraction(waarde), eenheid)


def toon_geld(centen: Fraction | int) -> str:
    """'€ 76,45', '€ 1.234,00', '€ -12,50'; a fraction of a cent shows four decimals."""
    if isinstance(centen, int):
        euro, cent = divmod(abs(centen), 100)
        teken = "-" if centen < 0 else ""
        return f"€ {teken}{euro:,}".replace(",", ".") + f",{cent:02d}"
    bedrag = Fraction(centen) / 100
    decimalen = 2 if Fraction(centen).denominator == 1 else 4
    return f"€ {_getal_tekst(bedrag, decimalen, duizendtallen=True)}"


def _toon_getal(getal: Fraction, eenheid: str | None) -> str:
    decimalen = 0 if getal.denominator == 1 else 2
    tekst = _getal_tekst(getal, decimalen, duizendtallen=False)
    return _eenheid_erbij(tekst, getal == 1, eenheid)


def _eenheid_erbij(tekst: str, een: bool, eenheid: str | None) -> str:
    if eenheid is None or eenheid in ("prestatie", "*"):
        return tekst
    naam = eenheid if een else _MEERVOUD.get(eenheid, eenheid)
    return f"{tekst} {naam}"


def _getal_tekst(getal: Fraction, decimalen: int, duizendtallen: bool) -> str:
    schaal = 10**decimalen
    afgerond = rond_half_weg_van_nul(getal * schaal)
    teken = "-" if afgerond < 0 else ""
    heel, rest = divmod(abs(afgerond), schaal)
    heel_tekst = f"{heel:,}".replace(",", ".") if duizendtallen else str(heel)
    if decimalen == 0:
        return f"{teken}{heel_tekst}"
    rest_tekst = str(rest).rjust(decimalen, "0")
    if not duizendtallen:
        rest_tekst = rest_tekst.rstrip("0") or "0"
    return f"{teken}{heel_tekst},{rest_tekst}"


def rond_half_weg_van_nul(getal: Fraction) -> int:
    """Round half away from zero ('rekenkundig')."""
    heel = (2 * abs(getal.numerator) + getal.denominator) // (2 * getal.denominator)
    return heel if getal >= 0 else -heel


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


# ---------------------------------------------------------------- type inference


def type_van(expr: ir.Expr, regelboek: ir.Regelboek) -> ir.Type:
    """The type of an expression (best effort: a bare getal where nothing says otherwise)."""
    match expr:
        case ir.Constante(type=t):
            return t
        case ir.Veld(naam=naam):
            return PER_KOLOM[naam].type if naam in PER_KOLOM else ir.TEKST
        case ir.Parameter(naam=naam):
            versies = regelboek.parameters.get(naam, ())
            return versies[0].waarde.type if versies else ir.GETAL
        case ir.Verwijzing(naam=naam):
            return _berekening_type(naam, regelboek)
        case ir.Rekensom():
            return _rekensom_type(expr, regelboek)
        case ir.Afronding(expr=binnen):
            return type_van(binnen, regelboek)
        case ir.Vergelijking() | ir.InLijst() | ir.En() | ir.Of() | ir.Niet():
            return ir.WAARHEID
        case ir.Als(dan=dan, anders=anders):
            return _breedste(type_van(dan, regelboek), type_van(anders, regelboek))
        case ir.Functie():
            return _functie_type(expr, regelboek)
        case ir.Opzoeking():
            return _opzoeking_type(expr, regelboek)
        case ir.Aggregaat():
            return _aggregaat_type(expr, regelboek)
    return ir.GETAL


def _berekening_type(naam: str, regelboek: ir.Regelboek) -> ir.Type:
    for berekening in regelboek.berekeningen:
        if berekening.naam == naam:
            return berekening.type
    return ir.GETAL


def _rekensom_type(som: ir.Rekensom, regelboek: ir.Regelboek) -> ir.Type:
    links, rechts = type_van(som.links, regelboek), type_van(som.rechts, regelboek)
    if links.soort == "datum":
        return ir.Type("getal", "dag") if rechts.soort == "datum" else ir.DATUM
    if som.op in ("+", "-"):
        return minuten_als_gemengd(links, rechts)
    if som.op == "*":
        if "geld" in (links.soort, rechts.soort):
            return ir.GELD
        if links.eenheid in (None, "procent"):
            return rechts
        if rechts.eenheid not in (None, "procent") and links.eenheid in _TELLERS:
            return rechts  # 4 weken maal 3 uur: a count of periods keeps the rate's unit
        return links
    if links.soort == rechts.soort and links.eenheid == rechts.eenheid:
        return ir.GETAL
    return links


def minuten_als_gemengd(links: ir.Type, rechts: ir.Type) -> ir.Type:
    """uur combined with minuut is counted in minuten; otherwise the left side's type."""
    if {links.eenheid, rechts.eenheid} == {"uur", "minuut"}:
        return ir.Type("getal", "minuut")
    return links if links.eenheid is not None or links.soort == "geld" else rechts


_TELLERS = frozenset({"dag", "week", "maand"})


def _breedste(dan: ir.Type, anders: ir.Type) -> ir.Type:
    """The type of a conditional value (as dsl.vertaler types it)."""
    if dan.soort == "getal" and {dan.eenheid, anders.eenheid} == {"uur", "minuut"}:
        return ir.Type("getal", "minuut")
    if dan.soort == "getal" and dan.eenheid is None:
        return anders
    if "prestatie" in (dan.eenheid, anders.eenheid):
        return ir.Type("getal", "prestatie")
    return dan


def _functie_type(functie: ir.Functie, regelboek: ir.Regelboek) -> ir.Type:
    definitie = FUNCTIES.get(functie.naam)
    if definitie is None:
        return ir.GETAL
    if definitie.resultaat == ELK and functie.args:
        return type_van(functie.args[0], regelboek)
    return definitie.resultaat


def _opzoeking_type(opzoeking: ir.Opzoeking, regelboek: ir.Regelboek) -> ir.Type:
    tabel = regelboek.tabellen.get(opzoeking.tabel)
    if tabel is not None:
        for kolom in tabel.kolommen:
            if kolom.naam == opzoeking.kolom:
                return kolom.type
    return ir.GETAL


def _aggregaat_type(aggregaat: ir.Aggregaat, regelboek: ir.Regelboek) -> ir.Type:
    if aggregaat.functie == "aantal" or aggregaat.expr is None:
        return ir.GETAL  # a count is a bare number (as dsl.vertaler types it)
    return type_van(aggregaat.expr, regelboek)


@lru_cache(maxsize=1024)
def toon_pad(bestand: str) -> str:
    """A rule file's path as people and answers see it: relative to the working directory
    when the file lies under it, so a service does not reveal where it is installed."""
    pad = Path(bestand)
    try:
        return str(pad.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return bestand if not pad.is_absolute() else pad.name
