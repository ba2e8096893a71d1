"""iWmo in the service, over HTTP against `regelwerk serve` with the example regions and a key
file: a WMO301 and a WMO323 are recognised by their namespace and go to the region of their
gemeente that covers the Wmo (amstelland_wmo), a JW301/JW323 of the same gemeente to the
youth region (amstelland); the WMO323 is answered with a WMO325 that validates against the
derived schema, in every form (XML, JSON, stored, explanation). A message of a law a region
does not cover, an unknown namespace, a message of the wrong kind: a located Dutch 4xx. A key
of one region neither posts to nor reads the other's Wmo data."""

from __future__ import annotations

import dataclasses
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_hulp import REPO, Server
from lxml import etree

from berichten.ijw.jw323 import lees_jw323, schrijf_jw323
from berichten.ijw.standaard import IJW_3_2
from berichten.iwmo.standaard import IWMO_3_2
from berichten.schema import schema
from engine.bsn import elfproef
from engine.model import Declaratie

pytestmark = pytest.mark.traag

WMO = REPO / "contracten" / "amstelland_wmo" / "voorbeeld"
JEUGD = REPO / "contracten" / "amstelland" / "voorbeeld"
XML = {"Content-Type": "application/xml"}
W = "{" + IWMO_3_2.met_rol("retour").namespace + "}"
SLEUTELS = {"alles": "amstelland,amstelland_wmo,ijsselland", "jeugd": "amstelland",
            "wmo": "amstelland_wmo"}


def kop(sleutel: str, **extra: str) -> dict[str, str]:
    return {**XML, "X-API-Key": sleutel, **extra}


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    regelwerk = shutil.which("regelwerk", path=str(Path(sys.executable).parent))
    assert regelwerk, "het commando regelwerk ontbreekt in de virtualenv (make setup)"
    map_ = tmp_path_factory.mktemp("serve")
    (map_ / "sleutels.txt").write_text("".join(f"{k} {r}\n" for k, r in SLEUTELS.items()))
    omgeving = {"REGELWERK_DATABASE_URL": database_url, "REGELWERK_HERLAAD_INTERVAL": "0",
                "REGELWERK_SLEUTELS": str(map_ / "sleutels.txt")}
    dienst = Server("", omgeving, map_ / "serve.log", argv=[regelwerk, "serve"])
    try:
        dienst.wacht()
        for pad in sorted([*(WMO / "WMO301").glob("*.xml"), *(JEUGD / "JW301").glob("*.xml")]):
            antwoord = httpx.post(f"{dienst.url}/v1/toewijzingen", content=pad.read_bytes(),
                                  headers=kop("alles"))
            assert antwoord.status_code == 200, antwoord.text
            # routed by law: both regions list gemeente 0384, the namespace decides
            assert antwoord.json()["regio"] == pad.parents[2].name
        yield dienst
    finally:
        dienst.stop()


def _post(server: Server, body: bytes, sleutel: str = "alles", **extra: str) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/declaraties", content=body, timeout=60,
                      headers=kop(sleutel, **extra))


def _wmo325(antwoord: httpx.Response) -> etree._Element:
    """The answer, valid against the derived WMO325.xsd."""
    assert antwoord.headers["content-type"].startswith("application/xml"), antwoord.text
    boom = etree.fromstring(antwoord.content)
    xsd = schema(IWMO_3_2, "WMO325")
    assert xsd.validate(boom), xsd.error_log
    return boom


def _bericht(voorvoegsel: str) -> Declaratie:
    """The Wmo example with numbers of its own (the tests share one database)."""
    d = lees_jw323(WMO / "WMO323.xml", standaard=IWMO_3_2)
    return dataclasses.replace(
        d, bericht_identificatie=voorvoegsel + "1", declaratienummer=voorvoegsel + "1",
        prestaties=tuple(dataclasses.replace(p, referentienummer=voorvoegsel + p.referentienummer)
                         for p in d.prestaties))


def test_regios_noemen_hun_standaarden(server: Server) -> None:
    regios = {r["naam"]: r["standaarden"] for r in
              httpx.get(f"{server.url}/v1/regios", headers=kop("alles")).json()}
    assert regios == {"amstelland": ["iJw 3.2"], "amstelland_wmo": ["iWmo 3.2"],
                      "ijsselland": ["iJw 3.2"]}


def test_wmo323_krijgt_een_wmo325_in_elke_vorm(server: Server) -> None:
    bericht = (WMO / "WMO323.xml").read_bytes()
    antwoord = _post(server, bericht)
    assert antwoord.status_code == 200, antwoord.text
    boom = _wmo325(antwoord)
    assert boom.findtext(f"{W}Header/{W}BerichtCode") == IWMO_3_2.met_rol("retour").berichtcode
    afgewezen = {r.text for r in boom.iter(f"{W}RetourCode")}
    assert {"0611", "9346", "9338"} <= afgewezen
    plek = f"{server.url}{antwoord.headers['location']}"
    # stored: the WMO325 again, the lines, the explanation (JSON and HTML)
    opnieuw = httpx.get(plek, headers={"X-API-Key": "wmo", "Accept": "application/xml"})
    assert opnieuw.content == antwoord.content
    opgeslagen = httpx.get(plek, headers={"X-API-Key": "wmo"}).json()
    assert opgeslagen["regio"] == "amstelland_wmo"
    assert {p["referentienummer"]: p["status"] for p in opgeslagen["prestaties"]} == {
        "WRN001": "goedgekeurd", "WRN002": "afgewezen", "WRN003": "goedgekeurd",
        "WRN004": "afgewezen", "WRN005": "afgewezen"}
    uitleg = httpx.get(f"{plek}/uitleg", headers={"X-API-Key": "wmo"}).json()
    assert len(uitleg["prestaties"]) == 5
    html = httpx.get(f"{plek}/uitleg", headers={"X-API-Key": "wmo", "Accept": "text/html"})
    assert html.status_code == 200 and "WMO202603" in html.text
    # the very same message again, as JSON: the stored answer, in its standard
    zelfde = _post(server, bericht, Accept="application/json").json()
    assert zelfde["opnieuw_ingediend"] is True and zelfde["regio"] == "amstelland_wmo"
    assert zelfde["standaard"] == "iWmo 3.2"
    assert zelfde["declaratie_id"] == antwoord.headers["location"].rsplit("/", 1)[1]


def test_jw323_van_dezelfde_gemeente_gaat_naar_de_jeugdregio(server: Server) -> None:
    antwoord = _post(server, (JEUGD / "JW323.xml").read_bytes(), Accept="application/json")
    assert antwoord.status_code == 200, antwoord.text
    assert (antwoord.json()["regio"], antwoord.json()["standaard"]) == ("amstelland", "iJw 3.2")
    xml = httpx.get(f"{server.url}/v1/declaraties/{antwoord.json()['declaratie_id']}",
                    headers={"X-API-Key": "jeugd", "Accept": "application/xml"})
    assert schema(IJW_3_2, "JW325").validate(etree.fromstring(xml.content))


def test_regio_zonder_de_wet_van_het_bericht(server: Server) -> None:
    bericht = schrijf_jw323(_bericht("R"), IWMO_3_2)
    antwoord = httpx.post(f"{server.url}/v1/declaraties", params={"regio": "amstelland"},
                          content=bericht, headers=kop("alles"), timeout=60)
    assert antwoord.status_code == 422
    assert antwoord.json()["locatie"] == "regio"
    assert antwoord.json()["fout"].startswith(
        "het contract van regio 'amstelland' kent geen Wmo-producten")
    # a gemeente whose only region is a youth region
    ijssel = schrijf_jw323(dataclasses.replace(_bericht("S"), gemeente="0193"), IWMO_3_2)
    antwoord = _post(server, ijssel)
    assert antwoord.status_code == 422
    assert antwoord.json()["fout"].startswith(
        "gemeente 0193 heeft geen regio voor de Wmo (iWmo 3.2): het contract van regio "
        "'ijsselland' kent geen Wmo-producten")
    # and the other way: a JW323 named to the Wmo region
    jeugd = httpx.post(f"{server.url}/v1/declaraties", params={"regio": "amstelland_wmo"},
                       content=(JEUGD / "JW323.xml").read_bytes(), headers=kop("alles"))
    assert jeugd.status_code == 422
    assert "kent geen Jeugdwet-producten" in jeugd.json()["fout"]


def test_onbekende_naamruimte_en_verkeerd_bericht(server: Server) -> None:
    vreemd = b'<?xml version="1.0"?>\n<x:Bericht xmlns:x="urn:vreemd"/>\n'
    antwoord = _post(server, vreemd)
    assert antwoord.status_code == 422
    fout = antwoord.json()
    assert (fout["line"], fout["column"]) == (2, 1)
    assert "naamruimte 'urn:vreemd'" in fout["fout"]
    for s in (IJW_3_2, IWMO_3_2):
        assert s.met_rol("declaratie").namespace in fout["fout"]
    toewijzing = _post(server, (WMO / "WMO301" / "client1.xml").read_bytes())
    assert toewijzing.status_code == 422
    assert toewijzing.json()["fout"].startswith("dit is een WMO301-bericht (iWmo 3.2, toewijzing)")
    verkeerd = httpx.post(f"{server.url}/v1/toewijzingen",
                          content=(WMO / "WMO323.xml").read_bytes(), headers=kop("alles"))
    assert verkeerd.status_code == 422 and "WMO323-bericht" in verkeerd.json()["fout"]


def test_schemafout_en_weigering_in_wmo325(server: Server) -> None:
    kapot = (WMO / "WMO323.xml").read_bytes().replace(
        b"<wmo323:GeleverdVolume>6<", b"<wmo323:GeleverdVolume>zes<", 1)
    antwoord = _post(server, kapot, Accept="application/xml")
    assert antwoord.status_code == 200, antwoord.text
    codes = [c.text for c in _wmo325(antwoord).iterfind(f"{W}Header/{W}RetourCodes/{W}RetourCode")]
    assert codes == ["0001"] and "location" not in antwoord.headers
    # a BSN that fails the elfproef refuses the whole message (OP286), in a WMO325
    goed = _bericht("B")
    eerste = goed.prestaties[0].bsn
    slecht = next(eerste[:8] + c for c in "0123456789" if not elfproef(eerste[:8] + c))
    fout = dataclasses.replace(goed, prestaties=tuple(
        dataclasses.replace(p, bsn=slecht) if p.bsn == eerste else p for p in goed.prestaties))
    geweigerd = _post(server, schrijf_jw323(fout, IWMO_3_2))
    codes = [c.text for c in _wmo325(geweigerd).iterfind(f"{W}Header/{W}RetourCodes/{W}RetourCode")]
    assert codes == ["0001"] and slecht.encode() not in geweigerd.content
    hersteld = _post(server, schrijf_jw323(goed, IWMO_3_2))
    assert _wmo325(hersteld).find(f"{W}DeclaratieAntwoord") is not None
    assert "location" in hersteld.headers


def test_sleutels_blijven_in_hun_regio(server: Server) -> None:
    bericht = schrijf_jw323(_bericht("K"), IWMO_3_2)
    # the youth key may use amstelland only: its gemeente's Wmo region is not its own
    assert _post(server, bericht, "jeugd").status_code == 403
    named = httpx.post(f"{server.url}/v1/declaraties", params={"regio": "amstelland_wmo"},
                       content=bericht, headers=kop("jeugd"))
    assert named.status_code == 403
    toewijzing = httpx.post(f"{server.url}/v1/toewijzingen",
                            content=(WMO / "WMO301" / "client1.xml").read_bytes(),
                            headers=kop("jeugd"))
    assert toewijzing.status_code == 403
    eigen = _post(server, bericht, "wmo")
    assert eigen.status_code == 200 and "location" in eigen.headers
    plek = f"{server.url}{eigen.headers['location']}"
    niets = httpx.get(f"{server.url}/v1/declaraties/{'0' * 32}", headers={"X-API-Key": "jeugd"})
    for pad in ("", "/uitleg"):
        vreemd = httpx.get(plek + pad, headers={"X-API-Key": "jeugd"})
        assert (vreemd.status_code, vreemd.content) == (404, niets.content)
        assert httpx.get(plek + pad, headers={"X-API-Key": "wmo"}).status_code == 200
    # the Wmo key cannot reach the youth region either
    assert _post(server, (JEUGD / "JW323.xml").read_bytes(), "wmo").status_code == 403
