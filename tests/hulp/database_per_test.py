"""Fresh, empty databases for tests: a SQLite file, or a PostgreSQL schema of its own
(dropped afterwards), so tests running in parallel never share one. The `database_url`
fixture (per test) is imported by the conftest files of tests/opslag and tests/cli;
tests/api builds its per-module one from `pg_gebruiker_of_sla_over` and `pg_schema`."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

PG_ADRES = "host=127.0.0.1 port=5432 dbname=test connect_timeout=3"


def _pg_gebruiker() -> str | None:
    for gebruiker in ("postgres", "root"):
        try:
            psycopg.connect(f"{PG_ADRES} user={gebruiker}").close()
            return gebruiker
        except psycopg.OperationalError:
            continue
    return None


def pg_gebruiker_of_sla_over() -> str:
    """The PostgreSQL user; in CI a missing server fails, elsewhere the test skips with a
    reason."""
    gebruiker = _pg_gebruiker()
    if gebruiker is None:
        melding = "geen PostgreSQL op 127.0.0.1:5432 (database test, trust) bereikbaar"
        if os.environ.get("CI"):
            pytest.fail(f"{melding}; in CI is dat een fout")
        pytest.skip(f"{melding}; start een server om deze tests te draaien")
    return gebruiker


@contextmanager
def pg_schema(gebruiker: str) -> Iterator[str]:
    """The URL of a new PostgreSQL schema of its own, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{PG_ADRES} user={gebruiker}", autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield (f"postgresql+psycopg://{gebruiker}@127.0.0.1:5432/test"
               f"?options=-csearch_path%3D{schema}")
    finally:
        with psycopg.connect(f"{PG_ADRES} user={gebruiker}", autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'regelwerk.sqlite'}"
        return
    with pg_schema(pg_gebruiker_of_sla_over()) as url:
        yield url
