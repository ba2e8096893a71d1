"""The report renderers: golden output per format from the sample report, the xlsx read back
with openpyxl, the csv parsed as Dutch Excel reads it, the html parsed, and every cent
surviving every format exactly (property test).

Golden files: tests/weergave/rapport/goud/. After an intended change of a format, write them
anew with `REGELWERK_GOUD_BEWAAR=1 .venv/bin/pytest tests/weergave/rapport` and read the diff."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from openpyxl import load_workbook
from rapport_voorbeeld import CENTEN, EEN_TABEL, MET_DOCUMENT, VOORBEELD, bedragen_rapport

from weergave.rapport import MEDIATYPE, Formaat, bestandsnaam, render
from weergave.rapport.model import Kolom, Rapport, Tabel

GOUD = Path(__file__).parent / "goud"


@pytest.mark.parametrize(("rapport", "formaat", "bestand"), [
    (VOORBEELD, "tekst", "kwartaal.txt"), (VOORBEELD, "json", "kwartaal.json"),
    (VOORBEELD, "csv", "kwartaal.csv"), (EEN_TABEL, "csv", "een_tabel.csv"),
    (VOORBEELD, "html", "kwartaal.html"),
])
def test_gouden_uitvoer(rapport: Rapport, formaat: str, bestand: str) -> None:
    uit = render(rapport, formaat)
    if os.environ.get("REGELWERK_GOUD_BEWAAR"):
        (GOUD / bestand).write_bytes(uit)
    assert uit == (GOUD / bestand).read_bytes()


def test_tekst_schrijft_nederlands_en_de_signalen() -> None:
    tekst = render(VOORBEELD, "tekst").decode()
    for verwacht in ("€ 1.234.567,89", "€ -12,50", "12,5 %", "30 juni 2026", "2,33",
                     "Totaal", "S495 (artikel 49 lid 2, regel gemiddelde_kosten)",
                     "De gemiddelde kosten per cliënt"):
        assert verwacht in tekst
    assert "Signalen: geen." in render(EEN_TABEL, "tekst").decode()


def test_json_generiek_document() -> None:
    doc = json.loads(render(VOORBEELD, "json"))
    assert set(doc) == {"regio", "jaar", "soort", "titel", "kop", "tabellen", "totalen",
                        "signalen"}
    assert (doc["regio"], doc["jaar"], doc["soort"]) == ("ijsselland", 2026, "kwartaal")
    eerste = doc["tabellen"]["normen"][0]
    assert eerste == {"aanbieder": "01234567", "naam": 'Zorg & Co; "Het Anker"',
                      "goedgekeurd": 123456789, "clienten": 3, "gemiddeld": "2.3333",
                      "aanwezig": "12.5000", "peildatum": "2026-06-30"}
    assert doc["tabellen"]["normen"][1]["aanwezig"] is None
    assert doc["totalen"] == {"normen": {
        "aanbieder": None, "naam": None, "goedgekeurd": 123455539, "clienten": 4,
        "gemiddeld": None, "aanwezig": None, "peildatum": None}}
    assert doc["signalen"][0]["waarden"] == {"gemiddeld": "€ 411.522,63",
                                             "norm": "€ 400.000,00"}
    assert doc["kop"]["Kwartaal"] == "2"


def test_json_met_vast_document_schrijft_dat_document() -> None:
    assert json.loads(render(MET_DOCUMENT, "json")) == MET_DOCUMENT.document


def _csv_secties(data: bytes) -> list[list[list[str]]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Dutch Excel needs for UTF-8
    rijen = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    secties: list[list[list[str]]] = [[]]
    for rij in rijen:
        if rij:
            secties[-1].append(rij)
        else:
            secties.append([])
    return [s for s in secties if s]


def test_csv_secties_per_tabel_en_signalen() -> None:
    data = render(VOORBEELD, "csv")
    assert b"\r\n" in data
    normen, plafonds, signalen = _csv_secties(data)
    assert normen[0] == ["normen"]
    assert normen[1][:3] == ["aanbieder", "naam", "goedgekeurd"]
    assert normen[2] == ["01234567", 'Zorg & Co; "Het Anker"', "1234567,89", "3", "2,3333",
                         "12,5000", "2026-06-30"]
    assert normen[3][2] == "-12,50"
    assert normen[4][:4] == ["Totaal", "", "1234555,39", "4"]
    assert plafonds[0] == ["plafonds"] and signalen[0] == ["signalen"]
    assert signalen[2][0] == "S495"


def test_csv_een_tabel_is_gewone_csv() -> None:
    (enige,) = _csv_secties(render(EEN_TABEL, "csv"))
    assert enige == [["segment", "plafond", "gebruik"], ["verblijf", "100000,00", "0,3333"],
                     ["ambulant", "50000,01", "100"]]


def test_xlsx_waarden_typen_en_opmaak() -> None:
    boek = load_workbook(io.BytesIO(render(VOORBEELD, "xlsx")))
    assert boek.sheetnames == ["kop", "normen", "plafonds", "signalen"]
    blad = boek["normen"]
    assert [c.value for c in blad[1]] == ["Aanbieder", "Naam", "Goedgekeurd bedrag",
                                          "Cliënten", "Gemiddeld per cliënt", "Aanwezig",
                                          "Peildatum"]
    assert all(c.font.bold for c in blad[1])
    assert blad.freeze_panes == "A2"
    a, _naam, bedrag, clienten, gemiddeld, aanwezig, peildatum = blad[2]
    assert a.value == "01234567" and a.data_type == "s"
    assert bedrag.value == pytest.approx(1234567.89) and "€" in bedrag.number_format
    assert Decimal(str(bedrag.value)) == Decimal("1234567.89")
    assert clienten.value == 3
    assert Decimal(str(gemiddeld.value)) == Decimal("2.333333")
    assert aanwezig.value == 0.125 and aanwezig.number_format.endswith("%")
    assert peildatum.value == datetime(2026, 6, 30) and peildatum.is_date
    assert blad["C3"].value == -12.5 and blad["F3"].value is None
    totaal = blad[4]
    assert totaal[0].value == "Totaal" and totaal[0].font.bold
    assert Decimal(str(totaal[2].value)) == Decimal("1234555.39")
    assert blad.column_dimensions["B"].width >= len('Zorg & Co; "Het Anker"')
    kop = {r[0].value: r[1].value for r in boek["kop"].iter_rows(min_row=2)}
    assert kop["Regio"] == "ijsselland" and kop["Peildatum"] == "30 juni 2026"
    signaal = [c.value for c in boek["signalen"][2]]
    assert signaal[:3] == ["S495", "49", "2"]


class _Tabellen(HTMLParser):
    """The tables of a page as text: caption, header cells with scope, body and foot rows."""

    def __init__(self) -> None:
        super().__init__()
        self.tabellen: list[dict[str, object]] = []
        self.lang = ""
        self._deel = ""
        self._cel: list[str] | None = None
        self._rij: list[str] = []
        self.rechts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        elif tag == "table":
            self.tabellen.append({"caption": "", "th": [], "tbody": [], "tfoot": []})
        elif tag in ("caption", "thead", "tbody", "tfoot"):
            self._deel = tag
        elif tag in ("td", "th"):
            self._cel = []
            if tag == "th":
                assert a.get("scope") == "col"
            if a.get("class") == "getal":
                self.rechts.append("")
        elif tag == "tr":
            self._rij = []

    def handle_data(self, data: str) -> None:
        if self._cel is not None:
            self._cel.append(data)
        elif self._deel == "caption":
            self.tabellen[-1]["caption"] = str(self.tabellen[-1]["caption"]) + data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cel is not None:
            tekst = "".join(self._cel)
            self._rij.append(tekst)
            if self.rechts and self.rechts[-1] == "":
                self.rechts[-1] = tekst
            self._cel = None
        elif tag == "tr" and self.tabellen and self._deel in ("thead", "tbody", "tfoot"):
            sleutel = "th" if self._deel == "thead" else self._deel
            lijst = self.tabellen[-1][sleutel]
            assert isinstance(lijst, list)
            lijst.append(self._rij)
        elif tag == "caption":
            self._deel = ""


def test_html_tabellen_toegankelijk_en_zonder_netwerk() -> None:
    pagina = render(VOORBEELD, "html").decode()
    assert "http://" not in pagina and "https://" not in pagina and "<link" not in pagina
    assert "@media print" in pagina
    lezer = _Tabellen()
    lezer.feed(pagina)
    assert lezer.lang == "nl"
    normen, plafonds = lezer.tabellen
    assert normen["caption"] == "Normen per aanbieder, tweede kwartaal"
    assert normen["th"] == [["Aanbieder", "Naam", "Goedgekeurd bedrag", "Cliënten",
                             "Gemiddeld per cliënt", "Aanwezig", "Peildatum"]]
    assert normen["tbody"] == [
        ["01234567", 'Zorg & Co; "Het Anker"', "€ 1.234.567,89", "3", "2,33", "12,5 %",
         "30 juni 2026"],
        ["00000042", "Jeugdhulp <Oost>", "€ -12,50", "1", "1", "", "1 april 2026"]]
    assert normen["tfoot"] == [["Totaal", "", "€ 1.234.555,39", "4", "", "", ""]]
    assert "€ 1.234.567,89" in lezer.rechts and "30 juni 2026" not in lezer.rechts
    assert plafonds["caption"] == "Plafondgebruik"
    assert "S495" in pagina and "lid 2" in pagina


def test_bestandsnaam_en_mediatype() -> None:
    assert bestandsnaam(VOORBEELD, "xlsx") == "kwartaal-ijsselland-2026.xlsx"
    assert bestandsnaam(EEN_TABEL, Formaat.csv) == "verantwoording-amstelland-2026.csv"
    assert set(MEDIATYPE) == set(Formaat)
    assert MEDIATYPE[Formaat.xlsx].startswith("application/vnd.openxmlformats")
    with pytest.raises(ValueError):
        render(VOORBEELD, "pdf")


def test_een_bedrag_dat_geen_hele_centen_is_wordt_geweigerd() -> None:
    tabel = Tabel("t", "T", (Kolom("b", "B", "bedrag"),), ((Fraction(1, 2),),))
    rapport = Rapport(soort="x", titel="X", regio="r", jaar=2026, tabellen=(tabel,))
    # the exact formats refuse it (a reader's notation would show four decimals)
    for formaat in ("json", "csv", "xlsx"):
        with pytest.raises(TypeError, match="geheel aantal centen"):
            render(rapport, formaat)


def _centen_uit(formaat: str, data: bytes) -> list[int]:
    """Every amount of `bedragen_rapport` read back from `formaat`, totals row last."""
    if formaat == "json":
        doc = json.loads(data)
        return [r["bedrag"] for r in doc["tabellen"]["bedragen"]] + [
            doc["totalen"]["bedragen"]["bedrag"]]
    if formaat == "csv":
        (rijen,) = _csv_secties(data)
        return [int(Decimal(r[1].replace(",", ".")) * 100) for r in rijen[1:]]
    if formaat == "xlsx":
        blad = load_workbook(io.BytesIO(data))["bedragen"]
        return [int(Decimal(str(r[1].value)) * 100) for r in blad.iter_rows(min_row=2)]
    lezer = _Tabellen()
    if formaat == "html":
        lezer.feed(data.decode())
        tabel = lezer.tabellen[0]
        cellen = [r[1] for deel in ("tbody", "tfoot") for r in tabel[deel]]  # type: ignore[attr-defined]
    else:
        cellen = [regel.split("€ ")[1] for regel in data.decode().splitlines() if "€ " in regel]
    return [int(Decimal(c.removeprefix("€ ").replace(".", "").replace(",", ".")) * 100)
            for c in cellen]


@settings(max_examples=40, deadline=None)
@given(centen=CENTEN)
def test_elke_cent_overleeft_elk_formaat(centen: list[int]) -> None:
    rapport = bedragen_rapport(centen)
    for formaat in Formaat:
        assert _centen_uit(formaat, render(rapport, formaat)) == [*centen, sum(centen)], formaat

