"""iWmo 3.2: the derived WMO325.xsd is JW325.xsd with namespaces and codes changed, nothing
else, and the shipped file is the derivation's output; it compiles against the iWmo
basisschema."""

from __future__ import annotations

from berichten.ijw.standaard import IJW_3_2
from berichten.iwmo.afleiden import afgeleid, kop, vervang, vervangingen
from berichten.iwmo.standaard import IWMO_3_2
from berichten.schema import schema


def test_het_geleverde_wmo325_is_de_uitvoer_van_het_script() -> None:
    assert IWMO_3_2.schema_pad("WMO325").read_text(encoding="utf-8") == afgeleid()


def test_alleen_naamruimten_en_codes_verschillen() -> None:
    wmo = IWMO_3_2.schema_pad("WMO325").read_text(encoding="utf-8")
    jw = IJW_3_2.schema_pad("JW325").read_text(encoding="utf-8")
    terug = [(nieuw, oud) for oud, nieuw in reversed(vervangingen(IJW_3_2, IWMO_3_2))]
    zonder_kop = wmo.replace(kop(), "", 1)
    assert vervang(zonder_kop, terug) == jw
    assert 'value="491"' not in wmo and 'value="485"' in wmo
    assert IJW_3_2.basis_namespace not in wmo and IJW_3_2.namespace("JW325") not in wmo


def test_wmo325_compileert_tegen_het_iwmo_basisschema() -> None:
    xsd = schema(IWMO_3_2, "WMO325")
    assert xsd is schema(IWMO_3_2, "WMO325")


def test_wmo301_schrijven_en_lezen() -> None:
    """The WMO301 writer (the JW301 writer in the iWmo record's names) writes what the reader
    reads back, valid against WMO301.xsd, with the iWmo message code."""
    from datetime import date, time

    from lxml import etree

    from berichten.ijw.jw301 import lees_jw301, schrijf_jw301
    from engine.model import Toewijzing

    versies = [Toewijzing("400101", "999900006", "0384", "23456789", "02", "02A01",
                          date(2026, 1, 1), time(9, 0), date(2026, 1, 1), date(2026, 12, 31),
                          10, "04", "4", None, None)]
    xml = schrijf_jw301(versies, "W1", date(2026, 1, 2), standaard=IWMO_3_2)
    xsd = schema(IWMO_3_2, "WMO301")
    assert xsd.validate(etree.fromstring(xml)), xsd.error_log
    assert b"<wmo301:BerichtCode>414<" in xml and IJW_3_2.basis_namespace.encode() not in xml
    assert lees_jw301(xml) == versies
