"""The lines of a block of messages as one frame, built once: everything of the werkset that
does not depend on the outcome of other messages, and the keys the block's history
(`engine.werkset.blokstand.Blokstand`) is kept by."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate, chain, repeat
from operator import attrgetter

import polars as pl

from engine.model import Context, Declaratie, Historie, Prestatie
from engine.werkset.context import afwezigheden_frame, toewijzing_frame
from engine.werkset.kolommen import AFWEZIGHEID_TYPE, DATUMS, KOPKOLOMMEN, SCHEMA, Codes, Dagen


@dataclass(slots=True)
class Blok:
    """The lines of a block of messages as one frame in input order, built once.

    It holds every werkset column that does not depend on the outcome of other messages
    (the lines, their header, allocation and absences, `eerder_referentienummer`,
    `eerder_declaratienummer`, `vorige_declaratieperiode`, `is_credit`) and numbers for the
    keys the history is kept by: `_gid` per (aanbieder, toewijzingnummer), `_kid` per
    open-debit key (aanbieder, toewijzingnummer, productcode, begindatum, einddatum), both
    0.. within the block.
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


_BLOK_PRESTATIEVELDEN = (
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
    kolommen = _blok_prestatiekolommen(prestaties)
    kolommen.update(_blok_kopkolommen(declaraties, historie, bericht))
    frame = pl.DataFrame([*kolommen.values(), bericht,
                          pl.Series("_lokaal", _lokale_rijen(aantallen), dtype=pl.Int32),
                          pl.int_range(len(prestaties), dtype=pl.Int64, eager=True).alias("_pos")])
    frame = frame.with_columns((pl.col("debet_credit") == "C").alias("is_credit"))
    frame = _blok_toewijzingen(frame, context)
    frame = frame.join(afwezigheden_frame(context), on=["bsn", "toewijzingnummer"], how="left",
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


def _blok_prestatiekolommen(prestaties: list[Prestatie]) -> dict[str, pl.Series]:
    """The lines' own fields as Series (dates through their day number; product codes also
    numbered, `_pc`, for the open-debit key)."""
    waarden = {naam: list(map(attrgetter(naam), prestaties)) for naam in _BLOK_PRESTATIEVELDEN}
    kolommen = {naam: pl.Series(naam, lijst, dtype=SCHEMA[naam])
                for naam, lijst in waarden.items()}
    dagen = Dagen()
    for naam in DATUMS:
        nummers = list(map(dagen.__getitem__, map(attrgetter(naam), prestaties)))
        kolommen[naam] = pl.Series(naam, nummers, dtype=pl.Int32).cast(pl.Date)
    codes = Codes()
    kolommen["_pc"] = pl.Series("_pc", list(map(codes.__getitem__, waarden["productcode"])),
                                dtype=pl.Int64)
    return kolommen


def _blok_kopkolommen(
    declaraties: Sequence[Declaratie], historie: Historie, bericht: pl.Series
) -> dict[str, pl.Series]:
    """The header fields per line (one value per message, gathered)."""
    kolommen = {naam: pl.Series(naam, [getattr(d, naam) for d in declaraties],
                                dtype=SCHEMA[naam]).gather(bericht) for naam in KOPKOLOMMEN}
    eerder = pl.Series("eerder_declaratienummer", _eerder_declaratienummers(declaraties, historie),
                       dtype=pl.Boolean)
    kolommen["eerder_declaratienummer"] = eerder.gather(bericht)
    vorige = pl.Series("vorige_declaratieperiode", _vorige_perioden(declaraties, historie),
                       dtype=pl.Date)
    kolommen["vorige_declaratieperiode"] = vorige.gather(bericht)
    return kolommen


def _vorige_perioden(declaraties: Sequence[Declaratie], historie: Historie) -> list[date | None]:
    """Per message: the latest end of a declaration period of the earlier messages of its
    provider to its gemeente, in the history or earlier in the block (TR318). It depends on
    the headers only, not on any outcome (a message refused as a whole never reaches a
    block), so it is fixed when the block is made: the block's history
    (`engine.werkset.blokstand.Blokstand`) need not follow it round by round."""
    bekend = _bekende_aanbieders(historie)
    laatste: dict[tuple[str, str], date | None] = {}
    uit: list[date | None] = []
    for d in declaraties:
        sleutel = (d.aanbieder, d.gemeente)
        if sleutel not in laatste:
            laatste[sleutel] = (historie.vorige_declaratieperiode(*sleutel)
                                if bekend is None or d.aanbieder in bekend else None)
        vorige = laatste[sleutel]
        uit.append(vorige)
        if vorige is None or d.declaratie_einddatum > vorige:
            laatste[sleutel] = d.declaratie_einddatum
    return uit


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
