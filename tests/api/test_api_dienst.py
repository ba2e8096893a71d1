"""The routes end to end through the app (TestClient), on SQLite and PostgreSQL, with the
stand-in engine: storage, history across messages, resubmission, 9333, content negotiation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from api_hulp import BSN, declaratie, jw323, prestatie, toewijzingen_json
from api_standin import StandInMotor
from fastapi.testclient import TestClient
from lxml import etree

from api.instellingen import Instellingen
from api.main import maak_app
from berichten.ijw.json_vorm import declaratie_naar_json
from berichten.ijw.standaard import IJW_3_2
from berichten.schema import schema

XML = {"Content-Type": "application/xml", "Accept": "application/xml"}
XML_IN_JSON_UIT = {"Content-Type": "application/xml", "Accept": "application/json"}


@pytest.fixture(scope="module")
def client(database_url: str, contracten: Path) -> Iterator[TestClient]:
    instellingen = Instellingen(database_url=database_url, contracten=contracten)
    with TestClient(maak_app(instellingen, StandInMotor())) as c:
        yield c


def dien_in(client: TestClient, bericht: bytes, **params: str) -> dict[str, object]:
    antwoord = client.post("/v1/declaraties", content=bericht, headers=XML_IN_JSON_UIT,
                           params=params)
    assert antwoord.status_code == 200, antwoord.text
    data: dict[str, object] = antwoord.json()
    assert data["technische_fout"] is None, data["technische_fout"]
    return data


def statussen(client: TestClient, declaratie_id: object) -> list[tuple[str, str]]:
    data = client.get(f"/v1/declaraties/{declaratie_id}").json()
    return [(p["status"], p["retourcodes"]) for p in data["prestaties"]]


def test_gezondheid_noemt_regelsets_en_hashes(client: TestClient) -> None:
    data = client.get("/v1/gezondheid").json()
    assert data["status"] == "ok" and data["open"] is True
    assert [r["regio"] for r in data["regelsets"]] == ["noord", "zuid"]
    assert all(len(r["regelset_hash"]) == 64 for r in data["regelsets"])


def test_toewijzingen_opslaan_is_idempotent(client: TestClient) -> None:
    bericht = toewijzingen_json(("1001", 10), ("1002", 5))
    eerst = client.post("/v1/toewijzingen", json=bericht)
    assert eerst.status_code == 200, eerst.text
    assert eerst.json() == {"regio": "noord", "ontvangen": 2, "nieuw": 2,
                            "toewijzingnummers": ["1001", "1002"]}
    assert client.post("/v1/toewijzingen", json=bericht).json()["nieuw"] == 0


def test_declaratie_als_xml_beantwoord_met_jw325(client: TestClient) -> None:
    client.post("/v1/toewijzingen", json=toewijzingen_json(("1101", 10)))
    antwoord = client.post("/v1/declaraties", headers=XML,
                           content=jw323(declaratie("XML1", prestatie(0, "XR1", "1101"))))
    assert antwoord.status_code == 200
    assert antwoord.headers["content-type"].startswith("application/xml")
    assert schema(IJW_3_2, "JW325").validate(etree.fromstring(antwoord.content))
    opgeslagen = client.get(antwoord.headers["location"], headers={"Accept": "application/xml"})
    assert opgeslagen.content == antwoord.content


def test_opnieuw_indienen_geeft_opgeslagen_antwoord_en_telt_niet_dubbel(client: TestClient
                                                                        ) -> None:
    client.post("/v1/toewijzingen", json=toewijzingen_json(("1201", 10)))
    bericht = jw323(declaratie("HER1", prestatie(0, "HR1", "1201", volume=6)))
    eerst = dien_in(client, bericht)
    tweede = dien_in(client, bericht)
    assert tweede["opnieuw_ingediend"] is True and eerst["opnieuw_ingediend"] is False
    assert tweede["declaratie_id"] == eerst["declaratie_id"]
    assert tweede["uitleg"] == eerst["uitleg"]
    # 6 + 4 = 10 fits the allocation only if the resubmission counted nothing.
    derde = dien_in(client, jw323(declaratie("HER2", prestatie(0, "HR2", "1201", volume=4))))
    assert statussen(client, derde["declaratie_id"]) == [("goedgekeurd", "")]
    vierde = dien_in(client, jw323(declaratie("HER3", prestatie(0, "HR3", "1201", volume=1))))
    assert statussen(client, vierde["declaratie_id"]) == [("afgewezen", "9322")]


def test_zelfde_nummer_andere_inhoud_is_9333(client: TestClient) -> None:
    client.post("/v1/toewijzingen", json=toewijzingen_json(("1301", 100)))
    eerst = dien_in(client, jw323(declaratie("NUM1", prestatie(0, "NR1", "1301", volume=2))))
    ander = dien_in(client, jw323(declaratie("NUM1", prestatie(0, "NR2", "1301", volume=3))))
    assert ander["declaratie_id"] != eerst["declaratie_id"]
    data = client.get(f"/v1/declaraties/{ander['declaratie_id']}").json()
    assert data["retourcodes"] == ["9333"]
    assert [p["retourcodes"] for p in data["prestaties"]] == ["9333"]


def test_opgeslagen_uitkomst_draagt_regelset_hash(client: TestClient) -> None:
    hashes = {r["naam"]: r["regelset_hash"] for r in client.get("/v1/regios").json()}
    uit = dien_in(client, jw323(declaratie("HASH1", prestatie(0, "HA1", "9999"))))
    assert uit["regelset_hash"] == hashes["noord"]
    data = client.get(f"/v1/declaraties/{uit['declaratie_id']}").json()
    assert data["regelset_hash"] == hashes["noord"]
    assert {p["regelset_hash"] for p in data["prestaties"]} == {hashes["noord"]}
    assert BSN not in str(data)


def test_regio_expliciet_met_parameter(client: TestClient) -> None:
    uit = dien_in(client, jw323(declaratie("REG1", prestatie(0, "RG1"))), regio="noord")
    assert uit["regio"] == "noord"
    buiten = client.post("/v1/declaraties", headers=XML, params={"regio": "zuid"},
                         content=jw323(declaratie("REG3", prestatie(0, "RG3"))))
    assert buiten.status_code == 422
    assert buiten.json()["fout"].startswith("gemeente 0384 hoort niet bij regio 'zuid'")
    onbekend = client.post("/v1/declaraties", headers=XML,
                           content=jw323(declaratie("REG2", prestatie(0, "RG2"),
                                                    gemeente="0001")))
    assert onbekend.status_code == 404
    assert "0001" in onbekend.json()["fout"]


def test_uitleg_json_en_html(client: TestClient) -> None:
    uit = dien_in(client, jw323(declaratie("UIT1", prestatie(0, "UR1", "9998"),
                                           prestatie(1, "UR2", "9998"))))
    json_uitleg = client.get(f"/v1/declaraties/{uit['declaratie_id']}/uitleg").json()
    assert json_uitleg == uit["uitleg"]
    html = client.get(f"/v1/declaraties/{uit['declaratie_id']}/uitleg",
                      headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    assert "Geen toewijzing gevonden." in html.text and "artikel 43, lid 43.1" in html.text
    assert "2 van de 2 prestaties zijn" in html.text
    # plain Dutch: the line by its number, dates in words (issue 16, wall 9)
    assert "Prestatie 2 (referentienummer UR2)" in html.text
    assert "1 april 2026 tot en met 30 april 2026" in html.text and "2026-04" not in html.text
    assert BSN not in html.text


def test_aanwezigheid_json_en_fouten_zonder_bsn(client: TestClient) -> None:
    perioden = {"afwezigheden": [{"bsn": BSN, "toewijzingnummer": "1001", "van": "2026-04-01",
                                  "tot": "2026-04-03"}]}
    eerst = client.post("/v1/aanwezigheid", json=perioden, params={"regio": "noord"})
    assert eerst.json() == {"regio": "noord", "ontvangen": 1, "nieuw": 1}
    assert client.post("/v1/aanwezigheid", json=perioden,
                       params={"regio": "noord"}).json()["nieuw"] == 0
    fout_bsn = "123456789"
    slecht = client.post("/v1/aanwezigheid", params={"regio": "noord"}, json={
        "afwezigheden": [{**perioden["afwezigheden"][0], "bsn": fout_bsn}]})
    assert slecht.status_code == 422
    assert "elfproef" in slecht.json()["fout"] and fout_bsn not in slecht.text
    zonder_regio = client.post("/v1/aanwezigheid", json=perioden)
    assert zonder_regio.status_code == 422 and "?regio=" in zonder_regio.json()["fout"]


def test_regios_en_artikelen(client: TestClient) -> None:
    regios = client.get("/v1/regios").json()
    assert [(r["naam"], r["gemeenten"]) for r in regios] == [("noord", ["0384", "0385"]),
                                                              ("zuid", ["0999"])]
    artikelen = client.get("/v1/regios/noord/artikelen", params={"datum": "2026-04-01"})
    assert artikelen.json()["datum"] == "2026-04-01"
    html = client.get("/v1/regios/noord/artikelen", headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    assert client.get("/v1/regios/nergens/artikelen").status_code == 404


def test_valideer_regeltekst_geeft_plaats_van_elke_fout(client: TestClient) -> None:
    tekst = "regel een\nregel met FOUT erin\n"
    json_antwoord = client.post("/v1/regels/valideer", json={"tekst": tekst}).json()
    assert json_antwoord["geldig"] is False
    assert [(f["line"], f["column"]) for f in json_antwoord["fouten"]] == [(2, 11)]
    platte_tekst = client.post("/v1/regels/valideer", content="regel goed\n",
                               headers={"Content-Type": "text/plain"}).json()
    assert platte_tekst == {"geldig": True, "fouten": []}


def test_aanwezigheid_als_csv(client: TestClient) -> None:
    csv = f"bsn,toewijzingnummer,van,tot\n{BSN},1001,2026-04-10,2026-04-12\n".encode()
    antwoord = client.post("/v1/aanwezigheid", content=csv, params={"regio": "zuid"},
                           headers={"Content-Type": "text/csv"})
    assert antwoord.json() == {"regio": "zuid", "ontvangen": 1, "nieuw": 1}
    slecht = b"bsn,toewijzingnummer,van,tot\n" + csv.split(b"\n")[1] + b"\n123456789,1,x,y\n"
    fout = client.post("/v1/aanwezigheid", content=slecht, params={"regio": "zuid"},
                       headers={"Content-Type": "text/csv"})
    assert fout.status_code == 422 and fout.json()["line"] == 3
    assert "123456789" not in fout.text


def test_technische_fout_van_de_engine_wordt_niet_vastgelegd(client: TestClient) -> None:
    antwoord = client.post("/v1/declaraties", headers=XML_IN_JSON_UIT,
                           content=jw323(declaratie("TECH1", prestatie(0, "TE1"))))
    data = antwoord.json()
    assert data["declaratie_id"] is None and data["technische_fout"].startswith("technisch")
    assert BSN not in antwoord.text
    later = dien_in(client, jw323(declaratie("NA1", prestatie(0, "TE1", "9999"))))
    assert statussen(client, later["declaratie_id"]) == [("afgewezen", "9338")]


def test_declaratie_als_json_met_het_grootste_totaalbedrag(client: TestClient) -> None:
    """TotaalBedrag may reach 999,999,999,999 cents: more than a 32-bit column holds."""
    d = replace(declaratie("GROOT1", prestatie(0, "GR1", "9999")),
                totaal_ingediend=999_999_999_999)
    antwoord = client.post("/v1/declaraties", json=declaratie_naar_json(d))
    assert antwoord.status_code == 200, antwoord.text
    assert antwoord.headers["content-type"].startswith("application/json")
    opgeslagen = client.get(f"/v1/declaraties/{antwoord.json()['declaratie_id']}").json()
    assert opgeslagen["totaal_ingediend"] == 999_999_999_999


@pytest.mark.parametrize(("veld", "waarde", "reden"), [
    ("bsn", "123456789", "elfproef"),
    ("toewijzingnummer", "١٠٠١", "cijfers (0-9)"),  # Arabic-Indic digits
    ("toewijzingnummer", "12345678901", "hoogstens 9 cijfers"),
    ("tot", "2026-03-31", "ligt voor 'van'"),
])
def test_aanwezigheid_csv_en_json_zelfde_controle(client: TestClient, veld: str, waarde: str,
                                                  reden: str) -> None:
    """CSV and JSON absences go through one check: the same row is refused by both, with the
    same reason and never the BSN (before, the CSV skipped the elfproef and took non-ASCII
    digits, and JSON took allocation numbers of any length)."""
    rij = {"bsn": BSN, "toewijzingnummer": "1001", "van": "2026-04-01", "tot": "2026-04-03",
           veld: waarde}
    csv = "bsn,toewijzingnummer,van,tot\n" + ",".join(rij[k] for k in
                                                      ("bsn", "toewijzingnummer", "van", "tot"))
    als_csv = client.post("/v1/aanwezigheid", params={"regio": "noord"},
                          content=csv.encode(), headers={"Content-Type": "text/csv"})
    als_json = client.post("/v1/aanwezigheid", params={"regio": "noord"},
                           json={"afwezigheden": [rij]})
    for antwoord in (als_csv, als_json):
        assert antwoord.status_code == 422, antwoord.text
        assert reden in antwoord.json()["fout"] and "123456789" not in antwoord.text


def test_bsn_alleen_in_de_jw325(client: TestClient) -> None:
    """The JW325 carries the BSN (the iStandaard wants it there); the JSON answer, the stored
    declaration, /uitleg as JSON and as HTML never do, even where a rule shows it, while a
    nine-digit allocation number that is no BSN stays readable."""
    bericht = jw323(declaratie("PRIV1", prestatie(0, "PV1", "123456789"),
                               prestatie(1, "PV2", "123456789")))
    als_json = client.post("/v1/declaraties", content=bericht, headers=XML_IN_JSON_UIT)
    assert als_json.status_code == 200, als_json.text
    id_ = als_json.json()["declaratie_id"]
    jw325 = client.get(f"/v1/declaraties/{id_}", headers={"Accept": "application/xml"})
    assert BSN in jw325.text
    views = [als_json, client.get(f"/v1/declaraties/{id_}"),
             client.get(f"/v1/declaraties/{id_}/uitleg"),
             client.get(f"/v1/declaraties/{id_}/uitleg", headers={"Accept": "text/html"})]
    for view in views:
        assert view.status_code == 200
        assert BSN not in view.text, view.request.url
    uitleg = views[2].json()
    assert [p["client"] for p in uitleg["prestaties"]] == [1, 1]
    assert "jeugdige *********" in uitleg["prestaties"][0]["redenen"][0]["uitleg"]
    assert "123456789" in views[1].text  # the ToewijzingNummer, not a BSN
