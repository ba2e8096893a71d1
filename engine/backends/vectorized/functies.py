"""Every built-in function of `engine.functies.FUNCTIES` as Polars expressions.

Dates are inclusive on both ends. Date arithmetic works on days since 1970-01-01 (a
Thursday), so ISO weeks and Sundays are plain integer arithmetic. An empty argument gives
an empty result, except `bekend` and `vroegste`/`laatste` (where an empty date does not
count). The absence functions read the `afwezigheden` list column through a helper step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import polars as pl

from engine import ir
from engine.backends.vectorized import rationaal as r
from engine.backends.vectorized.afwezigheid import afwezigheid
from engine.backends.vectorized.rationaal import Kolomwaarde

if TYPE_CHECKING:
    from engine.backends.vectorized.compiler import PolarsCompiler

Implementatie = Callable[["PolarsCompiler", list[Kolomwaarde], ir.Type], Kolomwaarde]


def _dag(datum: pl.Expr) -> pl.Expr:
    """Days since 1970-01-01."""
    return datum.cast(pl.Int64)


def _getal(expr: pl.Expr, type_: ir.Type) -> Kolomwaarde:
    return r.getal(expr.cast(pl.Int64), None, type_)


def _datum(expr: pl.Expr) -> Kolomwaarde:
    return Kolomwaarde("datum", ir.DATUM, expr)


def _tekst(expr: pl.Expr) -> Kolomwaarde:
    return Kolomwaarde("tekst", ir.TEKST, expr)


# ---------------------------------------------------------------- periods


def dagen(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return (_dag(b) - _dag(a) + 1).clip(lower_bound=0)


def isoweken(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """ISO weeks (Monday to Sunday) that touch a..b."""
    maandag_a = _dag(a) - (a.dt.weekday().cast(pl.Int64) - 1)
    maandag_b = _dag(b) - (b.dt.weekday().cast(pl.Int64) - 1)
    return pl.when(b < a).then(0).otherwise((maandag_b - maandag_a) // 7 + 1)


def zondagen(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """Sundays in a..b: day numbers congruent to 3 modulo 7 (1970-01-04 was a Sunday)."""
    aantal = (_dag(b) - 3) // 7 - (_dag(a) - 4) // 7
    return pl.when(b < a).then(0).otherwise(aantal)


def maanden(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """Calendar months that touch a..b."""
    index_a = a.dt.year().cast(pl.Int64) * 12 + a.dt.month().cast(pl.Int64)
    index_b = b.dt.year().cast(pl.Int64) * 12 + b.dt.month().cast(pl.Int64)
    return pl.when(b < a).then(0).otherwise(index_b - index_a + 1)


def plus_maanden(
    datum: pl.Expr, aantal: pl.Expr, vertaler: PolarsCompiler | None = None
) -> pl.Expr:
    """Add calendar months; a day past the end of the new month becomes its last day.

    Integer arithmetic on a month index (no date construction, which is slow in Polars);
    with a `vertaler` the index and the day are helper columns, so the inputs are computed
    once instead of once per use."""
    basis = datum.dt.year().cast(pl.Int64) * 12 + datum.dt.month().cast(pl.Int64) - 1
    dag = datum.dt.day().cast(pl.Int64)
    if vertaler is None:
        return _maanddag(basis + aantal, dag)
    basis = vertaler.hulpkolom(r.getal(basis, None, ir.GETAL)).teller
    dag = vertaler.hulpkolom(r.getal(dag, None, ir.GETAL)).teller
    index = vertaler.hulpkolom(r.getal(basis + aantal, None, ir.GETAL)).teller
    if vertaler.enkel_datum(index):  # per date anyway
        return _maanddag(index, dag)
    # the calendar arithmetic per month index (a few dozen values), not per row
    eerste, lengte = vertaler.per_waarde(index, [
        dagnummer(index // 12, index % 12 + 1, pl.lit(1, dtype=pl.Int64)),
        _dagen_in_maand(index // 12, index % 12 + 1)])
    return (eerste + pl.min_horizontal(dag, lengte) - 1).cast(pl.Int32).cast(pl.Date)


def _maanddag(index: pl.Expr, dag: pl.Expr) -> pl.Expr:
    """The date of day `dag` (at most the month's last) of month index `index`."""
    jaar, maand = index // 12, index % 12 + 1
    dag = pl.min_horizontal(dag, _dagen_in_maand(jaar, maand))
    return dagnummer(jaar, maand, dag).cast(pl.Int32).cast(pl.Date)


def _dagen_in_maand(jaar: pl.Expr, maand: pl.Expr) -> pl.Expr:
    schrikkel = ((jaar % 4 == 0) & (jaar % 100 != 0)) | (jaar % 400 == 0)
    lang = 30 + (maand + maand // 8) % 2
    return pl.when(maand == 2).then(28 + schrikkel.cast(pl.Int64)).otherwise(lang)


def dagnummer(jaar: pl.Expr, maand: pl.Expr, dag: pl.Expr) -> pl.Expr:
    """Days since 1970-01-01 of a valid date (the proleptic Gregorian calendar; years
    start in March so the leap day comes last)."""
    j = jaar - (maand <= 2).cast(pl.Int64)
    era = j // 400
    jaar_in_era = j - era * 400
    dag_in_jaar = (153 * ((maand + 9) % 12) + 2) // 5 + dag - 1
    dag_in_era = jaar_in_era * 365 + jaar_in_era // 4 - jaar_in_era // 100 + dag_in_jaar
    return era * 146097 + dag_in_era - 719468


def _periode(functie: Callable[[pl.Expr, pl.Expr], pl.Expr]) -> Implementatie:
    def implementatie(_: PolarsCompiler, args: list[Kolomwaarde], type_: ir.Type) -> Kolomwaarde:
        return _getal(functie(args[0].teller, args[1].teller), type_)

    return implementatie


def _onderdeel(deel: Callable[[pl.Expr], pl.Expr]) -> Implementatie:
    def implementatie(_: PolarsCompiler, args: list[Kolomwaarde], type_: ir.Type) -> Kolomwaarde:
        return _getal(deel(args[0].teller), type_)

    return implementatie


def _eerste_dag(_: PolarsCompiler, args: list[Kolomwaarde], __: ir.Type) -> Kolomwaarde:
    return _datum(args[0].teller.dt.month_start())


def _laatste_dag(_: PolarsCompiler, args: list[Kolomwaarde], __: ir.Type) -> Kolomwaarde:
    return _datum(args[0].teller.dt.month_end())


def _plus_dagen(_: PolarsCompiler, args: list[Kolomwaarde], __: ir.Type) -> Kolomwaarde:
    return _datum((_dag(args[0].teller) + r.heel(args[1])).cast(pl.Int32).cast(pl.Date))


def _plus_maanden(vertaler: PolarsCompiler, args: list[Kolomwaarde], __: ir.Type) -> Kolomwaarde:
    return _datum(plus_maanden(args[0].teller, r.heel(args[1]), vertaler))


def _vroegste(_: PolarsCompiler, args: list[Kolomwaarde], __: ir.Type) -> Kolomwaarde:
    return _datum(pl.min_horizontal(args[0].teller, args[1].teller))


def _laatste(_: PolarsCompiler, args: list[Kolomwaarde], __: ir.Type) -> Kolomwaarde:
    return _datum(pl.max_horizontal(args[0].teller, args[1].teller))


# ---------------------------------------------------------------- numbers and texts


def _kies(kleinste: bool) -> Implementatie:
    def implementatie(_: PolarsCompiler, args: list[Kolomwaarde], type_: ir.Type) -> Kolomwaarde:
        a, b = r.gelijke_eenheid(args[0], args[1])
        eerste = r.vergelijk("<=" if kleinste else ">=", a, b)
        leeg = ~(a.bekend() & b.bekend())
        teller = pl.when(leeg).then(None).when(eerste).then(a.teller).otherwise(b.teller)
        noemer = None
        if a.noemer is not None or b.noemer is not None:
            noemer = pl.when(eerste).then(a.noemer_expr).otherwise(b.noemer_expr)
        return r.getal(teller, noemer, a.type if a.type.eenheid else type_)

    return implementatie


def _bekend(_: PolarsCompiler, args: list[Kolomwaarde], __: ir.Type) -> Kolomwaarde:
    return r.waarheid(args[0].bekend())


def elfproef(bsn: pl.Expr, vertaler: PolarsCompiler | None = None) -> pl.Expr:
    """Nine digits and 9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by 11 (and not 0).

    Integer arithmetic on the number instead of a digit per slice (slow) or a regular
    expression: nine bytes that parse as an unsigned number without a sign are nine ASCII
    digits. With q(k) = number // 10**k the weighted sum telescopes to
    -q(0) + 12*q(1) + (1 - 9k)*q(k) for k = 2..8: a third of the operations of digit by
    digit. With a `vertaler` the number and the sum are helper columns, computed once."""
    vorm = (bsn.str.len_bytes() == 9) & ~bsn.str.starts_with("+")
    getal: pl.Expr = pl.when(vorm).then(bsn.cast(pl.UInt64, strict=False).cast(pl.Int64))
    if vertaler is not None:
        getal = vertaler.hulpkolom(r.getal(getal, None, ir.Type("getal"))).teller
    delen = [getal * -1, getal // 10 * 12] + [getal // 10**k * (1 - 9 * k) for k in range(2, 9)]
    som: pl.Expr = pl.when(getal.is_not_null()).then(pl.sum_horizontal(delen))
    if vertaler is not None:
        som = vertaler.hulpkolom(r.getal(som, None, ir.Type("getal"))).teller
    return pl.when(som.is_not_null()).then((som % 11 == 0) & (som != 0)).when(
        bsn.is_not_null()).then(False)


def _elfproef(vertaler: PolarsCompiler, args: list[Kolomwaarde], __: ir.Type) -> Kolomwaarde:
    return r.waarheid(elfproef(args[0].teller, vertaler))


def _begint_met(_: PolarsCompiler, args: list[Kolomwaarde], __: ir.Type) -> Kolomwaarde:
    return r.waarheid(args[0].teller.str.starts_with(args[1].teller))


def _eerste_tekens(_: PolarsCompiler, args: list[Kolomwaarde], __: ir.Type) -> Kolomwaarde:
    return _tekst(args[0].teller.str.head(r.heel(args[1]).clip(lower_bound=0)))


def uren_uit_minuten(teller: pl.Expr, noemer: pl.Expr) -> pl.Expr:
    """Whole hours: a rest under 30 minutes down, 30 or more up, at least 1."""
    zestig = noemer * 60
    uren = teller // zestig
    rest = teller - uren * zestig
    afgerond = pl.when(2 * rest >= zestig).then(uren + 1).otherwise(uren)
    minstens_een = pl.max_horizontal(afgerond, pl.lit(1, dtype=pl.Int64))
    return pl.when(teller.is_null()).then(None).otherwise(minstens_een)


def _uren_uit_minuten(_: PolarsCompiler, args: list[Kolomwaarde], type_: ir.Type) -> Kolomwaarde:
    return _getal(uren_uit_minuten(args[0].teller, args[0].noemer_expr), type_)


def _centen(_: PolarsCompiler, args: list[Kolomwaarde], type_: ir.Type) -> Kolomwaarde:
    return r.getal(args[0].teller, args[0].noemer, type_)


# ---------------------------------------------------------------- absences


def _afwezige_dagen(
    vertaler: PolarsCompiler, args: list[Kolomwaarde], type_: ir.Type
) -> Kolomwaarde:
    return afwezigheid(vertaler, args[0], args[1], None, None, type_)


def _vergoede_afwezige_dagen(
    vertaler: PolarsCompiler, args: list[Kolomwaarde], type_: ir.Type
) -> Kolomwaarde:
    return afwezigheid(vertaler, args[0], args[1], args[2], args[3], type_)


FUNCTIES_POLARS: dict[str, Implementatie] = {
    "dagen": _periode(dagen),
    "isoweken": _periode(isoweken),
    "zondagen": _periode(zondagen),
    "maanden": _periode(maanden),
    "weekdag": _onderdeel(lambda d: d.dt.weekday()),
    "maand": _onderdeel(lambda d: d.dt.month()),
    "kwartaal": _onderdeel(lambda d: d.dt.quarter()),
    "jaar": _onderdeel(lambda d: d.dt.year()),
    "isoweek": _onderdeel(lambda d: d.dt.week()),
    "eerste_dag_van_maand": _eerste_dag,
    "laatste_dag_van_maand": _laatste_dag,
    "plus_dagen": _plus_dagen,
    "plus_maanden": _plus_maanden,
    "vroegste": _vroegste,
    "laatste": _laatste,
    "kleinste": _kies(kleinste=True),
    "grootste": _kies(kleinste=False),
    "bekend": _bekend,
    "elfproef": _elfproef,
    "begint_met": _begint_met,
    "eerste_tekens": _eerste_tekens,
    "afwezige_dagen": _afwezige_dagen,
    "vergoede_afwezige_dagen": _vergoede_afwezige_dagen,
    "uren_uit_minuten": _uren_uit_minuten,
    "centen": _centen,
}
"""Name -> implementation; `tests/backends/test_vectorized_functies.py` checks none is missing."""
