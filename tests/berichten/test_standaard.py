"""The iJw 3.2 record agrees with its XSDs: every schema file exists, each message's namespace
is its XSD's target namespace, and the code lists are the basisschema's enumerations."""

from __future__ import annotations

import pytest
from lxml import etree

from berichten.ijw.standaard import IJW_3_2
from berichten.schema import schema
from berichten.standaard import Bericht, Standaard

XS = {"xs": "http://www.w3.org/2001/XMLSchema"}


def _enumeratie(standaard: Standaard, type_naam: str) -> frozenset[str]:
    basis = etree.parse(str(standaard.xsd_map / standaard.basis_schema))
    pad = f"//xs:simpleType[@name='{type_naam}']//xs:enumeration/@value"
    waarden = basis.xpath(pad, namespaces=XS)
    assert isinstance(waarden, list)
    return frozenset(str(v) for v in waarden)


@pytest.mark.parametrize("bericht", IJW_3_2.berichten, ids=lambda b: b.naam)
def test_namespace_en_schema_van_elk_bericht(bericht: Bericht) -> None:
    naam = bericht.naam
    pad = IJW_3_2.schema_pad(naam)
    wortel = etree.parse(str(pad)).getroot()
    assert wortel.get("targetNamespace") == IJW_3_2.namespace(naam)
    assert wortel.nsmap[IJW_3_2.bericht(naam).voorvoegsel] == IJW_3_2.namespace(naam)
    assert wortel.nsmap[IJW_3_2.basis_voorvoegsel] == IJW_3_2.basis_namespace
    assert schema(IJW_3_2, naam) is schema(IJW_3_2, naam)  # compiled once


@pytest.mark.parametrize(("veld", "type_naam"), [
    ("productcategorie", "LDT_ProductCategorie"), ("eenheid", "LDT_Eenheid"),
    ("frequentie", "LDT_Frequentie"), ("reden_wijziging", "LDT_RedenWijziging")])
def test_codelijsten_zijn_die_van_het_basisschema(veld: str, type_naam: str) -> None:
    assert getattr(IJW_3_2.codes, veld) == _enumeratie(IJW_3_2, type_naam)


def test_retourcodes_staan_in_het_basisschema() -> None:
    codes = IJW_3_2.codes.retourcodes
    assert {codes.goedgekeurd, codes.geen_opmerking, codes.technisch,
            codes.client_afgewezen} <= _enumeratie(IJW_3_2, "LDT_RetourCode")


def test_berichten_op_naam_en_rol() -> None:
    assert IJW_3_2.bericht("JW323") is IJW_3_2.met_rol("declaratie")
    assert [b.berichtcode for b in IJW_3_2.berichten] == ["436", "490", "491"]
    with pytest.raises(KeyError, match="kent geen bericht JW999"):
        IJW_3_2.bericht("JW999")
