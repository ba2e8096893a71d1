"""Issue 11's fail-open reproductions over HTTP: `regelwerk serve` with the real rule books of
contracten/, on SQLite and PostgreSQL, starting from an empty database.

On main (a0c0223) every national rule started in 2023 and was chosen by the care date, and a
contract's period was optional, so care dated earlier was checked by no rule at all:
amstelland's example JW323 redated to December 2022 and sent three times under new
DeclaratieNummers was approved three times (EUR 10,538 each), and three lines of
EUR 999,999.99 on allocation 999999, which does not exist, were approved with 8001.

Each test uses a provider of its own, so its lane (gemeente, provider) is empty whatever
ran before it on the module's database."""

from __future__ import annotations

import dataclasses
import re
import shutil
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_hulp import REPO, Server

from berichten.ijw.jw301 import lees_jw301_map, schrijf_jw301
from berichten.ijw.jw323 import lees_jw323, schrijf_jw323
from engine.model import Declaratie

pytestmark = pytest.mark.traag

VOORBEELD = REPO / "contracten" / "amstelland" / "voorbeeld"
XML = {"Content-Type": "application/xml", "Accept": "application/json"}
DECEMBER_2022 = date(2022, 12, 1)
LOOPTIJD = "Zorg binnen de looptijd van het contract"


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    regelwerk = shutil.which("regelwerk", path=str(Path(sys.executable).parent))
    assert regelwerk, "het commando regelwerk ontbreekt in de virtualenv (make setup)"
    omgeving = {"REGELWERK_DATABASE_URL": database_url, "REGELWERK_HERLAAD_INTERVAL": "0"}
    dienst = Server("", omgeving, tmp_path_factory.mktemp("serve") / "serve.log",
                    argv=[regelwerk, "serve"])
    try:
        yield dienst.wacht()
    finally:
        dienst.stop()


def verschoven(nummer: str, begin: date, aanbieder: str) -> Declaratie:
    """amstelland's example JW323 with its care (and its periods) moved to the month of
    `begin`, under DeclaratieNummer and BerichtIdentificatie `nummer`, from `aanbieder`;
    the ReferentieNummers stay."""
    d = lees_jw323(VOORBEELD / "JW323.xml")
    verschil = begin - d.declaratie_begindatum
    prestaties = tuple(dataclasses.replace(p, begindatum=p.begindatum + verschil,
                                           einddatum=p.einddatum + verschil)
                       for p in d.prestaties)
    return dataclasses.replace(
        d, aanbieder=aanbieder, bericht_identificatie=nummer, declaratienummer=nummer,
        prestaties=prestaties, declaratie_begindatum=d.declaratie_begindatum + verschil,
        declaratie_einddatum=d.declaratie_einddatum + verschil,
        declaratiedagtekening=d.declaratiedagtekening + verschil,
        bericht_dagtekening=d.bericht_dagtekening + verschil)


def dien_in(server: Server, declaratie: Declaratie) -> tuple[dict[str, Any], bytes]:
    """POST the JW323; the JSON answer, and the JW325 as stored (GET, as XML)."""
    antwoord = httpx.post(f"{server.url}/v1/declaraties", content=schrijf_jw323(declaratie),
                          headers=XML, timeout=60)
    assert antwoord.status_code == 200, antwoord.text
    plek = f"{server.url}{antwoord.headers['location']}"
    jw325 = httpx.get(plek, headers={"Accept": "application/xml"}, timeout=30)
    assert jw325.status_code == 200 and jw325.content.startswith(b"<?xml"), jw325.text
    return antwoord.json(), jw325.content


def niets_goedgekeurd(uitleg: dict[str, Any], jw325: bytes) -> None:
    """No line approved, nothing awarded, no 8001 (the code of a message approved whole),
    and every line explained: code, article and lid, a Dutch sentence."""
    assert uitleg["totaal_toegekend"] == 0
    assert "8001" not in uitleg["retourcodes"]
    assert b"<jw325:RetourCode>8001<" not in jw325
    assert re.search(rb"<jw325:TotaalToegekendBedrag><ijw:TotaalBedrag>0<", jw325)
    assert uitleg["prestaties"]
    for regel in uitleg["prestaties"]:
        assert (regel["status"], regel["toegekend_bedrag"]) == ("afgewezen", 0), regel
        assert regel["redenen"], regel
        for reden in regel["redenen"]:
            assert re.fullmatch(r"\d{4}", reden["retourcode"]), reden
            assert reden["retourcode"] in regel["retourcodes"]
            assert reden["artikel"] and reden["lid"], reden
            zin = reden["uitleg"]
            assert zin.endswith(".") and "{" not in zin, reden
            assert re.search(r"\b(de|het|een|is|niet|geen)\b", zin), reden  # Dutch


def looptijd_reden(regel: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in regel["redenen"] if r["regel"] == LOOPTIJD)


def test_voorbeeld_in_december_2022_drie_keer_nooit_goedgekeurd(server: Server) -> None:
    """The issue's reproduction, on an empty lane: three sends, never approved."""
    for i in range(3):
        uitleg, jw325 = dien_in(server, verschoven(f"OUD2022{i}", DECEMBER_2022, "12345678"))
        assert uitleg["opnieuw_ingediend"] is False and uitleg["technische_fout"] is None
        niets_goedgekeurd(uitleg["uitleg"], jw325)
        for regel in uitleg["uitleg"]["prestaties"]:
            reden = looptijd_reden(regel)
            assert (reden["retourcode"], reden["artikel"], reden["lid"]) == (
                "0611", "contract", "looptijd")
            assert reden["uitleg"].startswith("De zorg begon op 1 december 2022, buiten de "
                                              "looptijd van het contract")
            if i > 0:  # the national uniqueness check applies in 2022 too
                assert "8021" in regel["retourcodes"], regel


def test_met_toewijzingen_in_2022_wijst_de_looptijd_af(server: Server) -> None:
    """With allocations in force in December 2022 (the JW301 examples redated), what keeps
    the lines out is the contract's period (and the tariff table, which starts in 2025)."""
    aanbieder = "23456789"
    versies = [dataclasses.replace(
        t, aanbieder=aanbieder, toewijzingsdatum=date(2022, 11, 1),
        ingangsdatum=date(2022, 1, 1), einddatum=date(2022, 12, 31))
        for t in lees_jw301_map(VOORBEELD / "JW301")]
    for bsn in sorted({t.bsn for t in versies}):
        bericht = schrijf_jw301([t for t in versies if t.bsn == bsn], f"T2022{bsn[-4:]}",
                                date(2022, 11, 1))
        antwoord = httpx.post(f"{server.url}/v1/toewijzingen", content=bericht, headers=XML)
        assert antwoord.status_code == 200 and antwoord.json()["nieuw"] > 0, antwoord.text
    uitleg, jw325 = dien_in(server, verschoven("TOEW2022", DECEMBER_2022, aanbieder))
    niets_goedgekeurd(uitleg["uitleg"], jw325)
    for regel in uitleg["uitleg"]["prestaties"]:
        assert "9338" not in regel["retourcodes"], regel  # the allocations were found
        assert looptijd_reden(regel)["waarden"] == {
            "begindatum": "1 december 2022", "begin looptijd": "1 januari 2025",
            "einde looptijd": "31 december 2026"}


@pytest.mark.parametrize("begin", [DECEMBER_2022, date(2026, 3, 1)], ids=str)
def test_miljoen_op_onbestaande_toewijzing_afgewezen_met_9338(server: Server,
                                                               begin: date) -> None:
    d = verschoven(f"MILJOEN{begin.year}", begin, f"3456{begin.year}")
    prestaties = tuple(dataclasses.replace(p, toewijzingnummer="999999",
                                           ingediend_bedrag=99_999_999)
                       for p in d.prestaties[:3])
    uitleg, jw325 = dien_in(server, dataclasses.replace(d, prestaties=prestaties,
                                                        totaal_ingediend=3 * 99_999_999))
    niets_goedgekeurd(uitleg["uitleg"], jw325)
    assert len(uitleg["uitleg"]["prestaties"]) == 3
    for regel in uitleg["uitleg"]["prestaties"]:
        reden = next(r for r in regel["redenen"] if r["retourcode"] == "9338")
        assert (reden["artikel"], reden["lid"]) == ("iJw-toewijzing", "iJw-9338")
        assert reden["uitleg"] == ("Er is geen toewijzing met nummer 999999: de prestatie kan "
                                   "niet aan een toewijzing worden gekoppeld.")
    assert jw325.count(b"<jw325:RetourCode>9338<") == 3
