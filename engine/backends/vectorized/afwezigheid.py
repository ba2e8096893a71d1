"""`afwezige_dagen` and `vergoede_afwezige_dagen` over the werkset's `afwezigheden` column.

Only rows with absences take part: their periods are exploded, merged where they overlap
or touch (an 'aaneengesloten' absence), clipped to a..b, summed per row and joined back.
A row without absences gets 0; a row where a, b (or grens, maximum) is empty gets empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from engine import ir
from engine.backends.vectorized import rationaal as r
from engine.backends.vectorized.rationaal import Kolomwaarde

if TYPE_CHECKING:
    from engine.backends.vectorized.compiler import PolarsCompiler


def afwezigheid(
    vertaler: PolarsCompiler,
    a: Kolomwaarde,
    b: Kolomwaarde,
    grens: Kolomwaarde | None,
    maximum: Kolomwaarde | None,
    type_: ir.Type,
) -> Kolomwaarde:
    """Absent days in a..b, or (with grens and maximum) the reimbursed absent days."""
    naam = vertaler.nieuwe_naam("afw")
    argumenten = [a, b] + [w for w in (grens, maximum) if w is not None]
    bekend = pl.all_horizontal([w.bekend() for w in argumenten])
    invoer = [
        a.teller.cast(pl.Int64).alias("_a"),
        b.teller.cast(pl.Int64).alias("_b"),
        (r.heel(grens) if grens is not None else pl.lit(None, dtype=pl.Int64)).alias("_g"),
        (r.heel(maximum) if maximum is not None else pl.lit(None, dtype=pl.Int64)).alias("_m"),
    ]
    vergoed = grens is not None

    def stap(frame: pl.DataFrame, geheugen: dict[str, Any]) -> pl.DataFrame:
        perioden: pl.DataFrame | None = geheugen.get(_PERIODEN)
        if perioden is None:
            perioden = geheugen[_PERIODEN] = _perioden(frame)
        aantal = pl.zeros(frame.height, dtype=pl.Int64, eager=True)
        if perioden.height:
            rijen = _met_positie(frame).filter(_HEEFT).select(_POS, *invoer)
            dagen = _vergoede_dagen() if vergoed else _overlap(pl.col("van"), pl.col("tot"))
            som = (
                perioden.lazy().join(rijen.lazy(), on=_POS, how="inner")
                .group_by(_POS).agg(dagen.sum().alias(naam)).collect()
            )
            aantal = aantal.scatter(som[_POS], som[naam])
        return frame.with_columns(pl.when(bekend).then(pl.lit(aantal)).otherwise(None).alias(naam))

    vertaler.stap(stap, [*invoer, bekend, pl.col("afwezigheden")])
    return r.getal(pl.col(naam), None, type_)


_PERIODEN = "afwezigheid.perioden"
_POS = "_afw_pos"
_HEEFT = pl.col("afwezigheden").list.len() > 0


def _met_positie(frame: pl.DataFrame) -> pl.LazyFrame:
    return frame.lazy().with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias(_POS))


def _perioden(frame: pl.DataFrame) -> pl.DataFrame:
    """The merged absence periods (day numbers) of every row that has any, by the row's
    position: computed once per werkset, shared by every absence function of the plan."""
    perioden = (
        _met_positie(frame).select(_POS, "afwezigheden").filter(_HEEFT)
        .explode("afwezigheden").unnest("afwezigheden")
    )
    return _samengevoegd(perioden).collect()


_RIJ = 10_000_000
"""Day numbers + _VERSCHUIVING stay below this, so pos * _RIJ + day orders by row, then day."""
_VERSCHUIVING = 1_000_000


def _samengevoegd(perioden: pl.LazyFrame) -> pl.LazyFrame:
    """Merge overlapping or adjacent periods per row (day numbers, inclusive).

    Without a window per row: on keys pos * _RIJ + day the running maximum of the ends
    restarts by itself at every new row, because every key of a later row is larger."""
    perioden = perioden.with_columns(
        pl.col("van").cast(pl.Int64), pl.col("tot").cast(pl.Int64)
    ).filter(pl.col("van") <= pl.col("tot")).sort([_POS, "van"])
    basis = pl.col(_POS) * _RIJ + _VERSCHUIVING
    vorige = (basis + pl.col("tot")).cum_max().shift(1)
    nieuw = vorige.is_null() | (basis + pl.col("van") > vorige + 1)
    return (
        perioden.with_columns(nieuw.cum_sum().alias("_groep"))
        .group_by(_POS, "_groep")
        .agg(pl.col("van").min(), pl.col("tot").max())
        .select(_POS, "van", "tot")
    )


def _overlap(van: pl.Expr, tot: pl.Expr) -> pl.Expr:
    """Days of van..tot that fall in a..b."""
    begin = pl.max_horizontal(van, pl.col("_a"))
    eind = pl.min_horizontal(tot, pl.col("_b"))
    return (eind - begin + 1).clip(lower_bound=0)


def _vergoede_dagen() -> pl.Expr:
    """Of each absence longer than grens, its first `maximum` days, inside a..b."""
    lengte = pl.col("tot") - pl.col("van") + 1
    vergoed_tot = pl.min_horizontal(pl.col("tot"), pl.col("van") + pl.col("_m") - 1)
    return pl.when(lengte > pl.col("_g")).then(_overlap(pl.col("van"), vergoed_tot)).otherwise(0)
