"""End to end with the real parts: `regelwerk serve` (the README's command) on a free port,
the example regions of contracten/, their sample JW301 and JW323 posted over HTTP, the JW325
answer validated against the XSD, the explanation as JSON and HTML."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_hulp import REPO, Server
from lxml import etree

from berichten.ijw.standaard import IJW_3_2

pytestmark = pytest.mark.traag

CONTRACTEN = REPO / "contracten"
JW301_NS = IJW_3_2.namespace("JW301").encode()
JW323_NS = IJW_3_2.namespace("JW323").encode()


def voorbeelden(regio: Path, ns: bytes) -> list[Path]:
    """The region's sample messages of one kind (by namespace), in name order."""
    return [p for p in sorted((regio / "voorbeeld").rglob("*.xml")) if ns in p.read_bytes()[:600]]


REGIOS = sorted(p.parent for p in CONTRACTEN.glob("*/contract.regels"))
MET_VOORBEELD = [p for p in REGIOS if (p / "voorbeeld").is_dir()]
"""The regions with example messages (iJw); the Wmo region amstelland_wmo has none yet: the
service does not route iWmo messages yet."""


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    regelwerk = shutil.which("regelwerk", path=str(Path(sys.executable).parent))
    assert regelwerk, "het commando regelwerk ontbreekt in de virtualenv (make setup)"
    omgeving = {"REGELWERK_DATABASE_URL": database_url, "REGELWERK_HERLAAD_INTERVAL": "0"}
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    dienst = Server("", omgeving, log, argv=[regelwerk, "serve"])
    try:
        yield dienst.wacht()
    finally:
        dienst.stop()


def test_serve_meldt_waar_hij_luistert_en_laadt_de_voorbeeldregios(server: Server) -> None:
    uitvoer = server.log.read_text()
    assert f"luistert op http://127.0.0.1:{server.poort}" in uitvoer
    assert "alleen op 127.0.0.1" in uitvoer
    gezondheid = httpx.get(f"{server.url}/v1/gezondheid").json()
    assert {r["regio"] for r in gezondheid["regelsets"]} == {p.name for p in REGIOS}
    assert gezondheid["niet_geladen"] == {}


@pytest.mark.parametrize("regio", MET_VOORBEELD, ids=lambda p: p.name)
def test_voorbeeldberichten_van_de_regio(server: Server, regio: Path) -> None:
    from berichten.schema import schema

    toewijzingen, declaraties = voorbeelden(regio, JW301_NS), voorbeelden(regio, JW323_NS)
    assert toewijzingen and declaraties, f"{regio}/voorbeeld heeft geen JW301 en JW323"
    for pad in toewijzingen:
        antwoord = httpx.post(f"{server.url}/v1/toewijzingen", content=pad.read_bytes(),
                              headers={"Content-Type": "application/xml"})
        assert antwoord.status_code == 200, antwoord.text
        assert antwoord.json()["regio"] == regio.name
    for pad in sorted((regio / "voorbeeld").rglob("aanwezigheid*.csv")):
        antwoord = httpx.post(f"{server.url}/v1/aanwezigheid", content=pad.read_bytes(),
                              params={"regio": regio.name}, headers={"Content-Type": "text/csv"})
        assert antwoord.status_code == 200, antwoord.text
    for pad in declaraties:
        antwoord = httpx.post(f"{server.url}/v1/declaraties", content=pad.read_bytes(),
                              headers={"Content-Type": "application/xml"}, timeout=60)
        assert antwoord.status_code == 200, antwoord.text
        jw325 = etree.fromstring(antwoord.content)
        assert schema(IJW_3_2, "JW325").validate(jw325), schema(IJW_3_2, "JW325").error_log
        assert b"<" in antwoord.content and b"0001" not in antwoord.content
        plek = f"{server.url}{antwoord.headers['location']}"
        uitleg = httpx.get(f"{plek}/uitleg").json()
        assert uitleg
        html = httpx.get(f"{plek}/uitleg", headers={"Accept": "text/html"})
        assert html.status_code == 200 and "<h1>" in html.text
        opgeslagen = httpx.get(plek).json()
        assert opgeslagen["regio"] == regio.name and opgeslagen["prestaties"]
        assert opgeslagen["regelset_hash"] == regelset_hash(server, regio.name)
        herhaling(server, pad.read_bytes(), antwoord.headers["location"].rsplit("/", 1)[1])


def regelset_hash(server: Server, regio: str) -> str:
    regelsets = httpx.get(f"{server.url}/v1/gezondheid").json()["regelsets"]
    return next(str(r["regelset_hash"]) for r in regelsets if r["regio"] == regio)


def herhaling(server: Server, bericht: bytes, declaratie_id: str) -> None:
    """The very same message again: the stored answer. Same number, other content: 9333."""
    json_kop = {"Content-Type": "application/xml", "Accept": "application/json"}
    zelfde = httpx.post(f"{server.url}/v1/declaraties", content=bericht, headers=json_kop,
                        timeout=60).json()
    assert (zelfde["opnieuw_ingediend"], zelfde["declaratie_id"]) == (True, declaratie_id)
    ander = re.sub(rb"(<ijw:ReferentieNummer>)([^<]*)(<)", rb"\1X\2\3", bericht, count=1)
    # another message needs its own BerichtIdentificatie (the same one is 9056, TR056)
    ander = re.sub(rb"<ijw:Identificatie>[^<]*<", b"<ijw:Identificatie>ANDER1<", ander, count=1)
    gewijzigd = httpx.post(f"{server.url}/v1/declaraties", content=ander, headers=json_kop,
                           timeout=60).json()
    assert gewijzigd["opnieuw_ingediend"] is False and gewijzigd["technische_fout"] is None
    opgeslagen = httpx.get(f"{server.url}/v1/declaraties/{gewijzigd['declaratie_id']}").json()
    assert "9333" in opgeslagen["retourcodes"]
    assert {p["status"] for p in opgeslagen["prestaties"]} == {"afgewezen"}


@pytest.mark.parametrize("regio", MET_VOORBEELD, ids=lambda p: p.name)
def test_artikelen_als_json_en_html(server: Server, regio: Path) -> None:
    url = f"{server.url}/v1/regios/{regio.name}/artikelen"
    artikelen = httpx.get(url, params={"datum": "2026-04-01"}).json()["artikelen"]
    assert {"43"} <= {a["nummer"] for a in artikelen}
    html = httpx.get(url, params={"datum": "2026-04-01"}, headers={"Accept": "text/html"})
    assert html.status_code == 200 and "43" in html.text
