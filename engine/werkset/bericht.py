"""The werkset of one message (or of several independent ones) read against a `Historie`:
its lines in order, with header, allocation, history and absences. `Verrekening` hands in
the approved credits of the message itself, so its debits are checked after them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any

import polars as pl

from engine.model import Context, Declaratie, Goedgekeurd, Historie, Prestatie
from engine.werkset.context import afwezigheden_frame, toewijzing_frame
from engine.werkset.kolommen import (
    AFWEZIGHEID_TYPE,
    DATUMS,
    EPOCHE,
    KOPKOLOMMEN,
    PRESTATIEKOLOMMEN,
    SCHEMA,
    TOEWIJZINGKOLOMMEN,
)


@dataclass(slots=True)
class Verrekening:
    """Approved credits of the message itself, applied before its debits are assessed."""

    gecrediteerd: set[str] = field(default_factory=set)
    """ReferentieNummers of earlier debits that an approved credit of this message cleared"""
    per_toewijzing: dict[str, Goedgekeurd] = field(default_factory=dict)
    """approved credit volume and amount per allocation (negative)"""


def maak_werkset(
    declaratie: Declaratie,
    context: Context,
    historie: Historie,
    verrekening: Verrekening | None = None,
) -> pl.DataFrame:
    """The werkset of a message: its lines in order, with allocation, history and absences."""
    return maak_werkset_reeks([declaratie], context, historie, [verrekening])


def maak_werkset_reeks(
    declaraties: Sequence[Declaratie],
    context: Context,
    historie: Historie,
    verrekeningen: Sequence[Verrekening | None] | None = None,
) -> pl.DataFrame:
    """One werkset for several messages at once (column `bericht` = position in
    `declaraties`, `rij` counts over all lines). Each message is read against the history
    as it is now, so the messages must be independent (of different providers)."""
    verrekeningen = verrekeningen or [None] * len(declaraties)
    ver = [v or Verrekening() for v in verrekeningen]
    prestaties = [p for d in declaraties for p in d.prestaties]
    kolommen = _prestatiekolommen(prestaties)
    kolommen["bericht"] = pl.Series(
        "bericht", [i for i, d in enumerate(declaraties) for _ in d.prestaties], dtype=pl.Int64
    )
    frame = pl.DataFrame(kolommen, schema={k: SCHEMA[k] for k in kolommen})
    frame = frame.join(_kopframe(declaraties, historie), on="bericht", how="left",
                       maintain_order="left")
    frame = frame.with_columns(
        pl.Series("eerder_referentienummer",
                  _eerder_gezien(declaraties, historie, kolommen["referentienummer"]),
                  dtype=pl.Boolean),
        (pl.col("debet_credit") == "C").alias("is_credit"),
    )
    frame = _met_debetten(frame, declaraties, historie)
    frame = _met_open_debet(frame, declaraties, historie, ver)
    frame = _met_toewijzingen(frame, declaraties, context, historie, ver)
    frame = frame.join(afwezigheden_frame(context), on=["bsn", "toewijzingnummer"], how="left",
                       maintain_order="left")
    return _afmaken(frame)


def met_verrekening(
    werkset: pl.DataFrame,
    declaraties: Sequence[Declaratie],
    historie: Historie,
    verrekeningen: dict[int, Verrekening],
) -> pl.DataFrame:
    """The rows of the messages in `verrekeningen` (by `bericht`), renumbered in order, with
    open_debet and the approved totals recomputed after those messages' own approved
    credits. Everything else in the rows is as it was."""
    gekozen = sorted(verrekeningen)
    frame = werkset.filter(pl.col("bericht").is_in(gekozen)).drop(
        "open_debet", "eerder_goedgekeurd_volume", "eerder_goedgekeurd_bedrag"
    )
    frame = frame.with_columns(
        pl.col("bericht").replace_strict(gekozen, list(range(len(gekozen))),
                                         return_dtype=pl.Int64),
        pl.int_range(frame.height, dtype=pl.Int64).alias("rij"),
    )
    subset = [declaraties[i] for i in gekozen]
    ver = [verrekeningen[i] for i in gekozen]
    frame = _met_open_debet(frame, subset, historie, ver)
    totalen = _goedgekeurd_frame(subset, historie, ver, _toewijzingnummers(frame, len(subset)))
    frame = frame.join(totalen, on=["bericht", "toewijzingnummer"], how="left",
                       maintain_order="left")
    return _afmaken(frame)


def _afmaken(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col("toewijzing_bekend").fill_null(False),
        pl.col("toewijzing_verwijderd").fill_null(False),
        pl.col("eerder_goedgekeurd_volume").fill_null(0),
        pl.col("eerder_goedgekeurd_bedrag").fill_null(0),
        pl.col("afwezigheden").fill_null(pl.lit([], dtype=AFWEZIGHEID_TYPE)),
    ).select([pl.col(naam).cast(dtype) for naam, dtype in SCHEMA.items()])


def _prestatiekolommen(prestaties: Sequence[Prestatie]) -> dict[str, Any]:
    """The lines' own fields, column by column (dates as day numbers, cast afterwards)."""
    kolommen: dict[str, Any] = {"rij": pl.int_range(len(prestaties), eager=True)}
    for naam in PRESTATIEKOLOMMEN:
        waarden = list(map(attrgetter(naam), prestaties))
        if naam in DATUMS:
            dagen = pl.Series(naam, list(map(date.toordinal, waarden)), dtype=pl.Int64)
            kolommen[naam] = (dagen - EPOCHE).cast(pl.Int32).cast(pl.Date)
        else:
            kolommen[naam] = waarden
    return kolommen


def _kopframe(declaraties: Sequence[Declaratie], historie: Historie) -> pl.DataFrame:
    """Per message: its header fields, whether its number came earlier with other content,
    and the end of the provider's previous declaration period to this gemeente (TR318)."""
    kolommen: dict[str, list[Any]] = {naam: [getattr(d, naam) for d in declaraties]
                                      for naam in KOPKOLOMMEN}
    kolommen["bericht"] = list(range(len(declaraties)))
    kolommen["eerder_declaratienummer"] = [_ander_eerder(d, historie) for d in declaraties]
    kolommen["vorige_declaratieperiode"] = [
        historie.vorige_declaratieperiode(d.aanbieder, d.gemeente) for d in declaraties]
    return pl.DataFrame(kolommen, schema={k: SCHEMA[k] for k in kolommen})


def _ander_eerder(declaratie: Declaratie, historie: Historie) -> bool:
    inhoud = historie.declaratie_inhoud(declaratie.aanbieder, declaratie.declaratienummer)
    return inhoud is not None and inhoud != declaratie.inhoud_sleutel()


def _eerder_gezien(
    declaraties: Sequence[Declaratie], historie: Historie, referentienummers: list[str]
) -> list[bool]:
    gezien: list[bool] = []
    begin = 0
    for d in declaraties:
        nummers = referentienummers[begin : begin + len(d.prestaties)]
        begin += len(nummers)
        bekend = historie.bekende_referentienummers(d.aanbieder, nummers)
        gezien.extend([nummer in bekend for nummer in nummers] if bekend else
                      [False] * len(nummers))
    return gezien


def _met_debetten(
    frame: pl.DataFrame, declaraties: Sequence[Declaratie], historie: Historie
) -> pl.DataFrame:
    """debet_bekend / debet_al_gecrediteerd for credit lines, by VorigReferentieNummer."""
    rijen: list[tuple[int, str, bool]] = []
    for i, d in enumerate(declaraties):
        vorige = {p.vorig_referentienummer for p in d.prestaties
                  if p.debet_credit == "C" and p.vorig_referentienummer}
        if vorige:
            gevonden = historie.debetten(d.aanbieder, sorted(vorige))
            rijen.extend((i, nummer, debet.gecrediteerd) for nummer, debet in gevonden.items())
    gevonden_frame = pl.DataFrame(
        rijen, schema={"bericht": pl.Int64(), "vorig_referentienummer": pl.String(),
                       "debet_al_gecrediteerd": pl.Boolean()}, orient="row",
    ).with_columns(pl.lit(True).alias("debet_bekend"))
    frame = frame.join(gevonden_frame, on=["bericht", "vorig_referentienummer"], how="left",
                       maintain_order="left")
    credit = pl.col("is_credit")
    return frame.with_columns(
        (credit & pl.col("debet_bekend").fill_null(False)).alias("debet_bekend"),
        (credit & pl.col("debet_al_gecrediteerd").fill_null(False)).alias("debet_al_gecrediteerd"),
    )


_OPEN_SLEUTEL = ("toewijzingnummer", "productcode", "begindatum", "einddatum")


def _met_open_debet(
    frame: pl.DataFrame,
    declaraties: Sequence[Declaratie],
    historie: Historie,
    verrekeningen: Sequence[Verrekening],
) -> pl.DataFrame:
    """open_debet for debit lines: an approved, uncredited debit for the same allocation,
    product code and product period exists (credits of this message taken into account)."""
    rijen: list[tuple[Any, ...]] = []
    per_bericht = _toewijzingnummers(frame.filter(~pl.col("is_credit")), len(declaraties))
    snel = getattr(historie, "open_debet_sleutels", None)
    for i, (d, verrekening) in enumerate(zip(declaraties, verrekeningen, strict=True)):
        nummers = per_bericht[i]
        if snel is not None:
            gecrediteerd = verrekening.gecrediteerd
            rijen.extend((i, *sleutel[1:]) for sleutel in snel(d.aanbieder, nummers)
                         if sleutel[0] not in gecrediteerd)
            continue
        rijen.extend(
            (i, e.toewijzingnummer, e.productcode, e.begindatum, e.einddatum)
            for e in historie.open_debetten(d.aanbieder, nummers)
            if e.referentienummer not in verrekening.gecrediteerd
        )
    if not rijen:
        return frame.with_columns(pl.lit(False).alias("open_debet"))
    sleutels = ("bericht", *_OPEN_SLEUTEL)
    open_frame = pl.DataFrame(
        rijen, schema={naam: SCHEMA[naam] for naam in sleutels}, orient="row"
    ).unique().with_columns(pl.lit(True).alias("open_debet"))
    frame = frame.join(open_frame, on=list(sleutels), how="left", maintain_order="left",
                       nulls_equal=True)
    return frame.with_columns((~pl.col("is_credit") & pl.col("open_debet").fill_null(False))
                              .alias("open_debet"))


def _met_toewijzingen(
    frame: pl.DataFrame,
    declaraties: Sequence[Declaratie],
    context: Context,
    historie: Historie,
    verrekeningen: Sequence[Verrekening],
) -> pl.DataFrame:
    """The allocation in force (only when it is for the line's provider) and the volume and
    amount approved on it in earlier messages (minus this message's approved credits)."""
    alle = toewijzing_frame(context.toewijzingen)
    frame = frame.join(alle, on="toewijzingnummer", how="left", maintain_order="left")
    eigen = (pl.col("_aanbieder") == pl.col("aanbieder")).fill_null(False)
    frame = frame.with_columns(
        [pl.when(eigen).then(pl.col(naam)).alias(naam)
         for naam in ("toewijzing_bekend", "toewijzing_verwijderd", *TOEWIJZINGKOLOMMEN)]
    ).drop("_aanbieder")
    totalen = _goedgekeurd_frame(declaraties, historie, verrekeningen,
                                 _toewijzingnummers(frame, len(declaraties)))
    return frame.join(totalen, on=["bericht", "toewijzingnummer"], how="left",
                      maintain_order="left")


def _toewijzingnummers(frame: pl.DataFrame, aantal: int) -> list[list[str]]:
    """Per message the distinct ToewijzingNummers of its lines in `frame`."""
    per_bericht: list[list[str]] = [[] for _ in range(aantal)]
    lijsten = frame.group_by("bericht").agg(pl.col("toewijzingnummer").unique())
    for bericht, nummers in zip(lijsten["bericht"].to_list(),
                                lijsten["toewijzingnummer"].to_list(), strict=True):
        per_bericht[bericht] = nummers
    return per_bericht


def _goedgekeurd_frame(
    declaraties: Sequence[Declaratie],
    historie: Historie,
    verrekeningen: Sequence[Verrekening],
    nummers_per_bericht: list[list[str]],
) -> pl.DataFrame:
    rijen: list[tuple[int, str, int, int]] = []
    snel = getattr(historie, "goedgekeurd_paren", None)
    for i, (d, verrekening) in enumerate(zip(declaraties, verrekeningen, strict=True)):
        nummers = nummers_per_bericht[i]
        if snel is not None and not verrekening.per_toewijzing:
            rijen.extend((i, *paar) for paar in snel(d.aanbieder, nummers))
            continue
        goedgekeurd = dict(historie.goedgekeurd_per_toewijzing(d.aanbieder, nummers))
        for nummer, credit in verrekening.per_toewijzing.items():
            eerder = goedgekeurd.get(nummer, Goedgekeurd())
            goedgekeurd[nummer] = Goedgekeurd(eerder.volume + credit.volume,
                                              eerder.bedrag + credit.bedrag)
        rijen.extend((i, nummer, g.volume, g.bedrag) for nummer, g in goedgekeurd.items())
    return pl.DataFrame(
        rijen, orient="row",
        schema={"bericht": pl.Int64(), "toewijzingnummer": pl.String(),
                "eerder_goedgekeurd_volume": pl.Int64(), "eerder_goedgekeurd_bedrag": pl.Int64()},
    )
