"""The explanation document: every line, approved ones too, in the shape of issue 3."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ijw_beoordelingen import BEWIJS, als_uitkomsten, beoordeel, voorbeeld

from engine.model import DeclaratieBeoordeling, PrestatieUitkomst, Reden
from weergave.uitleg import uitleg_document, uitleg_json, uitleg_tekst


def test_vorm_van_het_document() -> None:
    doc = uitleg_document(beoordeel(voorbeeld(), {1: ("0611",)}))
    json.dumps(doc)
    assert {"declaratienummer", "totaal_ingediend", "totaal_toegekend", "retourcodes",
            "prestaties", "ontvangstbewijs"} <= set(doc)
    assert (doc["declaratienummer"], doc["totaal_ingediend"], doc["totaal_toegekend"]) == (
        "DN001", 79000, 55000)
    assert doc["retourcodes"] == ["0200"]
    assert [p["status"] for p in doc["prestaties"]] == ["goedgekeurd", "afgewezen",
                                                        "goedgekeurd", "goedgekeurd",
                                                        "goedgekeurd"]
    regel = doc["prestaties"][1]
    assert {"referentienummer", "bsn", "status", "retourcodes", "redenen", "signalen"} <= set(
        regel)
    assert regel["retourcodes"] == ["0611"]
    reden = regel["redenen"][0]
    assert set(reden) >= {"retourcode", "artikel", "lid", "regel", "uitleg", "waarden"}
    assert reden["waarden"] == {"producttarief": "€ 12,50"}
    assert set(doc["ontvangstbewijs"]) >= {"regelset_hash", "artikelen_in_werking",
                                           "peildatum", "engine_versie"}
    assert doc["ontvangstbewijs"]["peildatum"] == "2026-04-01"


def test_alles_goed_geeft_8001() -> None:
    assert uitleg_document(beoordeel(voorbeeld()))["retourcodes"] == ["8001"]


def test_technische_fout() -> None:
    doc = uitleg_document(beoordeel(voorbeeld(), technische_fout="3:4: kapot"))
    assert (doc["retourcodes"], doc["technische_fout"]) == (["0001"], "3:4: kapot")
    tekst = uitleg_tekst(beoordeel(voorbeeld(), technische_fout="3:4: kapot"))
    assert "0001" in tekst and "3:4: kapot" in tekst


def test_tekst_voor_mensen_zonder_bsn() -> None:
    tekst = uitleg_tekst(beoordeel(voorbeeld(), {1: ("0611",)}, {"999900018": ("0001",)}))
    assert "Prestatie 2 (referentienummer RN002): afgewezen, 0611" in tekst
    assert "(regel 2)" not in tekst and "peildatum 1 april 2026," in tekst
    assert "Uitleg bij 0611." in tekst and "artikel iJw-tarief lid iJw-0611" in tekst
    assert "Ingediend: € 790,00; toegekend: € 50,00." in tekst
    assert "1 van de 5 prestaties goedgekeurd, 4 afgewezen" in tekst
    assert "999900" not in tekst


def _als_dumps(b: DeclaratieBeoordeling) -> str:
    return json.dumps(uitleg_document(b), ensure_ascii=False)


_GEVALLEN = {
    "alles goed": beoordeel(voorbeeld()),
    "regels af": beoordeel(voorbeeld(), {1: ("0611",), 3: ("9346", "8021")}),
    "client af": beoordeel(voorbeeld(), {1: ("0611",)}, {"999900018": ("0001",)}),
    "declaratie af": beoordeel(voorbeeld(), declaratie_codes=("9333",)),
    "technisch": beoordeel(voorbeeld(), technische_fout="3:4: kapot"),
}


@pytest.mark.parametrize("naam", _GEVALLEN)
def test_json_tekst_is_die_van_het_document(naam: str) -> None:
    b = _GEVALLEN[naam]
    assert uitleg_json(b) == _als_dumps(b)
    assert uitleg_json(als_uitkomsten(b)) == _als_dumps(b)


def test_json_tekst_zonder_regels() -> None:
    b = beoordeel(voorbeeld())
    leeg = dataclasses.replace(b, declaratie=dataclasses.replace(b.declaratie, prestaties=()),
                               uitkomsten=())
    assert uitleg_json(leeg) == _als_dumps(leeg)


_TEKST = st.text(alphabet=st.characters(codec="utf-8"), max_size=8)
_WAARDE = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), _TEKST)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_TEKST, _TEKST, st.sampled_from(["goedgekeurd", "afgewezen", "x\"y"]),
                          st.integers(-10**12, 10**12), st.integers(0, 10**6)),
                min_size=1, max_size=6),
       st.lists(st.tuples(st.one_of(st.none(), _TEKST), _TEKST,
                          st.dictionaries(st.one_of(_TEKST, st.integers()), _WAARDE,
                                          max_size=3)), max_size=3),
       st.integers(0, 5))
def test_json_tekst_met_vreemde_waarden(regels: list[tuple[str, str, str, int, int]],
                                        redenen: list[tuple[str | None, str, dict[str, str]]],
                                        met_reden: int) -> None:
    """Escaping, big and negative numbers, None, keys that are no text: the same text."""
    uitkomsten = tuple(
        PrestatieUitkomst(volgnummer, ref, bsn, status, (), (), (), bedrag)
        for ref, bsn, status, bedrag, volgnummer in regels)
    lijst = tuple(Reden(code, "a", code, "r", "id", uitleg, waarden, "b:1")
                  for code, uitleg, waarden in redenen)
    rij = met_reden % len(uitkomsten)
    uitkomsten = (*uitkomsten[:rij],
                  dataclasses.replace(uitkomsten[rij], redenen=lijst, retourcodes=("1",)),
                  *uitkomsten[rij + 1:])
    b = DeclaratieBeoordeling(voorbeeld(), (), lijst, {"x\u00e9": ("1",)}, uitkomsten, (),
                              0, BEWIJS)
    assert uitleg_json(b) == _als_dumps(b)
