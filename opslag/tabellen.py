"""The SQL tables (SQLModel). Money in whole euro cents (BIGINT: a TotaalBedrag may reach
999,999,999,999), dates as `date`, never floats.

Families as in the FastAPI template: `XBase` holds the fields the API also shows, the
`...Rij(table=True)` class is the row, `api.schemas` has the `XPublic` answers.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

SLEUTEL64 = BigInteger().with_variant(Integer(), "sqlite")
"""A 64-bit key for the tables that grow by millions of rows a year (ledger, payments,
period signals); SQLite's rowid alias must be declared INTEGER."""


class AanbiederSlot(SQLModel, table=True):
    """One row per provider, locked (SELECT ... FOR UPDATE) while a message of that provider
    is assessed: the history of one provider changes one message at a time."""

    __tablename__ = "aanbieder_slot"
    aanbieder: str = Field(primary_key=True, max_length=16)


class ToewijzingBase(SQLModel):
    regio: str = Field(index=True, max_length=100)
    gemeente: str = Field(max_length=8)
    aanbieder: str = Field(max_length=16)
    toewijzingnummer: str = Field(max_length=40)
    productcategorie: str | None = None
    productcode: str | None = None
    toewijzingsdatum: date
    toewijzingstijd: time
    ingangsdatum: date
    einddatum: date | None = None
    volume: int | None = Field(default=None, sa_type=BigInteger)
    eenheid: str | None = None
    frequentie: str | None = None
    budget: int | None = Field(default=None, sa_type=BigInteger)
    reden_wijziging: str | None = None


class ToewijzingRij(ToewijzingBase, table=True):
    """One version of an allocation (JW301 ToegewezenProduct)."""

    __tablename__ = "toewijzing"
    # A ToewijzingNummer is unique within a gemeente; a region keeps its own versions, so
    # another region's message can never add, replace or shadow one of them.
    __table_args__ = (
        UniqueConstraint("regio", "gemeente", "aanbieder", "toewijzingnummer",
                         "toewijzingsdatum", "toewijzingstijd", name="uq_toewijzing_versie"),
        Index("ix_toewijzing_nummer", "regio", "gemeente", "aanbieder", "toewijzingnummer"),
    )
    id: int | None = Field(default=None, primary_key=True)
    bsn: str = Field(max_length=9)
    ontvangen_op: datetime


class AfwezigheidRij(SQLModel, table=True):
    __tablename__ = "afwezigheid"
    __table_args__ = (
        UniqueConstraint("regio", "bsn", "toewijzingnummer", "van", "tot",
                         name="uq_afwezigheid"),
    )
    id: int | None = Field(default=None, primary_key=True)
    regio: str = Field(max_length=100)
    bsn: str = Field(max_length=9)
    toewijzingnummer: str = Field(max_length=40, index=True)
    van: date
    tot: date


class DeclaratieBase(SQLModel):
    regio: str = Field(index=True, max_length=100)
    aanbieder: str = Field(max_length=16)
    gemeente: str = Field(max_length=8)
    declaratienummer: str = Field(max_length=40)
    ontvangen_op: datetime
    regelset_hash: str = Field(max_length=64)
    backend: str = Field(max_length=20)
    peildatum: date
    totaal_ingediend: int = Field(sa_type=BigInteger)
    totaal_toegekend: int = Field(sa_type=BigInteger)


class DeclaratieRij(DeclaratieBase, table=True):
    """One assessed JW323 message with its stored answer."""

    __tablename__ = "declaratie"
    __table_args__ = (
        Index("ix_declaratie_nummer", "regio", "gemeente", "aanbieder", "declaratienummer"),
        # TR056: is this BerichtIdentificatie known for this sender and receiving gemeente
        # (`opslag.identificatie_bekend`, once per message): a lookup, not a table scan
        Index("ix_declaratie_identificatie", "regio", "gemeente", "aanbieder",
              "bericht_identificatie"),
    )
    id: int | None = Field(default=None, primary_key=True)
    publiek_id: str = Field(max_length=32, unique=True)
    """the id in routes and answers: random, so ids cannot be counted or guessed"""
    inhoud_sleutel: str = Field(max_length=64)
    bericht_identificatie: str = Field(max_length=40)
    declaratie_begindatum: date
    declaratie_einddatum: date
    """the DeclaratiePeriode; the latest end per provider and gemeente is TR318's
    'previous declaration period'"""
    retourcodes: str = ""
    jw325: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))
    uitleg: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    redenen: list[dict[str, Any]] = Field(default_factory=list,
                                          sa_column=Column(JSON, nullable=False))
    """declaration-level reasons (e.g. 9333)"""


class PrestatieBase(SQLModel):
    volgnummer: int
    referentienummer: str = Field(max_length=40)
    vorig_referentienummer: str | None = None
    toewijzingnummer: str = Field(max_length=40)
    productcode: str | None = None
    begindatum: date
    einddatum: date
    geleverd_volume: int = Field(sa_type=BigInteger)
    ingediend_bedrag: int = Field(sa_type=BigInteger)
    toegekend_bedrag: int = Field(sa_type=BigInteger)
    debet_credit: str = Field(max_length=1)
    status: str = Field(max_length=12)
    retourcodes: str = ""
    regelset_hash: str = Field(max_length=64)


class PrestatieRij(PrestatieBase, table=True):
    """One line's outcome; approved lines are the history later messages are checked on."""

    __tablename__ = "prestatie"
    # History is kept per region, gemeente and provider, as the standard keys it.
    __table_args__ = (
        Index("ix_prestatie_referentie", "regio", "gemeente", "aanbieder", "referentienummer"),
        Index("ix_prestatie_toewijzing", "regio", "gemeente", "aanbieder", "toewijzingnummer"),
    )
    id: int | None = Field(default=None, primary_key=True)
    declaratie_id: int = Field(foreign_key="declaratie.id", index=True)
    regio: str = Field(max_length=100)
    gemeente: str = Field(max_length=8)
    aanbieder: str = Field(max_length=16)
    bsn: str = Field(max_length=9)
    gecrediteerd: bool = False
    redenen: list[dict[str, Any]] = Field(default_factory=list,
                                          sa_column=Column(JSON, nullable=False))
