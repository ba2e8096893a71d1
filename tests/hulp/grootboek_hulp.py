"""A store with ledger rows written directly (no messages assessed): for the year's money."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, insert
from sqlmodel import SQLModel

from opslag.database import transactie
from opslag.grootboek import schrijf_rijen
from proefdata import grootboek


def declaratie_id(engine: Engine, regio: str) -> int:
    with transactie(engine) as sessie:
        tabel = SQLModel.metadata.tables["declaratie"]
        uit = sessie.execute(insert(tabel).returning(tabel.c.id), grootboek.declaratie(regio))
        return int(uit.scalar_one())


def boek(engine: Engine, rijen: Iterable[dict[str, Any]]) -> None:
    with transactie(engine) as sessie:
        schrijf_rijen(sessie, iter(rijen))
