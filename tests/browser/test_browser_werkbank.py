"""The workbench in a real browser (issue 17): sign in with the region's key, type a rule with
a mistake and see the located error appear (underlined and listed), fix it with the
suggestion's button, save and see the reload, undo the save, and a key of another region gets
nothing; a screenshot of each step (testuitvoer/schermafdrukken/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from browsertest import Schermafdrukken
from echte_server import Server
from werkbank_dienst import SLEUTELS, werkbank_dienst

pytestmark = pytest.mark.traag

REGEL = '''
    regel "Proef met productcode" lokaal
      bron "Contract Amstelland, proef"
      afwijzen met retourcode 0611
      voor elke prestatie waarvoor niet creditprestatie
      als de productcod is "45A99"
      toon de productcode
      uitleg "Product {productcode} is in deze regio niet gecontracteerd."
'''


@pytest.fixture(scope="module")
def werkbank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = werkbank_dienst(tmp_path_factory.mktemp("werkbank-browser"))
    try:
        yield server.wacht()
    finally:
        server.stop()


def meld_aan(pagina: Any, dienst: Server, regio: str) -> None:
    pagina.goto(f"{dienst.url}/werkbank")
    pagina.wait_for_selector("body[data-klaar=ja]")
    pagina.get_by_label("API-sleutel van uw regio").fill(SLEUTELS[regio])
    pagina.keyboard.press("Enter")
    pagina.wait_for_selector("#werk:not([hidden]) .cm-content")


def regels_van(dienst: Server) -> list[str]:
    antwoord = httpx.get(f"{dienst.url}/v1/regios/amstelland/woorden",
                         headers={"X-API-Key": SLEUTELS["amstelland"]})
    return list(antwoord.json()["regels"])


def editortekst(pagina: Any) -> str:
    return str(pagina.evaluate("window.werkbankTekst()"))


def test_regel_schrijven_herstellen_opslaan_en_ongedaan_maken(
        pagina: Any, werkbank: Server, schermafdrukken: Schermafdrukken) -> None:
    pagina.goto(f"{werkbank.url}/")
    pagina.get_by_role("link", name="Werkbank").click()
    pagina.wait_for_selector("body[data-klaar=ja]")
    assert pagina.evaluate("document.activeElement.id") == "sleutel"
    schermafdrukken.neem(pagina, "aanmelden")

    meld_aan(pagina, werkbank, "amstelland")
    assert pagina.locator("#regio option").all_inner_texts() == ["amstelland"]
    assert pagina.locator("#bestandsnaam").inner_text() == "amstelland/contract.regels"
    assert pagina.locator(".cm-content .tok-keyword").first.is_visible()
    schermafdrukken.neem(pagina, "aangemeld")

    # type a rule with a mistake at the end: the located error appears as the lawyer types
    pagina.locator(".cm-content").click()
    pagina.keyboard.press("Control+End")
    pagina.keyboard.insert_text(REGEL)
    fout = pagina.locator("li.fout", has_text="productcod")
    fout.wait_for()
    regels = pagina.evaluate("window.werkbankTekst()").split("\n")
    line = next(i for i, r in enumerate(regels, start=1) if "productcod is" in r)
    assert (f"contract.regels, regel {line}, kolom 14: onbekende naam 'productcod'"
            in fout.inner_text())
    assert "bedoelde u 'productcode'?" in fout.inner_text()
    assert pagina.locator(".cm-lintRange-error").count() >= 1
    schermafdrukken.neem(pagina, "fout-verschijnt")

    # completion of the known words, from the service's vocabulary
    pagina.keyboard.type("\n    # productc")
    pagina.keyboard.press("Control+Space")
    pagina.locator(".cm-tooltip-autocomplete li", has_text="productcode").first.wait_for()
    schermafdrukken.neem(pagina, "aanvulling")
    pagina.keyboard.press("Escape")

    # one click on the suggestion fixes it; the error list empties
    pagina.get_by_role("button", name="Herstel: productcode").click()
    pagina.locator("#fouten-kop", has_text="Geen fouten").wait_for()
    assert 'als de productcode is "45A99"' in editortekst(pagina)
    schermafdrukken.neem(pagina, "hersteld")

    # save: written, the region reloaded (its rule book has the new rule), recorded
    assert "Proef met productcode" not in regels_van(werkbank)
    pagina.get_by_role("button", name="Opslaan en herladen").click()
    pagina.locator("#melding", has_text="Opgeslagen en herladen (opslag 1)").wait_for()
    assert "Proef met productcode" in regels_van(werkbank)
    rij = pagina.locator("#logboek tr").first
    assert "Jurist Amstelland" in rij.inner_text() and "contract.regels" in rij.inner_text()
    assert SLEUTELS["amstelland"] not in pagina.content()
    schermafdrukken.neem(pagina, "opgeslagen")

    # undo the save: the rule is gone again, in the editor and in the rule book in force
    pagina.get_by_role("button", name="Opslag 1 ongedaan maken").click()
    pagina.locator("#melding", has_text="Opslag 1 ongedaan gemaakt").wait_for()
    pagina.wait_for_function("!window.werkbankTekst().includes('Proef met productcode')")
    assert "Proef met productcode" not in regels_van(werkbank)
    assert "maakt opslag 1 ongedaan" in pagina.locator("#logboek tr").first.inner_text()
    schermafdrukken.neem(pagina, "ongedaan")


def test_opslaan_met_fout_geweigerd_in_de_pagina(pagina: Any, werkbank: Server,
                                                 schermafdrukken: Schermafdrukken) -> None:
    meld_aan(pagina, werkbank, "amstelland")
    pagina.locator(".cm-content").click()
    pagina.keyboard.press("Control+End")
    pagina.keyboard.insert_text(REGEL)
    pagina.keyboard.press("Control+s")
    pagina.locator("#melding", has_text="de oude regelset blijft van kracht").wait_for()
    assert pagina.locator("li.fout", has_text="productcod").count() >= 1
    schermafdrukken.neem(pagina, "geweigerd")
    assert "Proef met productcode" not in regels_van(werkbank)


def test_sleutel_van_andere_regio_krijgt_niets(pagina: Any, werkbank: Server,
                                              schermafdrukken: Schermafdrukken) -> None:
    meld_aan(pagina, werkbank, "ijsselland")
    assert pagina.locator("#regio option").all_inner_texts() == ["ijsselland"]
    assert pagina.locator("#bestandsnaam").inner_text() == "ijsselland/contract.regels"
    status = pagina.evaluate("""async (sleutel) => {
        const kop = {"X-API-Key": sleutel};
        const uit = [];
        for (const pad of ["bestanden", "bestanden/contract.regels", "logboek", "woorden"]) {
            uit.push((await fetch(`/v1/regios/amstelland/${pad}`, {headers: kop})).status);
        }
        return uit;
    }""", SLEUTELS["ijsselland"])
    assert status == [403, 403, 403, 403]
    schermafdrukken.neem(pagina, "andere-regio")


def test_verkeerde_sleutel_gemeld(pagina: Any, werkbank: Server, tmp_path: Path) -> None:
    pagina.goto(f"{werkbank.url}/werkbank")
    pagina.wait_for_selector("body[data-klaar=ja]")
    pagina.get_by_label("API-sleutel van uw regio").fill("verkeerd")
    pagina.keyboard.press("Enter")
    pagina.locator("#melding", has_text="onbekende API-sleutel").wait_for()
    assert pagina.locator("#keuzes").is_hidden()


def test_gevallen_draaien(pagina: Any, werkbank: Server,
                          schermafdrukken: Schermafdrukken) -> None:
    meld_aan(pagina, werkbank, "ijsselland")
    pagina.get_by_role("button", name="Gevallen draaien").click()
    uitslag = pagina.locator("#gevallen-uitslag", has_text="geslaagd")
    uitslag.wait_for(timeout=120_000)
    assert ", 0 mislukt." in uitslag.inner_text()
    schermafdrukken.neem(pagina, "gevallen")


def test_lezen_op_een_datum(pagina: Any, werkbank: Server,
                            schermafdrukken: Schermafdrukken) -> None:
    meld_aan(pagina, werkbank, "amstelland")
    pagina.get_by_label("Datum").fill("2026-04-01")
    pagina.get_by_role("button", name="Artikelen die dan gelden").click()
    lezen = pagina.frame_locator("#lezen")
    lezen.locator("#artikel-43").wait_for()
    assert "Amstelland" in lezen.locator("body").inner_text()
    schermafdrukken.neem(pagina, "artikelen")
    pagina.get_by_role("button", name="Alles wat de regio anders doet").click()
    lezen.locator("body", has_text="maximale afwezigheid").wait_for()
    schermafdrukken.neem(pagina, "verschil")
