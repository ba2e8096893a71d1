"""Reading and writing allocations, absences and assessed declarations.

Every function works inside a transaction the caller opened (`database.transactie`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import literal_column
from sqlalchemy import select as select_kolommen
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col, select

from engine.model import Afwezigheid, Context, Declaratie, Toewijzing
from opslag.sleutels import binnen, blokken
from opslag.tabellen import AfwezigheidRij, DeclaratieRij, PrestatieRij, ToewijzingRij

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


class ToewijzingConflictError(Exception):
    """A version (ToewijzingNummer, Toewijzingsdatum, -tijd) that is already stored, or sent
    twice, with other content: refused, never dropped. Carries no BSN."""

    def __init__(self, versie: Toewijzing) -> None:
        super().__init__(versie.toewijzingnummer)
        self.versie = versie


def bewaar_toewijzingen(sessie: Session, regio: str, versies: Sequence[Toewijzing]) -> int:
    """Store allocation versions; a version already stored with the same content is kept.
    Returns how many are new; raises ToewijzingConflictError (before writing anything) for a
    version whose key is stored, or repeated in `versies`, with other content."""
    _controleer_conflicten(sessie, regio, versies)
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


def _versiesleutel(t: Toewijzing) -> tuple[Any, ...]:
    return (t.gemeente, t.aanbieder, t.toewijzingnummer, t.toewijzingsdatum, t.toewijzingstijd)


def _controleer_conflicten(sessie: Session, regio: str, versies: Sequence[Toewijzing]) -> None:
    """Raise ToewijzingConflictError for the first version whose key already holds other
    content (stored in this region, or earlier in the same message)."""
    bekend: dict[tuple[Any, ...], Toewijzing] = {}
    groepen: dict[tuple[str, str], set[str]] = {}
    for t in versies:
        groepen.setdefault((t.gemeente, t.aanbieder), set()).add(t.toewijzingnummer)
    for (gemeente, aanbieder), nummers in sorted(groepen.items()):
        for t in _versies(sessie, regio, gemeente, aanbieder, nummers):
            bekend[_versiesleutel(t)] = t
    for t in versies:
        eerder = bekend.setdefault(_versiesleutel(t), t)
        if eerder != t:
            raise ToewijzingConflictError(t)


def _versies(sessie: Session, regio: str, gemeente: str, aanbieder: str,
             nummers: Iterable[str]) -> list[Toewijzing]:
    """Every stored version of these numbers in this region, gemeente and provider (read as
    plain columns: a 20,000-line message names 20,000 allocations, and an ORM object per
    row costs more than the query)."""
    tabel = SQLModel.metadata.tables[ToewijzingRij.__tablename__].c
    kolommen = [tabel[naam] for naam in Toewijzing.__slots__]
    uit: list[Toewijzing] = []
    for blok in blokken(sessie, nummers):
        uit.extend(Toewijzing(*rij) for rij in sessie.execute(
            select_kolommen(*kolommen).where(
                tabel.regio == regio, tabel.gemeente == gemeente, tabel.aanbieder == aanbieder,
                binnen(sessie, tabel.toewijzingnummer, blok))).all())
    return uit


def geldende_toewijzingen(sessie: Session, regio: str, gemeente: str, aanbieder: str,
                          nummers: Iterable[str]) -> dict[str, Toewijzing]:
    """The version in force per number in this region and gemeente: latest
    Toewijzingsdatum + Toewijzingstijd."""
    uit: dict[str, Toewijzing] = {}
    for t in _versies(sessie, regio, gemeente, aanbieder, nummers):
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
    rijen = [r for blok in blokken(sessie, nummers) for r in sessie.exec(
        select(AfwezigheidRij).where(
            AfwezigheidRij.regio == regio,
            binnen(sessie, col(AfwezigheidRij.toewijzingnummer), blok))).all()]
    return tuple(Afwezigheid(r.bsn, r.toewijzingnummer, r.van, r.tot) for r in rijen)


def context_voor(sessie: Session, regio: str, declaratie: Declaratie) -> Context:
    """The allocations in force and the absences the lines of `declaratie` refer to."""
    nummers = {p.toewijzingnummer for p in declaratie.prestaties}
    return Context(
        toewijzingen=geldende_toewijzingen(sessie, regio, declaratie.gemeente,
                                           declaratie.aanbieder, nummers),
        afwezigheden=afwezigheden(sessie, regio, nummers))


def eerder_antwoord(sessie: Session, regio: str, declaratie: Declaratie
                    ) -> DeclaratieRij | None:
    """The stored assessment of this very message (same region, gemeente, provider, number
    and content)."""
    return eerder_antwoord_op(sessie, regio, declaratie.gemeente, declaratie.aanbieder,
                              declaratie.declaratienummer, declaratie.inhoud_sleutel())


def eerder_antwoord_op(sessie: Session, regio: str, gemeente: str, aanbieder: str,
                       declaratienummer: str, inhoud_sleutel: str) -> DeclaratieRij | None:
    """`eerder_antwoord` by the message's key alone (a worker sends no declaration)."""
    return sessie.exec(select(DeclaratieRij).where(
        DeclaratieRij.regio == regio, DeclaratieRij.gemeente == gemeente,
        DeclaratieRij.aanbieder == aanbieder,
        DeclaratieRij.declaratienummer == declaratienummer,
        DeclaratieRij.inhoud_sleutel == inhoud_sleutel)
        .order_by(col(DeclaratieRij.id)).limit(1)).first()


def identificatie_bekend(sessie: Session, regio: str, declaratie: Declaratie) -> bool:
    """Whether a stored message of this provider to this gemeente had the same
    BerichtIdentificatie (TR056: unique per message kind for the sender; the receiving
    gemeente can only check what was sent to it). A refused message is not stored. The
    table does not keep the message kind: in a region whose contract covers both laws, an
    identification used in a JW323 also counts for a WMO323 (stricter than TR056). Found
    through ix_declaratie_identificatie."""
    return sessie.exec(select(DeclaratieRij.id).where(
        DeclaratieRij.regio == regio, DeclaratieRij.gemeente == declaratie.gemeente,
        DeclaratieRij.aanbieder == declaratie.aanbieder,
        DeclaratieRij.bericht_identificatie == declaratie.bericht_identificatie)
        .limit(1)).first() is not None


def declaratie(sessie: Session, publiek_id: str, regios: frozenset[str] | None
               ) -> DeclaratieRij | None:
    """The declaration with this public id in one of `regios` (None: any region). Another
    region's declaration is not found, exactly like one that does not exist."""
    vraag = select(DeclaratieRij).where(DeclaratieRij.publiek_id == publiek_id)
    if regios is not None:
        vraag = vraag.where(col(DeclaratieRij.regio).in_(sorted(regios)))
    return sessie.exec(vraag).first()


def prestaties(sessie: Session, declaratie_id: int) -> list[PrestatieRij]:
    return list(sessie.exec(select(PrestatieRij)
                            .where(PrestatieRij.declaratie_id == declaratie_id)
                            .order_by(col(PrestatieRij.volgnummer))).all())
