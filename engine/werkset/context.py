"""The context as frames: the allocations in force and the merged absence periods, built once
per context (cached while the same objects are handed in) and joined into every werkset."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from operator import attrgetter

import polars as pl

from engine.model import Afwezigheid, Context, Toewijzing
from engine.werkset.kolommen import AFWEZIGHEID_TYPE, SCHEMA, TOEWIJZINGKOLOMMEN, Dagen

_TOEWIJZING_CACHE: dict[int, tuple[dict[str, Toewijzing], int, pl.DataFrame]] = {}
_VERTROUWD: dict[int, tuple[dict[str, Toewijzing], pl.DataFrame]] = {}


@contextlib.contextmanager
def vaste_toewijzingen(toewijzingen: dict[str, Toewijzing]) -> Iterator[None]:
    """While the pipeline assesses a block (and does not change the allocations), their
    frame is made once, not re-checked for every werkset of the block."""
    frame = toewijzing_frame(toewijzingen)
    _VERTROUWD[id(toewijzingen)] = (toewijzingen, frame)
    try:
        yield
    finally:
        _VERTROUWD.pop(id(toewijzingen), None)


def toewijzing_frame(toewijzingen: dict[str, Toewijzing]) -> pl.DataFrame:
    """All allocations in force as a frame (cached while the dict holds the same objects)."""
    vertrouwd = _VERTROUWD.get(id(toewijzingen))
    if vertrouwd is not None and vertrouwd[0] is toewijzingen:
        return vertrouwd[1]
    vingerafdruk = hash(tuple(map(id, toewijzingen.values())))
    bewaard = _TOEWIJZING_CACHE.get(id(toewijzingen))
    if bewaard is not None and bewaard[0] is toewijzingen and bewaard[1] == vingerafdruk:
        return bewaard[2]
    if len(_TOEWIJZING_CACHE) > 8:
        _TOEWIJZING_CACHE.clear()
    frame = _toewijzing_frame(list(toewijzingen.values()))
    _TOEWIJZING_CACHE[id(toewijzingen)] = (toewijzingen, vingerafdruk, frame)
    return frame


def _toewijzing_frame(lijst: list[Toewijzing]) -> pl.DataFrame:
    """Column by column through attrgetter; dates through their day number, each distinct
    date converted once."""
    kolommen = [pl.Series(naam, list(map(attrgetter(veld), lijst)), dtype=pl.String())
                for naam, veld in (("toewijzingnummer", "toewijzingnummer"),
                                   ("_aanbieder", "aanbieder"))]
    dagen = Dagen()
    for naam in TOEWIJZINGKOLOMMEN:
        veld = naam.removeprefix("toewijzing_")
        if SCHEMA[naam] == pl.Date():
            nummers = list(map(dagen.__getitem__, map(attrgetter(veld), lijst)))
            kolommen.append(pl.Series(naam, nummers, dtype=pl.Int32).cast(pl.Date))
        else:
            kolommen.append(pl.Series(naam, list(map(attrgetter(veld), lijst)),
                                      dtype=SCHEMA[naam]))
    return pl.DataFrame(kolommen).with_columns(
        pl.lit(True).alias("toewijzing_bekend"),
        (pl.col("toewijzing_reden_wijziging") == "13").fill_null(False)
        .alias("toewijzing_verwijderd"),
    ).select("toewijzingnummer", "_aanbieder", "toewijzing_bekend", "toewijzing_verwijderd",
             *TOEWIJZINGKOLOMMEN)


_AFWEZIGHEID_CACHE: dict[int, tuple[tuple[Afwezigheid, ...], pl.DataFrame]] = {}


def afwezigheden_frame(context: Context) -> pl.DataFrame:
    """Absence periods per (bsn, toewijzingnummer), merged where they overlap or touch."""
    bron = context.afwezigheden
    bewaard = _AFWEZIGHEID_CACHE.get(id(bron))
    if bewaard is None or bewaard[0] is not bron:
        if len(_AFWEZIGHEID_CACHE) > 8:
            _AFWEZIGHEID_CACHE.clear()
        bewaard = (bron, _afwezigheid_frame(bron))
        _AFWEZIGHEID_CACHE[id(bron)] = bewaard
    return bewaard[1]


def _afwezigheid_frame(afwezigheden: Iterable[Afwezigheid]) -> pl.DataFrame:
    """The periods per key with overlapping or adjacent ones merged ('aaneengesloten'), in
    Polars: sorted by start, a period starts a new run when it begins more than a day after
    every earlier one ended."""
    lijst = list(afwezigheden)
    dagen = Dagen()
    plat = pl.DataFrame([
        pl.Series("bsn", list(map(attrgetter("bsn"), lijst)), dtype=pl.String),
        pl.Series("toewijzingnummer", list(map(attrgetter("toewijzingnummer"), lijst)),
                  dtype=pl.String),
        *[pl.Series(naam, list(map(dagen.__getitem__, map(attrgetter(naam), lijst))),
                    dtype=pl.Int32) for naam in ("van", "tot")],
    ]).filter(pl.col("van") <= pl.col("tot")).sort("bsn", "toewijzingnummer", "van", "tot")
    sleutel = ["bsn", "toewijzingnummer"]
    andere = pl.any_horizontal([pl.col(k) != pl.col(k).shift(1) for k in sleutel]).fill_null(True)
    # the latest end so far within the key, without a window: keys are sorted, so a
    # running maximum of (key number, end) packed into one integer stays within the key
    verpakt = pl.col("_groep").cast(pl.Int64) * 2**32 + pl.col("tot")
    einde = pl.when(~andere).then(verpakt.cum_max().shift(1) - pl.col("_groep") * 2**32)
    nieuw = einde.is_null() | (pl.col("van") > einde + 1)
    return (
        plat.with_columns(andere.cum_sum().alias("_groep"))
        .with_columns(nieuw.cum_sum().alias("_run"))
        .group_by(*sleutel, "_run", maintain_order=True)
        .agg(pl.col("van").first().cast(pl.Date), pl.col("tot").max().cast(pl.Date))
        .group_by(*sleutel, maintain_order=True)
        .agg(pl.struct("van", "tot").alias("afwezigheden"))
        .with_columns(pl.col("afwezigheden").cast(AFWEZIGHEID_TYPE))
    )


# ---------------------------------------------------------------- a block of messages at once
