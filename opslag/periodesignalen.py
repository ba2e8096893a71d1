"""Stored period signals: what the period rules found for a provider's quarter or year.

A signal is dated by its period (jaar, kwartaal; kwartaal 0 for the year) and never changes
an answer already given. Recomputing a period replaces that period's stored signals of the
region in one transaction (`vervang`), so running it twice stores the same rows once.
The values shown and the sentence name no client: a period rule counts clients."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Index, delete, insert, select
from sqlmodel import Field, Session, SQLModel

from engine.periode import Periode, PeriodeSignaal
from opslag.tabellen import SLEUTEL64


class PeriodeSignaalRij(SQLModel, table=True):
    """One signal of a period rule for one provider (and gemeente or segment) and period."""

    __tablename__ = "periodesignaal"
    __table_args__ = (Index("ix_periodesignaal_periode", "regio", "jaar", "kwartaal"),)
    id: int | None = Field(default=None, primary_key=True, sa_type=SLEUTEL64)
    regio: str = Field(max_length=100)
    jaar: int
    kwartaal: int
    """1..4, or 0 for a signal about the whole year."""
    aanbieder: str = Field(max_length=16)
    gemeente: str = Field(default="", max_length=8)
    segment: str = Field(default="", max_length=40)
    code: str = Field(max_length=16)
    regel_id: str = Field(max_length=300)
    artikel: str = Field(max_length=40)
    lid: str = Field(max_length=40)
    waarden: str
    """JSON: [[naam, getoonde waarde], ...] as in the sentence."""
    zin: str
    regelset_hash: str = Field(max_length=64)
    berekend_op: datetime


def vervang(sessie: Session, regio: str, periode: Periode, signalen: Sequence[PeriodeSignaal],
            regelset_hash: str, berekend_op: datetime) -> int:
    """Store the signals of one region's period in place of those stored before."""
    tabel = SQLModel.metadata.tables[PeriodeSignaalRij.__tablename__]
    kwartaal = periode.kwartaal or 0
    sessie.execute(delete(tabel).where(tabel.c.regio == regio, tabel.c.jaar == periode.jaar,
                                       tabel.c.kwartaal == kwartaal))
    rijen = [{"regio": regio, "jaar": periode.jaar, "kwartaal": kwartaal,
              "aanbieder": s.aanbieder, "gemeente": s.gemeente, "segment": s.segment,
              "code": s.code, "regel_id": s.regel_id, "artikel": s.artikel, "lid": s.lid,
              "waarden": json.dumps(s.waarden, ensure_ascii=False), "zin": s.zin,
              "regelset_hash": regelset_hash, "berekend_op": berekend_op} for s in signalen]
    if rijen:
        sessie.execute(insert(tabel), rijen)
    return len(rijen)


def opgeslagen(sessie: Session, regio: str, periode: Periode) -> list[PeriodeSignaalRij]:
    """The stored signals of one region's period, in the order they were computed."""
    vraag = (select(PeriodeSignaalRij)
             .where(PeriodeSignaalRij.regio == regio)  # type: ignore[arg-type]
             .where(PeriodeSignaalRij.jaar == periode.jaar)  # type: ignore[arg-type]
             .where(PeriodeSignaalRij.kwartaal == (periode.kwartaal or 0))  # type: ignore[arg-type]
             .order_by(PeriodeSignaalRij.id))  # type: ignore[arg-type]
    return list(sessie.scalars(vraag))
