"""The ledger (grootboek): one row per assessed line, the place where production accumulates.

Every money question of a region (what did provider X produce for gemeente Y in Q2, when
does X reach its ceiling, what goes into X's production account) is asked of this table;
the period rules, the quarter and year reports and the settlement of the year (issue 14 and
after) read it. It is written in the same transaction as the assessment it records, by the
service and by `regelwerk controleer --database`, so it never holds half a message.

What a row holds and why:
- the lane: region, law (`wet`: from the message's standard), provider (AGB), gemeente;
- the client (BSN): personal data, needed to count distinct clients (art. 49, 53); stored,
  never logged, never shown in a report (a report counts clients, it does not list them);
- allocation, product category and code, unit: what the production account groups by;
- the care month (`zorg_begindatum`..`zorg_einddatum`, the line's ProductPeriode) with its
  year, quarter and month as columns of their own, so a period report is an index range;
- volume, submitted and approved amount in whole cents, signed: a credit line is negative
  in all three, so a sum over a month is what was produced in it net of corrections (a
  credit lowers the month it credits: its ProductPeriode is the credited line's);
- status and retourcodes: rejected lines stay visible (approved amount 0);
- declaration and message (`declaratie_id`, DeclaratieNummer, BerichtIdentificatie),
  ReferentieNummer, the date of assessment and the rule-set hash: where each figure came
  from, and under which rules.

Nothing here is written for a message refused as a whole (it counts as not sent) nor for a
resubmitted identical message (it is answered from the store and counted once)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Index, Integer
from sqlmodel import Field, Session, SQLModel

from engine.model import DeclaratieBeoordeling
from opslag.bulk import voeg_in

_SLEUTEL = BigInteger().with_variant(Integer(), "sqlite")
"""A 64-bit key (a national ledger grows by some 18M rows a year); SQLite's rowid alias
must be declared INTEGER."""


class GrootboekRij(SQLModel, table=True):
    """One assessed line in the ledger (see the module's docstring)."""

    __tablename__ = "grootboek"
    # The reports' questions: a region's year or quarter per provider (and its ceiling per
    # month), per gemeente; and the rows of one declaration.
    __table_args__ = (
        Index("ix_grootboek_aanbieder", "regio", "aanbieder", "jaar", "kwartaal", "maand"),
        Index("ix_grootboek_gemeente", "regio", "gemeente", "jaar", "kwartaal"),
        Index("ix_grootboek_periode", "regio", "jaar", "kwartaal"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=_SLEUTEL)
    regio: str = Field(max_length=100)
    wet: str = Field(max_length=10)
    aanbieder: str = Field(max_length=16)
    gemeente: str = Field(max_length=8)
    bsn: str = Field(max_length=9)
    toewijzingnummer: str = Field(max_length=40)
    productcategorie: str = Field(max_length=8)
    productcode: str | None = Field(default=None, max_length=8)
    eenheid: str = Field(max_length=4)
    zorg_begindatum: date
    zorg_einddatum: date
    jaar: int
    kwartaal: int
    maand: int
    volume: int = Field(sa_type=BigInteger)
    ingediend_bedrag: int = Field(sa_type=BigInteger)
    goedgekeurd_bedrag: int = Field(sa_type=BigInteger)
    debet_credit: str = Field(max_length=1)
    status: str = Field(max_length=12)
    retourcodes: str = ""
    declaratie_id: int = Field(foreign_key="declaratie.id", index=True)
    declaratienummer: str = Field(max_length=40)
    bericht_identificatie: str = Field(max_length=40)
    referentienummer: str = Field(max_length=40)
    vorig_referentienummer: str | None = Field(default=None, max_length=40)
    beoordeeld_op: date
    regelset_hash: str = Field(max_length=64)


def grootboekregels(beoordeling: DeclaratieBeoordeling, regio: str, wet: str,
                    declaratie_id: int, beoordeeld_op: date) -> Iterator[dict[str, Any]]:
    """The ledger rows of one assessed message, in line order. Lines approved without a
    remark (the bulk) are read from the line alone: their outcome is never made."""
    d = beoordeling.declaratie
    uitkomsten = beoordeling.uitkomsten
    is_bijzonder = getattr(uitkomsten, "is_bijzonder", None)
    vast = {"regio": regio, "wet": wet, "aanbieder": d.aanbieder, "gemeente": d.gemeente,
            "declaratie_id": declaratie_id, "declaratienummer": d.declaratienummer,
            "bericht_identificatie": d.bericht_identificatie, "beoordeeld_op": beoordeeld_op,
            "regelset_hash": beoordeling.ontvangstbewijs.regelset_hash}
    for rij, p in enumerate(d.prestaties):
        teken = -1 if p.debet_credit == "C" else 1
        if is_bijzonder is None or is_bijzonder(rij):
            u = uitkomsten[rij]
            status, codes, goedgekeurd = u.status, ",".join(u.retourcodes), u.toegekend_bedrag
        else:
            status, codes, goedgekeurd = "goedgekeurd", "", teken * p.ingediend_bedrag
        begin = p.begindatum
        yield {**vast, "bsn": p.bsn, "toewijzingnummer": p.toewijzingnummer,
               "productcategorie": p.productcategorie, "productcode": p.productcode,
               "eenheid": p.eenheid, "zorg_begindatum": begin, "zorg_einddatum": p.einddatum,
               "jaar": begin.year, "kwartaal": (begin.month - 1) // 3 + 1,
               "maand": begin.month, "volume": teken * p.geleverd_volume,
               "ingediend_bedrag": teken * p.ingediend_bedrag,
               "goedgekeurd_bedrag": goedgekeurd, "debet_credit": p.debet_credit,
               "status": status, "retourcodes": codes,
               "referentienummer": p.referentienummer,
               "vorig_referentienummer": p.vorig_referentienummer}


def boek(sessie: Session, beoordeling: DeclaratieBeoordeling, regio: str, wet: str,
         declaratie_id: int, beoordeeld_op: date) -> int:
    """Write the ledger rows of one assessed message in the caller's transaction (bulk
    insert, never an ORM object per line); the number of rows."""
    return schrijf_rijen(sessie, grootboekregels(beoordeling, regio, wet, declaratie_id,
                                                 beoordeeld_op))


def schrijf_rijen(sessie: Session, rijen: Iterable[dict[str, Any]]) -> int:
    """Insert ledger rows in bulk (`opslag.bulk`: COPY on PostgreSQL, one prepared INSERT
    on SQLite) in the caller's transaction; the number written."""
    return voeg_in(sessie, SQLModel.metadata.tables[GrootboekRij.__tablename__], rijen)
