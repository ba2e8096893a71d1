"""`engine.model.Historie` on SQL: what earlier messages of a provider left behind.

Bound to one open transaction, one region and one gemeente: every query is filtered on both,
so another region's (or gemeente's) lines never count for or against a message. The service
holds the provider's lock for that transaction, so what is read here cannot change until the
message is registered.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import case, func, update
from sqlmodel import Session, col, select

from engine.model import (
    DeclaratieBeoordeling,
    EerdereDebet,
    Goedgekeurd,
    PrestatieUitkomst,
    Reden,
)
from opslag.bulk import Rijen, rijen, schrijf
from opslag.grootboek import GrootboekRij, grootboekregels
from opslag.sleutels import binnen, blokken
from opslag.tabellen import DeclaratieRij, PrestatieRij
from weergave.privacy import maskeer


def _goedgekeurde_debetten() -> Any:
    return select(PrestatieRij).where(PrestatieRij.status == "goedgekeurd",
                                      PrestatieRij.debet_credit == "D")


def _als_debet(rij: PrestatieRij) -> EerdereDebet:
    return EerdereDebet(rij.referentienummer, rij.toewijzingnummer, rij.productcode,
                        rij.begindatum, rij.einddatum, rij.geleverd_volume,
                        rij.toegekend_bedrag, rij.gecrediteerd)


def reden_json(reden: Reden, soort: str) -> dict[str, Any]:
    """A reason as stored with its line (and shown by the uitleg page)."""
    return {"soort": soort, **asdict(reden)}


class SqlHistorie:
    """The history of earlier messages, read from and written to one transaction."""

    def __init__(self, sessie: Session, regio: str, gemeente: str) -> None:
        self.sessie = sessie
        self.regio = regio
        self.gemeente = gemeente

    def _lijnen(self, aanbieder: str) -> tuple[Any, ...]:
        """The conditions that keep a query on prestatie inside this lane."""
        return (col(PrestatieRij.regio) == self.regio, col(PrestatieRij.gemeente) == self.gemeente,
                col(PrestatieRij.aanbieder) == aanbieder)

    def bekende_referentienummers(self, aanbieder: str, nummers: Iterable[str]) -> set[str]:
        bekend: set[str] = set()
        for blok in blokken(self.sessie, nummers):
            bekend.update(self.sessie.exec(
                select(PrestatieRij.referentienummer).where(
                    *self._lijnen(aanbieder),
                    binnen(self.sessie, col(PrestatieRij.referentienummer), blok))).all())
        return bekend

    def declaratie_inhoud(self, aanbieder: str, declaratienummer: str) -> str | None:
        """The content key of the first stored declaration with this number."""
        return self.sessie.exec(
            select(DeclaratieRij.inhoud_sleutel).where(
                DeclaratieRij.regio == self.regio, DeclaratieRij.gemeente == self.gemeente,
                DeclaratieRij.aanbieder == aanbieder,
                DeclaratieRij.declaratienummer == declaratienummer)
            .order_by(col(DeclaratieRij.id)).limit(1)).first()

    def vorige_declaratieperiode(self, aanbieder: str, gemeente: str) -> date | None:
        """The latest end of a stored declaration's period (TR318). Only messages that were
        assessed are stored: a message refused as a whole never counts."""
        if gemeente != self.gemeente:
            return None  # another gemeente's lane: nothing of it is in this one
        einde: date | None = self.sessie.exec(
            select(func.max(DeclaratieRij.declaratie_einddatum)).where(
                DeclaratieRij.regio == self.regio, DeclaratieRij.gemeente == self.gemeente,
                DeclaratieRij.aanbieder == aanbieder)).first()
        return einde

    def goedgekeurd_per_toewijzing(self, aanbieder: str, toewijzingnummers: Iterable[str]
                                   ) -> dict[str, Goedgekeurd]:
        """Approved volume and amount per allocation: debits minus credits."""
        nummers = set(toewijzingnummers)
        uit = {n: Goedgekeurd() for n in nummers}
        teken = case((col(PrestatieRij.debet_credit) == "C", -1), else_=1)
        for blok in blokken(self.sessie, nummers):
            rijen = self.sessie.exec(
                select(PrestatieRij.toewijzingnummer,
                       func.sum(teken * PrestatieRij.geleverd_volume),
                       func.sum(PrestatieRij.toegekend_bedrag))
                .where(*self._lijnen(aanbieder),
                       PrestatieRij.status == "goedgekeurd",
                       binnen(self.sessie, col(PrestatieRij.toewijzingnummer), blok))
                .group_by(PrestatieRij.toewijzingnummer)).all()
            for nummer, volume, bedrag in rijen:
                uit[nummer] = Goedgekeurd(int(volume or 0), int(bedrag or 0))
        return uit

    def debetten(self, aanbieder: str, referentienummers: Iterable[str]
                 ) -> dict[str, EerdereDebet]:
        uit: dict[str, EerdereDebet] = {}
        for blok in blokken(self.sessie, referentienummers):
            for rij in self.sessie.exec(_goedgekeurde_debetten().where(
                    *self._lijnen(aanbieder),
                    binnen(self.sessie, col(PrestatieRij.referentienummer), blok))).all():
                uit[rij.referentienummer] = _als_debet(rij)
        return uit

    def open_debetten(self, aanbieder: str, toewijzingnummers: Iterable[str]
                      ) -> list[EerdereDebet]:
        uit: list[EerdereDebet] = []
        for blok in blokken(self.sessie, toewijzingnummers):
            uit.extend(_als_debet(rij) for rij in self.sessie.exec(_goedgekeurde_debetten().where(
                *self._lijnen(aanbieder), col(PrestatieRij.gecrediteerd).is_(False),
                binnen(self.sessie, col(PrestatieRij.toewijzingnummer), blok))).all())
        return uit

    def registreer(self, beoordeling: DeclaratieBeoordeling) -> None:
        self.bewaar(beoordeling)

    def bewaar(self, beoordeling: DeclaratieBeoordeling) -> DeclaratieRij:
        """Store the message, every line's outcome, and mark credited debits."""
        return self.schrijf(registratie(beoordeling))

    def schrijf(self, r: Registratie, grootboek: tuple[str, date] | None = None
                ) -> DeclaratieRij:
        """Write a made registration in this transaction: the message, every line's outcome
        (in bulk: no ORM object, nor bind processing, per line), the credited debits marked,
        and with `grootboek` (law, date of assessment) its ledger rows."""
        rij = DeclaratieRij(**r.declaratie, regio=self.regio, publiek_id=secrets.token_hex(16),
                            ontvangen_op=datetime.now(UTC))
        self.sessie.add(rij)
        self.sessie.flush()
        assert rij.id is not None
        schrijf(self.sessie, r.prestaties, (rij.id, self.regio))
        if grootboek is not None:
            wet, beoordeeld_op = grootboek
            schrijf(self.sessie, r.grootboek, (rij.id, self.regio, wet, beoordeeld_op))
        self._markeer_gecrediteerd(r.aanbieder, r.gecrediteerd)
        return rij

    def _markeer_gecrediteerd(self, aanbieder: str, vorige: tuple[str, ...]) -> None:
        for blok in blokken(self.sessie, vorige):
            self.sessie.execute(
                update(PrestatieRij)
                .where(*self._lijnen(aanbieder),
                       col(PrestatieRij.debet_credit) == "D",
                       col(PrestatieRij.status) == "goedgekeurd",
                       binnen(self.sessie, col(PrestatieRij.referentienummer), blok))
                .values(gecrediteerd=True))


# ---------------------------------------------------------------- made without a database

PRESTATIE_LATER = ("declaratie_id", "regio")
GROOTBOEK_LATER = ("declaratie_id", "regio", "wet", "beoordeeld_op")


@dataclass(frozen=True, slots=True)
class Registratie:
    """Everything recording one assessed message writes, made from the assessment alone:
    `controleer --database` makes it in a worker and sends it (plain values, cheap to
    pickle) to the process that holds the batch's transaction, which only writes it
    (`SqlHistorie.schrijf`). The BSNs in reasons are masked here already."""

    gemeente: str
    aanbieder: str
    declaratienummer: str
    inhoud_sleutel: str
    declaratie: dict[str, Any]
    """DeclaratieRij's fields but its ids, region and time of receipt"""
    prestaties: Rijen
    grootboek: Rijen
    gecrediteerd: tuple[str, ...]
    """the ReferentieNummers of the debits the approved credits cancel"""


def registratie(b: DeclaratieBeoordeling) -> Registratie:
    d = b.declaratie
    prestatie = PrestatieRij.metadata.tables[PrestatieRij.__tablename__]
    ledger = GrootboekRij.metadata.tables[GrootboekRij.__tablename__]
    return Registratie(
        d.gemeente, d.aanbieder, d.declaratienummer, d.inhoud_sleutel(), _declaratie_velden(b),
        rijen(prestatie, _prestatie_rijen(b), PRESTATIE_LATER),
        rijen(ledger, grootboekregels(b, "", "", 0, date.min), GROOTBOEK_LATER),
        _gecrediteerd(b))


def _declaratie_velden(b: DeclaratieBeoordeling) -> dict[str, Any]:
    d, bewijs = b.declaratie, b.ontvangstbewijs
    return dict(
        aanbieder=d.aanbieder, gemeente=d.gemeente,
        declaratienummer=d.declaratienummer,
        regelset_hash=bewijs.regelset_hash, backend=bewijs.backend, peildatum=bewijs.peildatum,
        totaal_ingediend=d.totaal_ingediend, totaal_toegekend=b.totaal_toegekend,
        inhoud_sleutel=d.inhoud_sleutel(), bericht_identificatie=d.bericht_identificatie,
        declaratie_begindatum=d.declaratie_begindatum,
        declaratie_einddatum=d.declaratie_einddatum,
        retourcodes=",".join(b.retourcodes),
        redenen=maskeer([reden_json(r, "afwijzing") for r in b.redenen]
                        + [reden_json(r, "signaal") for r in b.signalen],
                        {p.bsn for p in d.prestaties}))


def _prestatie_rijen(b: DeclaratieBeoordeling) -> Iterator[dict[str, Any]]:
    """Every line's row (but its message id and region). A line approved without remarks
    (the bulk) is read from the line alone: its outcome is not made and it has no reasons
    to mask."""
    uitkomsten = b.uitkomsten
    is_bijzonder = getattr(uitkomsten, "is_bijzonder", None)
    d, hash_ = b.declaratie, b.ontvangstbewijs.regelset_hash
    vast = {"gemeente": d.gemeente, "aanbieder": d.aanbieder, "regelset_hash": hash_,
            "gecrediteerd": False}
    for i, p in enumerate(d.prestaties):
        if is_bijzonder is None or is_bijzonder(i):
            yield _prestatie_rij(b, uitkomsten[i])
            continue
        yield {
            **vast, "bsn": p.bsn, "volgnummer": p.volgnummer,
            "referentienummer": p.referentienummer,
            "vorig_referentienummer": p.vorig_referentienummer,
            "toewijzingnummer": p.toewijzingnummer, "productcode": p.productcode,
            "begindatum": p.begindatum, "einddatum": p.einddatum,
            "geleverd_volume": p.geleverd_volume, "ingediend_bedrag": p.ingediend_bedrag,
            "toegekend_bedrag": p.ingediend_bedrag if p.debet_credit == "D"
            else -p.ingediend_bedrag,
            "debet_credit": p.debet_credit, "status": "goedgekeurd", "retourcodes": "",
            "redenen": []}


def _prestatie_rij(b: DeclaratieBeoordeling, u: PrestatieUitkomst) -> dict[str, Any]:
    p = b.declaratie.prestaties[u.volgnummer]
    redenen = [reden_json(r, "afwijzing") for r in u.redenen]
    redenen += [reden_json(r, "signaal") for r in u.signalen]
    redenen = maskeer(redenen, {p.bsn})  # shown by GET and /uitleg (see weergave.privacy)
    return dict(
        gemeente=b.declaratie.gemeente, aanbieder=b.declaratie.aanbieder, bsn=p.bsn,
        volgnummer=u.volgnummer, referentienummer=p.referentienummer,
        vorig_referentienummer=p.vorig_referentienummer,
        toewijzingnummer=p.toewijzingnummer, productcode=p.productcode,
        begindatum=p.begindatum, einddatum=p.einddatum, geleverd_volume=p.geleverd_volume,
        ingediend_bedrag=p.ingediend_bedrag, toegekend_bedrag=u.toegekend_bedrag,
        debet_credit=p.debet_credit, status=u.status, retourcodes=",".join(u.retourcodes),
        regelset_hash=b.ontvangstbewijs.regelset_hash, redenen=redenen, gecrediteerd=False)


def _gecrediteerd(b: DeclaratieBeoordeling) -> tuple[str, ...]:
    """The debits cancelled by this message's approved credits. Only lines with a remark
    have an outcome to read; the others are approved as sent."""
    prestaties = b.declaratie.prestaties
    uitkomsten = b.uitkomsten
    is_bijzonder = getattr(uitkomsten, "is_bijzonder", None)
    uit = []
    for i, p in enumerate(prestaties):
        if p.debet_credit != "C" or not p.vorig_referentienummer:
            continue
        zonder_opmerking = is_bijzonder is not None and not is_bijzonder(i)
        if zonder_opmerking or uitkomsten[i].status == "goedgekeurd":
            uit.append(p.vorig_referentienummer)
    return tuple(uit)
