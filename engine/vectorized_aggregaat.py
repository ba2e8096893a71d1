"""`Aggregaat` in the vectorized backend: window expressions over the groep (+ period).

Whole-number values (volumes, cents: the common case) use Polars windows; a value that is a
fraction falls back to exact Python arithmetic per group (rare, still exact).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import polars as pl

from engine import ir
from engine import rationaal as r
from engine.rationaal import Kolomwaarde

if TYPE_CHECKING:
    from engine.vectorized import Vertaler

_DEBET_VELDEN = {"debet_credit", "is_credit"}

BERICHTKOLOMMEN = (
    "aanbieder", "gemeente", "declaratienummer", "declaratie_begindatum",
    "declaratie_einddatum", "declaratiedagtekening",
)
"""Header columns: constant within a message, so grouping by `bericht` covers them."""


def periodesleutel(periode: ir.Periode, datum: pl.Expr) -> pl.Expr | None:
    """A number that is equal for dates in the same period (None: the whole message)."""
    jaar = datum.dt.year().cast(pl.Int64)
    if periode == "maand":
        return jaar * 12 + datum.dt.month().cast(pl.Int64)
    if periode == "isoweek":
        return datum.dt.iso_year().cast(pl.Int64) * 100 + datum.dt.week().cast(pl.Int64)
    if periode == "kwartaal":
        return jaar * 4 + datum.dt.quarter().cast(pl.Int64)
    if periode == "jaar":
        return jaar
    return None


def noemt_debet_credit(expr: ir.Expr | None) -> bool:
    """Does a filter say something about debit/credit (then it alone decides)?"""
    return any(isinstance(deel, ir.Veld) and deel.naam in _DEBET_VELDEN for deel in _delen(expr))


def _delen(expr: Any) -> Iterator[Any]:
    if expr is None:
        return
    yield expr
    if isinstance(expr, tuple):
        for deel in expr:
            yield from _delen(deel)
        return
    for naam in getattr(expr, "__slots__", ()):
        waarde = getattr(expr, naam)
        if isinstance(waarde, tuple) or hasattr(waarde, "__slots__"):
            yield from _delen(waarde)


def aggregaat(vertaler: Vertaler, expr: ir.Aggregaat) -> Kolomwaarde:
    sleutels: list[pl.Expr] = [
        pl.col(g) for g in expr.groep if not (vertaler.per_bericht and g in BERICHTKOLOMMEN)
    ]
    if vertaler.per_bericht:
        sleutels.insert(0, pl.col("bericht"))
    periode = periodesleutel(expr.periode, pl.col("begindatum"))
    if periode is not None:
        sleutels.append(periode)
    if len(sleutels) > 1:
        sleutels = [_groepnummer(vertaler, (expr.groep, expr.periode), sleutels)]
    deelname = pl.lit(True)
    if expr.filter is not None:
        deelname = vertaler.voorwaarde(expr.filter)
    if not noemt_debet_credit(expr.filter):
        deelname = deelname & (pl.col("debet_credit") == "D").fill_null(False)
    type_ = vertaler.type_van(expr)
    if expr.functie == "aantal" or expr.expr is None:
        return vertaler.hulpkolom(r.getal(_over(deelname.cast(pl.Int64).sum(), sleutels),
                                          None, type_))
    waarde = vertaler.vertaal(expr.expr)
    if waarde.noemer is not None:
        return _exact(vertaler, expr.functie, waarde, deelname, sleutels, type_)
    return vertaler.hulpkolom(_venster(expr.functie, waarde, deelname, sleutels, type_))


def _groepnummer(vertaler: Vertaler, sleutel: Any, sleutels: list[pl.Expr]) -> pl.Expr:
    """One whole number per group (dense rank of the key tuple), computed once per distinct
    grouping and shared by its aggregates: a window over one integer column is several
    times faster than over several (text) columns, and the groups are the same."""
    if sleutel not in vertaler.groepnummers:
        velden = [s.alias(f"_k{i}") for i, s in enumerate(sleutels)]
        nummer = pl.struct(velden).rank("dense").cast(pl.Int64)
        vertaler.groepnummers[sleutel] = vertaler.hulpkolom(r.getal(nummer, None, ir.Type("getal")))
    return vertaler.groepnummers[sleutel].teller


def _over(agg: pl.Expr, sleutels: list[pl.Expr]) -> pl.Expr:
    return agg.over(sleutels) if sleutels else agg


def _venster(
    functie: str, waarde: Kolomwaarde, deelname: pl.Expr, sleutels: list[pl.Expr], type_: ir.Type
) -> Kolomwaarde:
    mee = pl.when(deelname).then(waarde.teller)
    if functie == "som":
        return r.getal(_over(mee.sum(), sleutels), None, type_)
    if functie == "maximum":
        return r.getal(_over(mee.max(), sleutels), None, type_)
    if functie == "minimum":
        return r.getal(_over(mee.min(), sleutels), None, type_)
    aantal = _over((deelname & waarde.bekend()).cast(pl.Int64).sum(), sleutels)
    teller = pl.when(aantal > 0).then(_over(mee.sum(), sleutels))
    return r.getal(teller, pl.when(aantal > 0).then(aantal), type_)


def _exact(
    vertaler: Vertaler,
    functie: str,
    waarde: Kolomwaarde,
    deelname: pl.Expr,
    sleutels: list[pl.Expr],
    type_: ir.Type,
) -> Kolomwaarde:
    """Fractions: scaled to a common denominator (the lcm of the ones present) when that fits
    in Int64, so the window stays vectorized; otherwise exact Python per group."""
    naam = vertaler.nieuwe_naam("agg")
    invoer = [
        *[s.alias(f"_s{i}") for i, s in enumerate(sleutels)],
        deelname.alias("_mee"), waarde.teller.alias("_t"), waarde.noemer_expr.alias("_n"),
    ]

    def stap(frame: pl.DataFrame, _: dict[str, Any]) -> pl.DataFrame:
        hulp = frame.select(invoer)
        noemer = _gemeen(hulp)
        if noemer is not None:
            geschaald = r.getal(pl.col("_t") * (noemer // pl.col("_n")), None, type_)
            venster = _venster(functie, geschaald, pl.col("_mee"),
                               [pl.col(f"_s{i}") for i in range(len(sleutels))], type_)
            uit = hulp.select(
                venster.teller.alias(naam),
                (venster.noemer_expr * noemer).alias(f"{naam}_n"),
            )
            return frame.with_columns(uit[naam], uit[f"{naam}_n"])
        uit = _per_groep(functie, hulp, len(sleutels))
        return frame.with_columns(uit["_t"].alias(naam), uit["_n"].alias(f"{naam}_n"))

    vertaler.stap(stap)
    return r.getal(pl.col(naam), pl.col(f"{naam}_n"), type_)


def _gemeen(hulp: pl.DataFrame) -> int | None:
    """The lcm of the denominators, if every scaled sum stays well inside Int64."""
    noemers = [int(n) for n in hulp["_n"].drop_nulls().unique().to_list() if n]
    noemer = math.lcm(*noemers) if noemers else 1
    grootste: Any = hulp["_t"].abs().max()
    grens = 2**62 // max(1, hulp.height)
    if grootste is None:
        return noemer
    return noemer if noemer * int(grootste) < grens else None


def _per_groep(functie: str, hulp: pl.DataFrame, breedte: int) -> pl.DataFrame:
    """Exact per group: Polars first sums (or takes the extremes of) the numerators per
    group and denominator, Python then adds those few fractions; joined back per row."""
    sleutels = [f"_s{i}" for i in range(breedte)]
    mee = hulp.filter(pl.col("_mee") & pl.col("_t").is_not_null() & pl.col("_n").is_not_null())
    per_noemer = mee.group_by([*sleutels, "_n"]).agg(
        pl.col("_t").sum().alias("som"), pl.col("_t").max().alias("max"),
        pl.col("_t").min().alias("min"), pl.len().alias("aantal"),
    )
    delen: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for rij in per_noemer.iter_rows():
        delen.setdefault(rij[:breedte], []).append(rij[breedte:])
    groepen = [(*sleutel, *_als_paar(_combineer(functie, d))) for sleutel, d in delen.items()]
    uitkomst = pl.DataFrame(
        groepen, orient="row",
        schema={**{k: hulp.schema[k] for k in sleutels}, "_t": pl.Int64(), "_n": pl.Int64()},
    )
    if not sleutels:
        leeg = (0, 1) if functie == "som" else (None, None)
        waarde = groepen[0][-2:] if groepen else leeg
        return hulp.select(pl.lit(waarde[0], dtype=pl.Int64).alias("_t"),
                           pl.lit(waarde[1], dtype=pl.Int64).alias("_n"))
    samen = hulp.select(sleutels).join(uitkomst, on=sleutels, how="left",
                                       maintain_order="left", nulls_equal=True)
    if functie == "som":
        samen = samen.with_columns(pl.col("_t").fill_null(0), pl.col("_n").fill_null(1))
    return samen


def _combineer(functie: str, delen: list[tuple[Any, ...]]) -> Fraction | None:
    """delen: (noemer, som, max, min, aantal) per denominator of one group."""
    if functie == "maximum":
        return max(Fraction(d[2], d[0]) for d in delen)
    if functie == "minimum":
        return min(Fraction(d[3], d[0]) for d in delen)
    som = sum((Fraction(d[1], d[0]) for d in delen), Fraction(0))
    if functie == "som":
        return som
    return som / int(sum(d[4] for d in delen))


_INT64 = 2**63


def _als_paar(waarde: Fraction | None) -> tuple[int | None, int | None]:
    """Numerator and denominator; a value beyond Int64 (never in real declarations) is empty."""
    if waarde is None or abs(waarde.numerator) >= _INT64 or waarde.denominator >= _INT64:
        return (None, None)
    return (waarde.numerator, waarde.denominator)
