"""Honest operations: health says 503 when the database is down or its schema is gone,
missing tables give a Dutch 503 on every route (not 500), rule errors never show server
paths, and on SQLite a read is not queued behind a writer holding the lock."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_hulp import BSN, declaratie, jw323, prestatie, toewijzingen_json
from api_standin import StandInMotor
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from api.instellingen import Instellingen
from api.main import maak_app
from api.motor import Regelfout, RegelsetFoutError
from engine.ir import Regelboek

XML = {"Content-Type": "application/xml", "Accept": "application/json"}


class PadMotor(StandInMotor):
    """Reports rule errors by their absolute path, as the real rule language does."""

    def laad_contract(self, map: Path, standaard: Path | None) -> Regelboek:
        if "FOUT" in (map / "contract.regels").read_text():
            pad = map.resolve() / "contract.regels"
            raise RegelsetFoutError([Regelfout(str(pad), 2, 1, f"onbekend woord 'FOUT' (zie "
                                                              f"ook {pad}:1:1)")])
        return super().laad_contract(map, standaard)


@pytest.fixture(scope="module")
def client(database_url: str, contracten: Path) -> Iterator[TestClient]:
    instellingen = Instellingen(database_url=database_url, contracten=contracten)
    with TestClient(maak_app(instellingen, PadMotor()), raise_server_exceptions=False) as c:
        yield c


def test_gezondheid_ok_met_details_voor_wie_toegang_heeft(client: TestClient) -> None:
    antwoord = client.get("/v1/gezondheid")
    assert antwoord.status_code == 200
    assert antwoord.json()["status"] == "ok" and antwoord.json()["regelsets"]


def test_regelfouten_noemen_geen_serverpad(client: TestClient, contracten: Path) -> None:
    bestand = contracten / "zuid" / "contract.regels"
    oud = bestand.read_text()
    bestand.write_text(oud + "regel FOUT\n")
    try:
        herlaad = client.post("/v1/regios/zuid/herlaad")
        assert herlaad.status_code == 422
        verwacht = f"{contracten.name}/zuid/contract.regels"
        assert [f["bestand"] for f in herlaad.json()["fouten"]] == [verwacht]
        assert herlaad.json()["fouten"][0]["bericht"] == (f"onbekend woord 'FOUT' (zie ook "
                                                          f"{verwacht}:1:1)")
        gezondheid = client.get("/v1/gezondheid")
        assert [f["bestand"] for f in gezondheid.json()["niet_geladen"]["zuid"]] == [verwacht]
        for tekst in (herlaad.text, gezondheid.text):
            assert str(contracten) not in tekst and str(contracten.parent) not in tekst
    finally:
        bestand.write_text(oud)
        assert client.post("/v1/regios/zuid/herlaad").status_code == 200


def test_lezen_wacht_niet_op_een_schrijver(client: TestClient, database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("de schrijfvergrendeling van het hele bestand is er alleen bij SQLite")
    client.post("/v1/toewijzingen", json=toewijzingen_json(("5001", 10)))
    eerst = client.post("/v1/declaraties", headers=XML,
                        content=jw323(declaratie("LEES1", prestatie(0, "LR1", "5001"))))
    declaratie_id = eerst.json()["declaratie_id"]
    schrijver = sqlite3.connect(make_url(database_url).database or "", timeout=0,
                                isolation_level=None)
    schrijver.execute("BEGIN IMMEDIATE")  # holds the write lock, as a long post does
    antwoorden: list[int] = []
    try:
        lezer = threading.Thread(target=lambda: antwoorden.append(
            client.get(f"/v1/declaraties/{declaratie_id}").status_code))
        lezer.start()
        lezer.join(30)  # a generous bound; without the fix it waits for the lock (60 s)
        gezondheid = client.get("/v1/gezondheid").status_code if antwoorden else None
    finally:
        schrijver.execute("ROLLBACK")
        schrijver.close()
    lezer.join()
    assert antwoorden[:1] == [200] and gezondheid == 200


def test_database_onbereikbaar_is_503(client: TestClient) -> None:
    dienst = client.app.state.dienst  # type: ignore[attr-defined]
    echte = dienst.engine
    dienst.engine = create_engine("postgresql+psycopg://niemand@127.0.0.1:1/geen"
                                  "?connect_timeout=2")
    try:
        antwoord = client.get("/v1/gezondheid")
        assert antwoord.status_code == 503
        assert antwoord.json()["status"] == "database onbereikbaar"
    finally:
        dienst.engine.dispose()
        dienst.engine = echte


def test_ontbrekende_tabellen_geven_overal_503(client: TestClient) -> None:
    """Last in this module: it drops the schema of the module's database."""
    client.post("/v1/toewijzingen", json=toewijzingen_json(("5101", 10)))
    bestaand = client.post("/v1/declaraties", headers=XML,
                           content=jw323(declaratie("WEG1", prestatie(0, "WR1", "5101"))))
    declaratie_id = bestaand.json()["declaratie_id"]
    SQLModel.metadata.drop_all(client.app.state.dienst.engine)  # type: ignore[attr-defined]
    gezondheid = client.get("/v1/gezondheid")
    assert gezondheid.status_code == 503
    assert gezondheid.json()["status"] == "databaseschema ontbreekt"
    verzoeken = [
        client.post("/v1/toewijzingen", json=toewijzingen_json(("5102", 10))),
        client.post("/v1/declaraties", headers=XML,
                    content=jw323(declaratie("WEG2", prestatie(0, "WR2", "5101")))),
        client.get(f"/v1/declaraties/{declaratie_id}"),
        client.get(f"/v1/declaraties/{declaratie_id}/uitleg"),
        client.post("/v1/aanwezigheid", params={"regio": "noord"},
                    json={"afwezigheden": [{"bsn": BSN, "toewijzingnummer": "5101",
                                            "van": "2026-04-01", "tot": "2026-04-02"}]}),
    ]
    for antwoord in verzoeken:
        assert antwoord.status_code == 503, antwoord.text
        assert antwoord.json()["fout"].startswith(
            "de database mist tabellen of kolommen van de dienst")
