"""The generic parts (`berichten.schema`, `berichten.bron`) serve any standard through its
record: a made-up standard with its own XSDs is validated, located and kept private without
a change to generic code (as iWmo will be)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from berichten.bron import lokaliseer
from berichten.fouten import BerichtFoutError
from berichten.schema import geen_doctype, parser, schema
from berichten.standaard import Bericht, Codelijsten, Retourcodes, Standaard

BASIS = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:vb:basis"
           elementFormDefault="qualified">
  <xs:simpleType name="LDT_Bsn"><xs:restriction base="xs:string">
    <xs:pattern value="[0-9]{9}"/></xs:restriction></xs:simpleType>
</xs:schema>
"""
BERICHT = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:b="urn:vb:basis"
           targetNamespace="urn:vb:vb1" elementFormDefault="qualified">
  <xs:import namespace="urn:vb:basis" schemaLocation="basis.xsd"/>
  <xs:element name="Bericht"><xs:complexType><xs:sequence>
    <xs:element name="Bsn" type="b:LDT_Bsn"/></xs:sequence></xs:complexType></xs:element>
</xs:schema>
"""


@pytest.fixture
def standaard(tmp_path: Path) -> Standaard:
    (tmp_path / "basis.xsd").write_text(BASIS)
    (tmp_path / "VB1.xsd").write_text(BERICHT)
    return Standaard(
        naam="iVb", versie="1.0", berichtversie="1", berichtsubversie="0", xsd_versie="1.0.0",
        xslt_versie="1.0.0", basis_namespace="urn:vb:basis", basis_voorvoegsel="b",
        basis_schema="basis.xsd", xsd_map=tmp_path,
        berichten=(Bericht("VB1", "declaratie", "999", "urn:vb:vb1", "vb1", "VB1.xsd"),),
        codes=Codelijsten(frozenset(), frozenset(), frozenset(), frozenset(),
                          Retourcodes("8001", "0200", "0001", "0233")),
        persoonsgegevens=frozenset({"Bsn"}), wet="Voorbeeldwet")


def _bericht(bsn: str) -> bytes:
    return (f'<vb1:Bericht xmlns:vb1="urn:vb:vb1">\n  <vb1:Bsn>{bsn}</vb1:Bsn>\n'
            "</vb1:Bericht>").encode()


def test_een_ander_record_valideert_met_zijn_eigen_xsd(standaard: Standaard) -> None:
    assert standaard.namespaces() == ("urn:vb:basis", "urn:vb:vb1")
    assert schema(standaard, "VB1").validate(etree.fromstring(_bericht("999999999")))
    assert lokaliseer(_bericht("999999999"), standaard, "VB1") is None


def test_fout_is_gelokaliseerd_zonder_de_persoonsgegevens(standaard: Standaard) -> None:
    fout = lokaliseer(_bericht("12345x"), standaard, "VB1")
    assert fout is not None and fout.line == 2 and fout.column == 3
    assert "element Bsn" in fout.bericht and "12345x" not in fout.bericht


def test_doctype_noemt_de_standaard(standaard: Standaard) -> None:
    root = etree.fromstring(b"<!DOCTYPE x>\n" + _bericht("999999999"), parser())
    with pytest.raises(BerichtFoutError, match="hoort niet in een iVb-bericht"):
        geen_doctype(root, standaard)
