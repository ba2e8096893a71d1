"""`engine.model.Historie` on SQL: what earlier messages of a provider left behind.

Bound to one open transaction, one region and one gemeente: every query is filtered on both,
so another region's (or gemeente's) lines never count for or against a message. The service
holds the provider's lock for that transaction, so what is read here cannot change until the
message is registered.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import asdict
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
from opslag.bulk import voeg_in
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
        rij = self._declaratie_rij(beoordeling)
        self.sessie.add(rij)
        self.sessie.flush()
        assert rij.id is not None
        # in bulk (COPY, one prepared INSERT): no ORM object, nor bind processing, per line
        voeg_in(self.sessie, PrestatieRij.metadata.tables[PrestatieRij.__tablename__],
                self._prestatie_rijen(beoordeling, rij.id))
        self._markeer_gecrediteerd(beoordeling)
        self.sessie.flush()
        return rij

    def _declaratie_rij(self, b: DeclaratieBeoordeling) -> DeclaratieRij:
        d, bewijs = b.declaratie, b.ontvangstbewijs
        return DeclaratieRij(
            publiek_id=secrets.token_hex(16),
            regio=self.regio, aanbieder=d.aanbieder, gemeente=self.gemeente,
            declaratienummer=d.declaratienummer, ontvangen_op=datetime.now(UTC),
            regelset_hash=bewijs.regelset_hash, backend=bewijs.backend, peildatum=bewijs.peildatum,
            totaal_ingediend=d.totaal_ingediend, totaal_toegekend=b.totaal_toegekend,
            inhoud_sleutel=d.inhoud_sleutel(), bericht_identificatie=d.bericht_identificatie,
            declaratie_begindatum=d.declaratie_begindatum,
            declaratie_einddatum=d.declaratie_einddatum,
            retourcodes=",".join(b.retourcodes),
            redenen=maskeer([reden_json(r, "afwijzing") for r in b.redenen]
                            + [reden_json(r, "signaal") for r in b.signalen],
                            {p.bsn for p in d.prestaties}))

    def _prestatie_rijen(self, b: DeclaratieBeoordeling, declaratie_id: int
                         ) -> list[dict[str, Any]]:
        """Every line's row. A line approved without remarks (the bulk) is read from the
        line alone: its outcome is not made and it has no reasons to mask."""
        uitkomsten = b.uitkomsten
        is_bijzonder = getattr(uitkomsten, "is_bijzonder", None)
        if is_bijzonder is None:
            return [self._prestatie_rij(b, u, declaratie_id) for u in uitkomsten]
        d, hash_ = b.declaratie, b.ontvangstbewijs.regelset_hash
        vast = {"declaratie_id": declaratie_id, "regio": self.regio, "gemeente": self.gemeente,
                "aanbieder": d.aanbieder, "regelset_hash": hash_, "gecrediteerd": False}
        rijen = []
        for i, p in enumerate(d.prestaties):
            if is_bijzonder(i):
                rijen.append(self._prestatie_rij(b, uitkomsten[i], declaratie_id))
                continue
            rijen.append({
                **vast, "bsn": p.bsn, "volgnummer": p.volgnummer,
                "referentienummer": p.referentienummer,
                "vorig_referentienummer": p.vorig_referentienummer,
                "toewijzingnummer": p.toewijzingnummer, "productcode": p.productcode,
                "begindatum": p.begindatum, "einddatum": p.einddatum,
                "geleverd_volume": p.geleverd_volume, "ingediend_bedrag": p.ingediend_bedrag,
                "toegekend_bedrag": p.ingediend_bedrag if p.debet_credit == "D"
                else -p.ingediend_bedrag,
                "debet_credit": p.debet_credit, "status": "goedgekeurd", "retourcodes": "",
                "redenen": []})
        return rijen

    def _prestatie_rij(self, b: DeclaratieBeoordeling, u: PrestatieUitkomst,
                       declaratie_id: int) -> dict[str, Any]:
        p = b.declaratie.prestaties[u.volgnummer]
        redenen = [reden_json(r, "afwijzing") for r in u.redenen]
        redenen += [reden_json(r, "signaal") for r in u.signalen]
        redenen = maskeer(redenen, {p.bsn})  # shown by GET and /uitleg (see weergave.privacy)
        return dict(
            declaratie_id=declaratie_id, regio=self.regio, gemeente=self.gemeente,
            aanbieder=b.declaratie.aanbieder, bsn=p.bsn,
            volgnummer=u.volgnummer, referentienummer=p.referentienummer,
            vorig_referentienummer=p.vorig_referentienummer,
            toewijzingnummer=p.toewijzingnummer, productcode=p.productcode,
            begindatum=p.begindatum, einddatum=p.einddatum, geleverd_volume=p.geleverd_volume,
            ingediend_bedrag=p.ingediend_bedrag, toegekend_bedrag=u.toegekend_bedrag,
            debet_credit=p.debet_credit, status=u.status, retourcodes=",".join(u.retourcodes),
            regelset_hash=b.ontvangstbewijs.regelset_hash, redenen=redenen, gecrediteerd=False)

    def _markeer_gecrediteerd(self, b: DeclaratieBeoordeling) -> None:
        aanbieder = b.declaratie.aanbieder
        vorige = [b.declaratie.prestaties[u.volgnummer].vorig_referentienummer
                  for u in b.uitkomsten
                  if u.status == "goedgekeurd"
                  and b.declaratie.prestaties[u.volgnummer].debet_credit == "C"]
        for blok in blokken(self.sessie, (v for v in vorige if v)):
            self.sessie.execute(
                update(PrestatieRij)
                .where(*self._lijnen(aanbieder),
                       col(PrestatieRij.debet_credit) == "D",
                       col(PrestatieRij.status) == "goedgekeurd",
                       binnen(self.sessie, col(PrestatieRij.referentienummer), blok))
                .values(gecrediteerd=True))
