"""JW325 out: schema-valid in every case, the answer rules of iJw 3.2, and
Σ rejected amounts = TotaalIngediend − TotaalToegekend."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from ijw_beoordelingen import als_uitkomsten, beoordeel, voorbeeld
from ijw_hulp import BERICHTEN, fouten_tegen_xsd
from lxml import etree

from berichten.ijw.jw323 import kop_uit
from berichten.ijw.jw325 import NS, schrijf_jw325, technisch_afgewezen
from berichten.ijw.standaard import IJW_3_2
from engine.model import DeclaratieBeoordeling

J, B = f"{{{NS}}}", f"{{{IJW_3_2.basis_namespace}}}"
DAG = date(2026, 5, 10)


def _antwoord(beoordeling: DeclaratieBeoordeling) -> etree._Element:
    xml = schrijf_jw325(beoordeling, DAG, "ANTW1")
    assert fouten_tegen_xsd(xml, "JW325") == []
    # the pipeline's lazy outcomes give the same answer
    assert schrijf_jw325(als_uitkomsten(beoordeling), DAG, "ANTW1") == xml
    return etree.parse(io.BytesIO(xml)).getroot()


def _codes(el: etree._Element | None) -> list[str]:
    assert el is not None
    return [c.text or "" for c in el.findall(f"{J}RetourCodes/{J}RetourCode")]


def _bedrag(el: etree._Element, pad: str, naam: str = "TotaalBedrag") -> int:
    waarde = int(el.findtext(f"{pad}/{B}{naam}") or "")
    return waarde if el.findtext(f"{pad}/{B}DebetCredit") == "D" else -waarde


def _som_klopt(root: etree._Element) -> None:
    antwoord = root.find(f"{J}DeclaratieAntwoord")
    assert antwoord is not None
    afgewezen = sum(_bedrag(p, f"{J}IngediendBedrag", "Bedrag")
                    for p in antwoord.iter(f"{J}Prestatie"))
    ingediend = _bedrag(antwoord, f"{J}TotaalIngediendBedrag")
    toegekend = _bedrag(antwoord, f"{J}TotaalToegekendBedrag")
    assert afgewezen == ingediend - toegekend


def test_voorbeeld_uit_de_standaard_is_geldig() -> None:
    xml = (BERICHTEN / "JW325.xml").read_bytes()
    assert fouten_tegen_xsd(xml, "JW325") == []
    root = etree.parse(io.BytesIO(xml)).getroot()
    _som_klopt(root)


def test_alles_goedgekeurd_alleen_8001_en_totalen() -> None:
    root = _antwoord(beoordeel(voorbeeld()))
    antwoord = root.find(f"{J}DeclaratieAntwoord")
    assert _codes(root.find(f"{J}Header")) == ["0200"]
    assert antwoord is not None and _codes(antwoord) == ["8001"]
    assert antwoord.find(f"{J}Clienten") is None
    assert _bedrag(antwoord, f"{J}TotaalToegekendBedrag") == 79000
    _som_klopt(root)


def test_kop_adresseert_de_aanbieder() -> None:
    kop = _antwoord(beoordeel(voorbeeld())).find(f"{J}Header")
    assert kop is not None
    assert (kop.findtext(f"{J}Afzender"), kop.findtext(f"{J}Ontvanger")) == ("0384", "65656055")
    assert kop.findtext(f"{J}DeclaratieIdentificatie/{B}Identificatie") == "765432198"
    assert kop.findtext(f"{J}BerichtIdentificatie/{B}Identificatie") == "ANTW1"
    assert kop.findtext(f"{J}BerichtIdentificatie/{B}Dagtekening") == "2026-05-10"


def test_deels_afgewezen_alleen_de_afgewezen_regels() -> None:
    root = _antwoord(beoordeel(voorbeeld(), {1: ("0611",), 3: ("9339", "9340")}))
    antwoord = root.find(f"{J}DeclaratieAntwoord")
    assert antwoord is not None and _codes(antwoord) == ["0200"]
    clienten = antwoord.findall(f"{J}Clienten/{J}Client")
    assert [c.findtext(f"{J}Bsn") for c in clienten] == ["999900006", "999900018"]
    assert [_codes(c) for c in clienten] == [["0200"], ["0200"]]
    regels = [(p.findtext(f"{J}ProductReferentie/{B}ReferentieNummer"), _codes(p))
              for p in antwoord.iter(f"{J}Prestatie")]
    assert regels == [("RN002", ["0611"]), ("RN004", ["9339", "9340"])]
    assert _bedrag(antwoord, f"{J}TotaalToegekendBedrag") == 79000 - 24000 - 24000
    _som_klopt(root)


def test_client_afgewezen_eigen_code_en_0233() -> None:
    root = _antwoord(beoordeel(voorbeeld(), {0: ("9346",)}, {"999900018": ("0001",)}))
    clienten = root.findall(f"{J}DeclaratieAntwoord/{J}Clienten/{J}Client")
    assert [_codes(c) for c in clienten] == [["0200"], ["0001"]]
    assert [_codes(p) for p in clienten[1].iter(f"{J}Prestatie")] == [["0233"]] * 3
    _som_klopt(root)


def test_declaratie_afgewezen_eigen_code() -> None:
    root = _antwoord(beoordeel(voorbeeld(), declaratie_codes=("9333",)))
    antwoord = root.find(f"{J}DeclaratieAntwoord")
    assert antwoord is not None and _codes(antwoord) == ["9333"]
    assert _bedrag(antwoord, f"{J}TotaalToegekendBedrag") == 0
    assert len(list(antwoord.iter(f"{J}Prestatie"))) == 5
    _som_klopt(root)


def test_credits_tellen_negatief() -> None:
    d = voorbeeld()
    credit = dataclasses.replace(d.prestaties[0], debet_credit="C",
                                 vorig_referentienummer="RN000")
    d = dataclasses.replace(d, prestaties=(credit, *d.prestaties[1:]), totaal_ingediend=69000)
    root = _antwoord(beoordeel(d, {0: ("8017",), 2: ("9307",)}))
    antwoord = root.find(f"{J}DeclaratieAntwoord")
    assert antwoord is not None
    assert _bedrag(antwoord, f"{J}TotaalToegekendBedrag") == 69000 + 5000 - 5000
    _som_klopt(root)


def test_technisch_afgewezen_0001_en_niets_beoordeeld() -> None:
    b = beoordeel(voorbeeld(), technische_fout="12:3: de XML is niet goed gevormd -- echt")
    xml = schrijf_jw325(b, DAG, "ANTW2")
    assert fouten_tegen_xsd(xml, "JW325") == []
    root = etree.parse(io.BytesIO(xml)).getroot()
    assert _codes(root.find(f"{J}Header")) == ["0001"]
    assert root.find(f"{J}DeclaratieAntwoord") is None


def test_technisch_afgewezen_zonder_bruikbare_kop() -> None:
    xml = technisch_afgewezen(kop_uit(b"\x00 geen xml"), "1:1: het document is leeg", DAG, "X")
    assert fouten_tegen_xsd(xml, "JW325") == []
    kop = etree.parse(io.BytesIO(xml)).getroot().find(f"{J}Header")
    assert kop is not None
    assert (kop.findtext(f"{J}Afzender"), kop.findtext(f"{J}Ontvanger")) == ("0000", "00000000")
    halve = kop_uit(b"<a><Afzender>65656055</Afzender><Ontvanger>03</Ontvanger>")
    kop2 = etree.parse(io.BytesIO(technisch_afgewezen(halve, "f", DAG, "X"))).getroot()
    assert kop2.findtext(f"{J}Header/{J}Ontvanger") == "65656055"
    assert kop2.findtext(f"{J}Header/{J}Afzender") == "0000"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["", "0611", "9346", "8021"]), min_size=5, max_size=5),
       st.lists(st.booleans(), min_size=5, max_size=5), st.booleans())
def test_elke_beoordeling_is_geldig_en_klopt(codes: list[str], credits: list[bool],
                                              client_af: bool) -> None:
    d = voorbeeld()
    prestaties = tuple(dataclasses.replace(p, debet_credit="C" if c else "D")
                       for p, c in zip(d.prestaties, credits, strict=True))
    totaal = sum(p.ingediend_bedrag * (1 if p.debet_credit == "D" else -1) for p in prestaties)
    d = dataclasses.replace(d, prestaties=prestaties, totaal_ingediend=totaal)
    afgewezen = {i: (c,) for i, c in enumerate(codes) if c}
    b = beoordeel(d, afgewezen, {"999900006": ("0001",)} if client_af else None)
    root = _antwoord(b)
    _som_klopt(root)
    alles_goed = not afgewezen and not client_af
    assert (root.find(f"{J}DeclaratieAntwoord/{J}Clienten") is None) == alles_goed
