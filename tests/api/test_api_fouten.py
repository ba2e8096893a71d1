"""Bad input gets a clear Dutch answer, located where possible; never a traceback, never a
BSN; an unexpected failure is a Dutch 500 that stores nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_hulp import BSN, declaratie, jw323, prestatie
from api_standin import StandInMotor
from fastapi.testclient import TestClient

from api.instellingen import Instellingen
from api.main import maak_app
from engine.model import Declaratie

XML = {"Content-Type": "application/xml", "Accept": "application/json"}
LIMIET = 4096


@pytest.fixture(scope="module")
def motor() -> StandInMotor:
    return StandInMotor()


@pytest.fixture(scope="module")
def client(database_url: str, contracten: Path, motor: StandInMotor) -> Iterator[TestClient]:
    instellingen = Instellingen(database_url=database_url, contracten=contracten,
                                max_bericht=LIMIET)
    with TestClient(maak_app(instellingen, motor), raise_server_exceptions=False) as c:
        yield c


def test_kapotte_xml_is_422_met_plaats(client: TestClient) -> None:
    antwoord = client.post("/v1/declaraties", headers=XML,
                           content=b"<?xml version='1.0'?>\n<a>\n  <b></a>\n")
    assert antwoord.status_code == 422
    fout = antwoord.json()
    assert (fout["line"], fout["column"]) == (3, 10)
    assert "niet goed gevormd" in fout["fout"] and "Traceback" not in antwoord.text


def test_kapotte_json_is_422_met_plaats(client: TestClient) -> None:
    antwoord = client.post("/v1/toewijzingen", content=b'{"toewijzingen": [\n  {"a": 1,}\n]}',
                           headers={"Content-Type": "application/json"})
    assert antwoord.status_code == 422
    assert (antwoord.json()["line"], antwoord.json()["column"]) == (2, 11)
    assert antwoord.json()["fout"].startswith("ongeldige JSON")


def test_leeg_bericht_is_422(client: TestClient) -> None:
    antwoord = client.post("/v1/declaraties", headers=XML, content=b"")
    assert antwoord.status_code == 422 and antwoord.json()["fout"] == "het bericht is leeg"


def test_schema_ongeldig_krijgt_jw325_met_0001_zonder_bsn(client: TestClient) -> None:
    bericht = jw323(declaratie("GOED1", prestatie(0, "R1"))).replace(
        b"<jw323:DeclaratieNummer>GOED1<", f"<jw323:DeclaratieNummer>{BSN}-1<".encode())
    als_json = client.post("/v1/declaraties", headers=XML, content=bericht)
    assert als_json.status_code == 200
    data = als_json.json()
    assert data["declaratie_id"] is None and "XSD" in data["technische_fout"]
    assert data["technische_fout"].startswith("4:")
    assert BSN not in als_json.text
    als_xml = client.post("/v1/declaraties", content=bericht,
                          headers={"Content-Type": "application/xml"})
    assert b"0001" in als_xml.content and BSN.encode() not in als_xml.content


def test_te_groot_bericht_is_413(client: TestClient) -> None:
    groot = b"<a>" + b"x" * LIMIET + b"</a>"
    assert client.post("/v1/declaraties", headers=XML, content=groot).status_code == 413

    def in_stukken() -> Iterator[bytes]:  # no Content-Length: counted while reading
        for _ in range(8):
            yield b"x" * 1024

    antwoord = client.post("/v1/declaraties", headers=XML, content=in_stukken())
    assert antwoord.status_code == 413 and "MB" in antwoord.json()["fout"]


def test_onverwachte_fout_is_nederlandse_500_zonder_gegevens(
        client: TestClient, motor: StandInMotor, caplog: pytest.LogCaptureFixture) -> None:
    motor.fout = RuntimeError(f"kapot bij BSN {BSN}")
    try:
        with caplog.at_level(logging.INFO):
            antwoord = client.post("/v1/declaraties", headers=XML,
                                   content=jw323(declaratie("KAPOT1", prestatie(0, "K1"))))
    finally:
        motor.fout = None
    assert antwoord.status_code == 500
    assert "interne fout" in antwoord.json()["fout"] and "niets is opgeslagen" in antwoord.text
    assert BSN not in antwoord.text and "Traceback" not in antwoord.text
    assert "RuntimeError" in caplog.text and BSN not in caplog.text
    # nothing was stored: the same message now assesses as new
    opnieuw = client.post("/v1/declaraties", headers=XML,
                          content=jw323(declaratie("KAPOT1", prestatie(0, "K1"))))
    assert opnieuw.json()["opnieuw_ingediend"] is False


def test_onbekende_route_methode_en_parameters(client: TestClient) -> None:
    assert client.get("/v1/bestaat-niet").json() == {"fout": "niet gevonden"}
    assert client.delete("/v1/regios").status_code == 405
    datum = client.get("/v1/regios/noord/artikelen", params={"datum": "gisteren"})
    assert datum.status_code == 422 and "datum" in datum.json()["fout"]
    assert "gisteren" not in datum.text
    assert client.get(f"/v1/declaraties/{'x' * 65}").status_code == 422  # ids: 64 at most
    assert client.get("/v1/declaraties/123456").status_code == 404


def test_geen_bsn_in_de_logs_van_een_normale_beoordeling(
        client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        client.post("/v1/declaraties", headers=XML,
                    content=jw323(declaratie("LOG1", prestatie(0, "L1"))))
    assert "LOG1" in caplog.text and BSN not in caplog.text


def test_lezer_die_struikelt_geeft_422(client: TestClient, motor: StandInMotor) -> None:
    def struikel(_: object) -> Declaratie:
        raise KeyError("onverwacht")

    motor.declaratie_uit_json = struikel  # type: ignore[method-assign,assignment]
    try:
        antwoord = client.post("/v1/declaraties", json={"aanbieder": "1"})
    finally:
        del motor.declaratie_uit_json
    assert antwoord.status_code == 422 and "kan niet worden gelezen" in antwoord.json()["fout"]


def test_standaardgrens_is_25_mb() -> None:
    assert Instellingen.model_fields["max_bericht"].default == 25 * 1024 * 1024
