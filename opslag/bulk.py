"""Many rows into one table, in the caller's transaction, at the database's own bulk speed.

A 20,000-line message writes 20,000 outcomes and 20,000 ledger rows. SQLAlchemy's
executemany spends most of that time in Python per row and value (bind processing, the JSON
type's `json.dumps`, parameter dicts); the database itself needs a fraction of it. So the
rows go to the driver directly, still inside the transaction the session holds (a crash
leaves none of them):
- PostgreSQL: `COPY tabel (kolommen) FROM STDIN` through psycopg's `cursor.copy`: one
  statement, the rows streamed;
- SQLite: the sqlite3 module's `executemany` of one prepared INSERT, with the values already
  in the form SQLAlchemy stores them (dates as ISO text, booleans 0/1, JSON as text);
- any other database: SQLAlchemy's executemany, as before.

The caller gives rows as dicts (the form the rest of `opslag` builds and tests read); the
columns are taken in table order by one `itemgetter`, so a missing key fails loudly."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from itertools import islice
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Table, insert
from sqlmodel import Session

TELLER: list[tuple[str, int]] | None = None
"""When a list (bench.dienst counts round trips): each driver call made here is appended as
(statement kind, rows), as SQLAlchemy's events count the others."""

BLOK = 5_000
"""Rows per executemany (SQLite, fallback) or per COPY buffer: bounded memory for a
million-line batch, few round trips."""

def voeg_in(sessie: Session, tabel: Table, rijen: Iterable[dict[str, Any]]) -> int:
    """Insert `rijen` (dicts with every column of `tabel` except an autoincrement key) into
    `tabel` in the session's transaction; the number inserted."""
    kolommen = [k.name for k in tabel.columns if not (k.primary_key and k.autoincrement)]
    verbinding = sessie.connection()
    dialect = verbinding.dialect.name
    if dialect == "postgresql":
        return _copy(verbinding.connection.driver_connection, tabel, kolommen, rijen)
    if dialect == "sqlite":
        return _sqlite(verbinding.connection.driver_connection, tabel, kolommen, rijen)
    aantal = 0
    for blok in _blokken(iter(rijen)):
        sessie.execute(insert(tabel), blok)
        aantal += len(blok)
    return aantal


def _blokken(rijen: Iterator[Any]) -> Iterator[list[Any]]:
    while blok := list(islice(rijen, BLOK)):
        yield blok


def _omzetters(tabel: Table, kolommen: list[str], sqlite: bool
               ) -> dict[int, Callable[[Any], Any]]:
    """Per column index, how a value becomes what the driver stores: JSON as text always;
    on SQLite also dates, moments and booleans as SQLAlchemy's SQLite types store them."""
    uit: dict[int, Callable[[Any], Any]] = {}
    for i, naam in enumerate(kolommen):
        soort = tabel.c[naam].type
        if isinstance(soort, JSON):
            uit[i] = _json_tekst
        elif sqlite and isinstance(soort, DateTime):
            uit[i] = _sqlite_moment
        elif sqlite and isinstance(soort, Date):
            uit[i] = _sqlite_datum
        elif sqlite and isinstance(soort, Boolean):
            uit[i] = _sqlite_waarheid
    return uit


def _als_tupels(tabel: Table, kolommen: list[str], rijen: Iterable[dict[str, Any]],
                sqlite: bool) -> Iterator[tuple[Any, ...]]:
    """Each row as a tuple in column order, converted for the driver (`_omzetters`)."""
    pak = itemgetter(*kolommen)
    omzetters = tuple(_omzetters(tabel, kolommen, sqlite).items())
    for rij in rijen:
        waarden = pak(rij)
        if omzetters:
            lijst = list(waarden)
            for i, omzet in omzetters:
                if lijst[i] is not None:
                    lijst[i] = omzet(lijst[i])
            waarden = tuple(lijst)
        yield waarden


def _sqlite_datum(waarde: date) -> str:
    return waarde.isoformat()


def _sqlite_moment(waarde: datetime) -> str:
    return waarde.strftime("%Y-%m-%d %H:%M:%S.%f")


def _sqlite_waarheid(waarde: bool) -> int:
    return int(waarde)


def _json_tekst(waarde: Any) -> str:
    """As SQLAlchemy's JSON type writes it (`json.dumps`); the empty list of a line without
    remarks (the bulk) without a call."""
    if not waarde and isinstance(waarde, list | dict):
        return "[]" if isinstance(waarde, list) else "{}"
    return json.dumps(waarde)


def _copy(psycopg_verbinding: Any, tabel: Table, kolommen: list[str],
          rijen: Iterable[dict[str, Any]]) -> int:
    namen = ", ".join(f'"{k}"' for k in kolommen)
    aantal = 0
    with psycopg_verbinding.cursor() as cursor, \
            cursor.copy(f'COPY "{tabel.name}" ({namen}) FROM STDIN') as copy:
        for waarden in _als_tupels(tabel, kolommen, rijen, sqlite=False):
            copy.write_row(waarden)
            aantal += 1
    _tel("COPY", aantal)
    return aantal


def _tel(soort: str, rijen: int) -> None:
    if TELLER is not None:
        TELLER.append((soort, rijen))


def _sqlite(sqlite_verbinding: Any, tabel: Table, kolommen: list[str],
            rijen: Iterable[dict[str, Any]]) -> int:
    opdracht = (f'INSERT INTO "{tabel.name}" ({", ".join(kolommen)}) '
                f'VALUES ({", ".join("?" * len(kolommen))})')
    aantal = 0
    for blok in _blokken(_als_tupels(tabel, kolommen, rijen, sqlite=True)):
        sqlite_verbinding.executemany(opdracht, blok)
        _tel("INSERT", len(blok))
        aantal += len(blok)
    return aantal
