"""The service and the refusal of whole messages (OP286), over HTTP against `regelwerk
serve`: a JW323 with one BSN that fails the elfproef (CS002) among good clients is answered
with 0001 in the JW325's header, nothing of it is stored, and the corrected message with the
same numbers is then assessed as if the refused one was never sent; a second message with
an identification already stored gets 9056 (TR056), a Dagtekening after today 8848 (TR135).

Before OP286 was followed, the bad client got 0001, its lines 0233, and the rest of the
message was stored (so the corrected resend got 9333)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from api_hulp import REPO, Server
from lxml import etree

from berichten import weigering
from berichten.ijw.jw323 import lees_jw323, per_client, schrijf_jw323
from berichten.ijw.standaard import IJW_3_2
from berichten.schema import schema
from engine.bsn import elfproef
from engine.model import Declaratie

pytestmark = pytest.mark.traag

REGIO = REPO / "contracten" / "amstelland"
VOORBEELD = REGIO / "voorbeeld"
J = "{" + IJW_3_2.met_rol("retour").namespace + "}"
XML = {"Content-Type": "application/xml"}


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    regelwerk = shutil.which("regelwerk", path=str(Path(sys.executable).parent))
    assert regelwerk, "het commando regelwerk ontbreekt in de virtualenv (make setup)"
    omgeving = {"REGELWERK_DATABASE_URL": database_url, "REGELWERK_HERLAAD_INTERVAL": "0"}
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    dienst = Server("", omgeving, log, argv=[regelwerk, "serve"])
    try:
        dienst.wacht()
        for pad in sorted((VOORBEELD / "JW301").rglob("*.xml")):
            antwoord = httpx.post(f"{dienst.url}/v1/toewijzingen", content=pad.read_bytes(),
                                  headers=XML)
            assert antwoord.status_code == 200, antwoord.text
        yield dienst
    finally:
        dienst.stop()


def _post(server: Server, d: Declaratie, json: bool = False) -> httpx.Response:
    kop = dict(XML) if not json else {"Content-Type": "application/xml",
                                      "Accept": "application/json"}
    antwoord = httpx.post(f"{server.url}/v1/declaraties", content=schrijf_jw323(d),
                          headers=kop, timeout=60)
    assert antwoord.status_code == 200, antwoord.text
    return antwoord


def _kop_codes(antwoord: httpx.Response) -> tuple[list[str], bool]:
    """The JW325's header codes, and whether it answers per declaration."""
    boom = etree.fromstring(antwoord.content)
    xsd = schema(IJW_3_2, "JW325")
    assert xsd.validate(boom), xsd.error_log
    codes = [c.text or "" for c in boom.iterfind(f"{J}Header/{J}RetourCodes/{J}RetourCode")]
    return codes, boom.find(f"{J}DeclaratieAntwoord") is not None


def _bericht(voorvoegsel: str) -> Declaratie:
    """The example message with numbers of its own (the tests share one database)."""
    d = lees_jw323(VOORBEELD / "JW323.xml")
    return dataclasses.replace(
        d, bericht_identificatie=voorvoegsel + "1", declaratienummer=voorvoegsel + "1",
        prestaties=tuple(dataclasses.replace(p, referentienummer=voorvoegsel
                                             + p.referentienummer[len(voorvoegsel):])
                         for p in d.prestaties))


def _ongeldig(bsn: str) -> str:
    return next(bsn[:8] + c for c in "0123456789" if not elfproef(bsn[:8] + c))


def test_slechte_bsn_weigert_alles_en_de_herkansing_wordt_aanvaard(server: Server) -> None:
    goed = _bericht("W")
    tweede = list(per_client(goed.prestaties))[1]
    slecht = _ongeldig(tweede)
    fout = dataclasses.replace(goed, prestaties=tuple(
        dataclasses.replace(p, bsn=slecht) if p.bsn == tweede else p for p in goed.prestaties))
    antwoord = _post(server, fout)
    assert _kop_codes(antwoord) == (["0001"], False)
    assert "location" not in antwoord.headers  # not stored
    als_json = _post(server, fout, json=True).json()
    assert als_json["declaratie_id"] is None
    assert als_json["technische_fout"] == (
        "Declaratie/Clienten/Client[2]/Bsn: het burgerservicenummer van client 2 doorstaat "
        "de elfproef niet (CS002, retourcode 0001); het hele bericht is afgewezen en geldt "
        "als niet verzonden")
    assert slecht not in antwoord.text and slecht not in str(als_json)
    hersteld = _post(server, goed)
    assert _kop_codes(hersteld) == (["0200"], True)
    assert "location" in hersteld.headers
    assert b"9333" not in hersteld.content and b"8021" not in hersteld.content
    assert b"9056" not in hersteld.content


def test_identificatie_al_gebruikt_9056(server: Server) -> None:
    eerste = _bericht("I")
    assert _kop_codes(_post(server, eerste))[1]
    ander = dataclasses.replace(_bericht("K"), bericht_identificatie=eerste.bericht_identificatie)
    antwoord = _post(server, ander, json=True).json()
    assert antwoord["declaratie_id"] is None
    assert antwoord["technische_fout"].startswith(
        "Header/BerichtIdentificatie/Identificatie: aanbieder "
        f"{eerste.aanbieder} heeft gemeente {eerste.gemeente} al een declaratiebericht met "
        "identificatie 'I1' gestuurd")
    assert _kop_codes(_post(server, ander)) == (["9056"], False)
    # the identical message again is not a new message: its stored answer comes back
    opnieuw = _post(server, eerste, json=True).json()
    assert opnieuw["opnieuw_ingediend"] is True


def test_dagtekening_in_de_toekomst_8848(server: Server) -> None:
    morgen = date.today() + timedelta(days=1)
    bericht = dataclasses.replace(_bericht("T"), bericht_dagtekening=morgen)
    antwoord = _post(server, bericht)
    assert _kop_codes(antwoord) == (["8848"], False)
    assert "(TR135, retourcode 8848)" in _post(server, bericht, json=True).json()[
        "technische_fout"]


def test_de_api_documentatie_noemt_wat_een_bericht_weigert(server: Server) -> None:
    """The OpenAPI text of POST /v1/declaraties names every rule code the message layer
    refuses a whole message with (`berichten.weigering`), and their retourcodes."""
    tekst = httpx.get(f"{server.url}/openapi.json").json()["paths"]["/v1/declaraties"][
        "post"]["responses"]["200"]["description"]
    codes = set(re.findall(r"\b(?:CS|TR)\d{3}\b", weigering.__doc__ or ""))
    assert codes >= {"CS002", "CS325", "CS337", "TR135", "TR056"}
    ontbreekt = sorted(c for c in codes | {"OP286", "XSD", "0001", "8848", "9056"}
                       if c not in tekst)
    assert not ontbreekt, tekst
