"""`GeheugenHistorie`: the history between messages, kept in memory (the CLI's and the tests').

Per provider (AGB code) it remembers every ReferentieNummer seen (approved or not), every
DeclaratieNummer with the content key of its first message, the approved volume and amount
per allocation (debits minus credits) and the approved debit lines by ReferentieNummer with
a flag once a credit line cleared them. A message that failed its schema is not recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from engine.model import (
    Declaratie,
    DeclaratieBeoordeling,
    EerdereDebet,
    Goedgekeurd,
    Prestatie,
    PrestatieUitkomst,
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


class GeheugenHistorie:
    """In-memory implementation of `engine.model.Historie`."""

    def __init__(self) -> None:
        self._aanbieders: dict[str, _PerAanbieder] = {}

    def _van(self, aanbieder: str) -> _PerAanbieder:
        return self._aanbieders.setdefault(aanbieder, _PerAanbieder())

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
        staat = self._aanbieders.get(aanbieder)
        if staat is None or not staat.goedgekeurd:
            return []
        goedgekeurd = staat.goedgekeurd
        return [(n, goedgekeurd[n][0], goedgekeurd[n][1]) for n in toewijzingnummers
                if n in goedgekeurd]

    def registreer(self, beoordeling: DeclaratieBeoordeling) -> None:
        """Record the message's numbers, its approved debits and its approved credits."""
        if beoordeling.technische_fout is not None:
            return
        declaratie = beoordeling.declaratie
        staat = self._van(declaratie.aanbieder)
        staat.declaraties.setdefault(declaratie.declaratienummer, declaratie)
        staat.referentienummers.update(p.referentienummer for p in declaratie.prestaties)
        goedgekeurd, debetten, open_ = staat.goedgekeurd, staat.debetten, staat.open_per_toewijzing
        for prestatie, uitkomst in zip(declaratie.prestaties, beoordeling.uitkomsten, strict=True):
            if uitkomst.status != "goedgekeurd":
                continue
            if prestatie.debet_credit != "D":
                _boek(staat, prestatie, uitkomst)
                continue
            # the approved debit, the bulk of every message: _boek inlined (same effect)
            toewijzing, referentie = prestatie.toewijzingnummer, prestatie.referentienummer
            totaal = goedgekeurd.get(toewijzing)
            if totaal is None:
                totaal = goedgekeurd[toewijzing] = [0, 0]
            totaal[0] += prestatie.geleverd_volume
            totaal[1] += uitkomst.toegekend_bedrag
            debetten[referentie] = [
                referentie, toewijzing, prestatie.productcode, prestatie.begindatum,
                prestatie.einddatum, prestatie.geleverd_volume, prestatie.ingediend_bedrag,
                False, None,
            ]
            open_set = open_.get(toewijzing)
            if open_set is None:
                open_set = open_[toewijzing] = set()
            open_set.add(referentie)


_GECREDITEERD = 7
_OBJECT = 8


def _debet(record: list[Any]) -> EerdereDebet:
    """The record as `EerdereDebet`, made once and kept until the debit changes."""
    if record[_OBJECT] is None:
        record[_OBJECT] = EerdereDebet(*record[:_OBJECT])
    debet: EerdereDebet = record[_OBJECT]
    return debet


def _boek(staat: _PerAanbieder, prestatie: Prestatie, uitkomst: PrestatieUitkomst) -> None:
    debet = prestatie.debet_credit == "D"
    totaal = staat.goedgekeurd.setdefault(prestatie.toewijzingnummer, [0, 0])
    totaal[0] += prestatie.geleverd_volume if debet else -prestatie.geleverd_volume
    totaal[1] += uitkomst.toegekend_bedrag
    if debet:
        staat.debetten[prestatie.referentienummer] = [
            prestatie.referentienummer, prestatie.toewijzingnummer, prestatie.productcode,
            prestatie.begindatum, prestatie.einddatum, prestatie.geleverd_volume,
            prestatie.ingediend_bedrag, False, None,
        ]
        staat.open_per_toewijzing.setdefault(prestatie.toewijzingnummer, set()).add(
            prestatie.referentienummer)
        return
    vorig = staat.debetten.get(prestatie.vorig_referentienummer or "")
    if vorig is not None:
        vorig[_GECREDITEERD] = True
        vorig[_OBJECT] = None
        staat.open_per_toewijzing.get(vorig[1], set()).discard(vorig[0])
