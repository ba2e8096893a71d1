"""Payments (betalingen): what the region paid whom, recorded as facts (issue 15).

The payment run (`regelwerk betaalrun --maand M`, `betalen.betaalrun`) writes one row per
provider × gemeente × kind × care year for the month it pays, and runs a month only once:
the unique key makes a second run (or two at the same time) unable to pay twice. The
settlement (vaststelling) subtracts these rows: everything paid for a year's care, whenever
it was paid. It never recomputes an entitlement as a payment (the double payment the issue
warns of).

Kinds (`soort`): termijn, eenmalig voorschot, functie, populatie, pxq, slotbedrag. `bedrag`
is in whole cents and signed: a P×Q payment of a month whose credits exceed its debits is a
deduction (negative)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from opslag.tabellen import SLEUTEL64

SOORTEN = ("termijn", "eenmalig voorschot", "functie", "populatie", "pxq", "slotbedrag")


class Betaling(SQLModel, table=True):
    """One recorded payment (see the module's docstring)."""

    __tablename__ = "betaling"
    __table_args__ = (
        UniqueConstraint("regio", "betaaljaar", "betaalmaand", "aanbieder", "gemeente",
                         "soort", "zorgjaar", name="uq_betaling_eenmaal"),
        # the settlement's question: everything paid for a region's care year
        Index("ix_betaling_zorgjaar", "regio", "zorgjaar", "aanbieder", "gemeente"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=SLEUTEL64)
    regio: str = Field(max_length=100)
    aanbieder: str = Field(max_length=16)
    gemeente: str = Field(max_length=8)
    soort: str = Field(max_length=24)
    zorgjaar: int
    betaaljaar: int
    betaalmaand: int
    bedrag: int = Field(sa_type=BigInteger)
    toelichting: str = ""
    """Why this amount (the term's number, the estimate and percentage, the approval month)."""
    vastgelegd_op: date
