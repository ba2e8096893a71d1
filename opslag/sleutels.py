"""A column in a set of keys: a 20,000-line message looks up 20,000 allocation and reference
numbers.

On SQLite as `IN (?, ?, ...)` in blocks of `BLOK` (below every build's parameter limit). On
PostgreSQL as `= ANY(%s)` with the whole set as one array parameter: one short statement per
lookup instead of forty with 500 placeholders each, which psycopg parses anew each time (a
query that long is not cached: 2 CPU s for the service's 18k-line message, bench.dienst
--profiel-postgres) and PostgreSQL plans anew each time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import String, any_, literal
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session

BLOK = 500


def als_array(sessie: Session) -> bool:
    return sessie.get_bind().dialect.name == "postgresql"


def blokken(sessie: Session, sleutels: Iterable[str]) -> Iterator[list[str]]:
    """The distinct keys, sorted, in the blocks one query takes (PostgreSQL: all at once)."""
    uniek = sorted(set(sleutels))
    stap = max(len(uniek), 1) if als_array(sessie) else BLOK
    for i in range(0, len(uniek), stap):
        yield uniek[i:i + stap]


def binnen(sessie: Session, kolom: Any, blok: list[str]) -> Any:
    """The condition `kolom` in `blok` (a block of `blokken`)."""
    if als_array(sessie):
        return kolom == any_(literal(blok, type_=ARRAY(String())))
    return kolom.in_(blok)
