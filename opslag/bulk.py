"""Many rows into one table, in the caller's transaction, at the database's own bulk speed.

A 20,000-line message writes 20,000 outcomes and 20,000 ledger rows. SQLAlchemy's
executemany spends most of that time in Python per row and value (bind processing, the JSON
type's `json.dumps`, parameter dicts); the database itself needs a fraction of it. So the
rows go to the driver directly, still inside the transaction the session holds (a crash
leaves none of them):
- PostgreSQL: `COPY tabel (kolommen) FROM STDIN` through psycopg's `cursor.copy`: one
  statement, the rows streamed;
- SQLite: the sqlite3 module's `executemany` of one prepared INSERT;
- any other database: SQLAlchemy's executemany, as before.

Rows are made (`rijen`) apart from being written (`schrijf`): `controleer --database` makes
them in its workers and writes them in the process that holds the transaction. Made rows are
plain tuples in the form SQLAlchemy stores on SQLite and PostgreSQL reads from COPY's text:
dates ISO text, moments 'YYYY-MM-DD HH:MM:SS.ffffff', booleans 0/1, JSON as text. Columns
the writer knows and the maker does not (`later`: the message's database id) come first,
their values given to `schrijf`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Table, insert
from sqlmodel import Session, SQLModel

TELLER: list[tuple[str, int]] | None = None
"""When a list (bench.dienst counts round trips): each driver call made here is appended as
(statement kind, rows), as SQLAlchemy's events count the others."""

BLOK = 5_000
"""Rows per executemany (SQLite, fallback): bounded memory, few round trips."""


@dataclass(frozen=True, slots=True)
class Rijen:
    """Rows of one table, made and not yet written: cheap to send to another process."""

    tabel: str
    later: tuple[str, ...]
    """columns whose (same) value for every row `schrijf` is given"""
    kolommen: tuple[str, ...]
    """the other columns, in the order of each tuple in `waarden`"""
    waarden: list[tuple[Any, ...]]


def rijen(tabel: Table, dicts: Iterable[dict[str, Any]], later: tuple[str, ...] = ()) -> Rijen:
    """`dicts` (every column but an autoincrement key and `later`; other keys are ignored)
    as rows to write."""
    kolommen = tuple(k.name for k in tabel.columns
                     if not (k.primary_key and k.autoincrement) and k.name not in later)
    return Rijen(tabel.name, later, kolommen, list(_als_tupels(tabel, kolommen, dicts)))


def schrijf(sessie: Session, r: Rijen, later: tuple[Any, ...] = ()) -> int:
    """Insert made rows in the session's transaction, `later` the values of `r.later`; the
    number inserted."""
    if not r.waarden:
        return 0
    tabel = SQLModel.metadata.tables[r.tabel]
    vast = tuple(_omgezet(tabel.c[k].type, w) for k, w in zip(r.later, later, strict=True))
    kolommen = r.later + r.kolommen
    waarden = (vast + w for w in r.waarden) if vast else iter(r.waarden)
    verbinding = sessie.connection()
    dialect = verbinding.dialect.name
    if dialect == "postgresql":
        return _copy(verbinding.connection.driver_connection, r.tabel, kolommen, waarden)
    if dialect == "sqlite":
        return _sqlite(verbinding.connection.driver_connection, r.tabel, kolommen, waarden)
    aantal = 0
    for blok in _blokken(waarden):
        sessie.execute(insert(tabel), [dict(zip(kolommen, w, strict=True)) for w in blok])
        aantal += len(blok)
    return aantal


def voeg_in(sessie: Session, tabel: Table, dicts: Iterable[dict[str, Any]]) -> int:
    """Make and write `dicts` (every column but an autoincrement key) at once."""
    return schrijf(sessie, rijen(tabel, dicts))


def _blokken(rijen: Iterator[Any]) -> Iterator[list[Any]]:
    while blok := list(islice(rijen, BLOK)):
        yield blok


def _omzetter(soort: Any) -> Callable[[Any], Any] | None:
    """How a value of a column of `soort` is written (None: as it is)."""
    if isinstance(soort, JSON):
        return _json_tekst
    if isinstance(soort, DateTime):
        return _moment
    if isinstance(soort, Date):
        return _datum
    if isinstance(soort, Boolean):
        return int
    return None


def _omgezet(soort: Any, waarde: Any) -> Any:
    omzetter = _omzetter(soort)
    return waarde if omzetter is None or waarde is None else omzetter(waarde)


def _als_tupels(tabel: Table, kolommen: tuple[str, ...], rijen: Iterable[dict[str, Any]]
                ) -> Iterator[tuple[Any, ...]]:
    """Each row as a tuple in column order, its values as `_omzetter` writes them."""
    pak = itemgetter(*kolommen)
    omzetters = tuple((i, o) for i, k in enumerate(kolommen)
                      if (o := _omzetter(tabel.c[k].type)) is not None)
    for rij in rijen:
        lijst = list(pak(rij))
        for i, omzet in omzetters:
            if lijst[i] is not None:
                lijst[i] = omzet(lijst[i])
        yield tuple(lijst)


def _datum(waarde: date) -> str:
    return waarde.isoformat()


def _moment(waarde: datetime) -> str:
    return waarde.strftime("%Y-%m-%d %H:%M:%S.%f")


def _json_tekst(waarde: Any) -> str:
    """As SQLAlchemy's JSON type writes it (`json.dumps`); the empty list of a line without
    remarks (the bulk) without a call."""
    if not waarde and isinstance(waarde, list | dict):
        return "[]" if isinstance(waarde, list) else "{}"
    return json.dumps(waarde)


def _tel(soort: str, rijen: int) -> None:
    if TELLER is not None:
        TELLER.append((soort, rijen))


def _copy(psycopg_verbinding: Any, tabel: str, kolommen: tuple[str, ...],
          waarden: Iterator[tuple[Any, ...]]) -> int:
    namen = ", ".join(f'"{k}"' for k in kolommen)
    aantal = 0
    with psycopg_verbinding.cursor() as cursor, \
            cursor.copy(f'COPY "{tabel}" ({namen}) FROM STDIN') as copy:
        for w in waarden:
            copy.write_row(w)
            aantal += 1
    _tel("COPY", aantal)
    return aantal


def _sqlite(sqlite_verbinding: Any, tabel: str, kolommen: tuple[str, ...],
            waarden: Iterator[tuple[Any, ...]]) -> int:
    opdracht = (f'INSERT INTO "{tabel}" ({", ".join(kolommen)}) '
                f'VALUES ({", ".join("?" * len(kolommen))})')
    aantal = 0
    for blok in _blokken(waarden):
        sqlite_verbinding.executemany(opdracht, blok)
        _tel("INSERT", len(blok))
        aantal += len(blok)
    return aantal
