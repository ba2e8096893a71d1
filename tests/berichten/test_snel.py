"""The fast path of message input (`berichten.ijw.snel`) may only decline, never decide: what
it accepts, lxml must find schema-valid and read into the same objects. For iJw and, from the
same code with the grammar built from its record, for iWmo (WMO323, WMO301)."""

from __future__ import annotations

import dataclasses
import pickle
import re
from collections.abc import Callable
from datetime import date, time
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ijw_hulp import BERICHTEN, fouten_tegen_xsd
from lxml import etree

from berichten.fouten import BerichtFoutError
from berichten.ijw import jw301, jw323
from berichten.ijw.jw301 import schrijf_jw301
from berichten.ijw.jw323 import schrijf_jw323
from berichten.ijw.snel import lees_jw301_snel, lees_jw323_snel
from berichten.ijw.standaard import IJW_3_2
from berichten.iwmo.standaard import IWMO_3_2
from berichten.schema import schema
from berichten.standaard import Standaard
from engine.model import Declaratie, Prestatie, Toewijzing

T = TypeVar("T")

JW323 = (BERICHTEN / "JW323.xml").read_bytes()
JW301 = (BERICHTEN / "JW301_plat.xml").read_bytes()


def _via_lxml(module: Any, lees: Callable[[bytes], T], data: bytes) -> T | BerichtFoutError:
    """What the reader of `module` gives with its fast path switched off (or its error)."""
    oud, module.SNEL = module.SNEL, False
    try:
        return lees(data)
    except BerichtFoutError as fout:
        return fout
    finally:
        module.SNEL = oud


def _lxml_323(data: bytes) -> Declaratie | BerichtFoutError:
    return _via_lxml(jw323, jw323.lees_jw323, data)


def _lxml_301(data: bytes) -> list[Toewijzing] | BerichtFoutError:
    return _via_lxml(jw301, jw301.lees_jw301, data)


def _zelfde_323(data: bytes) -> bool:
    """The fast path declines, or lxml validates and reads the same."""
    snel = lees_jw323_snel(data)
    return snel is None or (fouten_tegen_xsd(data, "JW323") == [] and snel == _lxml_323(data))


def _zelfde_301(data: bytes) -> bool:
    snel = lees_jw301_snel(data)
    return snel is None or (fouten_tegen_xsd(data, "JW301") == [] and snel == _lxml_301(data))


def _compact(xml: bytes) -> bytes:
    """The message without whitespace between elements, as the generator writes it."""
    return re.sub(rb">\s+<", b"><", xml)


JW323_VORMEN = [JW323, _compact(JW323), schrijf_jw323(jw323.lees_jw323(JW323))]
JW301_VORMEN = [JW301, _compact(JW301)]

# ---------------------------------------------------------------- iWmo: the same, by its record

WMO_VOORBEELD = BERICHTEN.parents[2] / "contracten" / "amstelland_wmo" / "voorbeeld"
WMO323 = (BERICHTEN / "WMO323.xml").read_bytes()
WMO323_VORMEN = [
    WMO323, _compact(WMO323),
    schrijf_jw323(jw323.lees_jw323(WMO323, standaard=IWMO_3_2), IWMO_3_2),
    (WMO_VOORBEELD / "WMO323.xml").read_bytes(),
]
WMO301_VORMEN = [p.read_bytes() for p in sorted((WMO_VOORBEELD / "WMO301").glob("*.xml"))]
WMO301_VORMEN += [_compact(x) for x in WMO301_VORMEN]


def _geldig(data: bytes, standaard: Standaard, soort: str) -> bool:
    return bool(schema(standaard, soort).validate(etree.fromstring(data)))


def _zelfde_wmo323(data: bytes) -> bool:
    """The fast path declines, or lxml validates against WMO323.xsd and reads the same."""
    snel = lees_jw323_snel(data, IWMO_3_2)
    if snel is None:
        return True
    lxml = _via_lxml(jw323, lambda b: jw323.lees_jw323(b, standaard=IWMO_3_2), data)
    return _geldig(data, IWMO_3_2, "WMO323") and snel == lxml


def _zelfde_wmo301(data: bytes) -> bool:
    snel = lees_jw301_snel(data)
    return snel is None or (_geldig(data, IWMO_3_2, "WMO301") and snel == _lxml_301(data))


@pytest.mark.parametrize("xml", WMO323_VORMEN,
                         ids=["ingesprongen", "compact", "geschreven", "voorbeeld"])
def test_wmo323_wordt_snel_gelezen(xml: bytes) -> None:
    snel = lees_jw323_snel(xml, IWMO_3_2)
    assert snel is not None
    assert snel == _via_lxml(jw323, lambda b: jw323.lees_jw323(b, standaard=IWMO_3_2), xml)


@pytest.mark.parametrize("xml", WMO301_VORMEN, ids=lambda x: str(len(x)))
def test_wmo301_wordt_snel_gelezen(xml: bytes) -> None:
    assert _geldig(xml, IWMO_3_2, "WMO301")
    snel = lees_jw301_snel(xml)
    assert snel is not None and snel == _lxml_301(xml)


def test_de_grammatica_volgt_het_record() -> None:
    """The code lists are the standard's own: a WMO323 line with the iJw category 45, or a
    JW323 line with the iWmo category 01, is declined (lxml then decides)."""
    wmo = WMO323_VORMEN[2]
    assert lees_jw323_snel(wmo, IWMO_3_2) is not None
    met_45 = wmo.replace(b"<wmo323:ProductCategorie>01<", b"<wmo323:ProductCategorie>45<", 1)
    assert met_45 != wmo and lees_jw323_snel(met_45, IWMO_3_2) is None
    jw = JW323_VORMEN[2]
    met_01 = re.sub(rb"<jw323:ProductCategorie>\d\d<", b"<jw323:ProductCategorie>01<", jw,
                    count=1)
    assert met_01 != jw and lees_jw323_snel(met_01) is None
    # a WMO323 is no JW323: the iJw grammar declines it (and the other way)
    assert lees_jw323_snel(jw, IWMO_3_2) is None and lees_jw323_snel(wmo) is None


@pytest.mark.parametrize("xml", JW323_VORMEN, ids=["ingesprongen", "compact", "geschreven"])
def test_jw323_wordt_snel_gelezen(xml: bytes) -> None:
    snel = lees_jw323_snel(xml)
    assert snel is not None
    assert snel == _lxml_323(xml)
    assert all(type(p) is Prestatie for p in snel.prestaties)


@pytest.mark.parametrize("xml", JW301_VORMEN, ids=["ingesprongen", "compact"])
def test_jw301_wordt_snel_gelezen(xml: bytes) -> None:
    assert fouten_tegen_xsd(xml, "JW301") == []
    snel = lees_jw301_snel(xml)
    assert snel is not None and snel == _lxml_301(xml)
    assert [type(v) for v in snel] == [Toewijzing, Toewijzing]


def test_geschreven_jw301_wordt_snel_gelezen() -> None:
    versies = _lxml_301(JW301)
    assert isinstance(versies, list)
    xml = schrijf_jw301(versies, "T1", date(2026, 4, 1))
    assert lees_jw301_snel(xml) == versies


@pytest.mark.parametrize("xml", [*JW301_VORMEN, (BERICHTEN / "JW301.xml").read_bytes()],
                         ids=["ingesprongen", "compact", "via lxml"])
def test_jw301_als_rijen(xml: bytes) -> None:
    """The rows the allocation cache is built from are the fields of the objects, in order,
    from the fast path and from lxml alike."""
    versies = _lxml_301(xml)
    assert isinstance(versies, list) and versies
    velden = [veld.name for veld in dataclasses.fields(Toewijzing)]
    assert jw301.lees_jw301_rijen(xml) == [tuple(getattr(v, n) for n in velden)
                                           for v in versies]


def test_snelle_objecten_zijn_gewone_objecten() -> None:
    d = lees_jw323_snel(JW323)
    assert d is not None
    p = d.prestaties[0]
    assert type(p) is Prestatie and hash(p) == hash(_lxml_323(JW323).prestaties[0])  # type: ignore[union-attr]
    assert pickle.loads(pickle.dumps(d)) == d
    with pytest.raises(AttributeError):
        p.bsn = "1"  # type: ignore[misc]  # frozen, as the constructor's


_NIET_SNEL_323 = {
    "commentaar": (b"<jw323:Prestatie>", b"<jw323:Prestatie><!-- x -->"),
    "entiteit": (b"<ijw:ReferentieNummer>RN001", b"<ijw:ReferentieNummer>RN&#48;01"),
    "cdata": (b"<ijw:ReferentieNummer>RN001", b"<ijw:ReferentieNummer><![CDATA[RN]]>001"),
    "attribuut": (b"<jw323:Prestatie>", b'<jw323:Prestatie a="1">'),
    "ander voorvoegsel": (b"<jw323:Bsn>999900006</jw323:Bsn>",
                          f'<x:Bsn xmlns:x="{IJW_3_2.namespace("JW323")}">'.encode()
                          + b"999900006</x:Bsn>"),
    "spatie in waarde": (b"<jw323:GeleverdVolume>", b"<jw323:GeleverdVolume> "),
    "teken": (b"<jw323:GeleverdVolume>", b"<jw323:GeleverdVolume>+"),
    "nummer nul": (b"<jw323:ToewijzingNummer>10072<", b"<jw323:ToewijzingNummer>000<"),
    "niet-ASCII": (b"<ijw:ReferentieNummer>RN001", "<ijw:ReferentieNummer>RN\u00e9".encode()),
    "bom": (b"<?xml", b"\xef\xbb\xbf<?xml"),
    "doctype": (b"<jw323:Bericht", b"<!DOCTYPE x>\n<jw323:Bericht"),
    "dag bestaat niet": (b"<ijw:Einddatum>2026-04-30<", b"<ijw:Einddatum>2026-02-29<"),
    "maand 13": (b"<ijw:Einddatum>2026-04-30<", b"<ijw:Einddatum>2026-13-01<"),
    "jaar 0": (b"<ijw:Einddatum>2026-04-30<", b"<ijw:Einddatum>0000-04-30<"),
}


@pytest.mark.parametrize("geval", _NIET_SNEL_323)
def test_jw323_wat_de_grammatica_niet_kent_gaat_via_lxml(geval: str) -> None:
    van, door = _NIET_SNEL_323[geval]
    assert van in JW323
    xml = JW323.replace(van, door, 1)
    assert lees_jw323_snel(xml) is None
    uitkomst = _lxml_323(xml)
    try:
        assert jw323.lees_jw323(xml) == uitkomst
    except BerichtFoutError as fout:
        assert isinstance(uitkomst, BerichtFoutError) and str(fout) == str(uitkomst)


@pytest.mark.parametrize("xml, lees, lees_lxml", [
    (JW323, lees_jw323_snel, _lxml_323), (JW301, lees_jw301_snel, _lxml_301)],
    ids=["JW323", "JW301"])
def test_punt_in_de_naamruimte_is_geen_jokerteken(
        xml: bytes, lees: Callable[[bytes], object], lees_lxml: Callable[[bytes], object],
) -> None:
    """A namespace's dots are literal in the grammar: with an X for each dot it is another
    namespace, which the schema refuses, so the fast path must decline it."""
    anders = xml
    for ns in IJW_3_2.namespaces():
        anders = anders.replace(ns.encode(), ns.replace(".", "X").encode())
    assert anders != xml
    assert lees(anders) is None
    assert isinstance(lees_lxml(anders), BerichtFoutError)


def test_schrikkeldag_en_voorloopnullen() -> None:
    xml = JW323.replace(b"<ijw:Einddatum>2026-04-30<", b"<ijw:Einddatum>2024-02-29<", 1).replace(
        b"<jw323:ToewijzingNummer>10072<", b"<jw323:ToewijzingNummer>0010072<", 1).replace(
        b"<jw323:GeleverdVolume>", b"<jw323:GeleverdVolume>00", 1)
    d = lees_jw323_snel(xml)
    assert d is not None and d == _lxml_323(xml)
    assert d.declaratie_einddatum == date(2024, 2, 29)
    assert d.prestaties[0].toewijzingnummer == "10072"


def test_jw301_met_wat_de_grammatica_niet_kent_gaat_via_lxml() -> None:
    volledig = (BERICHTEN / "JW301.xml").read_bytes()  # with relations, addresses, ...
    assert lees_jw301_snel(volledig) is None
    assert jw301.lees_jw301(volledig) == _lxml_301(volledig)
    tijd = JW301.replace(b"12:34:56", b"24:00:00", 1)
    assert lees_jw301_snel(tijd) is None
    assert lees_jw301_snel(JW301.replace(b"12:34:56", b"23:59:59", 1)) is not None
    assert lees_jw301_snel(JW301)[0].toewijzingstijd == time(12, 34, 56)  # type: ignore[index]


# ---------------------------------------------------------------- differential


def _beschadig(xml: bytes, plek: int, weg: int, erbij: bytes) -> bytes:
    plek %= len(xml) + 1
    return xml[:plek] + erbij + xml[plek + weg:]


_WAARDE = re.compile(rb">([^<>]*)<")
_TEKENS = "0123456789-:. \t\nACDZaz&;#<>\"'/\u00e9\u20ac\x01"


def _vervang_waarde(xml: bytes, keuze: int, waarde: str) -> bytes:
    """Replace the text of one element (or whitespace between two) by `waarde`."""
    plekken = list(_WAARDE.finditer(xml))
    m = plekken[keuze % len(plekken)]
    return xml[:m.start(1)] + waarde.encode() + xml[m.end(1):]


_WAARDEN = st.one_of(st.text(alphabet=_TEKENS, max_size=14),
                     st.text(alphabet="0123456789", min_size=1, max_size=12))
"""Any text, or digits (which more often make a valid message)."""

_INSTELLING = settings(max_examples=300, deadline=None,
                       suppress_health_check=[HealthCheck.too_slow])


_SOORTEN = {"JW323": (JW323_VORMEN, _zelfde_323), "JW301": (JW301_VORMEN, _zelfde_301),
            "WMO323": (WMO323_VORMEN, _zelfde_wmo323), "WMO301": (WMO301_VORMEN, _zelfde_wmo301)}
"""per message kind: its plain forms, and the check that the fast reader agrees with lxml"""


@pytest.mark.parametrize("soort", _SOORTEN)
@_INSTELLING
@given(st.data(), st.integers(0, 10**6), st.integers(0, 30), st.binary(max_size=12))
def test_beschadigd(soort: str, data: st.DataObject, plek: int, weg: int,
                    erbij: bytes) -> None:
    vormen, zelfde = _SOORTEN[soort]
    assert zelfde(_beschadig(data.draw(st.sampled_from(vormen)), plek, weg, erbij))


@pytest.mark.parametrize("soort", _SOORTEN)
@_INSTELLING
@given(st.data(), st.integers(0, 10**6), _WAARDEN)
def test_andere_waarde(soort: str, data: st.DataObject, keuze: int, waarde: str) -> None:
    vormen, zelfde = _SOORTEN[soort]
    assert zelfde(_vervang_waarde(data.draw(st.sampled_from(vormen)), keuze, waarde))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(JW323_VORMEN), st.integers(0, 10**6), st.integers(0, 10**6))
def test_jw323_elementen_verwisseld_of_verdubbeld(xml: bytes, a: int, b: int) -> None:
    """Order and count of elements: move or copy one element (with its text) elsewhere."""
    elementen = list(re.finditer(rb"<(\w+:\w+)>[^<]*</\1>", xml))
    el = elementen[a % len(elementen)]
    plek = [m.start() for m in re.finditer(rb"<", xml)][b % xml.count(b"<")]
    kopie = xml[:plek] + el.group(0) + xml[plek:]
    assert _zelfde_323(kopie)
    if plek > el.end():
        verplaatst = xml[:el.start()] + xml[el.end():plek] + el.group(0) + xml[plek:]
        assert _zelfde_323(verplaatst)
