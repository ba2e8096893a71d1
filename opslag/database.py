"""Database engines for SQLite (the default file) and PostgreSQL, and per-provider locks.

One message is one transaction. Messages of one provider are serialized, so two workers
assessing against the same allocation never both approve past its volume: on PostgreSQL by
`SELECT ... FOR UPDATE` on the provider's row of `aanbieder_slot`; on SQLite every
writing transaction starts with `BEGIN IMMEDIATE` (the write lock of the whole file).

Reading (`lees_transactie`) takes no lock: on SQLite a plain deferred `BEGIN` reads a
snapshot of the WAL while a writer works, on PostgreSQL the transaction is READ ONLY. A GET
is therefore never queued behind a large declaration being assessed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, col

from opslag import grootboek, tabellen  # noqa: F401 - registers the tables
from opslag.migraties import SCHEMA_SLOT as _SCHEMA_SLOT
from opslag.migraties import migreer
from opslag.tabellen import AanbiederSlot


class VerouderdSchemaError(Exception):
    """The database has the service's tables, but not all of their columns: it was made by
    an older version before migrations (`opslag.migraties`), or changed by hand. The
    service would fail on its first query; it refuses to start instead, naming what is
    missing."""

    def __init__(self, ontbreekt: list[str]) -> None:
        super().__init__(
            "de database is gemaakt door een oudere versie van de dienst: "
            f"{'kolom' if len(ontbreekt) == 1 else 'kolommen'} {', '.join(ontbreekt)} "
            "ontbreekt; maak een nieuwe database (of zet de gegevens over) en start opnieuw")
        self.ontbreekt = ontbreekt


def maak_engine(url: str) -> Engine:
    """An engine for `url` with the database migrated to this version's schema (SQLite: the
    file and its folder made too); VerouderdSchemaError when existing tables lack columns
    that no migration adds."""
    if make_url(url).get_backend_name() == "sqlite":
        engine = _sqlite_engine(url)
    else:
        engine = create_engine(url, pool_pre_ping=True, connect_args=_pg_argumenten(url))
    ontbreekt = migreer(engine) or ontbrekende_kolommen(engine)
    if ontbreekt:
        engine.dispose()
        raise VerouderdSchemaError(ontbreekt)
    _maak_indexen(engine)
    return engine


def _pg_argumenten(url: str) -> dict[str, Any]:
    """psycopg 3 prepares a statement on its fifth execution, and PostgreSQL then plans it
    once for any values: reading a message's 20,000 allocations in IN-lists of 500 went
    from 0.03 s to 0.3 s a query on that generic plan (bench.dienst). The queries here are
    few and large, so they are planned each time."""
    return {"prepare_threshold": None} if make_url(url).get_driver_name() == "psycopg" else {}


def ontbrekende_kolommen(engine: Engine) -> list[str]:
    """`tabel.kolom` of every column the service's existing tables lack (read without the
    write lock, like `ontbrekende_tabellen`)."""
    with engine.execution_options(**{_LEZEN: True}).connect() as conn:
        inspector = inspect(conn)
        aanwezig = set(inspector.get_table_names())
        return sorted(f"{naam}.{kolom.name}" for naam, tabel in SQLModel.metadata.tables.items()
                      if naam in aanwezig
                      for kolom in tabel.columns
                      if kolom.name not in {c["name"] for c in inspector.get_columns(naam)})


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60})

    @event.listens_for(engine, "connect")
    def _verbind(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module, so BEGIN IMMEDIATE is ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # 32 MiB of page cache instead of 2: a message's 20,000 lines touch the pages of
        # seven indexes at once; with 2 MiB they are evicted and reread between rows
        # (193k rows into prestatie: 4.3 -> 2.1 CPU s)
        cursor.execute("PRAGMA cache_size=-32768")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        if conn.get_execution_options().get(_LEZEN):
            conn.exec_driver_sql("BEGIN")  # deferred: a snapshot, no write lock (WAL)
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _maak_indexen(engine: Engine) -> None:
    """A database made before migrations, and before an index was declared, is stamped at
    the baseline without it: it gets it here (idempotent; only once every column is known
    to exist)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_SLOT})
        for tabel in SQLModel.metadata.sorted_tables:
            for index in tabel.indexes:
                index.create(conn, checkfirst=True)


_LEZEN = "regelwerk_alleen_lezen"
"""Execution option of the engine `lees_transactie` uses: its transactions only read."""


@contextmanager
def transactie(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends normally, rolled back otherwise."""
    with Session(engine, expire_on_commit=False) as sessie, sessie.begin():
        yield sessie


@contextmanager
def lees_transactie(engine: Engine) -> Iterator[Session]:
    """A transaction that only reads and takes no write lock (see the module's docstring);
    on PostgreSQL a write inside it fails."""
    lezer = engine.execution_options(**{_LEZEN: True})
    with Session(lezer, expire_on_commit=False) as sessie, sessie.begin():
        if engine.dialect.name == "postgresql":
            sessie.execute(text("SET TRANSACTION READ ONLY"))
        yield sessie


def ontbrekende_tabellen(engine: Engine) -> list[str]:
    """The service's tables the database lacks (raises SQLAlchemy's error when it cannot be
    reached)."""
    with engine.execution_options(**{_LEZEN: True}).connect() as conn:
        aanwezig = set(inspect(conn).get_table_names())
    return sorted(t for t in SQLModel.metadata.tables if t not in aanwezig)


def vergrendel_aanbieder(sessie: Session, aanbieder: str) -> None:
    """Hold the provider's lock until the transaction ends (SQLite: already held)."""
    if sessie.get_bind().dialect.name != "postgresql":
        return
    sessie.execute(pg_insert(AanbiederSlot).values(aanbieder=aanbieder)
                   .on_conflict_do_nothing(index_elements=["aanbieder"]))
    sessie.execute(select(AanbiederSlot).where(col(AanbiederSlot.aanbieder) == aanbieder)
                   .with_for_update())


def database_soort(engine: Engine) -> str:
    return engine.dialect.name
