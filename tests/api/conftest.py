"""Fixtures of the service tests: a fresh database per module (a SQLite file, and a PostgreSQL
schema dropped afterwards) and stand-in regions. Helpers live in api_hulp.py."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from api_standin import contract
from sqlalchemy import Engine

from opslag.database import maak_engine

PG_GEBRUIKERS = ("postgres", "root")
PG_ADRES = "host=127.0.0.1 port=5432 dbname=test connect_timeout=3"


def _pg_gebruiker() -> str | None:
    for gebruiker in PG_GEBRUIKERS:
        try:
            psycopg.connect(f"{PG_ADRES} user={gebruiker}").close()
            return gebruiker
        except psycopg.OperationalError:
            continue
    return None


@pytest.fixture(scope="session")
def pg_gebruiker() -> str:
    """The PostgreSQL user; in CI a missing server fails, elsewhere it skips with a reason."""
    gebruiker = _pg_gebruiker()
    if gebruiker is None:
        melding = "geen PostgreSQL op 127.0.0.1:5432 (database test, trust) bereikbaar"
        if os.environ.get("CI"):
            pytest.fail(f"{melding}; in CI is dat een fout")
        pytest.skip(f"{melding}; start een server om deze tests te draaien")
    return gebruiker


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                                  marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[str]:
    """A fresh, empty database for one test module: a SQLite file, or a PostgreSQL schema
    that is dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'regelwerk.sqlite'}"
        return
    gebruiker = request.getfixturevalue("pg_gebruiker")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{PG_ADRES} user={gebruiker}", autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield (f"postgresql+psycopg://{gebruiker}@127.0.0.1:5432/test"
               f"?options=-csearch_path%3D{schema}")
    finally:
        with psycopg.connect(f"{PG_ADRES} user={gebruiker}", autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="module")
def engine(database_url: str) -> Iterator[Engine]:
    """The service's database engine on the module's fresh database (tables created)."""
    e = maak_engine(database_url)
    yield e
    e.dispose()


@pytest.fixture(scope="module")
def contracten(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two stand-in regions: noord (gemeente 0384) and zuid (0999)."""
    map = tmp_path_factory.mktemp("contracten")
    for naam, gemeenten in (("noord", "0384 0385"), ("zuid", "0999")):
        (map / naam).mkdir()
        (map / naam / "contract.regels").write_text(contract(gemeenten))
    return map
