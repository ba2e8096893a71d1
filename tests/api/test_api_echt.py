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

from berichten.herkenning import STANDAARDEN
from berichten.standaard import Rol, Standaard

pytestmark = pytest.mark.traag

CONTRACTEN = REPO / "contracten"


def standaard_van(regio: Path) -> Standaard:
    """The standard of a region's examples: the one whose allocation folder it has."""
    return next(s for s in STANDAARDEN
                if (regio / "voorbeeld" / s.met_rol("toewijzing").naam).is_dir())


def voorbeelden(regio: Path, rol: Rol) -> list[Path]:
    """The region's sample messages of one kind (by namespace), in name order."""
    ns = standaard_van(regio).met_rol(rol).namespace.encode()
    return [p for p in sorted((regio / "voorbeeld").rglob("*.xml")) if ns in p.read_bytes()[:600]]


REGIOS = sorted(p.parent for p in CONTRACTEN.glob("*/contract.regels"))
MET_VOORBEELD = [p for p in REGIOS if (p / "voorbeeld").is_dir()]
"""The regions with example messages, each in its own standard (amstelland_wmo: iWmo; the
service routes a message to the region of its gemeente that covers its law)."""


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

    standaard = standaard_van(regio)
    toewijzingen = voorbeelden(regio, "toewijzing")
    declaraties = voorbeelden(regio, "declaratie")
    assert toewijzingen and declaraties, f"{regio}/voorbeeld: geen toewijzingen en declaraties"
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
        xsd = schema(standaard, standaard.met_rol("retour").naam)
        assert xsd.validate(jw325), xsd.error_log
        # not refused whole: no 0001 in the header, a DeclaratieAntwoord (a digit string
        # such as an amount or id may well contain "0001")
        codes = [c.text for c in jw325.iter() if str(c.tag).endswith("}RetourCode")
                 and c.getparent() is not None and c.getparent().getparent() is not None
                 and str(c.getparent().getparent().tag).endswith("}Header")]
        assert "0001" not in codes
        assert any(str(e.tag).endswith("}DeclaratieAntwoord") for e in jw325)
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
    ander = re.sub(rb"(<i?(?:jw|wmo):ReferentieNummer>)([^<]*)(<)", rb"\1X\2\3", bericht,
                   count=1)
    # another message needs its own BerichtIdentificatie (the same one is 9056, TR056)
    ander = re.sub(rb"<(i?(?:jw|wmo)):Identificatie>[^<]*<", rb"<\1:Identificatie>ANDER1<", ander,
                   count=1)
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
    nummers = {a["nummer"] for a in artikelen}
    # the youth contracts apply the model contract; the Wmo one the national checks only
    assert {"43"} <= nummers if standaard_van(regio).naam == "iJw" else nummers
    html = httpx.get(url, params={"datum": "2026-04-01"}, headers={"Accept": "text/html"})
    assert html.status_code == 200 and all(n in html.text for n in nummers)
