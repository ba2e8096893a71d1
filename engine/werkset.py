"""The werkset: one Polars row per line of a message, with its allocation and its history.

Columns are exactly those documented in `engine.backends.basis` (`rij`, every field of
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
from itertools import accumulate, chain, repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from engine.historie import Blokstand

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
    frame = _toewijzing_frame(list(toewijzingen.values()))
    _TOEWIJZING_CACHE[id(toewijzingen)] = (toewijzingen, vingerafdruk, frame)
    return frame


def _toewijzing_frame(lijst: list[Toewijzing]) -> pl.DataFrame:
    """Column by column through attrgetter; dates through their day number, each distinct
    date converted once."""
    kolommen = [pl.Series(naam, list(map(attrgetter(veld), lijst)), dtype=pl.String())
                for naam, veld in (("toewijzingnummer", "toewijzingnummer"),
                                   ("_aanbieder", "aanbieder"))]
    dagen = _Dagen()
    for naam in _TOEWIJZING:
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
             *_TOEWIJZING)


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
    """The periods per key with overlapping or adjacent ones merged ('aaneengesloten'), in
    Polars: sorted by start, a period starts a new run when it begins more than a day after
    every earlier one ended."""
    lijst = list(afwezigheden)
    dagen = _Dagen()
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


class _Dagen(dict[date | None, int | None]):
    """date -> days since 1970 (None stays None); a month has few distinct dates, each
    converted once."""

    def __missing__(self, dag: date | None) -> int | None:
        nummer = self[dag] = None if dag is None else dag.toordinal() - _EPOCHE
        return nummer


class _Codes(dict[Any, int]):
    """value -> 0, 1, 2, ... in order of first appearance (for the few product codes)."""

    def __missing__(self, waarde: Any) -> int:
        code = self[waarde] = len(self)
        return code


@dataclass(slots=True)
class Blok:
    """The lines of a block of messages as one frame in input order, built once.

    It holds every werkset column that does not depend on the outcome of other messages
    (the lines, their header, allocation and absences, `eerder_referentienummer`,
    `eerder_declaratienummer`, `is_credit`) and numbers for the keys the history is kept
    by: `_gid` per (aanbieder, toewijzingnummer), `_kid` per open-debit key (aanbieder,
    toewijzingnummer, productcode, begindatum, einddatum), both 0.. within the block.
    `_gevolgd` marks debit lines whose ReferentieNummer the history must follow one by one
    (a credit of the block refers to it, or it occurs more than once)."""

    declaraties: Sequence[Declaratie]
    frame: pl.DataFrame
    begin: list[int]
    """per message its first row; one more entry: the number of rows"""
    toewijzingen: int
    """how many `_gid`s"""
    sleutels: int
    """how many `_kid`s"""
    credits: list[list[tuple[int, str | None]]]
    """per message its credit lines: (row in the message, VorigReferentieNummer)"""
    gevolgd: list[list[tuple[int, str, int, int]]]
    """per message its followed debit lines: (row in the message, ReferentieNummer, _kid,
    _gid)"""


_BLOK_REGELVELDEN = (
    "bsn", "referentienummer", "vorig_referentienummer", "toewijzingnummer",
    "productcategorie", "productcode", "geleverd_volume", "eenheid", "producttarief",
    "ingediend_bedrag", "debet_credit",
)


def maak_blok(declaraties: Sequence[Declaratie], context: Context, historie: Historie) -> Blok:
    """The block frame of these messages (in processing order), against the history as it
    is before the first of them."""
    prestaties = list(chain.from_iterable(d.prestaties for d in declaraties))
    aantallen = [len(d.prestaties) for d in declaraties]
    bericht = pl.Series("_bericht", list(chain.from_iterable(
        map(repeat, range(len(declaraties)), aantallen))), dtype=pl.Int32)
    kolommen = _blok_regelkolommen(prestaties)
    kolommen.update(_blok_kopkolommen(declaraties, historie, bericht))
    frame = pl.DataFrame([*kolommen.values(), bericht,
                          pl.Series("_lokaal", _lokale_rijen(aantallen), dtype=pl.Int32),
                          pl.int_range(len(prestaties), dtype=pl.Int64, eager=True).alias("_pos")])
    frame = frame.with_columns((pl.col("debet_credit") == "C").alias("is_credit"))
    frame = _blok_toewijzingen(frame, context)
    frame = frame.join(_afwezigheden(context), on=["bsn", "toewijzingnummer"], how="left",
                       maintain_order="left")
    frame, herhaald = _met_eerder_referentienummer(frame, historie)
    frame, toewijzingen = _met_gid(frame)
    frame, sleutels = _met_kid(frame, toewijzingen)
    frame = _met_gevolgd(frame, herhaald).with_columns(
        pl.col("toewijzing_bekend").fill_null(False),
        pl.col("toewijzing_verwijderd").fill_null(False),
        pl.col("afwezigheden").fill_null(pl.lit([], dtype=AFWEZIGHEID_TYPE)),
    )
    credits, gevolgd = _per_bericht(frame, len(declaraties))
    frame = frame.drop("_pc", "_lokaal", "_eigen")
    return Blok(declaraties, frame, list(accumulate(aantallen, initial=0)), toewijzingen,
                sleutels, credits, gevolgd)


def _lokale_rijen(aantallen: list[int]) -> list[int]:
    return list(chain.from_iterable(map(range, aantallen)))


def _blok_regelkolommen(prestaties: list[Prestatie]) -> dict[str, pl.Series]:
    """The lines' own fields as Series (dates through their day number; product codes also
    numbered, `_pc`, for the open-debit key)."""
    waarden = {naam: list(map(attrgetter(naam), prestaties)) for naam in _BLOK_REGELVELDEN}
    kolommen = {naam: pl.Series(naam, lijst, dtype=SCHEMA[naam])
                for naam, lijst in waarden.items()}
    dagen = _Dagen()
    for naam in _DATUMS:
        nummers = list(map(dagen.__getitem__, map(attrgetter(naam), prestaties)))
        kolommen[naam] = pl.Series(naam, nummers, dtype=pl.Int32).cast(pl.Date)
    codes = _Codes()
    kolommen["_pc"] = pl.Series("_pc", list(map(codes.__getitem__, waarden["productcode"])),
                                dtype=pl.Int64)
    return kolommen


def _blok_kopkolommen(
    declaraties: Sequence[Declaratie], historie: Historie, bericht: pl.Series
) -> dict[str, pl.Series]:
    """The header fields per line (one value per message, gathered)."""
    kolommen = {naam: pl.Series(naam, [getattr(d, naam) for d in declaraties],
                                dtype=SCHEMA[naam]).gather(bericht) for naam in _KOP}
    eerder = pl.Series("eerder_declaratienummer", _eerder_declaratienummers(declaraties, historie),
                       dtype=pl.Boolean)
    kolommen["eerder_declaratienummer"] = eerder.gather(bericht)
    return kolommen


def _eerder_declaratienummers(
    declaraties: Sequence[Declaratie], historie: Historie
) -> list[bool]:
    """Per message: its DeclaratieNummer came earlier (in the history or earlier in the
    block) with other content. The content key is computed only for a repeated number."""
    bekend = _bekende_aanbieders(historie)
    eerste: dict[tuple[str, str], Declaratie | str | None] = {}
    uit: list[bool] = []
    for d in declaraties:
        sleutel = (d.aanbieder, d.declaratienummer)
        if sleutel not in eerste:
            eerste[sleutel] = (historie.declaratie_inhoud(*sleutel)
                               if bekend is None or d.aanbieder in bekend else None)
            if eerste[sleutel] is None:
                eerste[sleutel] = d
                uit.append(False)
                continue
        vorige = eerste[sleutel]
        if isinstance(vorige, Declaratie):
            vorige = eerste[sleutel] = vorige.inhoud_sleutel()
        uit.append(vorige is not None and vorige != d.inhoud_sleutel())
    return uit


def _bekende_aanbieders(historie: Historie) -> set[str] | None:
    """The providers the history knows anything of, when it can tell (else None: ask)."""
    bekend = getattr(historie, "bekende_aanbieders", None)
    return None if bekend is None else set(bekend())


def _blok_toewijzingen(frame: pl.DataFrame, context: Context) -> pl.DataFrame:
    """The allocation in force, only when it is for the line's provider (`_eigen`): joined on
    (toewijzingnummer, aanbieder), so an allocation of another provider is not found."""
    alle = toewijzing_frame(context.toewijzingen).with_row_index("_tid").rename(
        {"_aanbieder": "aanbieder"})
    frame = frame.join(alle, on=["toewijzingnummer", "aanbieder"], how="left",
                       maintain_order="left")
    return frame.with_columns(pl.col("_tid").is_not_null().alias("_eigen"))


def _met_eerder_referentienummer(
    frame: pl.DataFrame, historie: Historie
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """eerder_referentienummer: the number occurs in an earlier message of the provider in
    the block or in the history. Also returns the (aanbieder, referentienummer) pairs that
    occur more than once in the block or are known to the history. Numbers are compared
    by hash first (`_h`, kept for `_met_gevolgd`), then exactly among the candidates."""
    frame = frame.with_columns(_REF_HASH.alias("_h"))
    sleutel = ["aanbieder", "referentienummer"]
    # sorted by number, then message: a run of equal numbers starts at its first message
    kandidaten = frame.select("_pos", *sleutel, "_bericht", "_h").filter(
        pl.col("_h").is_duplicated()).sort(*sleutel, "_bericht")
    begint = pl.any_horizontal([pl.col(k) != pl.col(k).shift(1) for k in sleutel]
                               ).fill_null(True)
    kandidaten = kandidaten.with_columns(
        begint.alias("_begint"),
        pl.when(begint).then(pl.col("_bericht")).forward_fill().alias("_eerste"))
    eerder = kandidaten.filter(pl.col("_bericht") > pl.col("_eerste"))
    herhaald = kandidaten.filter(~pl.col("_begint") | ~pl.col("_begint").shift(-1).fill_null(
        True)).select(*sleutel).unique()
    bekend = _eerder_bekend(frame, historie)
    if bekend.height:
        eerder = pl.concat([eerder.select("_pos"), frame.join(
            bekend, on=["aanbieder", "referentienummer"], how="semi").select("_pos")])
        herhaald = pl.concat([herhaald, bekend]).unique()
    vlag = pl.Series("eerder_referentienummer", [False] * frame.height, dtype=pl.Boolean)
    if eerder.height:
        vlag = vlag.scatter(eerder["_pos"], True)
    return frame.with_columns(vlag), herhaald


_REF_HASH = pl.struct("aanbieder", "referentienummer").hash()


def _eerder_bekend(frame: pl.DataFrame, historie: Historie) -> pl.DataFrame:
    """(aanbieder, referentienummer) of the block's lines that the history knows."""
    bekend = _bekende_aanbieders(historie)
    frame = frame.select("aanbieder", "referentienummer")
    if bekend is not None:
        frame = frame.filter(pl.col("aanbieder").is_in(list(bekend)))
    paren: list[tuple[str, str]] = []
    if frame.height:
        per_aanbieder = frame.group_by("aanbieder").agg(pl.col("referentienummer").unique())
        for aanbieder, nummers in per_aanbieder.iter_rows():
            paren.extend((aanbieder, n) for n in historie.bekende_referentienummers(
                aanbieder, nummers))
    return pl.DataFrame(paren, schema={"aanbieder": pl.String(), "referentienummer": pl.String()},
                        orient="row")


def _met_gid(frame: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """`_gid`: the allocation's row for a line on an allocation of its own provider, else a
    number after those per (aanbieder, toewijzingnummer) pair."""
    toewijzingen = _grootste(frame["_tid"]) + 1
    gid = frame["_tid"].cast(pl.Int64).set(~frame["_eigen"], None)
    ander = frame.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("_rij"), "aanbieder",
                         "toewijzingnummer").filter(~frame["_eigen"])
    if ander.height:
        nummers = ander.select(pl.struct("aanbieder", "toewijzingnummer").rank("dense")
                               .cast(pl.Int64) - 1 + toewijzingen)
        gid = gid.scatter(ander["_rij"], nummers.to_series())
        toewijzingen = _grootste(nummers.to_series()) + 1
    return frame.with_columns(gid.alias("_gid")).drop("_tid"), toewijzingen


def _met_kid(frame: pl.DataFrame, toewijzingen: int) -> tuple[pl.DataFrame, int]:
    """`_kid`: the open-debit key numbered densely, by packing its parts into one integer
    where they fit (they do for any real block: dates span months, product codes few)."""
    producten = _grootste(frame["_pc"]) + 1
    dagen = pl.concat([frame["begindatum"], frame["einddatum"]]).cast(pl.Int32)
    laagste, hoogste = -_grootste(-dagen), _grootste(dagen)
    span = hoogste - laagste + 1
    if toewijzingen * producten * span * span < 2**62:
        begin = pl.col("begindatum").cast(pl.Int32).cast(pl.Int64) - laagste
        eind = pl.col("einddatum").cast(pl.Int32).cast(pl.Int64) - laagste
        sleutel = ((pl.col("_gid") * producten + pl.col("_pc")) * span + begin) * span + eind
    else:
        sleutel = pl.struct("_gid", "_pc", "begindatum", "einddatum")
    frame = frame.with_columns((sleutel.rank("dense").cast(pl.Int64) - 1).alias("_kid"))
    return frame, _grootste(frame["_kid"]) + 1


def _grootste(reeks: pl.Series) -> int:
    """The largest value of an integer column, 0 when it is empty or all null."""
    grootste = reeks.max()
    return int(grootste) if isinstance(grootste, int) else 0


def _met_gevolgd(frame: pl.DataFrame, herhaald: pl.DataFrame) -> pl.DataFrame:
    """`_gevolgd`: a debit line whose ReferentieNummer a credit of the block refers to or
    that occurs more than once (in the block or with the history)."""
    vorige = frame.select(
        "aanbieder", pl.col("vorig_referentienummer").alias("referentienummer"), "is_credit"
    ).filter(pl.col("is_credit") & pl.col("referentienummer").is_not_null()).drop("is_credit")
    gevolgd = pl.concat([herhaald, vorige]).unique().with_columns(_REF_HASH.alias("_h"))
    kandidaten = frame.select("_pos", "aanbieder", "referentienummer", "is_credit", "_h").filter(
        ~pl.col("is_credit") & pl.col("_h").is_in(gevolgd["_h"].implode()))
    exact = kandidaten.join(gevolgd, on=["aanbieder", "referentienummer"], how="semi")
    vlag = pl.Series("_gevolgd", [False] * frame.height, dtype=pl.Boolean)
    if exact.height:
        vlag = vlag.scatter(exact["_pos"], True)
    return frame.with_columns(vlag).drop("_h")


def _per_bericht(
    frame: pl.DataFrame, aantal: int
) -> tuple[list[list[tuple[int, str | None]]], list[list[tuple[int, str, int, int]]]]:
    """`Blok.credits` and `Blok.gevolgd`: the few lines the history follows one by one."""
    credits: list[list[tuple[int, str | None]]] = [[] for _ in range(aantal)]
    kolommen = frame.select("_bericht", "_lokaal", "vorig_referentienummer", "is_credit"
                            ).filter(pl.col("is_credit"))
    for bericht, rij, vorig in zip(*(kolommen[k].to_list() for k in kolommen.columns[:3]),
                                   strict=True):
        credits[bericht].append((rij, vorig))
    gevolgd: list[list[tuple[int, str, int, int]]] = [[] for _ in range(aantal)]
    kolommen = frame.select("_bericht", "_lokaal", "referentienummer", "_kid", "_gid",
                            "_gevolgd").filter(pl.col("_gevolgd"))
    for bericht, rij, nummer, kid, gid in zip(*(kolommen[k].to_list()
                                                for k in kolommen.columns[:5]), strict=True):
        gevolgd[bericht].append((rij, nummer, kid, gid))
    return credits, gevolgd


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
