"""Bounded inputs: JSON bombs, characters XML and PostgreSQL cannot hold, and rule text.

Every refusal is a located Dutch 422 (or 413), given before anything is assessed or stored,
on SQLite and PostgreSQL; whatever text a JSON JW323 carries, the answer is a 422 or a JW325
that is well-formed and valid against the iJw 3.2 schema, never a 500."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_hulp import BSN, declaratie, jw323, prestatie, toewijzingen_json
from api_standin import StandInMotor
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from api.instellingen import Instellingen
from api.main import maak_app
from berichten.ijw.json_vorm import MAX_DIEPTE, declaratie_naar_json
from berichten.ijw.standaard import IJW_3_2
from berichten.schema import schema

JSON = {"Content-Type": "application/json"}
JSON_IN_XML_UIT = {"Content-Type": "application/json", "Accept": "application/xml"}
ROUTES = ["/v1/declaraties", "/v1/toewijzingen", "/v1/aanwezigheid?regio=noord",
          "/v1/regels/valideer"]
SCHRIJF_ROUTES = ROUTES[:3]


@pytest.fixture(scope="module")
def client(database_url: str, contracten: Path) -> Iterator[TestClient]:
    instellingen = Instellingen(database_url=database_url, contracten=contracten)
    with TestClient(maak_app(instellingen, StandInMotor()), raise_server_exceptions=False) as c:
        c.post("/v1/toewijzingen", json=toewijzingen_json(("7001", 1000)))
        yield c


def _aantal_declaraties(client: TestClient) -> int:
    """How many declarations are stored: ids are given in order, so probe upwards."""
    n = 0
    while client.get(f"/v1/declaraties/{n + 1}").status_code == 200:
        n += 1
    return n


def _json_declaratie(nummer: str, **velden: object) -> dict[str, object]:
    data = declaratie_naar_json(declaratie(nummer, prestatie(0, "R" + nummer, "7001")))
    regel = data["prestaties"][0]  # type: ignore[index]
    for veld, waarde in velden.items():
        if veld in regel:
            regel[veld] = waarde
        else:
            data[veld] = waarde
    return data


# ---------------------------------------------------------------- JSON bombs


@pytest.mark.parametrize("route", ROUTES)
def test_diep_geneste_json_is_422_met_plaats(client: TestClient, route: str) -> None:
    body = b"[" * 1000 + b"]" * 1000
    antwoord = client.post(route, content=body, headers=JSON)
    assert antwoord.status_code == 422, antwoord.text
    fout = antwoord.json()
    assert fout["fout"] == f"de JSON is hier dieper genest dan {MAX_DIEPTE} niveaus"
    assert (fout["line"], fout["column"]) == (1, MAX_DIEPTE + 1)


@pytest.mark.parametrize("route", ROUTES)
def test_getal_van_duizenden_cijfers_is_422_met_plaats(client: TestClient, route: str) -> None:
    body = b'{"tekst": "x",\n "getal": ' + b"9" * 5000 + b"}"
    antwoord = client.post(route, content=body, headers=JSON)
    assert antwoord.status_code == 422, antwoord.text
    fout = antwoord.json()
    assert fout["fout"] == "een getal van meer dan 40 tekens is niet toegestaan"
    assert (fout["line"], fout["column"]) == (2, 11)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("waarde", ["NaN", "-Infinity"])
def test_nan_en_infinity_zijn_422(client: TestClient, route: str, waarde: str) -> None:
    antwoord = client.post(route, content=f'{{"tekst": {waarde}}}'.encode(), headers=JSON)
    assert antwoord.status_code == 422, antwoord.text
    assert antwoord.json()["fout"] == f"'{waarde}' is geen geldige JSON-waarde"
    assert (antwoord.json()["line"], antwoord.json()["column"]) == (1, 11)


@pytest.mark.parametrize("route", ROUTES)
def test_losse_surrogaat_is_422_met_pad(client: TestClient, route: str) -> None:
    antwoord = client.post(route, content=b'{"tekst": "regel \\ud800"}', headers=JSON)
    assert antwoord.status_code == 422, antwoord.text
    fout = antwoord.json()
    assert fout["locatie"] == "$.tekst"
    assert fout["fout"].startswith("$.tekst: de tekst bevat een teken dat niet is toegestaan "
                                   "(U+D800")


def test_geldig_surrogaatpaar_is_gewoon_tekst(client: TestClient) -> None:
    antwoord = client.post("/v1/regels/valideer", content=b'{"tekst": "# \\ud83d\\ude00\\n"}',
                           headers=JSON)
    assert antwoord.status_code == 200, antwoord.text


def test_ongeldige_utf8_in_json_is_422_met_plaats(client: TestClient) -> None:
    antwoord = client.post("/v1/toewijzingen", content=b'{"a":\n  "\xff"}', headers=JSON)
    assert antwoord.status_code == 422
    fout = antwoord.json()
    assert fout["fout"] == "het JSON-bericht is geen geldige UTF-8-tekst"
    assert (fout["line"], fout["column"]) == (2, 4)


# ---------------------------------------------------------------- control characters


@pytest.mark.parametrize("teken", ["\x00", "\x1b", "\x7f", "\x85", "\ufffe"])
def test_stuurteken_in_declaratie_is_422_en_slaat_niets_op(client: TestClient,
                                                           teken: str) -> None:
    voor = _aantal_declaraties(client)
    body = _json_declaratie(f"NUL{ord(teken)}", referentienummer=f"R{teken}1")
    antwoord = client.post("/v1/declaraties", content=json.dumps(body).encode(),
                           headers=JSON_IN_XML_UIT)
    assert antwoord.status_code == 422, antwoord.text
    assert antwoord.json()["locatie"] == "$.prestaties[0].referentienummer"
    assert f"(U+{ord(teken):04X}" in antwoord.json()["fout"]
    assert _aantal_declaraties(client) == voor


@pytest.mark.parametrize("route", SCHRIJF_ROUTES)
def test_nul_in_een_tekstveld_is_422_op_elke_schrijfroute(client: TestClient,
                                                          route: str) -> None:
    bodies = {
        "/v1/declaraties": _json_declaratie("NULX", productcode="45A\x0003"),
        "/v1/toewijzingen": {"toewijzingen": [
            {**toewijzingen_json(("7002", 5))["toewijzingen"][0],  # type: ignore[index]
             "productcode": "45A\x0003"}]},
        "/v1/aanwezigheid?regio=noord": {"afwezigheden": [
            {"bsn": BSN, "toewijzingnummer": "7001\x00", "van": "2026-04-01",
             "tot": "2026-04-02"}]},
    }
    antwoord = client.post(route, content=json.dumps(bodies[route]).encode(), headers=JSON)
    assert antwoord.status_code == 422, antwoord.text
    assert "U+0000" in antwoord.json()["fout"] and antwoord.json()["locatie"].startswith("$.")


def test_stuurteken_in_een_veldnaam_is_422(client: TestClient) -> None:
    body = _json_declaratie("KEY1")
    body["extra\x1bveld"] = 1
    antwoord = client.post("/v1/declaraties", content=json.dumps(body).encode(), headers=JSON)
    assert antwoord.status_code == 422
    assert antwoord.json()["locatie"] == "$ (een veldnaam)"


@pytest.mark.parametrize("verwijzing", ["&#0;", "&#x1B;", "&#xD800;", "&#xFFFE;", "\x1b",
                                        "\x00"])
def test_xml_draagt_geen_stuurtekens_naar_een_jw325(client: TestClient,
                                                    verwijzing: str) -> None:
    voor = _aantal_declaraties(client)
    bericht = jw323(declaratie("XMLNUL", prestatie(0, "RXN1", "7001"))).replace(
        b">RXN1<", f">RX{verwijzing}N1<".encode())
    antwoord = client.post("/v1/declaraties", content=bericht,
                           headers={"Content-Type": "application/xml"})
    assert antwoord.status_code == 422, antwoord.text
    assert antwoord.json()["fout"] and antwoord.json()["line"] is not None
    assert _aantal_declaraties(client) == voor


@pytest.mark.parametrize("veld", ["bericht_identificatie", "productcode"])
def test_regeleinde_in_een_identificatie_is_422(client: TestClient, veld: str) -> None:
    """The XSD's `.*[^\\s].*` matches no line break: such a JW325 would not be valid."""
    body = _json_declaratie("NL1", **{veld: "A\nB"})
    antwoord = client.post("/v1/declaraties", content=json.dumps(body).encode(), headers=JSON)
    assert antwoord.status_code == 422, antwoord.text
    assert antwoord.json()["fout"].endswith("heeft niet de vorm een niet-lege tekst op een regel")


def test_lezer_weigert_stuurtekens_ook_zonder_de_json_grens() -> None:
    """What reads JSON with json.loads itself (the command line) meets the same refusal."""
    from berichten.fouten import BerichtFoutError
    from berichten.ijw.json_vorm import declaratie_uit_json

    body = _json_declaratie("CLI1", referentienummer="R\x1b1")
    with pytest.raises(BerichtFoutError) as fout:
        declaratie_uit_json(body)
    assert fout.value.bericht.startswith("$.prestaties[0].referentienummer: de tekst bevat een "
                                         "teken dat niet is toegestaan (U+001B")


def test_regeleinde_in_xml_kop_geeft_toch_een_geldige_0001_jw325(client: TestClient) -> None:
    """A raw carriage return is well-formed XML but fails the schema: the 0001 answer must not
    copy it into its own header (its Identificatie would then not be valid)."""
    bericht = re.sub(rb"<ijw:Identificatie>[^<]*</ijw:Identificatie>",
                     b"<ijw:Identificatie>A\rB</ijw:Identificatie>",
                     jw323(declaratie("CR1", prestatie(0, "RCR1", "7001"))), count=1)
    antwoord = client.post("/v1/declaraties", content=bericht,
                           headers={"Content-Type": "application/xml",
                                    "Accept": "application/xml"})
    assert antwoord.status_code == 200, antwoord.text
    jw325 = etree.fromstring(antwoord.content)
    assert b"<jw325:RetourCode>0001</jw325:RetourCode>" in antwoord.content
    assert schema(IJW_3_2, "JW325").validate(jw325), schema(IJW_3_2, "JW325").error_log


# ---------------------------------------------------------------- property: 422 or valid JW325

TEKSTVELDEN = ["referentienummer", "vorig_referentienummer", "productcode",
               "bericht_identificatie", "declaratienummer"]


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(veld=st.sampled_from(TEKSTVELDEN), waarde=st.text(max_size=25),
       volgnummer=st.integers(0, 10**9))
def test_willekeurige_tekst_geeft_422_of_een_geldige_jw325(
        client: TestClient, veld: str, waarde: str, volgnummer: int) -> None:
    body = _json_declaratie(f"P{volgnummer}", **{veld: waarde})
    if veld != "declaratienummer":
        body["declaratienummer"] = f"P{volgnummer}"
    try:
        inhoud = json.dumps(body).encode()
    except UnicodeEncodeError:  # pragma: no cover - json.dumps escapes every surrogate
        return
    antwoord = client.post("/v1/declaraties", content=inhoud, headers=JSON_IN_XML_UIT)
    assert antwoord.status_code in (200, 422), antwoord.text
    event(f"status {antwoord.status_code}")
    if antwoord.status_code == 422:
        assert antwoord.json()["fout"]
        return
    jw325 = etree.fromstring(antwoord.content)  # well-formed, or this raises
    assert schema(IJW_3_2, "JW325").validate(jw325), schema(IJW_3_2, "JW325").error_log


# ---------------------------------------------------------------- rule text


def test_lege_regeltekst_is_een_fout(client: TestClient) -> None:
    for body, soort in ((b"", "text/plain"), (b"  \n\t\n", "text/plain"),
                        (b'{"tekst": ""}', "application/json")):
        antwoord = client.post("/v1/regels/valideer", content=body,
                               headers={"Content-Type": soort})
        assert antwoord.status_code == 422, antwoord.text
        assert antwoord.json()["fout"] == "de regeltekst is leeg: er is niets te controleren"


def test_te_grote_regeltekst_is_413(client: TestClient) -> None:
    grens = Instellingen().max_regeltekst
    tekst = "# " + "x" * grens
    for body, soort in ((tekst.encode(), "text/plain"),
                        (json.dumps({"tekst": tekst}).encode(), "application/json")):
        antwoord = client.post("/v1/regels/valideer", content=body,
                               headers={"Content-Type": soort})
        assert antwoord.status_code == 413, antwoord.text
        assert antwoord.json()["fout"].startswith(
            f"de regeltekst is groter dan de grens van {grens // 1024} kB")
    klein_genoeg = ("# " + "x" * (grens - 10)).encode()
    assert client.post("/v1/regels/valideer", content=klein_genoeg,
                       headers={"Content-Type": "text/plain"}).status_code == 200


def test_veel_fouten_worden_begrensd_getoond(client: TestClient) -> None:
    tekst = "regel met FOUT\n" * 150  # the stand-in reports every line with FOUT
    antwoord = client.post("/v1/regels/valideer", content=tekst.encode(),
                           headers={"Content-Type": "text/plain"})
    fouten = antwoord.json()["fouten"]
    assert len(fouten) == 101
    assert fouten[-1]["bericht"] == "en nog 50 fouten; verbeter deze eerst en controleer opnieuw"
    assert (fouten[-1]["line"], fouten[-1]["column"]) == (100, 11)
