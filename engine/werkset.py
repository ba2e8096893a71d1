"""The werkset: one Polars row per line of a message, with its allocation and its history.

Columns are exactly those documented in `engine.backend` (`rij`, every field of
`engine.velden.VELDEN`, `afwezigheden`). An allocation is linked by ToewijzingNummer and only
when it is for the provider of the message. History comes from `Historie` in bulk lookups.
`Verrekening` lets the pipeline hand in the approved credits of this message itself, so a
debit is checked after the credits of its own message (credits are processed first).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any

import polars as pl

from engine.model import (
    Afwezigheid,
    Context,
    Declaratie,
    Goedgekeurd,
    Historie,
    Prestatie,
    Toewijzing,
)
from engine.velden import VELDEN

_DTYPES: dict[str, pl.DataType] = {
    "tekst": pl.String(),
    "datum": pl.Date(),
    "geld": pl.Int64(),
    "getal": pl.Int64(),
    "waarheid": pl.Boolean(),
}

AFWEZIGHEID_TYPE = pl.List(pl.Struct({"van": pl.Date(), "tot": pl.Date()}))

SCHEMA: dict[str, pl.DataType] = {
    "rij": pl.Int64(),
    "bericht": pl.Int64(),
    **{veld.kolom: _DTYPES[veld.type.soort] for veld in VELDEN},
    "afwezigheden": AFWEZIGHEID_TYPE,
}
"""The werkset's columns in order, with their dtypes."""

_PER_REGEL = (
    "bsn", "referentienummer", "vorig_referentienummer", "toewijzingnummer", "productcategorie",
    "productcode", "begindatum", "einddatum", "geleverd_volume", "eenheid", "producttarief",
    "ingediend_bedrag", "debet_credit",
)

_TOEWIJZING = (
    "toewijzing_bsn", "toewijzing_productcategorie", "toewijzing_productcode",
    "toewijzing_ingangsdatum", "toewijzing_einddatum", "toewijzing_volume",
    "toewijzing_eenheid", "toewijzing_frequentie", "toewijzing_budget",
    "toewijzing_reden_wijziging",
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
    kolommen = _regelkolommen(prestaties)
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
    frame = frame.join(
        _afwezigheden(context), on=["bsn", "toewijzingnummer"], how="left", maintain_order="left"
    )
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


_DATUMS = ("begindatum", "einddatum")
_EPOCHE = date(1970, 1, 1).toordinal()


def _regelkolommen(prestaties: Sequence[Prestatie]) -> dict[str, Any]:
    """The lines' own fields, column by column (dates as day numbers, cast afterwards)."""
    kolommen: dict[str, Any] = {"rij": pl.int_range(len(prestaties), eager=True)}
    for naam in _PER_REGEL:
        waarden = list(map(attrgetter(naam), prestaties))
        if naam in _DATUMS:
            dagen = pl.Series(naam, list(map(date.toordinal, waarden)), dtype=pl.Int64)
            kolommen[naam] = (dagen - _EPOCHE).cast(pl.Int32).cast(pl.Date)
        else:
            kolommen[naam] = waarden
    return kolommen


_KOP = ("aanbieder", "gemeente", "declaratienummer", "declaratie_begindatum",
        "declaratie_einddatum", "declaratiedagtekening")


def _kopframe(declaraties: Sequence[Declaratie], historie: Historie) -> pl.DataFrame:
    """Per message: its header fields and whether its number came earlier with other content."""
    kolommen: dict[str, list[Any]] = {naam: [getattr(d, naam) for d in declaraties]
                                      for naam in _KOP}
    kolommen["bericht"] = list(range(len(declaraties)))
    kolommen["eerder_declaratienummer"] = [_ander_eerder(d, historie) for d in declaraties]
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
         for naam in ("toewijzing_bekend", "toewijzing_verwijderd", *_TOEWIJZING)]
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
    lijst = list(toewijzingen.values())
    kolommen: dict[str, Any] = {
        "toewijzingnummer": list(toewijzingen),
        "_aanbieder": [t.aanbieder for t in lijst],
        "toewijzing_bekend": [True] * len(lijst),
        "toewijzing_verwijderd": [t.verwijderd for t in lijst],
    }
    for naam in _TOEWIJZING:
        kolommen[naam] = list(map(attrgetter(naam.removeprefix("toewijzing_")), lijst))
    schema = {naam: SCHEMA.get(naam, pl.String()) for naam in kolommen}
    frame = pl.DataFrame(kolommen, schema=schema)
    _TOEWIJZING_CACHE[id(toewijzingen)] = (toewijzingen, vingerafdruk, frame)
    return frame


_AFWEZIGHEID_CACHE: dict[int, tuple[tuple[Afwezigheid, ...], pl.DataFrame]] = {}


def _afwezigheden(context: Context) -> pl.DataFrame:
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
    per_sleutel: dict[tuple[str, str], list[tuple[date, date]]] = {}
    for a in afwezigheden:
        per_sleutel.setdefault((a.bsn, a.toewijzingnummer), []).append((a.van, a.tot))
    rijen = [
        (bsn, nummer, van, tot)
        for (bsn, nummer), perioden in per_sleutel.items()
        for van, tot in voeg_samen(perioden)
    ]
    plat = pl.DataFrame(
        rijen, orient="row",
        schema={"bsn": pl.String(), "toewijzingnummer": pl.String(), "van": pl.Date(),
                "tot": pl.Date()},
    )
    return (
        plat.sort("bsn", "toewijzingnummer", "van")
        .group_by("bsn", "toewijzingnummer", maintain_order=True)
        .agg(pl.struct("van", "tot").alias("afwezigheden"))
        .with_columns(pl.col("afwezigheden").cast(AFWEZIGHEID_TYPE))
    )


def voeg_samen(perioden: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Sorted periods with overlapping or adjacent ones merged ('aaneengesloten')."""
    samen: list[tuple[date, date]] = []
    for van, tot in sorted(p for p in perioden if p[0] <= p[1]):
        if samen and van.toordinal() <= samen[-1][1].toordinal() + 1:
            samen[-1] = (samen[-1][0], max(samen[-1][1], tot))
        else:
            samen.append((van, tot))
    return samen
