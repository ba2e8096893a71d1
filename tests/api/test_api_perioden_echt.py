"""The quarter and year reports over HTTP (`regelwerk serve`, real rule books of contracten/,
SQLite and PostgreSQL): only for keys of the region, never another region's data, no BSN,
every format; recomputing a quarter replaces its stored signals."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_hulp import REPO, Server
from sqlalchemy import create_engine, text

from berichten.ijw.jw323 import lees_jw323

pytestmark = pytest.mark.traag

VOORBEELD = REPO / "contracten" / "amstelland" / "voorbeeld"
AMSTEL = {"X-API-Key": "periode-amstelland-1"}
IJSSEL = {"X-API-Key": "periode-ijsselland-2"}
XML = {"Content-Type": "application/xml", "Accept": "application/json"}
KWARTAAL = "/v1/regios/amstelland/jaren/2026/kwartalen/1"


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    sleutels = tmp_path_factory.mktemp("sleutels") / "sleutels.txt"
    sleutels.write_text("periode-amstelland-1 amstelland\nperiode-ijsselland-2 ijsselland\n")
    regelwerk = shutil.which("regelwerk", path=str(Path(sys.executable).parent))
    assert regelwerk
    omgeving = {"REGELWERK_DATABASE_URL": database_url, "REGELWERK_SLEUTELS": str(sleutels),
                "REGELWERK_HERLAAD_INTERVAL": "0"}
    dienst = Server("", omgeving, tmp_path_factory.mktemp("serve") / "serve.log",
                    argv=[regelwerk, "serve"])
    try:
        dienst.wacht()
        for pad in sorted((VOORBEELD / "JW301").glob("*.xml")):
            httpx.post(f"{dienst.url}/v1/toewijzingen", headers={**AMSTEL, **XML},
                       content=pad.read_bytes(), timeout=60).raise_for_status()
        httpx.post(f"{dienst.url}/v1/declaraties", headers={**AMSTEL, **XML},
                   content=(VOORBEELD / "JW323.xml").read_bytes(),
                   timeout=60).raise_for_status()
        yield dienst
    finally:
        dienst.stop()


def test_kwartaal_van_de_eigen_regio(server: Server) -> None:
    antwoord = httpx.get(f"{server.url}{KWARTAAL}", headers=AMSTEL, timeout=60)
    assert antwoord.status_code == 200, antwoord.text
    document = antwoord.json()
    assert document["soort"] == "kwartaal" and document["regio"] == "amstelland"
    kern = document["tabellen"]["kerngegevens_van_het_kwartaal"]
    assert [(r["aanbieder"], r["gemeente"], r["totaal_gefactureerd_kwartaal"]) for r in kern] \
        == [("12345678", "0384", 1062200)]
    assert any(s["code"] == "S530" for s in document["signalen"])
    for bsn in {p.bsn for p in lees_jw323(VOORBEELD / "JW323.xml").prestaties}:
        assert bsn not in antwoord.text


def test_een_sleutel_van_een_andere_regio_krijgt_niets(server: Server) -> None:
    for pad in (KWARTAAL, "/v1/regios/amstelland/jaren/2026/verantwoording"):
        antwoord = httpx.get(f"{server.url}{pad}", headers=IJSSEL, timeout=60)
        assert antwoord.status_code in (403, 404), antwoord.text
        assert "12345678" not in antwoord.text
    eigen = httpx.get(f"{server.url}/v1/regios/ijsselland/jaren/2026/kwartalen/1",
                      headers=IJSSEL, timeout=60)
    assert eigen.status_code == 200
    tabellen = eigen.json()["tabellen"]  # ijsselland's ceilings (its contract), no production
    assert all(t == [] for n, t in tabellen.items() if n != "plafondgebruik")
    assert {r["productie_tm_maand_3"] for r in tabellen["plafondgebruik"]} == {0}


def test_verantwoording_in_elk_formaat(server: Server) -> None:
    pad = f"{server.url}/v1/regios/amstelland/jaren/2026/verantwoording"
    json_ = httpx.get(pad, headers=AMSTEL, timeout=60).json()
    productie = json_["tabellen"]["productieverantwoording"]
    # the service had no absences: its stay line is approved
    assert sum(r["goedgekeurd_bedrag"] for r in productie) == 929000
    for formaat, soort in (("csv", "text/csv"), ("xlsx", "spreadsheetml"), ("html", "html"),
                           ("tekst", "text/plain")):
        antwoord = httpx.get(pad, headers=AMSTEL, params={"formaat": formaat}, timeout=60)
        assert antwoord.status_code == 200 and soort in antwoord.headers["content-type"]
    fout = httpx.get(pad, headers=AMSTEL, params={"formaat": "pdf"}, timeout=60)
    assert fout.status_code == 422


def test_opnieuw_berekenen_vervangt_de_signalen(server: Server, database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        aantallen = []
        for _ in range(2):
            httpx.get(f"{server.url}{KWARTAAL}", headers=AMSTEL, timeout=60).raise_for_status()
            with engine.connect() as verbinding:
                aantallen.append(verbinding.execute(text(
                    "SELECT count(*) FROM periodesignaal WHERE regio = 'amstelland' "
                    "AND jaar = 2026 AND kwartaal = 1")).scalar_one())
        assert aantallen[0] == aantallen[1] > 0
    finally:
        engine.dispose()
