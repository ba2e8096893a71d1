"""iWmo 3.2 through the iJw readers and writers: a WMO323 is recognised by its namespace,
read into the engine's model with the JW323 code (validated against WMO323.xsd, its own
code lists), and answered with a WMO325 valid against the derived schema. An unknown
namespace is a located Dutch error."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest
from ijw_beoordelingen import beoordeel
from ijw_hulp import BERICHTEN
from lxml import etree

from berichten.fouten import BerichtFoutError
from berichten.herkenning import herken, herken_begin
from berichten.ijw.jw323 import lees_jw323, schrijf_jw323
from berichten.ijw.jw325 import schrijf_jw325, technisch_afgewezen
from berichten.ijw.standaard import IJW_3_2
from berichten.iwmo.standaard import IWMO_3_2
from berichten.schema import schema
from engine.model import Declaratie

DAG = date(2026, 5, 10)
WMO323 = BERICHTEN / "WMO323.xml"


def _geldig(xml: bytes, naam: str) -> etree._Element:
    doc = etree.parse(io.BytesIO(xml))
    xsd = schema(IWMO_3_2, naam)
    assert xsd.validate(doc), [f"{e.line}: {e.message}" for e in xsd.error_log]
    return doc.getroot()


def _wmo() -> Declaratie:
    return lees_jw323(WMO323, standaard=IWMO_3_2)


@pytest.mark.parametrize(("bestand", "standaard", "bericht"), [
    ("JW323.xml", IJW_3_2, "JW323"), ("JW301.xml", IJW_3_2, "JW301"),
    ("WMO323.xml", IWMO_3_2, "WMO323"), ("WMO301.xml", IWMO_3_2, "WMO301")])
def test_de_standaard_uit_de_naamruimte(bestand: str, standaard: object, bericht: str) -> None:
    gevonden, soort = herken(BERICHTEN / bestand)
    assert gevonden is standaard and soort.naam == bericht


def test_onbekende_naamruimte_is_een_gelokaliseerde_fout() -> None:
    xml = b'<?xml version="1.0"?>\n  <x:Bericht xmlns:x="urn:onbekend"><x:Header/></x:Bericht>'
    with pytest.raises(BerichtFoutError) as fout:
        herken(xml)
    assert (fout.value.line, fout.value.column) == (2, 3)
    assert "naamruimte 'urn:onbekend'" in fout.value.bericht
    assert "iJw 3.2, iWmo 3.2" in fout.value.bericht


def test_zonder_naamruimte_en_kapotte_xml() -> None:
    with pytest.raises(BerichtFoutError, match="heeft geen naamruimte"):
        herken(b"<Bericht/>")
    with pytest.raises(BerichtFoutError, match="niet goed gevormd") as fout:
        herken(b"\n<1Bericht/>")
    assert fout.value.line == 2


@pytest.mark.parametrize("voor", [0, 1000, 1020, 5000])
def test_de_wortel_achter_een_lange_aanloop(voor: int) -> None:
    """The head is parsed a chunk at a time: a root whose start tag lies beyond the first
    chunk, or straddles two, is still found."""
    xml = (b'<?xml version="1.0"?>\n<!--' + b"x" * voor + b'-->\n'
           + (BERICHTEN / "WMO323.xml").read_bytes().split(b"?>", 1)[1])
    assert herken_begin(xml[:64 * 1024]) == herken(BERICHTEN / "WMO323.xml")


def test_wmo323_wordt_gelezen_als_een_declaratie() -> None:
    d = _wmo()
    assert d.prestaties and {p.productcategorie for p in d.prestaties} <= \
        IWMO_3_2.codes.productcategorie
    assert d.prestaties[0].bsn == "999900006" and d.prestaties[0].eenheid == "04"
    assert d.totaal_ingediend == sum(p.ingediend_bedrag if p.debet_credit == "D"
                                     else -p.ingediend_bedrag for p in d.prestaties)


def test_stromend_en_ongevalideerd_lezen_geven_hetzelfde(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    import berichten.ijw.jw323 as jw323

    heel = _wmo()
    assert lees_jw323(WMO323, standaard=IWMO_3_2, valideer=False) == heel
    monkeypatch.setattr(jw323, "HEEL_TOT", 0)
    assert lees_jw323(WMO323, standaard=IWMO_3_2) == heel


def test_schrijven_en_teruglezen() -> None:
    d = _wmo()
    xml = schrijf_jw323(d, IWMO_3_2)
    _geldig(xml, "WMO323")
    assert lees_jw323(xml, standaard=IWMO_3_2) == d
    assert herken(xml)[1].naam == "WMO323"


def test_een_jw_categorie_is_in_wmo323_een_schemafout() -> None:
    d = _wmo()
    fout_regel = dataclasses.replace(d.prestaties[0], productcategorie="45")
    xml = schrijf_jw323(dataclasses.replace(d, prestaties=(fout_regel, *d.prestaties[1:])),
                        IWMO_3_2)
    with pytest.raises(BerichtFoutError, match=r"ProductCategorie.*geen toegestane code"):
        lees_jw323(xml, standaard=IWMO_3_2)


def test_wmo325_antwoord_is_geldig_tegen_het_afgeleide_schema() -> None:
    d = _wmo()
    root = _geldig(schrijf_jw325(beoordeel(d, {1: ("0611",)}), DAG, "ANTW1", IWMO_3_2),
                   "WMO325")
    j = f"{{{IWMO_3_2.namespace('WMO325')}}}"
    assert root.findtext(f"{j}Header/{j}BerichtCode") == "485"
    assert [p.findtext(f"{j}ToewijzingNummer") for p in root.iter(f"{j}Prestatie")] == \
        [d.prestaties[1].toewijzingnummer]
    _geldig(schrijf_jw325(beoordeel(d), DAG, "ANTW2", IWMO_3_2), "WMO325")
    technisch = technisch_afgewezen({}, "kapot", DAG, "ANTW3", standaard=IWMO_3_2)
    _geldig(technisch, "WMO325")


def test_wmo301_wordt_gelezen_met_zijn_eigen_xsd() -> None:
    from berichten.ijw.jw301 import lees_jw301

    versies = lees_jw301(BERICHTEN / "WMO301.xml")
    assert versies and {v.productcategorie for v in versies} <= IWMO_3_2.codes.productcategorie
    tekst = (BERICHTEN / "WMO301.xml").read_bytes()
    kapot = tekst.replace(b"<iwmo:Eenheid>", b"<iwmo:Eenheid>9", 1)
    with pytest.raises(BerichtFoutError, match="element Eenheid") as fout:
        lees_jw301(kapot)
    assert fout.value.line is not None
