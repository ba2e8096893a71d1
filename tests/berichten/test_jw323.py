"""JW323 in: the sample, the fast and the unvalidated path, located Dutch errors."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ijw_hulp import BERICHTEN, fouten_tegen_xsd

from berichten.fouten import BerichtFoutError
from berichten.ijw import jw323
from berichten.ijw.jw323 import kop_uit, lees_jw323, schrijf_jw323
from engine.model import Declaratie


@pytest.fixture(params=["snel", "heel", "stromend"], autouse=True)
def leeswijze(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs three times: the fast path first (`berichten.ijw.snel`), lxml parsing
    the message whole (small messages), and lxml streaming (large ones)."""
    if request.param != "snel":
        monkeypatch.setattr(jw323, "SNEL", False)
    if request.param == "stromend":
        monkeypatch.setattr(jw323, "HEEL_TOT", -1)
    return str(request.param)


FOUTGEVALLEN: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "jw323_fouten.yaml").read_text())


def test_voorbeeld_wordt_gelezen() -> None:
    d = lees_jw323(BERICHTEN / "JW323.xml")
    assert (d.aanbieder, d.gemeente, d.declaratienummer) == ("65656055", "0384", "DN001")
    assert (d.bericht_identificatie, d.bericht_dagtekening) == ("765432198", date(2026, 5, 6))
    assert (d.declaratie_begindatum, d.declaratie_einddatum) == (date(2026, 4, 1),
                                                                 date(2026, 4, 30))
    assert d.totaal_ingediend == 79000
    assert [p.referentienummer for p in d.prestaties] == ["RN001", "RN002", "RN003", "RN004",
                                                          "RN004"]
    assert [p.volgnummer for p in d.prestaties] == [0, 1, 2, 3, 4]
    assert [p.bsn for p in d.prestaties] == ["999900006"] * 2 + ["999900018"] * 3
    laatste = d.prestaties[-1]
    assert (laatste.begindatum, laatste.geleverd_volume, laatste.producttarief,
            laatste.ingediend_bedrag, laatste.debet_credit) == (date(2026, 3, 1), 14, 1500,
                                                                21000, "D")


def test_credit_totaal_is_negatief(jw323_bytes: bytes) -> None:
    credit = jw323_bytes.replace(b"<ijw:DebetCredit>D</ijw:DebetCredit>\n\t\t</jw323:Totaal",
                                 b"<ijw:DebetCredit>C</ijw:DebetCredit>\n\t\t</jw323:Totaal")
    assert credit != jw323_bytes
    assert lees_jw323(credit).totaal_ingediend == -79000


def test_ongevalideerd_lezen_geeft_hetzelfde(jw323_bytes: bytes) -> None:
    assert lees_jw323(jw323_bytes, valideer=False) == lees_jw323(jw323_bytes)


def test_toewijzingnummer_in_vaste_vorm(jw323_bytes: bytes) -> None:
    xml = jw323_bytes.replace(b"<jw323:ToewijzingNummer>10072<",
                              b"<jw323:ToewijzingNummer>0010072<")
    assert lees_jw323(xml).prestaties[0].toewijzingnummer == "10072"


def test_optionele_velden(jw323_bytes: bytes) -> None:
    xml = jw323_bytes.replace(
        b"<ijw:ReferentieNummer>RN002</ijw:ReferentieNummer>",
        b"<ijw:ReferentieNummer>RN002</ijw:ReferentieNummer>"
        b"<ijw:VorigReferentieNummer>RN000</ijw:VorigReferentieNummer>").replace(
        b"<jw323:ProductTarief>1500</jw323:ProductTarief>", b"", 1)
    for valideer in (True, False):
        p = lees_jw323(xml, valideer=valideer).prestaties[1]
        assert (p.vorig_referentienummer, p.producttarief, p.ingediend_bedrag) == (
            "RN000", None, 24000)


def test_schrijven_en_lezen_is_gelijk() -> None:
    d = lees_jw323(BERICHTEN / "JW323.xml")
    credit = dataclasses.replace(d.prestaties[0], vorig_referentienummer="RN000",
                                 debet_credit="C", producttarief=None)
    d2 = dataclasses.replace(d, prestaties=(credit, *d.prestaties[1:]), totaal_ingediend=-5)
    xml = schrijf_jw323(d2)
    assert fouten_tegen_xsd(xml, "JW323") == []
    assert lees_jw323(xml) == d2


@pytest.mark.parametrize("geval", FOUTGEVALLEN, ids=[g["naam"] for g in FOUTGEVALLEN])
def test_fout_met_plaats_in_het_nederlands(geval: dict[str, Any], jw323_bytes: bytes) -> None:
    if "inhoud" in geval:
        xml = geval["inhoud"].encode()
    elif "afkappen" in geval:
        xml = jw323_bytes[: geval["afkappen"]]
    else:
        assert geval["van"].encode() in jw323_bytes
        xml = jw323_bytes.replace(geval["van"].encode(), geval["door"].encode(), 1)
    with pytest.raises(BerichtFoutError) as info:
        lees_jw323(xml)
    fout = info.value
    assert (fout.line, fout.column) == (geval["line"], geval["column"])
    assert geval["bericht"] in fout.bericht
    assert str(fout).startswith(f"{geval['line']}:{geval['column']}: ")


def test_fout_noemt_het_bsn_niet(jw323_bytes: bytes) -> None:
    xml = jw323_bytes.replace(b"999900018", b"99990001X", 1)
    with pytest.raises(BerichtFoutError) as info:
        lees_jw323(xml)
    assert "99990001" not in str(info.value)
    assert "Bsn" in str(info.value)


def test_commentaar_en_doctype(jw323_bytes: bytes) -> None:
    met_commentaar = jw323_bytes.replace(
        b"<jw323:Prestatie>", b"<jw323:Prestatie><!-- opmerking --><?pi x?>")
    assert lees_jw323(met_commentaar) == lees_jw323(jw323_bytes)
    kop = b'<?xml version="1.0" encoding="UTF-8"?>'
    met_doctype = jw323_bytes.replace(
        kop, kop + b'\n<!DOCTYPE x [<!ENTITY e "999900006">]>').replace(
        b"<jw323:Bsn>999900006<", b"<jw323:Bsn>&e;<")
    with pytest.raises(BerichtFoutError, match="DOCTYPE"):
        lees_jw323(met_doctype)


def test_ontbrekend_bestand_geeft_berichtfout(tmp_path: Path) -> None:
    with pytest.raises(BerichtFoutError, match="kan niet worden gelezen"):
        lees_jw323(tmp_path / "bestaat-niet.xml")


def test_ongevalideerd_ontbrekend_veld_geeft_plaats(jw323_bytes: bytes) -> None:
    xml = jw323_bytes.replace(b"<jw323:Eenheid>04</jw323:Eenheid>", b"", 1)
    with pytest.raises(BerichtFoutError) as info:
        lees_jw323(xml, valideer=False)
    assert info.value.line == 33
    assert "prestatie 1" in info.value.bericht


def test_ongevalideerd_geen_regel_overgeslagen(jw323_bytes: bytes, leeswijze: str) -> None:
    verplaatst = jw323_bytes.replace(b"<jw323:Clienten>", b"<jw323:Prestatie/><jw323:Clienten>")
    if leeswijze != "stromend":
        with pytest.raises(BerichtFoutError, match="niet binnen Clienten"):
            lees_jw323(verplaatst, valideer=False)
    else:
        with pytest.raises(BerichtFoutError, match="prestatie 1 heeft een ontbrekende"):
            lees_jw323(verplaatst, valideer=False)


def test_kop_uit_een_kapot_bericht(jw323_bytes: bytes) -> None:
    kop = kop_uit(jw323_bytes[:1500])
    assert kop == {"aanbieder": "65656055", "gemeente": "0384", "identificatie": "765432198",
                   "dagtekening": "2026-05-06", "declaratienummer": "DN001"}
    assert kop_uit(b"\x00\xff rommel") == dict.fromkeys(kop)


def _uitkomst(data: bytes, valideer: bool) -> Declaratie | BerichtFoutError:
    try:
        return lees_jw323(data, valideer=valideer)
    except BerichtFoutError as fout:
        return fout


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.booleans())
def test_willekeurige_bytes(data: bytes, valideer: bool) -> None:
    assert isinstance(_uitkomst(data, valideer), Declaratie | BerichtFoutError)


_VOORBEELD = (BERICHTEN / "JW323.xml").read_bytes()


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(_VOORBEELD)), st.integers(0, 40), st.binary(max_size=12),
       st.booleans())
def test_beschadigd_voorbeeld(plek: int, weg: int, erbij: bytes, valideer: bool) -> None:
    """Any damage to a real message gives a Declaratie or a located BerichtFoutError."""
    data = _VOORBEELD[:plek] + erbij + _VOORBEELD[plek + weg:]
    uitkomst = _uitkomst(data, valideer)
    assert isinstance(uitkomst, Declaratie | BerichtFoutError)
    if isinstance(uitkomst, BerichtFoutError) and valideer:
        assert uitkomst.line is not None


@pytest.mark.parametrize("stromend", [False, True])
def test_totaal_nul_met_teken_credit_weigert_het_bericht_cs325(
        jw323_bytes: bytes, stromend: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """CS325: a TotaalIngediendBedrag of zero marked C refuses the whole message (0001):
    the fast reader declines it and the lxml reader names the element and its line, whole
    or streamed."""
    nul = jw323_bytes.replace(
        b"<ijw:TotaalBedrag>79000</ijw:TotaalBedrag>\n\t\t\t<ijw:DebetCredit>D<",
        b"<ijw:TotaalBedrag>0</ijw:TotaalBedrag>\n\t\t\t<ijw:DebetCredit>C<")
    assert nul != jw323_bytes
    if stromend:
        monkeypatch.setattr(jw323, "HEEL_TOT", 0)
    with pytest.raises(BerichtFoutError) as info:
        lees_jw323(nul)
    assert info.value.line == 25
    assert info.value.bericht == (
        "Declaratie/TotaalIngediendBedrag: het totaal ingediende bedrag is nul en heeft teken C "
        "(credit); een bedrag nul heeft teken D (debet) (CS325, retourcode 0001)")
    # zero marked D is how it should be
    assert lees_jw323(nul.replace(b"<ijw:DebetCredit>C<", b"<ijw:DebetCredit>D<", 1)
                      ).totaal_ingediend == 0
