"""Types and units of expressions (docs/taal.md §6): what may be added, multiplied, compared.

Each rule returns the result type, or raises `TypeFoutError` with a Dutch sentence that
says what was combined ("u telt euro's (ingediend bedrag) op bij uren (3 uur)").
"""

from __future__ import annotations

from engine.ir import GELD, GETAL, Type
from engine.woorden import EENHEDEN

ONBEKEND = Type("getal", "?")
"""The type of an expression whose error was already reported: combines with anything."""

TELLERS = frozenset({"dag", "week", "maand"})
"""Counts of periods: a rate times a count keeps the rate's unit (3 uur per week maal 4 weken)."""

# what a type error calls a quantity: the unit's plural noun (engine.woorden), except the
# line's own unit, which is not one unit but whichever the prestatie declares
_MEERVOUD = {naam: eenheid.meervoud for naam, eenheid in EENHEDEN.items()} | {
    "prestatie": "eenheden van de prestatie"}


class TypeFoutError(Exception):
    """Two types that do not combine; the message is the Dutch sentence for the user."""


def is_onbekend(t: Type) -> bool:
    return t.eenheid == "?" or is_joker(t)


def is_joker(t: Type) -> bool:
    """`Type("*")` in a function signature (engine.functies): any value fits."""
    return str(t.soort) == "*"


def beschrijf(t: Type) -> str:
    """'euro's', 'uren', 'datums', 'getallen zonder eenheid', ..."""
    if t.soort == "geld":
        return "euro's"
    if t.soort == "getal":
        return _MEERVOUD.get(t.eenheid or "", "getallen zonder eenheid")
    return {"datum": "datums", "tekst": "teksten", "waarheid": "waar/onwaar-waarden"}.get(
        t.soort, t.soort)


def is_getal(t: Type) -> bool:
    return t.soort == "getal"


def numeriek(t: Type) -> bool:
    return t.soort in ("getal", "geld")


def optellen(a: Type, b: Type, wat_a: str, wat_b: str, aftrekken: bool) -> Type:
    """The type of `a plus b` / `a min b` (dates are handled by the caller)."""
    if is_onbekend(a) or is_onbekend(b):
        return b if is_onbekend(a) else a
    if a.soort == "geld" and b.soort == "geld":
        return GELD
    if is_getal(a) and is_getal(b):
        eenheid = samen_eenheid(a.eenheid, b.eenheid)
        if eenheid != "!":
            return Type("getal", eenheid)
    if aftrekken:
        raise TypeFoutError(f"u trekt {beschrijf(b)} ({wat_b}) af van {beschrijf(a)} ({wat_a})")
    raise TypeFoutError(f"u telt {beschrijf(a)} ({wat_a}) op bij {beschrijf(b)} ({wat_b})")


def samen_eenheid(a: str | None, b: str | None) -> str | None:
    """The unit of a sum or comparison of units a and b; '!' when they do not fit."""
    if a == b:
        return a
    if a is None or b is None:
        return a or b
    if "prestatie" in (a, b):
        return "prestatie"
    if {a, b} == {"uur", "minuut"}:
        return "minuut"
    return "!"


def vermenigvuldigen(a: Type, b: Type, wat_a: str, wat_b: str) -> Type:
    """The type of `a maal b`."""
    if is_onbekend(a) or is_onbekend(b):
        return b if is_onbekend(a) else a
    if a.soort == "geld" and is_getal(b):
        return GELD
    if b.soort == "geld" and is_getal(a):
        return GELD
    if is_getal(a) and is_getal(b):
        eenheid = _product_eenheid(a.eenheid, b.eenheid)
        if eenheid != "!":
            return Type("getal", eenheid)
    raise TypeFoutError(f"u vermenigvuldigt {beschrijf(a)} ({wat_a}) met {beschrijf(b)} ({wat_b})")


def _product_eenheid(a: str | None, b: str | None) -> str | None:
    if a is None or a == "procent":
        return b
    if b is None or b == "procent":
        return a
    if b in TELLERS:
        return a
    if a in TELLERS:
        return b
    return "!"


def delen(a: Type, b: Type, wat_a: str, wat_b: str) -> Type:
    """The type of `a gedeeld door b`."""
    if is_onbekend(a) or is_onbekend(b):
        return b if is_onbekend(a) else a
    if a.soort == "geld" and b.soort == "geld":
        return GETAL
    if a.soort == "geld" and is_getal(b):
        return GELD
    if is_getal(a) and is_getal(b):
        if b.eenheid is None or b.eenheid == "procent":
            return a
        if samen_eenheid(a.eenheid, b.eenheid) != "!":
            return GETAL
        if b.eenheid in TELLERS:
            return a
    raise TypeFoutError(f"u deelt {beschrijf(a)} ({wat_a}) door {beschrijf(b)} ({wat_b})")


def vergelijkbaar(a: Type, b: Type) -> bool:
    """Whether a and b may be compared (or be the two branches of 'indien')."""
    if is_onbekend(a) or is_onbekend(b):
        return True
    if a.soort != b.soort:
        return False
    return not is_getal(a) or samen_eenheid(a.eenheid, b.eenheid) != "!"


def past_op(gegeven: Type, gevraagd: Type) -> bool:
    """Whether an argument of type `gegeven` fits a parameter of type `gevraagd`."""
    if is_joker(gevraagd) or is_onbekend(gegeven):
        return True
    if gevraagd.eenheid == "*":
        return numeriek(gegeven)
    if gevraagd.soort != gegeven.soort:
        return False
    if not is_getal(gevraagd):
        return True
    return gegeven.eenheid in (None, gevraagd.eenheid, "prestatie") or gevraagd.eenheid is None



def breedste(a: Type, b: Type) -> Type:
    """The type of a conditional value whose two outcomes are a and b ('indien')."""
    if is_onbekend(a):
        return b
    if a.soort == "getal" and {a.eenheid, b.eenheid} == {"uur", "minuut"}:
        return Type("getal", "minuut")
    if a.soort == "getal" and a.eenheid is None:
        return b
    if "prestatie" in (a.eenheid, b.eenheid):
        return Type("getal", "prestatie")
    return a
