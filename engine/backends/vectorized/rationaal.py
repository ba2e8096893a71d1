"""Exact numbers as Polars expressions: a numerator and a denominator, both Int64.

A `Kolomwaarde` is what the vectorized compiler turns an IR expression into. Numbers (getal
and geld) are `teller / noemer` with a positive noemer; `noemer is None` means 1, the fast
path that almost every rule takes (volumes, cents). Dates, texts and truth values are a
single expression in `teller`. Nothing here ever becomes a float: division keeps the pair,
comparisons cross-multiply, and only `rond_af` turns a fraction into a whole number.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import polars as pl

from engine.ir import WAARHEID, Afrondingsmodus, Type

Soort = Literal["getal", "datum", "tekst", "waarheid"]


class CompilatieError(Exception):
    """The rule book holds something this backend cannot compile (a defect, not user input)."""


@dataclass(frozen=True, slots=True)
class Kolomwaarde:
    """A compiled expression: its kind, its IR type, numerator (or the value) and denominator."""

    soort: Soort
    type: Type
    teller: pl.Expr
    noemer: pl.Expr | None = None

    @property
    def noemer_expr(self) -> pl.Expr:
        return self.noemer if self.noemer is not None else pl.lit(1, dtype=pl.Int64)

    def bekend(self) -> pl.Expr:
        bekend = self.teller.is_not_null()
        return bekend if self.noemer is None else bekend & self.noemer.is_not_null()


def soort_van(type_: Type) -> Soort:
    if type_.soort in ("getal", "geld"):
        return "getal"
    if type_.soort in ("datum", "tekst", "waarheid"):
        return type_.soort
    return "getal"


def getal(teller: pl.Expr, noemer: pl.Expr | None, type_: Type) -> Kolomwaarde:
    return Kolomwaarde("getal", type_, teller, noemer)


def constante_getal(waarde: int | Fraction, type_: Type) -> Kolomwaarde:
    breuk = Fraction(waarde)
    teller = pl.lit(breuk.numerator, dtype=pl.Int64)
    noemer = None if breuk.denominator == 1 else pl.lit(breuk.denominator, dtype=pl.Int64)
    return getal(teller, noemer, type_)


def waarheid(expr: pl.Expr) -> Kolomwaarde:
    return Kolomwaarde("waarheid", WAARHEID, expr)


def heel(waarde: Kolomwaarde) -> pl.Expr:
    """A whole number from a getal (a fraction rounds down)."""
    return waarde.teller if waarde.noemer is None else waarde.teller // waarde.noemer


def gelijke_eenheid(a: Kolomwaarde, b: Kolomwaarde) -> tuple[Kolomwaarde, Kolomwaarde]:
    """Where uur meets minuut, count the uur side in minuten."""
    if a.soort != "getal" or {a.type.eenheid, b.type.eenheid} != {"uur", "minuut"}:
        return a, b
    if a.type.eenheid == "uur":
        return schaal(a, Fraction(60)), b
    return a, schaal(b, Fraction(60))


def schaal(waarde: Kolomwaarde, factor: Fraction) -> Kolomwaarde:
    """Multiply by a constant (uur to minuut: 60; procent: 1/100)."""
    teller = waarde.teller * factor.numerator if factor.numerator != 1 else waarde.teller
    if factor.denominator == 1:
        return getal(teller, waarde.noemer, waarde.type)
    return getal(teller, waarde.noemer_expr * factor.denominator, waarde.type)


def plus(a: Kolomwaarde, b: Kolomwaarde, type_: Type, teken: int = 1) -> Kolomwaarde:
    rechts = b.teller if teken == 1 else -b.teller
    if a.noemer is None and b.noemer is None:
        return getal(a.teller + rechts, None, type_)
    teller = a.teller * b.noemer_expr + rechts * a.noemer_expr
    return getal(teller, a.noemer_expr * b.noemer_expr, type_)


def maal(a: Kolomwaarde, b: Kolomwaarde, type_: Type) -> Kolomwaarde:
    if a.noemer is None and b.noemer is None:
        return getal(a.teller * b.teller, None, type_)
    return getal(a.teller * b.teller, a.noemer_expr * b.noemer_expr, type_)


def gedeeld(a: Kolomwaarde, b: Kolomwaarde, type_: Type) -> Kolomwaarde:
    """a / b, exact; division by zero gives an empty value."""
    teller = a.teller * b.noemer_expr if b.noemer is not None else a.teller
    noemer = a.noemer_expr * b.teller if a.noemer is not None else b.teller
    negatief = b.teller < 0
    nul = b.teller == 0
    teller = pl.when(nul).then(None).when(negatief).then(-teller).otherwise(teller)
    noemer = pl.when(nul).then(None).otherwise(noemer.abs())
    return getal(teller, noemer, type_)


def vergelijk(op: str, a: Kolomwaarde, b: Kolomwaarde) -> pl.Expr:
    """The comparison, false where either side is empty."""
    if a.soort == "getal" and (a.noemer is not None or b.noemer is not None):
        links, rechts = a.teller * b.noemer_expr, b.teller * a.noemer_expr
    else:
        links, rechts = a.teller, b.teller
    uitkomst = {
        "<": links < rechts,
        "<=": links <= rechts,
        ">": links > rechts,
        ">=": links >= rechts,
        "==": links == rechts,
        "!=": links != rechts,
    }[op]
    return uitkomst.fill_null(False)


def gehele_deling(teller: pl.Expr, noemer: pl.Expr, modus: Afrondingsmodus) -> pl.Expr:
    """teller / noemer (noemer > 0) rounded to a whole number by the named mode."""
    if modus == "naar_beneden":
        return teller // noemer
    if modus == "naar_boven":
        return -((-teller) // noemer)
    positief = (2 * teller + noemer) // (2 * noemer)
    negatief = -((-2 * teller + noemer) // (2 * noemer))
    return pl.when(teller >= 0).then(positief).otherwise(negatief)


def rond_af(waarde: Kolomwaarde, modus: Afrondingsmodus, stap: Fraction) -> Kolomwaarde:
    """Round to a whole multiple of `stap`: k * stap with k whole."""
    if waarde.noemer is None and stap.denominator == 1 and stap.numerator == 1:
        return waarde
    teller = waarde.teller * stap.denominator
    noemer = waarde.noemer_expr * stap.numerator
    veelvoud = gehele_deling(teller, noemer, modus)
    if stap.numerator != 1:
        veelvoud = veelvoud * stap.numerator
    rest = None if stap.denominator == 1 else pl.lit(stap.denominator, dtype=pl.Int64)
    return getal(veelvoud, rest, waarde.type)


def als_waarde(teller: int | None, noemer: int | None) -> int | Fraction | None:
    """A Python value from a collected numerator and denominator (1 when it has none)."""
    if teller is None or noemer is None:
        return None
    if noemer == 1:
        return int(teller)
    breuk = Fraction(int(teller), int(noemer))
    return int(breuk) if breuk.denominator == 1 else breuk
