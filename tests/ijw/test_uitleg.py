"""The explanation document: every line, approved ones too, in the shape of issue 3."""

from __future__ import annotations

import json

from ijw_beoordelingen import beoordeel, voorbeeld

from engine.ijw.uitleg import uitleg_document, uitleg_tekst


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
    assert "Prestatie RN002 (regel 2): afgewezen, 0611" in tekst
    assert "Uitleg bij 0611." in tekst and "artikel iJw-tarief lid iJw-0611" in tekst
    assert "Ingediend: € 790,00; toegekend: € 50,00." in tekst
    assert "1 van de 5 prestaties goedgekeurd, 4 afgewezen" in tekst
    assert "999900" not in tekst
