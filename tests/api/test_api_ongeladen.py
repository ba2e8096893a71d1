"""Fail closed when a region did not load: a gemeente named by a region whose rule set has
errors may be that region's, so its messages are not sent to another region of the gemeente
(nor called unknown) without the caller's explicit `?regio=`; a caller whose key does not
reach the broken region is not affected."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_hulp import declaratie, jw323, prestatie, toewijzingen_json
from api_standin import StandInMotor, contract
from fastapi.testclient import TestClient

from api.instellingen import Instellingen
from api.main import maak_app

XML = {"Content-Type": "application/xml", "Accept": "application/json"}
NOORD = {"X-API-Key": "sleutel-noord-1"}
BEIDE = {"X-API-Key": "sleutel-beide-2"}


@pytest.fixture(scope="module")
def client(database_url: str, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[TestClient]:
    """noord lists 0384; west lists 0384 and 0777 but does not load (FOUT)."""
    contracten = tmp_path_factory.mktemp("contracten")
    for naam, tekst in (("noord", contract("0384")), ("west", contract("0384 0777", "FOUT\n"))):
        (contracten / naam).mkdir()
        (contracten / naam / "contract.regels").write_text(tekst)
    sleutels = tmp_path_factory.mktemp("sleutels") / "sleutels.txt"
    sleutels.write_text("sleutel-noord-1 noord\nsleutel-beide-2 noord,west\n")
    instellingen = Instellingen(database_url=database_url, contracten=contracten,
                                sleutels=sleutels, herlaad_interval=0)
    with TestClient(maak_app(instellingen, StandInMotor()), client=("10.1.2.3", 4000)) as c:
        yield c


def test_gemeente_van_een_ongeladen_regio_gaat_niet_naar_een_andere(client: TestClient
                                                                    ) -> None:
    antwoord = client.post("/v1/toewijzingen", headers=BEIDE,
                           json=toewijzingen_json(("7001", 10), gemeente="0384"))
    assert antwoord.status_code == 503, antwoord.text
    assert antwoord.json()["fout"].startswith("regio 'west' van gemeente 0384 is niet geladen")
    bericht = jw323(declaratie("ONG1", prestatie(0, "OG1", "7001"), gemeente="0384"))
    assert client.post("/v1/declaraties", headers={**XML, **BEIDE},
                       content=bericht).status_code == 503
    # Chosen explicitly, the loaded region of the gemeente takes it.
    gekozen = client.post("/v1/toewijzingen", headers=BEIDE, params={"regio": "noord"},
                          json=toewijzingen_json(("7001", 10), gemeente="0384"))
    assert gekozen.status_code == 200 and gekozen.json()["regio"] == "noord"


def test_gemeente_alleen_van_een_ongeladen_regio_is_niet_onbekend(client: TestClient) -> None:
    bericht = jw323(declaratie("ONG2", prestatie(0, "OG2", "7002"), gemeente="0777"))
    antwoord = client.post("/v1/declaraties", headers={**XML, **BEIDE}, content=bericht)
    assert antwoord.status_code == 503, antwoord.text
    assert "regio 'west' van gemeente 0777 is niet geladen" in antwoord.json()["fout"]


def test_een_sleutel_zonder_de_ongeladen_regio_merkt_er_niets_van(client: TestClient) -> None:
    antwoord = client.post("/v1/toewijzingen", headers=NOORD,
                           json=toewijzingen_json(("7003", 10), gemeente="0384"))
    assert antwoord.status_code == 200, antwoord.text
    assert antwoord.json()["regio"] == "noord"
