"""The store's engine: on PostgreSQL (psycopg 3) statements are planned each time, never
prepared once for any values (a generic plan read a message's allocations ten times slower,
bench.dienst)."""

from __future__ import annotations

import pytest

from opslag.database import maak_engine


@pytest.mark.postgres
def test_postgresql_bereidt_geen_statements_voor(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("alleen PostgreSQL bereidt statements voor")
    engine = maak_engine(database_url)
    try:
        with engine.connect() as verbinding:
            assert verbinding.connection.dbapi_connection.prepare_threshold is None  # type: ignore[union-attr]
    finally:
        engine.dispose()
