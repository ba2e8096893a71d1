"""The history between messages: `GeheugenHistorie` (in memory: the CLI's and the tests') and
`Blokstand` (what the messages of one block see while the block is assessed).

Per provider (AGB code) the history remembers every ReferentieNummer seen (approved or not),
every DeclaratieNummer with the content key of its first message, the approved volume and
amount per allocation (debits minus credits) and the approved debit lines by
ReferentieNummer (the latest one per number) with a flag once a credit line cleared them.
A message is recorded credits first, then debits (the order it was assessed in): its
approved credits clear debits of earlier messages. A message that failed its schema is not
recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import polars as pl

from engine.model import (
    Declaratie,
    DeclaratieBeoordeling,
    EerdereDebet,
    Goedgekeurd,
    Historie,
    Prestatie,
)
from engine.werkset import Blok, Verrekening


@dataclass(slots=True)
class _PerAanbieder:
    referentienummers: set[str] = field(default_factory=set)
    declaraties: dict[str, Declaratie | str] = field(default_factory=dict)
    """per DeclaratieNummer its first message; its content key is computed when asked"""
    goedgekeurd: dict[str, list[int]] = field(default_factory=dict)
    """per allocation: [volume, bedrag]"""
    debetten: dict[str, list[Any]] = field(default_factory=dict)
    """approved debits by ReferentieNummer: the fields of `EerdereDebet` (cheap to store;
    the dataclass is made only for the debits asked for)"""
    open_per_toewijzing: dict[str, set[str]] = field(default_factory=dict)
    """per allocation: ReferentieNummers of its approved debits not yet credited"""


@dataclass(slots=True)
class _Uitgesteld:
    """Messages recorded in bulk (`registreer_blok`), worked in when next asked."""

    declaraties: Sequence[Declaratie]
    goedgekeurd: Sequence[bool] | pl.Series
    """per line of all these messages, in order"""


class GeheugenHistorie:
    """In-memory implementation of `engine.model.Historie`, with the bulk recording the
    pipeline uses for a block of messages (`registreer_blok`, `bekende_aanbieders`)."""

    def __init__(self) -> None:
        self._aanbieders: dict[str, _PerAanbieder] = {}
        self._uitgesteld: list[_Uitgesteld] = []

    def _van(self, aanbieder: str) -> _PerAanbieder:
        self._bijwerken()
        return self._aanbieders.setdefault(aanbieder, _PerAanbieder())

    def bekende_aanbieders(self) -> set[str]:
        """The providers of which anything is recorded (others need not be asked about)."""
        bekend = {a for a, staat in self._aanbieders.items() if staat.declaraties}
        for blok in self._uitgesteld:
            bekend.update(d.aanbieder for d in blok.declaraties)
        return bekend

    def bekende_referentienummers(self, aanbieder: str, nummers: Iterable[str]) -> set[str]:
        bekend = self._van(aanbieder).referentienummers
        return {nummer for nummer in nummers if nummer in bekend}

    def declaratie_inhoud(self, aanbieder: str, declaratienummer: str) -> str | None:
        declaraties = self._van(aanbieder).declaraties
        eerste = declaraties.get(declaratienummer)
        if isinstance(eerste, Declaratie):
            eerste = declaraties[declaratienummer] = eerste.inhoud_sleutel()
        return eerste

    def goedgekeurd_per_toewijzing(
        self, aanbieder: str, toewijzingnummers: Iterable[str]
    ) -> dict[str, Goedgekeurd]:
        goedgekeurd = self._van(aanbieder).goedgekeurd
        return {n: Goedgekeurd(*goedgekeurd[n]) for n in toewijzingnummers if n in goedgekeurd}

    def debetten(self, aanbieder: str, referentienummers: Iterable[str]) -> dict[str, EerdereDebet]:
        debetten = self._van(aanbieder).debetten
        return {n: _debet(debetten[n]) for n in referentienummers if n in debetten}

    def open_debetten(self, aanbieder: str, toewijzingnummers: Iterable[str]) -> list[EerdereDebet]:
        staat = self._van(aanbieder)
        return [
            _debet(staat.debetten[nummer])
            for toewijzing in toewijzingnummers
            for nummer in staat.open_per_toewijzing.get(toewijzing, ())
        ]

    def open_debet_sleutels(
        self, aanbieder: str, toewijzingnummers: Iterable[str]
    ) -> list[tuple[Any, ...]]:
        """Like `open_debetten`, as (referentienummer, toewijzingnummer, productcode,
        begindatum, einddatum) tuples: what the werkset needs, without making objects."""
        self._bijwerken()
        staat = self._aanbieders.get(aanbieder)
        if staat is None or not staat.open_per_toewijzing:
            return []
        debetten, open_ = staat.debetten, staat.open_per_toewijzing
        return [
            tuple(debetten[nummer][:5])
            for toewijzing in toewijzingnummers
            for nummer in open_.get(toewijzing, ())
        ]

    def goedgekeurd_paren(
        self, aanbieder: str, toewijzingnummers: Iterable[str]
    ) -> list[tuple[str, int, int]]:
        """Like `goedgekeurd_per_toewijzing`, as (toewijzingnummer, volume, bedrag) tuples."""
        self._bijwerken()
        staat = self._aanbieders.get(aanbieder)
        if staat is None or not staat.goedgekeurd:
            return []
        goedgekeurd = staat.goedgekeurd
        return [(n, goedgekeurd[n][0], goedgekeurd[n][1]) for n in toewijzingnummers
                if n in goedgekeurd]

    def registreer(self, beoordeling: DeclaratieBeoordeling) -> None:
        """Record the message's numbers, its approved credits and its approved debits."""
        if beoordeling.technische_fout is not None:
            return
        goedgekeurd = [u.status == "goedgekeurd" for u in beoordeling.uitkomsten]
        self._registreer(beoordeling.declaratie, goedgekeurd, 0)

    def registreer_blok(self, declaraties: Sequence[Declaratie],
                        goedgekeurd: Sequence[bool] | pl.Series) -> None:
        """Record assessed messages in bulk, in order: `goedgekeurd` per line of all of them.
        The same as `registreer` per message; the work is done when the history is next
        read (a pipeline that reads it in bulk per block pays it once per block)."""
        self._uitgesteld.append(_Uitgesteld(declaraties, goedgekeurd))

    def _bijwerken(self) -> None:
        uitgesteld, self._uitgesteld = self._uitgesteld, []
        for blok in uitgesteld:
            goedgekeurd = (blok.goedgekeurd.to_list() if isinstance(blok.goedgekeurd, pl.Series)
                           else list(blok.goedgekeurd))
            begin = 0
            for declaratie in blok.declaraties:
                self._registreer(declaratie, goedgekeurd, begin)
                begin += len(declaratie.prestaties)

    def _registreer(self, declaratie: Declaratie, goedgekeurd: Sequence[bool],
                    begin: int) -> None:
        staat = self._van(declaratie.aanbieder)
        staat.declaraties.setdefault(declaratie.declaratienummer, declaratie)
        prestaties = declaratie.prestaties
        staat.referentienummers.update(p.referentienummer for p in prestaties)
        for rij, prestatie in enumerate(prestaties, begin):
            if goedgekeurd[rij] and prestatie.debet_credit == "C":
                _boek_credit(staat, prestatie)
        for rij, prestatie in enumerate(prestaties, begin):
            if goedgekeurd[rij] and prestatie.debet_credit == "D":
                _boek_debet(staat, prestatie)


_TOEWIJZING = 1
_GECREDITEERD = 7
_OBJECT = 8


def _debet(record: list[Any]) -> EerdereDebet:
    """The record as `EerdereDebet`, made once and kept until the debit changes."""
    if record[_OBJECT] is None:
        record[_OBJECT] = EerdereDebet(*record[:_OBJECT])
    debet: EerdereDebet = record[_OBJECT]
    return debet


def _boek_debet(staat: _PerAanbieder, prestatie: Prestatie) -> None:
    toewijzing, referentie = prestatie.toewijzingnummer, prestatie.referentienummer
    totaal = staat.goedgekeurd.get(toewijzing)
    if totaal is None:
        totaal = staat.goedgekeurd[toewijzing] = [0, 0]
    totaal[0] += prestatie.geleverd_volume
    totaal[1] += prestatie.ingediend_bedrag
    oud = staat.debetten.get(referentie)
    if oud is not None and not oud[_GECREDITEERD]:
        # a number approved again: the latest debit is the one that counts
        staat.open_per_toewijzing[oud[_TOEWIJZING]].discard(referentie)
    staat.debetten[referentie] = [
        referentie, toewijzing, prestatie.productcode, prestatie.begindatum,
        prestatie.einddatum, prestatie.geleverd_volume, prestatie.ingediend_bedrag, False, None,
    ]
    open_ = staat.open_per_toewijzing.get(toewijzing)
    if open_ is None:
        open_ = staat.open_per_toewijzing[toewijzing] = set()
    open_.add(referentie)


def _boek_credit(staat: _PerAanbieder, prestatie: Prestatie) -> None:
    totaal = staat.goedgekeurd.setdefault(prestatie.toewijzingnummer, [0, 0])
    totaal[0] -= prestatie.geleverd_volume
    totaal[1] -= prestatie.ingediend_bedrag
    vorig = staat.debetten.get(prestatie.vorig_referentienummer or "")
    if vorig is not None and prestatie.vorig_referentienummer:
        if not vorig[_GECREDITEERD]:
            staat.open_per_toewijzing[vorig[_TOEWIJZING]].discard(vorig[0])
        vorig[_GECREDITEERD] = True
        vorig[_OBJECT] = None


# ---------------------------------------------------------------- the history during a block


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
