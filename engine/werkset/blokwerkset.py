"""The werkset of some messages of a block in one round: the block's rows of those messages
with the history columns as the block's history (`Blokstand`) has them now, and for a
second pass after the message's own approved credits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from engine.werkset.bericht import Verrekening
from engine.werkset.blok import Blok
from engine.werkset.blokstand import Blokstand
from engine.werkset.kolommen import SCHEMA


@dataclass(slots=True)
class Deel:
    """A message of the block in a werkset: first pass, or (with the approved credits of
    its own) the second pass of its debits."""

    bericht: int
    verrekening: Verrekening | None = None


def blokwerkset(blok: Blok, stand: Blokstand, delen: Sequence[Deel]) -> pl.DataFrame:
    """The werkset of these messages of the block, `bericht` numbering the `delen` in order
    (first passes, then second passes, each in block order), with the history columns as
    `stand` has them now; followed by `BLOKKOLOMMEN` (select `SCHEMA` for a backend)."""
    eerste = [d for d in delen if d.verrekening is None]
    tweede = [d for d in delen if d.verrekening is not None]
    frames = [_delen_frame(blok, stand, groep, nummer) for groep, nummer in
              ((eerste, 0), (tweede, len(eerste))) if groep]
    frame = frames[0] if len(frames) == 1 else pl.concat(frames)
    return frame.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("rij"),
        *[pl.col(naam).cast(dtype) for naam, dtype in SCHEMA.items() if naam != "rij"],
        *BLOKKOLOMMEN)


BLOKKOLOMMEN = ("_pos", "_bericht", "_gid", "_kid", "_gevolgd")
"""What `blokwerkset` adds after the werkset's own columns (`SCHEMA`), for recording."""


def _delen_frame(blok: Blok, stand: Blokstand, delen: list[Deel], eerste: int) -> pl.DataFrame:
    """The rows of these messages (numbered from `eerste`) with their history columns."""
    nummers = [-1] * len(blok.declaraties)
    for i, deel in enumerate(delen):
        nummers[deel.bericht] = eerste + i
    bericht = pl.Series("bericht", nummers, dtype=pl.Int64).gather(blok.frame["_bericht"])
    rijen = blok.frame.with_columns(bericht).filter(pl.col("bericht") >= 0)
    volume = stand.volume.gather(rijen["_gid"])
    bedrag = stand.bedrag.gather(rijen["_gid"])
    open_ = stand.open.gather(rijen["_kid"])
    rijen = rijen.with_columns(volume.alias("eerder_goedgekeurd_volume"),
                               bedrag.alias("eerder_goedgekeurd_bedrag"), open_.alias("_open"),
                               *_credit_kolommen(blok, stand, delen, rijen.height))
    if delen[0].verrekening is not None:
        rijen = _na_eigen_credits(blok, stand, delen, eerste, rijen)
    return rijen.with_columns((~pl.col("is_credit") & (pl.col("_open") > 0)).alias("open_debet"))


def _credit_kolommen(
    blok: Blok, stand: Blokstand, delen: list[Deel], aantal: int
) -> list[pl.Series]:
    """debet_bekend / debet_al_gecrediteerd for the credit lines, by VorigReferentieNummer."""
    posities: list[int] = []
    al: list[bool] = []
    begin = 0
    for deel in delen:
        aanbieder = blok.declaraties[deel.bericht].aanbieder
        for rij, vorig in blok.credits[deel.bericht]:
            debet = stand.debet(aanbieder, vorig)
            if debet is not None:
                posities.append(begin + rij)
                al.append(not debet.open)
        begin += blok.begin[deel.bericht + 1] - blok.begin[deel.bericht]
    bekend = pl.Series("debet_bekend", [False] * aantal, dtype=pl.Boolean)
    gecrediteerd = pl.Series("debet_al_gecrediteerd", [False] * aantal, dtype=pl.Boolean)
    if posities:
        bekend = bekend.scatter(posities, True)
        gecrediteerd = gecrediteerd.scatter(posities, pl.Series(al, dtype=pl.Boolean))
    return [bekend, gecrediteerd]


def _na_eigen_credits(
    blok: Blok, stand: Blokstand, delen: list[Deel], eerste: int, rijen: pl.DataFrame
) -> pl.DataFrame:
    """The totals and open debits as the message's debits see them after its own approved
    credits: those lower the totals per allocation and clear the debits they refer to."""
    totalen: list[tuple[int, str, int, int]] = []
    gewist: dict[tuple[int, int], int] = {}
    for i, deel in enumerate(delen, eerste):
        verrekening = deel.verrekening
        assert verrekening is not None
        totalen += [(i, nummer, g.volume, g.bedrag)
                    for nummer, g in verrekening.per_toewijzing.items()]
        aanbieder = blok.declaraties[deel.bericht].aanbieder
        for nummer in verrekening.gecrediteerd:
            debet = stand.debet(aanbieder, nummer)
            if debet is not None and debet.kid >= 0:
                gewist[(i, debet.kid)] = gewist.get((i, debet.kid), 0) + 1
    credit = pl.DataFrame(totalen, orient="row", schema={
        "bericht": pl.Int64(), "toewijzingnummer": pl.String(), "_cv": pl.Int64(),
        "_cb": pl.Int64()})
    wis = pl.DataFrame([(i, kid, n) for (i, kid), n in gewist.items()], orient="row",
                       schema={"bericht": pl.Int64(), "_kid": pl.Int64(), "_cw": pl.Int64()})
    rijen = rijen.join(credit, on=["bericht", "toewijzingnummer"], how="left",
                       maintain_order="left").join(wis, on=["bericht", "_kid"], how="left",
                                                   maintain_order="left")
    return rijen.with_columns(
        (pl.col("eerder_goedgekeurd_volume") + pl.col("_cv").fill_null(0)),
        (pl.col("eerder_goedgekeurd_bedrag") + pl.col("_cb").fill_null(0)),
        (pl.col("_open") - pl.col("_cw").fill_null(0)),
    ).drop("_cv", "_cb", "_cw")
