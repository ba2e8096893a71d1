"""Example values for a rule's explanation on the articles page (issue 16, point 8).

A rule's `uitleg` names the values it shows (`{productcode}`); a lawyer reads the sentence the
provider will read, so the page fills in an example: the parameter's own value on the page's
date, a typical value of a field of the line, or a value of the right kind and unit for what
the rule works out. Never a real person's data: the BSN is shown as a description.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from engine import ir
from engine.waarden import toon_waarde

_TEKST = {
    "aanbieder": "12345678",
    "gemeente": "0363",
    "declaratienummer": "DEC-2026-04",
    "referentienummer": "REF-0002",
    "vorig_referentienummer": "REF-0001",
    "eerder_referentienummer": "REF-0001",
    "eerder_declaratienummer": "DEC-2026-03",
    "toewijzingnummer": "T-1001",
    "productcategorie": "45",
    "categorie": "45",
    "productcode": "45A48",
    "eenheid": "04",
    "frequentie": "2",
    "reden_wijziging": "01",
    "debet_credit": "D",
    "bsn": "(het BSN van de jeugdige)",
}
"""A typical value of each text field (by column; an allocation's field as the line's)."""

_ANDERS = {"productcategorie": "42", "productcode": "45A53", "eenheid": "01", "gemeente": "0384"}
"""A second value of a field, for a sentence that names it twice ('... is niet de toegewezen
productcode ...'): an example that contradicts its own sentence confuses the reader."""

_GETALLEN = (3, 5, 8, 2, 13)
_BEDRAGEN = (12500, 14000, 9000, 30000)

_PLAATSHOUDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True, slots=True)
class Stuk:
    """A piece of an explanation: literal text, or an example value (marked on the page)."""

    tekst: str
    voorbeeld: bool = False


def met_voorbeelden(regelboek: ir.Regelboek, regel: ir.Regel, datum: date) -> list[Stuk]:
    """The rule's explanation with each `{name}` replaced by an example value."""
    waarden = dict(regel.waarden)
    stukken: list[Stuk] = []
    gekozen: dict[str, str] = {}
    begin = 0
    for treffer in _PLAATSHOUDER.finditer(regel.uitleg):
        stukken.append(Stuk(regel.uitleg[begin:treffer.start()]))
        naam = treffer.group(1)
        expr = waarden.get(naam)
        if naam not in gekozen:
            waarde = naam if expr is None else voorbeeld(regelboek, expr, datum, len(gekozen))
            if waarde in gekozen.values():
                waarde = _ANDERS.get(_kolom(regelboek, expr), waarde)
            gekozen[naam] = waarde
        stukken.append(Stuk(gekozen[naam], voorbeeld=True))
        begin = treffer.end()
    stukken.append(Stuk(regel.uitleg[begin:]))
    return [s for s in stukken if s.tekst]


def voorbeeld(regelboek: ir.Regelboek, expr: ir.Expr, datum: date, volgnummer: int = 0) -> str:
    """An example of the value of `expr` on `datum`, written as the explanation writes it;
    `volgnummer` (the how-manieth value of the sentence) varies numbers and amounts."""
    if isinstance(expr, ir.Constante):
        return toon_waarde(expr.waarde, expr.type)
    if isinstance(expr, ir.Parameter):
        for versie in regelboek.parameters.get(expr.naam, ()):
            if versie.geldig.geldt_op(datum):
                return toon_waarde(versie.waarde.waarde, versie.waarde.type)
    try:
        soort = regelboek.type(expr)
    except KeyError:
        return "…"
    return _van_soort(soort, _kolom(regelboek, expr), datum, volgnummer)


def _kolom(regelboek: ir.Regelboek, expr: ir.Expr | None) -> str:
    """The column a value comes from: a field, a table's column, or what a computed value
    looks up ('' for anything else)."""
    if isinstance(expr, ir.Veld):
        return expr.naam
    if isinstance(expr, ir.Opzoeking):
        return expr.kolom
    if isinstance(expr, ir.Verwijzing):
        for b in regelboek.berekeningen:
            if b.naam == expr.naam:
                return _kolom(regelboek, b.expr)
    return ""


def _van_soort(soort: ir.Type, kolom: str, datum: date, n: int) -> str:
    if soort.soort == "datum":
        if "einddatum" in kolom:
            laatste = calendar.monthrange(datum.year, datum.month)[1]
            return toon_waarde(datum.replace(day=laatste), soort)
        return toon_waarde(datum.replace(day=1), soort)
    if soort.soort == "geld":
        return toon_waarde(_BEDRAGEN[n % len(_BEDRAGEN)], soort)
    if soort.soort == "getal":
        return toon_waarde(_GETALLEN[n % len(_GETALLEN)], soort)
    if soort.soort == "waarheid":
        return "ja"
    if kolom.startswith("toewijzing_"):
        kolom = kolom.removeprefix("toewijzing_")
        return _ANDERS.get(kolom) or _TEKST.get(kolom, "…")
    return _TEKST.get(kolom, "…")
