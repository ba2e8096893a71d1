"""Property-based: schemathesis generates requests from the app's own OpenAPI document;
none may get a 500. Bounded: few examples per route, the whole module well under a minute.

(schemathesis' own pytest fixture loader does not work with pytest 9, so each operation's
hypothesis strategy is driven directly.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_standin import StandInMotor
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from api.instellingen import Instellingen
from api.main import maak_app

pytestmark = pytest.mark.traag


@pytest.fixture(scope="module")
def api_schema(database_url: str, contracten: Path) -> Iterator[Any]:
    app = maak_app(Instellingen(database_url=database_url, contracten=contracten,
                                herlaad_interval=0), StandInMotor())
    with TestClient(app):  # runs the lifespan: database, regions
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


def operaties(schema: Any) -> list[Any]:
    return [resultaat.ok() for resultaat in schema.get_all_operations()]


def test_schema_noemt_alle_routes(api_schema: Any) -> None:
    namen = {f"{op.method.upper()} {op.path}" for op in operaties(api_schema)}
    assert {"POST /v1/declaraties", "GET /v1/declaraties/{declaratie_id}/uitleg",
            "POST /v1/regios/{regio}/herlaad", "GET /v1/gezondheid"} <= namen
    assert len(namen) == 10


def test_geen_500(api_schema: Any) -> None:
    for operatie in operaties(api_schema):

        @given(case=operatie.as_strategy())
        @settings(max_examples=10, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def controleer(case: Any) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        controleer()
