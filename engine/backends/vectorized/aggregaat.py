"""`Aggregaat` in the vectorized backend: a step per aggregate over the rows grouped by
groep (+ period), the grouping computed once per werkset (`engine.backends.vectorized.groep`).

Whole-number values (volumes, cents: the common case) are summed as whole numbers; fractions
are scaled to a common denominator when that fits in Int64 and otherwise fall back to exact
Python arithmetic per group (rare, still exact).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import polars as pl

from engine import ir
from engine.backends.vectorized import rationaal as r
from engine.backends.vectorized.groep import Groepen, Indeling, Pakking, indeling, venster
from engine.backends.vectorized.rationaal import Kolomwaarde

if TYPE_CHECKING:
    from engine.backends.vectorized.compiler import PolarsCompiler

Groepering = tuple[tuple[str, ...], ir.Periode]
"""The columns of a grouping (with `bericht` first in a werkset of several) and its period."""

_DEBET_VELDEN = {"debet_credit", "is_credit"}
_DEBET = ir.Vergelijking("==", ir.Veld("debet_credit"), ir.Constante("D", ir.TEKST))

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


def aggregaat(vertaler: PolarsCompiler, expr: ir.Aggregaat) -> Kolomwaarde:
    """The aggregate as helper column(s), computed by a step on the grouping's `Indeling`."""
    kolommen = [g for g in expr.groep if not (vertaler.per_bericht and g in BERICHTKOLOMMEN)]
    if vertaler.per_bericht:
        kolommen.insert(0, "bericht")
    sleutels = [pl.col(k) for k in kolommen]
    periode = _periode(vertaler, expr.periode)
    if periode is not None:
        sleutels.append(periode)
    deelname = pl.lit(True)
    if expr.filter is not None:
        deelname = vertaler.voorwaarde(expr.filter)
    if not noemt_debet_credit(expr.filter):
        deelname = deelname & vertaler.voorwaarde(_DEBET)
    type_ = vertaler.type(expr)
    functie = "aantal" if expr.expr is None else expr.functie
    waarde = r.getal(pl.lit(1, dtype=pl.Int64), None, type_)
    if expr.expr is not None and functie != "aantal":
        waarde = vertaler.vertaal(expr.expr)
    naam = vertaler.nieuwe_naam("agg")
    invoer = [deelname.fill_null(False).alias("_mee"), waarde.teller.alias("_t")]
    if waarde.noemer is not None:
        invoer.append(waarde.noemer.alias("_n"))
    groepering = (tuple(kolommen), expr.periode)
    groeperingen = vertaler.groeperingen
    groeperingen[groepering] = sleutels
    vertaler.gebruik[groepering] = vertaler.gebruik.get(groepering, 0) + 1
    gebruik = vertaler.gebruik

    def stap(frame: pl.DataFrame, geheugen: dict[str, Any]) -> pl.DataFrame:
        indeling = _indeling(frame, geheugen, groepering, groeperingen)
        teller, noemer = _bereken(functie, frame.select(invoer), indeling)
        _ruim_op(geheugen, groepering, groeperingen, gebruik)
        nieuw = [teller.alias(naam)]
        if noemer is not None:
            nieuw.append(noemer.alias(f"{naam}_n"))
        return frame.with_columns(nieuw)

    vertaler.stap(stap, [*invoer, *sleutels])
    noemer = pl.col(f"{naam}_n") if waarde.noemer is not None or functie == "gemiddelde" else None
    return r.getal(pl.col(naam), noemer, type_)


def _periode(vertaler: PolarsCompiler, periode: ir.Periode) -> pl.Expr | None:
    """The period key as a helper column (one per period, computed per date)."""
    if periode not in vertaler.periodes:
        sleutel = periodesleutel(periode, pl.col("begindatum"))
        if sleutel is None:
            return None
        vertaler.periodes[periode] = vertaler.hulpkolom(r.getal(sleutel, None, ir.GETAL)).teller
    return vertaler.periodes[periode]


_KLEIN = 20_000
"""Rows up to which a grouping is a Polars window (`Venster`) instead of an `Indeling`."""


def _indeling(
    frame: pl.DataFrame, geheugen: dict[str, Any], groepering: Groepering,
    groeperingen: dict[Groepering, list[pl.Expr]],
) -> Groepen:
    """The grouping, once per werkset: the aggregates of one grouping share it. A grouping
    over a whole message is derived from the same grouping per period where the plan has
    one (computed first if need be)."""
    bewaard: dict[Groepering, tuple[Groepen, Pakking | None]] = geheugen.setdefault(
        "aggregaat.indelingen", {})
    if groepering not in bewaard and frame.height <= _KLEIN:
        bewaard[groepering] = (venster(frame, groeperingen[groepering]), None)
    if groepering not in bewaard:
        fijner = _fijner(groepering, groeperingen)
        if fijner is not None:
            fijn, pakking = _indeling(frame, geheugen, fijner, groeperingen), \
                bewaard[fijner][1]
            if (isinstance(fijn, Indeling) and fijn.volgorde is not None and pakking is not None
                    and not pakking.gehasht):
                bewaard[groepering] = (fijn.grover(pakking.bits[-1]), None)
                return bewaard[groepering][0]
        bewaard[groepering] = indeling(frame, groeperingen[groepering],
                                       geheugen.setdefault("getallen", {}))
    return bewaard[groepering][0]


def _fijner(groepering: Groepering, groeperingen: Iterable[Groepering]) -> Groepering | None:
    """For a grouping over whole messages: the same grouping per period, if the plan has one."""
    kolommen, periode = groepering
    if periodesleutel(periode, pl.col("begindatum")) is not None:
        return None
    return next((g for g in groeperingen if g[0] == kolommen
                 and periodesleutel(g[1], pl.col("begindatum")) is not None), None)


def _ruim_op(
    geheugen: dict[str, Any], groepering: Groepering,
    groeperingen: dict[Groepering, list[pl.Expr]], gebruik: dict[Groepering, int],
) -> None:
    """Forget the groupings no later aggregate uses (tens of MiB each at a million rows)."""
    over: dict[Groepering, int] = geheugen.setdefault("aggregaat.over", dict(gebruik))
    over[groepering] -= 1
    bewaard: dict[Groepering, Any] = geheugen["aggregaat.indelingen"]
    nog_af_te_leiden = {_fijner(g, groeperingen) for g in groeperingen
                        if over.get(g, 0) > 0 and g not in bewaard}
    for g in [g for g in bewaard if over.get(g, 0) <= 0 and g not in nog_af_te_leiden]:
        del bewaard[g]


def _bereken(
    functie: str, hulp: pl.DataFrame, indeling: Groepen
) -> tuple[pl.Series, pl.Series | None]:
    """Numerator and denominator per row; hulp has `_mee` (takes part), `_t` and maybe `_n`."""
    if "_n" not in hulp.columns:
        return _venster(functie, hulp["_mee"], hulp["_t"], indeling)
    noemer = _gemeen(hulp)
    if noemer is None:
        return _per_groep(functie, hulp, indeling)
    geschaald = hulp.select(pl.col("_t") * (noemer // pl.col("_n"))).to_series()
    teller, aantal = _venster(functie, hulp["_mee"], geschaald, indeling)
    if aantal is None:
        return teller, pl.repeat(noemer, hulp.height, dtype=pl.Int64, eager=True)
    return teller, aantal * noemer


def _venster(
    functie: str, mee: pl.Series, waarde: pl.Series, indeling: Groepen
) -> tuple[pl.Series, pl.Series | None]:
    """Whole numbers: the group's count, sum, extreme or (sum, count) for an average."""
    if functie == "aantal":
        return indeling.som(mee.cast(pl.Int64)), None
    if functie in ("maximum", "minimum"):
        return indeling.extreem(pl.select(pl.when(mee).then(waarde)).to_series(), functie), None
    # 0 where a row takes no part: a sum without empty values needs no filling
    som = indeling.som(pl.select(pl.when(mee).then(waarde).otherwise(0)).to_series())
    if functie == "som":
        return som, None
    aantal = indeling.som((mee & waarde.is_not_null()).cast(pl.Int64))
    leeg = aantal == 0
    return som.zip_with(~leeg, pl.repeat(None, som.len(), dtype=pl.Int64, eager=True)), \
        aantal.zip_with(~leeg, pl.repeat(None, som.len(), dtype=pl.Int64, eager=True))


def _gemeen(hulp: pl.DataFrame) -> int | None:
    """The lcm of the denominators, if every scaled sum stays well inside Int64."""
    noemers = [int(n) for n in hulp["_n"].drop_nulls().unique().to_list() if n]
    noemer = math.lcm(*noemers) if noemers else 1
    grootste: Any = hulp["_t"].abs().max()
    grens = 2**62 // max(1, hulp.height)
    if grootste is None:
        return noemer
    return noemer if noemer * int(grootste) < grens else None


def _per_groep(
    functie: str, hulp: pl.DataFrame, indeling: Groepen
) -> tuple[pl.Series, pl.Series]:
    """Exact per group: Polars first sums (or takes the extremes of) the numerators per
    group and denominator, Python then adds those few fractions; spread back per row."""
    mee = hulp.with_columns(indeling.groep.alias("_g")).filter(
        pl.col("_mee") & pl.col("_t").is_not_null() & pl.col("_n").is_not_null())
    per_noemer = mee.group_by("_g", "_n").agg(
        pl.col("_t").sum().alias("som"), pl.col("_t").max().alias("max"),
        pl.col("_t").min().alias("min"), pl.len().alias("aantal"),
    )
    delen: dict[int, list[tuple[Any, ...]]] = {}
    for groep, *deel in per_noemer.iter_rows():
        delen.setdefault(groep, []).append(tuple(deel))
    leeg: tuple[int | None, int | None] = (0, 1) if functie == "som" else (None, None)
    paren = [leeg] * indeling.aantal
    for groep, d in delen.items():
        paren[groep] = _als_paar(_combineer(functie, d))
    tellers = pl.Series([p[0] for p in paren], dtype=pl.Int64)
    noemers = pl.Series([p[1] for p in paren], dtype=pl.Int64)
    return tellers.gather(indeling.groep), noemers.gather(indeling.groep)


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
