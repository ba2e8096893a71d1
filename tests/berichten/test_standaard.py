"""The iJw 3.2 and iWmo 3.2 records agree with their XSDs: every schema file exists, each
message's namespace is its XSD's target namespace, and the code lists are the basisschema's
enumerations."""

from __future__ import annotations

import pytest
from lxml import etree

from berichten.ijw.standaard import IJW_3_2
from berichten.iwmo.standaard import IWMO_3_2
from berichten.schema import schema
from berichten.standaard import Bericht, Standaard

XS = {"xs": "http://www.w3.org/2001/XMLSchema"}


def _enumeratie(standaard: Standaard, type_naam: str) -> frozenset[str]:
    basis = etree.parse(str(standaard.xsd_map / standaard.basis_schema))
    pad = f"//xs:simpleType[@name='{type_naam}']//xs:enumeration/@value"
    waarden = basis.xpath(pad, namespaces=XS)
    assert isinstance(waarden, list)
    return frozenset(str(v) for v in waarden)


STANDAARDEN = (IJW_3_2, IWMO_3_2)
BERICHTEN = [(s, b) for s in STANDAARDEN for b in s.berichten]


@pytest.mark.parametrize(("standaard", "bericht"), BERICHTEN,
                         ids=[b.naam for _, b in BERICHTEN])
def test_namespace_en_schema_van_elk_bericht(standaard: Standaard, bericht: Bericht) -> None:
    naam = bericht.naam
    pad = standaard.schema_pad(naam)
    wortel = etree.parse(str(pad)).getroot()
    assert wortel.get("targetNamespace") == standaard.namespace(naam)
    assert wortel.nsmap[standaard.bericht(naam).voorvoegsel] == standaard.namespace(naam)
    assert wortel.nsmap[standaard.basis_voorvoegsel] == standaard.basis_namespace
    assert schema(standaard, naam) is schema(standaard, naam)  # compiled once


def test_berichtcode_staat_in_het_xsd() -> None:
    for standaard, bericht in BERICHTEN:
        tekst = standaard.schema_pad(bericht.naam).read_text(encoding="utf-8")
        assert f'<xs:pattern value="{bericht.berichtcode}"/>' in tekst, bericht.naam


@pytest.mark.parametrize(("veld", "type_naam"), [
    ("productcategorie", "LDT_ProductCategorie"), ("eenheid", "LDT_Eenheid"),
    ("frequentie", "LDT_Frequentie"), ("reden_wijziging", "LDT_RedenWijziging")])
@pytest.mark.parametrize("standaard", STANDAARDEN, ids=lambda s: s.naam)
def test_codelijsten_zijn_die_van_het_basisschema(veld: str, type_naam: str,
                                                  standaard: Standaard) -> None:
    assert getattr(standaard.codes, veld) == _enumeratie(standaard, type_naam)


@pytest.mark.parametrize("standaard", STANDAARDEN, ids=lambda s: s.naam)
def test_retourcodes_staan_in_het_basisschema(standaard: Standaard) -> None:
    codes = standaard.codes.retourcodes
    assert {codes.goedgekeurd, codes.geen_opmerking, codes.technisch,
            codes.client_afgewezen} <= _enumeratie(standaard, "LDT_RetourCode")


def test_berichten_op_naam_en_rol() -> None:
    assert IJW_3_2.bericht("JW323") is IJW_3_2.met_rol("declaratie")
    assert [b.berichtcode for b in IJW_3_2.berichten] == ["436", "490", "491"]
    with pytest.raises(KeyError, match="kent geen bericht JW999"):
        IJW_3_2.bericht("JW999")


def test_iwmo_berichten_op_naam_en_rol() -> None:
    assert IWMO_3_2.bericht("WMO323") is IWMO_3_2.met_rol("declaratie")
    assert [b.berichtcode for b in IWMO_3_2.berichten] == ["414", "484", "485"]


@pytest.mark.parametrize("naam", ["WMO301", "WMO323"])
def test_de_gepubliceerde_voorbeelden_zijn_geldig(naam: str) -> None:
    from pathlib import Path

    pad = Path(__file__).parent / "berichten" / f"{naam}.xml"
    assert schema(IWMO_3_2, naam).validate(etree.parse(str(pad)))
