"""API keys bound to regions: 401 without a valid key, 403 for another region's data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_hulp import declaratie, jw323, prestatie
from api_standin import StandInMotor
from fastapi.testclient import TestClient

from api.instellingen import Instellingen
from api.main import maak_app
from api.toegang import SleutelbestandError, lees_sleutels

XML = {"Content-Type": "application/xml", "Accept": "application/json"}
NOORD = {"X-API-Key": "sleutel-noord-123"}
BEIDE = {"X-API-Key": "sleutel-beide-456"}


@pytest.fixture(scope="module")
def client(database_url: str, contracten: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[TestClient]:
    sleutels = tmp_path_factory.mktemp("sleutels") / "sleutels.txt"
    sleutels.write_text("# backoffices\nsleutel-noord-123 noord\n\nsleutel-beide-456 noord,zuid\n")
    instellingen = Instellingen(database_url=database_url, contracten=contracten,
                                sleutels=sleutels)
    with TestClient(maak_app(instellingen, StandInMotor()), client=("10.1.2.3", 4000)) as c:
        yield c


def test_zonder_of_met_verkeerde_sleutel_401(client: TestClient) -> None:
    assert client.get("/v1/regios").status_code == 401
    verkeerd = client.get("/v1/regios", headers={"X-API-Key": "raden"})
    assert verkeerd.status_code == 401 and verkeerd.json() == {"fout": "onbekende API-sleutel"}
    assert client.post("/v1/declaraties", headers=XML, content=b"<a/>").status_code == 401


def test_sleutel_ziet_alleen_eigen_regios(client: TestClient) -> None:
    namen = [r["naam"] for r in client.get("/v1/regios", headers=NOORD).json()]
    assert namen == ["noord"]
    assert client.get("/v1/regios/zuid/artikelen", headers=NOORD).status_code == 403
    assert client.post("/v1/regios/zuid/herlaad", headers=NOORD).status_code == 403


def test_declaratie_van_andere_regio_403_lezen_404_als_onbekend(client: TestClient) -> None:
    zuid = jw323(declaratie("ZUID1", prestatie(0, "Z1"), gemeente="0999"))
    geweigerd = client.post("/v1/declaraties", headers={**XML, **NOORD}, content=zuid)
    assert geweigerd.status_code == 403 and "zuid" in geweigerd.json()["fout"]
    expliciet = client.post("/v1/declaraties", headers={**XML, **NOORD}, content=zuid,
                            params={"regio": "zuid"})
    assert expliciet.status_code == 403
    toegestaan = client.post("/v1/declaraties", headers={**XML, **BEIDE}, content=zuid)
    assert toegestaan.status_code == 200, toegestaan.text
    declaratie_id = toegestaan.json()["declaratie_id"]
    onbekend = client.get("/v1/declaraties/" + "0" * len(declaratie_id), headers=NOORD)
    for pad in (f"/v1/declaraties/{declaratie_id}", f"/v1/declaraties/{declaratie_id}/uitleg"):
        ander = client.get(pad, headers=NOORD)
        assert (ander.status_code, ander.content) == (onbekend.status_code, onbekend.content)
    assert onbekend.status_code == 404
    assert onbekend.json() == {"fout": "er is geen declaratie met dit id"}
    assert client.get(f"/v1/declaraties/{declaratie_id}", headers=BEIDE).status_code == 200


def test_gezondheid_zonder_sleutel_zegt_alleen_op_of_neer(client: TestClient) -> None:
    for kop in ({}, {"X-API-Key": "fout"}):
        antwoord = client.get("/v1/gezondheid", headers=kop)
        assert antwoord.status_code == 200 and antwoord.json() == {"status": "ok"}
    data = client.get("/v1/gezondheid", headers=NOORD).json()
    assert data["open"] is False and data["status"] == "ok"
    assert [r["regio"] for r in data["regelsets"]] == ["noord", "zuid"]


def test_open_dienst_bedient_alleen_127_0_0_1(database_url: str, contracten: Path) -> None:
    app = maak_app(Instellingen(database_url=database_url, contracten=contracten),
                   StandInMotor())
    with TestClient(app, client=("10.1.2.3", 4000)) as van_buiten:
        antwoord = van_buiten.get("/v1/regios")
        assert antwoord.status_code == 403 and "127.0.0.1" in antwoord.json()["fout"]
    with TestClient(app, client=("127.0.0.1", 4000)) as lokaal:
        assert lokaal.get("/v1/regios").status_code == 200


def test_sleutelbestand_met_fout_noemt_de_regel_niet_de_sleutel(tmp_path: Path) -> None:
    pad = tmp_path / "sleutels.txt"
    pad.write_text("goed-1 noord\ngeheim-zonder-regio\n")
    with pytest.raises(SleutelbestandError) as fout:
        lees_sleutels(pad)
    assert f"{pad}:2:" in str(fout.value) and "geheim" not in str(fout.value)
    with pytest.raises(SleutelbestandError, match="niet te lezen"):
        lees_sleutels(tmp_path / "bestaat-niet.txt")
