"""Issue 11's cross-region attack with the real rule books of contracten/: a key for
ijsselland only, on amstelland's gemeente 0384 and amstelland's own sample messages.

On main the attacker's newer JW301 version (100 hours) made amstelland's RN002 (50 hours on
a 10-hour allocation) approved instead of 9321, and a version posted first with volume 0
made amstelland's own JW301 answer `nieuw: 0`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_hulp import REPO
from fastapi.testclient import TestClient

from api.instellingen import Instellingen
from api.main import maak_app
from api.motor import EchteMotor

pytestmark = pytest.mark.traag

VOORBEELD = REPO / "contracten" / "amstelland" / "voorbeeld"
AMSTEL = {"X-API-Key": "sleutel-amstelland-1"}
IJSSEL = {"X-API-Key": "sleutel-ijsselland-2"}
XML = {"Content-Type": "application/xml", "Accept": "application/json"}


@pytest.fixture(scope="module")
def client(database_url: str, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[TestClient]:
    sleutels = tmp_path_factory.mktemp("sleutels") / "sleutels.txt"
    sleutels.write_text("sleutel-amstelland-1 amstelland\nsleutel-ijsselland-2 ijsselland\n")
    instellingen = Instellingen(database_url=database_url, contracten=REPO / "contracten",
                                sleutels=sleutels, herlaad_interval=0)
    with TestClient(maak_app(instellingen, EchteMotor()), client=("10.1.2.3", 4000)) as c:
        yield c


def client1(volume: bytes, tijd: bytes) -> bytes:
    """amstelland's client1.xml with every allocation's volume and time replaced."""
    bericht = (VOORBEELD / "JW301" / "client1.xml").read_bytes()
    bericht = bericht.replace(b"<jw301:Toewijzingstijd>09:00:00<",
                              b"<jw301:Toewijzingstijd>" + tijd + b"<")
    return bericht.replace(b"<ijw:Volume>10<", b"<ijw:Volume>" + volume + b"<")


def test_sleutel_van_ijsselland_verandert_niets_aan_amstelland(client: TestClient) -> None:
    buiten = "gemeente 0384 hoort niet bij regio 'ijsselland'"
    # First an attacker's version with volume 0 at amstelland's own date and time ...
    nul = client.post("/v1/toewijzingen", headers={**IJSSEL, **XML},
                      params={"regio": "ijsselland"}, content=client1(b"0", b"09:00:00"))
    assert nul.status_code == 422 and nul.json()["fout"].startswith(buiten)
    # ... so amstelland's own JW301s are all new,
    for pad in sorted((VOORBEELD / "JW301").glob("*.xml")):
        eigen = client.post("/v1/toewijzingen", headers={**AMSTEL, **XML},
                            content=pad.read_bytes())
        assert eigen.json()["nieuw"] == eigen.json()["ontvangen"] > 0, eigen.text
        opnieuw = client.post("/v1/toewijzingen", headers={**AMSTEL, **XML},
                              content=pad.read_bytes())
        assert opnieuw.status_code == 200 and opnieuw.json()["nieuw"] == 0, opnieuw.text
    client.post("/v1/aanwezigheid", headers={**AMSTEL, "Content-Type": "text/csv"},
                content=(VOORBEELD / "aanwezigheid.csv").read_bytes()).raise_for_status()
    # ... a newer version with 100 hours and amstelland's declaration are refused,
    for params in ({"regio": "ijsselland"}, {}):
        nieuwer = client.post("/v1/toewijzingen", headers={**IJSSEL, **XML}, params=params,
                              content=client1(b"100", b"10:00:00"))
        assert nieuwer.status_code in (403, 422), nieuwer.text
        gebruikt = client.post("/v1/declaraties", headers={**IJSSEL, **XML}, params=params,
                               content=(VOORBEELD / "JW323.xml").read_bytes())
        assert gebruikt.status_code in (403, 422) and "uitleg" not in gebruikt.json()
    # ... amstelland's own changed version at the same date and time is a conflict (409),
    gewijzigd = client.post("/v1/toewijzingen", headers={**AMSTEL, **XML},
                            content=client1(b"100", b"09:00:00"))
    assert gewijzigd.status_code == 409 and "300101" in gewijzigd.json()["fout"]
    # ... and amstelland's declaration is assessed as if the attacker never came.
    antwoord = client.post("/v1/declaraties", headers={**AMSTEL, **XML},
                           content=(VOORBEELD / "JW323.xml").read_bytes())
    regels = [(p["referentienummer"], p["status"], p["retourcodes"])
              for p in antwoord.json()["uitleg"]["prestaties"]]
    assert regels == [("RN001", "goedgekeurd", []), ("RN002", "afgewezen", ["9321"]),
                      ("RN003", "goedgekeurd", []), ("RN004", "afgewezen", ["0611"]),
                      ("RN005", "afgewezen", ["0611"]), ("RN006", "afgewezen", ["9346"])]
