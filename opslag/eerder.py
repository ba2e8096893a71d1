"""What earlier runs left in the store, read whole into the in-memory history
(`engine.historie.GeheugenHistorie`) that `regelwerk controleer --database` assesses with.

The batch assesses a month in blocks against an in-memory history (fast, and the same code
as without a store); with `--database` that history starts from the store instead of empty,
per gemeente of the region and only for the batch's providers. The caller holds their
locks (`database.vergrendel_aanbieder`) in the same transaction, so what is read here
cannot change until the batch is recorded."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import case, func
from sqlalchemy import select as kolommen
from sqlmodel import Session, col, select

from engine.historie import GeheugenHistorie
from engine.model import EerdereDebet
from opslag.tabellen import DeclaratieRij, PrestatieRij

_BLOK = 500


def _blokken(sleutels: Collection[str]) -> Iterator[list[str]]:
    uniek = sorted(set(sleutels))
    for i in range(0, len(uniek), _BLOK):
        yield uniek[i:i + _BLOK]


def aanbieders_in_regio(sessie: Session, regio: str) -> set[str]:
    """Every provider with a stored declaration in the region."""
    return set(sessie.exec(select(DeclaratieRij.aanbieder).where(
        DeclaratieRij.regio == regio).distinct()).all())


def laad_historien(sessie: Session, regio: str, gemeenten: Collection[str],
                   aanbieders: Collection[str]) -> dict[str, GeheugenHistorie]:
    """Per gemeente the history of these providers, as the store holds it."""
    historien = {g: GeheugenHistorie() for g in gemeenten}
    gegevens: dict[tuple[str, str], dict[str, list[Any]]] = {}

    def van(gemeente: str, aanbieder: str) -> dict[str, list[Any]]:
        return gegevens.setdefault((gemeente, aanbieder), {
            "identificaties": [], "declaraties": [], "referentienummers": [],
            "goedgekeurd": [], "debetten": [], "perioden": []})

    for blok in _blokken(aanbieders):
        for g, a, ident, nummer, inhoud, einde in sessie.execute(
                kolommen(col(DeclaratieRij.gemeente), col(DeclaratieRij.aanbieder),
                         col(DeclaratieRij.bericht_identificatie),
                         col(DeclaratieRij.declaratienummer), col(DeclaratieRij.inhoud_sleutel),
                         col(DeclaratieRij.declaratie_einddatum))
                .where(col(DeclaratieRij.regio) == regio, col(DeclaratieRij.aanbieder).in_(blok))
                .order_by(col(DeclaratieRij.id))).all():
            van(g, a)["identificaties"].append(ident)
            van(g, a)["declaraties"].append((nummer, inhoud))
            van(g, a)["perioden"].append((g, einde))
        for g, a, referentie in sessie.exec(
                select(PrestatieRij.gemeente, PrestatieRij.aanbieder,
                       PrestatieRij.referentienummer)
                .where(PrestatieRij.regio == regio,
                       col(PrestatieRij.aanbieder).in_(blok))).all():
            van(g, a)["referentienummers"].append(referentie)
        teken = case((col(PrestatieRij.debet_credit) == "C", -1), else_=1)
        for g, a, toewijzing, volume, bedrag in sessie.execute(
                kolommen(col(PrestatieRij.gemeente), col(PrestatieRij.aanbieder),
                         col(PrestatieRij.toewijzingnummer),
                         func.sum(teken * PrestatieRij.geleverd_volume),
                         func.sum(PrestatieRij.toegekend_bedrag))
                .where(col(PrestatieRij.regio) == regio, col(PrestatieRij.aanbieder).in_(blok),
                       col(PrestatieRij.status) == "goedgekeurd")
                .group_by(PrestatieRij.gemeente, PrestatieRij.aanbieder,
                          PrestatieRij.toewijzingnummer)).all():
            van(g, a)["goedgekeurd"].append((toewijzing, int(volume or 0), int(bedrag or 0)))
        for r in sessie.exec(
                select(PrestatieRij)
                .where(PrestatieRij.regio == regio, col(PrestatieRij.aanbieder).in_(blok),
                       PrestatieRij.status == "goedgekeurd", PrestatieRij.debet_credit == "D")
                .order_by(col(PrestatieRij.id))).all():
            van(r.gemeente, r.aanbieder)["debetten"].append(EerdereDebet(
                r.referentienummer, r.toewijzingnummer, r.productcode, r.begindatum,
                r.einddatum, r.geleverd_volume, r.toegekend_bedrag, r.gecrediteerd))
    for (gemeente, aanbieder), velden in gegevens.items():
        if gemeente in historien:
            historien[gemeente].laad(aanbieder, **velden)
    return historien
