"""The history during a block: what the messages of a block see while the block is assessed,
columnar per key of the block (`engine.werkset.blok.Blok`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any

import polars as pl

from engine.model import Declaratie, Goedgekeurd, Historie, Prestatie
from engine.werkset.bericht import Verrekening
from engine.werkset.blok import Blok


@dataclass(slots=True)
class _Gevolgd:
    """A debit followed by ReferentieNummer during a block."""

    kid: int
    """its open-debit key in the block, -1 when no line of the block has that key"""
    open: bool


class Blokstand:
    """The history as the messages of a block see it while the block is assessed: what the
    history held before the block (read once, in bulk) plus the messages of the block whose
    outcome is final. Columnar where it is large: the approved volume and amount per
    `_gid` and the number of open debits per `_kid` (see `engine.werkset.Blok`); by
    ReferentieNummer only for the debits credits refer to and numbers that repeat."""

    def __init__(self, blok: Blok, historie: Historie) -> None:
        self.blok = blok
        self.volume = pl.zeros(blok.toewijzingen, pl.Int64, eager=True)
        self.bedrag = pl.zeros(blok.toewijzingen, pl.Int64, eager=True)
        self.open = pl.zeros(blok.sleutels, pl.Int64, eager=True)
        self.debetten: dict[tuple[str, str], _Gevolgd] = {}
        self._lees(historie)

    # ------------------------------------------------------------ reading

    def debet(self, aanbieder: str, referentienummer: str | None) -> _Gevolgd | None:
        """The approved debit with this number (followed), if there is one."""
        if not referentienummer:
            return None
        return self.debetten.get((aanbieder, referentienummer))

    def verrekening(self, declaratie: Declaratie, credits: Iterable[Prestatie]) -> Verrekening:
        """What these approved credits of the message change for its debits (as
        `engine.beoordeling` does against a `Historie`)."""
        verrekening = Verrekening()
        for credit in credits:
            debet = self.debet(declaratie.aanbieder, credit.vorig_referentienummer)
            if debet is not None and debet.open:
                verrekening.gecrediteerd.add(credit.vorig_referentienummer or "")
            oud = verrekening.per_toewijzing.get(credit.toewijzingnummer, Goedgekeurd())
            verrekening.per_toewijzing[credit.toewijzingnummer] = Goedgekeurd(
                oud.volume - credit.geleverd_volume, oud.bedrag - credit.ingediend_bedrag)
        return verrekening

    # ------------------------------------------------------------ recording

    def registreer(self, rijen: pl.DataFrame, goedgekeurd: pl.Series,
                   begin: dict[int, int]) -> None:
        """Record final messages of the block: `rijen` are their rows (each message's
        together and in order, from `begin[bericht]` on), `goedgekeurd` per row."""
        goed = rijen.lazy().filter(goedgekeurd)
        teken = pl.when(pl.col("is_credit")).then(-1).otherwise(1)
        # group_by runs faster on the streaming engine (the order of groups is not used)
        totalen, nieuw = pl.collect_all([
            goed.group_by("_gid").agg((pl.col("geleverd_volume") * teken).sum().alias("v"),
                                      (pl.col("ingediend_bedrag") * teken).sum().alias("b")),
            goed.filter(~pl.col("is_credit") & ~pl.col("_gevolgd")).group_by("_kid").agg(
                pl.len().cast(pl.Int64).alias("n")),
        ], engine="streaming")
        self.volume = _tel_op(self.volume, totalen["_gid"], totalen["v"])
        self.bedrag = _tel_op(self.bedrag, totalen["_gid"], totalen["b"])
        self.open = _tel_op(self.open, nieuw["_kid"], nieuw["n"])
        self._registreer_gevolgd(goedgekeurd, begin)

    def _registreer_gevolgd(self, goedgekeurd: pl.Series, begin: dict[int, int]) -> None:
        """Credits and repeated numbers, message by message (credits first)."""
        blok = self.blok
        berichten = sorted(begin)
        posities = [begin[b] + rij for b in berichten
                    for rij in chain((r for r, _ in blok.credits[b]),
                                     (r for r, _, _, _ in blok.gevolgd[b]))]
        if not posities:
            return
        goed = iter(goedgekeurd.gather(posities).to_list())
        verschil: dict[int, int] = {}
        for bericht in berichten:
            aanbieder = blok.declaraties[bericht].aanbieder
            for _, vorig in blok.credits[bericht]:
                debet = self.debet(aanbieder, vorig)
                if next(goed) and debet is not None:
                    if debet.open and debet.kid >= 0:
                        verschil[debet.kid] = verschil.get(debet.kid, 0) - 1
                    debet.open = False
            for _, nummer, kid, _ in blok.gevolgd[bericht]:
                if not next(goed):
                    continue
                oud = self.debetten.get((aanbieder, nummer))
                if oud is not None and oud.open and oud.kid >= 0:
                    verschil[oud.kid] = verschil.get(oud.kid, 0) - 1
                self.debetten[(aanbieder, nummer)] = _Gevolgd(kid, True)
                verschil[kid] = verschil.get(kid, 0) + 1
        if verschil:
            self.open = _tel_op(self.open, pl.Series(list(verschil), dtype=pl.Int64),
                                pl.Series(list(verschil.values()), dtype=pl.Int64))

    # ------------------------------------------------------------ the history before the block

    def _lees(self, historie: Historie) -> None:
        """Totals, open debits and followed debits of the providers the history knows."""
        frame = self.blok.frame.select("aanbieder", "toewijzingnummer", "is_credit",
                                       "_gevolgd", "referentienummer", "vorig_referentienummer")
        bekend = getattr(historie, "bekende_aanbieders", None)
        aanbieders = sorted(set(frame["aanbieder"].unique().to_list())
                            & (set(bekend()) if bekend is not None else
                               set(frame["aanbieder"].unique().to_list())))
        if not aanbieders:
            return
        totalen: list[tuple[str, str, int, int]] = []
        open_: list[tuple[Any, ...]] = []
        gevolgd: list[tuple[Any, ...]] = []
        for aanbieder in aanbieders:
            eigen = frame.filter(pl.col("aanbieder") == aanbieder)
            totalen += [(aanbieder, *t) for t in _goedgekeurd(
                historie, aanbieder, eigen["toewijzingnummer"].unique().to_list())]
            debet = eigen.filter(~pl.col("is_credit"))["toewijzingnummer"].unique().to_list()
            open_ += [(aanbieder, *s) for s in _open_sleutels(historie, aanbieder, debet)]
            nummers = set(eigen.filter(pl.col("_gevolgd"))["referentienummer"].to_list())
            nummers.update(v for v in eigen["vorig_referentienummer"].to_list() if v)
            gevolgd += [(aanbieder, d.referentienummer, d.toewijzingnummer, d.productcode,
                         d.begindatum, d.einddatum, d.gecrediteerd)
                        for d in historie.debetten(aanbieder, sorted(nummers)).values()]
        self._lees_totalen(totalen)
        self._lees_open(open_, gevolgd)

    def _lees_totalen(self, totalen: list[tuple[str, str, int, int]]) -> None:
        if not totalen:
            return
        gids = self.blok.frame.select("aanbieder", "toewijzingnummer", "_gid").unique()
        paren = pl.DataFrame(totalen, orient="row", schema={
            "aanbieder": pl.String(), "toewijzingnummer": pl.String(), "v": pl.Int64(),
            "b": pl.Int64()}).join(gids, on=["aanbieder", "toewijzingnummer"], how="inner")
        self.volume = _tel_op(self.volume, paren["_gid"], paren["v"])
        self.bedrag = _tel_op(self.bedrag, paren["_gid"], paren["b"])

    def _lees_open(self, open_: list[tuple[Any, ...]], gevolgd: list[tuple[Any, ...]]) -> None:
        sleutel = ["aanbieder", "toewijzingnummer", "productcode", "begindatum", "einddatum"]
        kids = self.blok.frame.select(*sleutel, "_kid").unique()
        schema = {"aanbieder": pl.String(), "referentienummer": pl.String(),
                  "toewijzingnummer": pl.String(), "productcode": pl.String(),
                  "begindatum": pl.Date(), "einddatum": pl.Date()}
        if open_:
            tellingen = pl.DataFrame(open_, orient="row", schema=schema).join(
                kids, on=sleutel, how="inner", nulls_equal=True).group_by("_kid").len()
            self.open = _tel_op(self.open, tellingen["_kid"], tellingen["len"].cast(pl.Int64))
        if gevolgd:
            debetten = pl.DataFrame(gevolgd, orient="row",
                                    schema={**schema, "gecrediteerd": pl.Boolean()}).join(
                kids, on=sleutel, how="left", nulls_equal=True)
            for aanbieder, nummer, gecrediteerd, kid in debetten.select(
                    "aanbieder", "referentienummer", "gecrediteerd", "_kid").iter_rows():
                self.debetten[(aanbieder, nummer)] = _Gevolgd(
                    -1 if kid is None else kid, not gecrediteerd)


def _tel_op(reeks: pl.Series, posities: pl.Series, bij: pl.Series) -> pl.Series:
    """`reeks` with `bij` added at `posities` (distinct)."""
    if posities.len() == 0:
        return reeks
    return reeks.scatter(posities, reeks.gather(posities) + bij)


def _goedgekeurd(historie: Historie, aanbieder: str, nummers: list[str]
                 ) -> list[tuple[str, int, int]]:
    snel = getattr(historie, "goedgekeurd_paren", None)
    if snel is not None:
        paren: list[tuple[str, int, int]] = snel(aanbieder, nummers)
        return paren
    return [(n, g.volume, g.bedrag)
            for n, g in historie.goedgekeurd_per_toewijzing(aanbieder, nummers).items()]


def _open_sleutels(historie: Historie, aanbieder: str, nummers: list[str]
                   ) -> list[tuple[Any, ...]]:
    snel = getattr(historie, "open_debet_sleutels", None)
    if snel is not None:
        sleutels: list[tuple[Any, ...]] = snel(aanbieder, nummers)
        return sleutels
    return [(d.referentienummer, d.toewijzingnummer, d.productcode, d.begindatum, d.einddatum)
            for d in historie.open_debetten(aanbieder, nummers)]
