"""Rule sets in a running service: reload, refusal of a broken set (the old one stays),
requests in flight finishing on their rule book, reload on file change."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_hulp import declaratie, jw323, prestatie
from api_standin import StandInMotor, contract
from fastapi.testclient import TestClient

from api.instellingen import Instellingen
from api.main import maak_app

XML = {"Content-Type": "application/xml", "Accept": "application/json"}


@pytest.fixture
def contracten(tmp_path: Path) -> Path:
    """Regions of this test only: the tests change their files."""
    for naam, gemeenten in (("noord", "0384"), ("zuid", "0999")):
        (tmp_path / naam).mkdir()
        (tmp_path / naam / "contract.regels").write_text(contract(gemeenten))
    return tmp_path


@pytest.fixture
def motor() -> StandInMotor:
    return StandInMotor()


@pytest.fixture
def client(database_url: str, contracten: Path, motor: StandInMotor) -> Iterator[TestClient]:
    instellingen = Instellingen(database_url=database_url, contracten=contracten)
    with TestClient(maak_app(instellingen, motor)) as c:
        yield c


def hash_van(client: TestClient, regio: str) -> str:
    regios = client.get("/v1/gezondheid").json()["regelsets"]
    return next(str(r["regelset_hash"]) for r in regios if r["regio"] == regio)


def test_herladen_na_wijziging(client: TestClient, contracten: Path) -> None:
    oud = hash_van(client, "noord")
    (contracten / "noord" / "contract.regels").write_text(contract("0384", "# versie 2\n"))
    antwoord = client.post("/v1/regios/noord/herlaad").json()
    assert antwoord["vorige_hash"] == oud and antwoord["gewijzigd"] is True
    assert hash_van(client, "noord") == antwoord["regelset_hash"] != oud
    assert client.post("/v1/regios/noord/herlaad").json()["gewijzigd"] is False


def test_regelset_met_fouten_geweigerd_oude_blijft(client: TestClient, contracten: Path) -> None:
    oud = hash_van(client, "noord")
    (contracten / "noord" / "contract.regels").write_text(contract("0384", "regel FOUT\n"))
    antwoord = client.post("/v1/regios/noord/herlaad")
    assert antwoord.status_code == 422
    assert antwoord.json()["fouten"] == [{"bestand": "contract.regels", "line": 2, "column": 7,
                                          "bericht": "onbekend woord 'FOUT'",
                                          "suggestie": "fout"}]
    assert hash_van(client, "noord") == oud
    assert "noord" in client.get("/v1/gezondheid").json()["niet_geladen"]
    uit = client.post("/v1/declaraties", headers=XML,
                      content=jw323(declaratie("OUD1", prestatie(0, "O1"))))
    assert uit.json()["regelset_hash"] == oud
    (contracten / "noord" / "contract.regels").write_text(contract("0384"))
    assert client.post("/v1/regios/noord/herlaad").status_code == 200
    assert client.get("/v1/gezondheid").json()["niet_geladen"] == {}


def test_onbekende_regio_herladen_404(client: TestClient) -> None:
    assert client.post("/v1/regios/nergens/herlaad").status_code == 404
    assert client.post("/v1/regios/..%2Fnoord/herlaad").status_code == 404
    assert client.post("/v1/regios/.verborgen/herlaad").status_code == 404


def test_lopend_verzoek_maakt_af_met_zijn_regelset(client: TestClient, contracten: Path,
                                                   motor: StandInMotor) -> None:
    oud = hash_van(client, "noord")
    motor.wacht = threading.Event()
    uitkomst: dict[str, httpx.Response] = {}

    def dien_in() -> None:
        uitkomst["r"] = client.post("/v1/declaraties", headers=XML,
                                    content=jw323(declaratie("VLUCHT1", prestatie(0, "VL1"))))

    draad = threading.Thread(target=dien_in)
    draad.start()
    assert motor.bezig.wait(10)
    (contracten / "noord" / "contract.regels").write_text(contract("0384", "# nieuw\n"))
    nieuw = client.post("/v1/regios/noord/herlaad").json()["regelset_hash"]
    motor.wacht.set()
    draad.join(10)
    assert uitkomst["r"].json()["regelset_hash"] == oud != nieuw
    na = client.post("/v1/declaraties", headers=XML,
                     content=jw323(declaratie("VLUCHT2", prestatie(0, "VL2"))))
    assert na.json()["regelset_hash"] == nieuw


def test_herladen_bij_gewijzigd_bestand(database_url: str, contracten: Path) -> None:
    instellingen = Instellingen(database_url=database_url, contracten=contracten,
                                herlaad_interval=0.1)
    with TestClient(maak_app(instellingen, StandInMotor())) as client:
        oud = hash_van(client, "zuid")
        (contracten / "zuid" / "contract.regels").write_text(contract("0999", "# later\n"))
        grens = time.monotonic() + 10
        while hash_van(client, "zuid") == oud and time.monotonic() < grens:
            time.sleep(0.05)
        assert hash_van(client, "zuid") != oud
        nieuw = hash_van(client, "zuid")
        (contracten / "zuid" / "contract.regels").write_text(contract("0999", "FOUT\n"))
        while "zuid" not in client.get("/v1/gezondheid").json()["niet_geladen"] \
                and time.monotonic() < grens:
            time.sleep(0.05)
        assert hash_van(client, "zuid") == nieuw
        assert "zuid" in client.get("/v1/gezondheid").json()["niet_geladen"]
