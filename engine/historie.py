"""The history between messages: `GeheugenHistorie` (in memory: the CLI's and the tests').
What the messages of one block see while the block is assessed is
`engine.werkset.blokstand.Blokstand`.

Per provider (AGB code) the history remembers every ReferentieNummer seen (approved or not),
every DeclaratieNummer with the content key of its first message, the approved volume and
amount per allocation (debits minus credits) and the approved debit lines by
ReferentieNummer (the latest one per number) with a flag once a credit line cleared them,
and per gemeente the latest end of a DeclaratiePeriode it declared (TR318).
A message is recorded credits first, then debits (the order it was assessed in): its
approved credits clear debits of earlier messages, and its BerichtIdentificatie (TR056). A
message refused as a whole (schema, `berichten.weigering`) is not recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from engine.model import (
    Declaratie,
    DeclaratieBeoordeling,
    EerdereDebet,
    Goedgekeurd,
    Prestatie,
)


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
    identificaties: set[str] = field(default_factory=set)
    """the BerichtIdentificaties of its recorded messages (TR056)"""
    perioden: dict[str, date] = field(default_factory=dict)
    """per gemeente: the latest end of a DeclaratiePeriode of its recorded messages (TR318)"""


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

    def bekende_identificatie(self, aanbieder: str, identificatie: str) -> bool:
        """Whether a recorded message of this provider had this BerichtIdentificatie
        (TR056), or it was announced with `ken_identificatie`."""
        staat = self._aanbieders.get(aanbieder)
        if staat is not None and identificatie in staat.identificaties:
            return True
        return any(d.aanbieder == aanbieder and d.bericht_identificatie == identificatie
                   for blok in self._uitgesteld for d in blok.declaraties)

    def ken_identificatie(self, aanbieder: str, identificatie: str) -> None:
        """Remember a message identification before its message is recorded (the batch
        checks a whole block of messages before any of them is)."""
        self._aanbieders.setdefault(aanbieder, _PerAanbieder()).identificaties.add(identificatie)

    def laad(self, aanbieder: str, identificaties: Iterable[str],
             declaraties: Iterable[tuple[str, str]], referentienummers: Iterable[str],
             goedgekeurd: Iterable[tuple[str, int, int]],
             debetten: Iterable[EerdereDebet],
             perioden: Iterable[tuple[str, date]] = ()) -> None:
        """Start from a provider's history as a store keeps it (`controleer --database`):
        its BerichtIdentificaties, (DeclaratieNummer, content key of the first message with
        it), every ReferentieNummer, per allocation the approved (volume, bedrag), its
        approved debits in the order they were approved (the latest per number counts) and
        (gemeente, end of the DeclaratiePeriode) of its stored messages (TR318)."""
        staat = self._van(aanbieder)
        for gemeente, einde in perioden:
            vorige = staat.perioden.get(gemeente)
            if vorige is None or einde > vorige:
                staat.perioden[gemeente] = einde
        staat.identificaties.update(identificaties)
        for nummer, inhoud in declaraties:
            staat.declaraties.setdefault(nummer, inhoud)
        staat.referentienummers.update(referentienummers)
        for toewijzing, volume, bedrag in goedgekeurd:
            staat.goedgekeurd[toewijzing] = [volume, bedrag]
        for d in debetten:
            oud = staat.debetten.get(d.referentienummer)
            if oud is not None and not oud[_GECREDITEERD]:
                staat.open_per_toewijzing[oud[_TOEWIJZING]].discard(d.referentienummer)
            staat.debetten[d.referentienummer] = [
                d.referentienummer, d.toewijzingnummer, d.productcode, d.begindatum,
                d.einddatum, d.geleverd_volume, d.bedrag, d.gecrediteerd, None]
            if not d.gecrediteerd:
                staat.open_per_toewijzing.setdefault(d.toewijzingnummer, set()).add(
                    d.referentienummer)

    def bekende_referentienummers(self, aanbieder: str, nummers: Iterable[str]) -> set[str]:
        bekend = self._van(aanbieder).referentienummers
        return {nummer for nummer in nummers if nummer in bekend}

    def declaratie_inhoud(self, aanbieder: str, declaratienummer: str) -> str | None:
        declaraties = self._van(aanbieder).declaraties
        eerste = declaraties.get(declaratienummer)
        if isinstance(eerste, Declaratie):
            eerste = declaraties[declaratienummer] = eerste.inhoud_sleutel()
        return eerste

    def vorige_declaratieperiode(self, aanbieder: str, gemeente: str) -> date | None:
        return self._van(aanbieder).perioden.get(gemeente)

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
        staat.identificaties.add(declaratie.bericht_identificatie)
        staat.declaraties.setdefault(declaratie.declaratienummer, declaratie)
        einde = staat.perioden.get(declaratie.gemeente)
        if einde is None or declaratie.declaratie_einddatum > einde:
            # the latest period, not the last message's: a correction of an earlier
            # period sent afterwards does not move it back
            staat.perioden[declaratie.gemeente] = declaratie.declaratie_einddatum
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
