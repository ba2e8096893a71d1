"""Fixtures of the service tests: a fresh database per module (a SQLite file, and a PostgreSQL
schema dropped afterwards) and stand-in regions. Helpers live in api_hulp.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_standin import contract
from database_per_test import pg_gebruiker_of_sla_over, pg_schema
from sqlalchemy import Engine

from opslag.database import maak_engine


@pytest.fixture(scope="session")
def pg_gebruiker() -> str:
    """The PostgreSQL user; in CI a missing server fails, elsewhere it skips with a reason."""
    return pg_gebruiker_of_sla_over()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                                  marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[str]:
    """A fresh, empty database for one test module: a SQLite file, or a PostgreSQL schema
    that is dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'regelwerk.sqlite'}"
        return
    with pg_schema(request.getfixturevalue("pg_gebruiker")) as url:
        yield url


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
