"""A database made by an older version (tables without this version's columns): the service
refuses to start and names the columns; a column that disappears under a running service
gives 503 with a Dutch sentence, on health and on the routes, never 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from api_hulp import declaratie, jw323, prestatie, toewijzingen_json
from api_standin import StandInMotor
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from api.instellingen import Instellingen
from api.main import maak_app
from cli.serve import _controleer_vooraf

XML = {"Content-Type": "application/xml", "Accept": "application/json"}


def _voer_uit(url: str, *opdrachten: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for opdracht in opdrachten:
                conn.execute(text(opdracht))
    finally:
        engine.dispose()


def test_oud_schema_start_niet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`regelwerk serve`'s check before starting (called directly: without it the server
    would start and serve, and the test would hang instead of failing)."""
    url = f"sqlite:///{tmp_path / 'oud.sqlite'}"
    # The shape of `toewijzing` before regions had their own lane: no column `regio`.
    _voer_uit(url, "CREATE TABLE toewijzing (id INTEGER PRIMARY KEY, gemeente VARCHAR(8), "
                   "aanbieder VARCHAR(16), toewijzingnummer VARCHAR(40))")
    with pytest.raises(typer.Exit) as stop:
        _controleer_vooraf(Instellingen(database_url=url, sleutels=None))
    assert stop.value.exit_code == 2
    uitvoer = capsys.readouterr().err
    assert "De dienst start niet" in uitvoer
    assert "oudere versie" in uitvoer and "toewijzing.regio" in uitvoer


@pytest.fixture(scope="module")
def client(database_url: str, contracten: Path) -> Iterator[TestClient]:
    instellingen = Instellingen(database_url=database_url, contracten=contracten)
    with TestClient(maak_app(instellingen, StandInMotor()), raise_server_exceptions=False) as c:
        yield c


def test_kolom_weg_onder_draaiende_dienst_is_503(client: TestClient, database_url: str
                                                 ) -> None:
    client.post("/v1/toewijzingen", json=toewijzingen_json(("6101", 10)))
    bestaand = client.post("/v1/declaraties", headers=XML,
                           content=jw323(declaratie("KOL1", prestatie(0, "KR1", "6101"))))
    declaratie_id = bestaand.json()["declaratie_id"]
    # `prestatie` replaced by a table without most of its columns, as an old version had it.
    _voer_uit(database_url, "ALTER TABLE prestatie RENAME TO prestatie_weg",
              "CREATE TABLE prestatie (id INTEGER PRIMARY KEY, declaratie_id INTEGER)")
    gezondheid = client.get("/v1/gezondheid")
    assert gezondheid.status_code == 503
    assert gezondheid.json()["status"] == "databaseschema ontbreekt"
    for antwoord in (client.get(f"/v1/declaraties/{declaratie_id}"),
                     client.post("/v1/declaraties", headers=XML,
                                 content=jw323(declaratie("KOL2", prestatie(0, "KR2", "6101"))))):
        assert antwoord.status_code == 503, antwoord.text
        assert antwoord.json()["fout"].startswith("de database mist tabellen of kolommen")
