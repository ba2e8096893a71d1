"""Reading and writing allocations, absences and assessed declarations.

Every function works inside a transaction the caller opened (`database.transactie`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col, select

from api.opslag.tabellen import AfwezigheidRij, DeclaratieRij, PrestatieRij, ToewijzingRij
from engine.model import Afwezigheid, Context, Declaratie, Toewijzing

_BLOK = 500
_INSERT: dict[str, Any] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _voeg_toe_of_negeer(sessie: Session, tabel: type[SQLModel],
                        rijen: Sequence[dict[str, Any]]) -> int:
    """Insert rows, skipping those a unique constraint already holds; the number inserted."""
    insert = _INSERT[sessie.get_bind().dialect.name]
    nieuw = 0
    for i in range(0, len(rijen), _BLOK):  # multi-row VALUES, within parameter limits
        opdracht = insert(tabel).values(list(rijen[i:i + _BLOK])).on_conflict_do_nothing()
        nieuw += len(sessie.execute(opdracht.returning(literal_column("1"))).all())
    return nieuw


def bewaar_toewijzingen(sessie: Session, regio: str, versies: Sequence[Toewijzing]) -> int:
    """Store allocation versions; a version already stored is kept. Returns how many are new."""
    nu = datetime.now(UTC)
    rijen = [{**_toewijzing_velden(t), "regio": regio, "ontvangen_op": nu} for t in versies]
    return _voeg_toe_of_negeer(sessie, ToewijzingRij, rijen)


def _toewijzing_velden(t: Toewijzing) -> dict[str, Any]:
    return {naam: getattr(t, naam) for naam in (
        "toewijzingnummer", "bsn", "gemeente", "aanbieder", "productcategorie", "productcode",
        "toewijzingsdatum", "toewijzingstijd", "ingangsdatum", "einddatum", "volume", "eenheid",
        "frequentie", "budget", "reden_wijziging")}


def _als_toewijzing(rij: ToewijzingRij) -> Toewijzing:
    return Toewijzing(**{naam: getattr(rij, naam) for naam in Toewijzing.__slots__})


def geldende_toewijzingen(sessie: Session, gemeente: str, aanbieder: str,
                          nummers: Iterable[str]) -> dict[str, Toewijzing]:
    """The version in force per number: latest Toewijzingsdatum + Toewijzingstijd."""
    uit: dict[str, Toewijzing] = {}
    for rij in sessie.exec(select(ToewijzingRij).where(
            ToewijzingRij.gemeente == gemeente, ToewijzingRij.aanbieder == aanbieder,
            col(ToewijzingRij.toewijzingnummer).in_(sorted(set(nummers))))).all():
        t = _als_toewijzing(rij)
        huidig = uit.get(t.toewijzingnummer)
        if huidig is None or t.versie > huidig.versie:
            uit[t.toewijzingnummer] = t
    return uit


def bewaar_afwezigheden(sessie: Session, regio: str, perioden: Sequence[Afwezigheid]) -> int:
    """Store absence periods; one already stored is kept. Returns how many are new."""
    rijen = [{"regio": regio, "bsn": a.bsn, "toewijzingnummer": a.toewijzingnummer,
              "van": a.van, "tot": a.tot} for a in perioden]
    return _voeg_toe_of_negeer(sessie, AfwezigheidRij, rijen)


def afwezigheden(sessie: Session, regio: str, nummers: Iterable[str]) -> tuple[Afwezigheid, ...]:
    rijen = sessie.exec(select(AfwezigheidRij).where(
        AfwezigheidRij.regio == regio,
        col(AfwezigheidRij.toewijzingnummer).in_(sorted(set(nummers))))).all()
    return tuple(Afwezigheid(r.bsn, r.toewijzingnummer, r.van, r.tot) for r in rijen)


def context_voor(sessie: Session, regio: str, declaratie: Declaratie) -> Context:
    """The allocations in force and the absences the lines of `declaratie` refer to."""
    nummers = {p.toewijzingnummer for p in declaratie.prestaties}
    return Context(
        toewijzingen=geldende_toewijzingen(sessie, declaratie.gemeente, declaratie.aanbieder,
                                           nummers),
        afwezigheden=afwezigheden(sessie, regio, nummers))


def eerder_antwoord(sessie: Session, declaratie: Declaratie) -> DeclaratieRij | None:
    """The stored assessment of this very message (same provider, number and content)."""
    return sessie.exec(select(DeclaratieRij).where(
        DeclaratieRij.aanbieder == declaratie.aanbieder,
        DeclaratieRij.declaratienummer == declaratie.declaratienummer,
        DeclaratieRij.inhoud_sleutel == declaratie.inhoud_sleutel())
        .order_by(col(DeclaratieRij.id)).limit(1)).first()


def declaratie(sessie: Session, declaratie_id: int) -> DeclaratieRij | None:
    return sessie.get(DeclaratieRij, declaratie_id)


def prestaties(sessie: Session, declaratie_id: int) -> list[PrestatieRij]:
    return list(sessie.exec(select(PrestatieRij)
                            .where(PrestatieRij.declaratie_id == declaratie_id)
                            .order_by(col(PrestatieRij.volgnummer))).all())
