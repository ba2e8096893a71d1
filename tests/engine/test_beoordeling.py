"""The assessment pipeline on the hand-built rule book: DOMEIN.md's worked examples, credits
before debits, client and declaration rejection with 0233, totals, order independence."""

from __future__ import annotations

import dataclasses
import functools
import random
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from beoordeling_boek import REGELBOEK, context, declaratie, prestatie, toewijzing
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.irtypen import getypt
from engine import ir
from engine.backends.vectorized.backend import evalueer_expressie
from engine.beoordeling import beoordeel, beoordeel_reeks
from engine.historie import GeheugenHistorie
from engine.ir import Aggregaat, Functie, Veld
from engine.model import Afwezigheid, DeclaratieBeoordeling, Prestatie
from engine.werkset import maak_werkset


def _beoordeel(*prestaties: Prestatie, **kwargs: object) -> DeclaratieBeoordeling:
    ctx = kwargs.pop("ctx", None) or context()
    historie = kwargs.pop("historie", None) or GeheugenHistorie()
    return beoordeel(REGELBOEK, declaratie(*prestaties, **kwargs), ctx, historie)  # type: ignore[arg-type]


def _codes(b: DeclaratieBeoordeling) -> list[tuple[str, ...]]:
    return [u.retourcodes for u in b.uitkomsten]


# ---------------------------------------------------------------- DOMEIN.md §6 arithmetic


def test_uurtarief_in_minuten_geeft_geen_valse_9346() -> None:
    """€ 76,45/h, 95 min: shown tariff 127 cents, amount 12105; 127 × 95 = 12065 is wrong."""
    b = _beoordeel(prestatie(geleverd_volume=95, producttarief=127, ingediend_bedrag=12105))
    assert _codes(b) == [()]
    assert b.totaal_toegekend == 12105


def test_naief_bedrag_wordt_afgewezen_met_uitleg() -> None:
    b = _beoordeel(prestatie(geleverd_volume=95, producttarief=127, ingediend_bedrag=12065))
    uitkomst = b.uitkomsten[0]
    assert uitkomst.status == "afgewezen" and uitkomst.retourcodes == ("9346",)
    reden = uitkomst.redenen[0]
    assert reden.waarden == {"ingediend bedrag": "€ 120,65", "berekend bedrag": "€ 121,05"}
    assert reden.uitleg == "Het ingediende bedrag (€ 120,65) is niet € 121,05."
    assert (reden.artikel, reden.lid, reden.regel) == ("iJw", "iJw-9346",
                                                       "Bedrag is volume maal tarief")


def test_afgerond_tarief_wijkt_af_0611() -> None:
    b = _beoordeel(prestatie(producttarief=128))
    assert _codes(b) == [("0611",)]
    assert b.uitkomsten[0].redenen[0].waarden == {"producttarief": "€ 1,28",
                                                  "contracttarief": "€ 1,27"}


def test_tarief_volgens_geldigheid_op_begindatum() -> None:
    """From 2026 the hour tariff is € 78,10: 60 minutes cost 7810."""
    ctx = context(toewijzing(einddatum=date(2026, 12, 31)))
    jan = dict(begindatum=date(2026, 1, 5), einddatum=date(2026, 1, 31))
    goed = prestatie(geleverd_volume=60, producttarief=130, ingediend_bedrag=7810, **jan)
    oud = prestatie(geleverd_volume=60, producttarief=127, ingediend_bedrag=7645, **jan)
    b = _beoordeel(goed, oud, ctx=ctx, begin=date(2026, 1, 1))
    assert _codes(b) == [(), ("0611", "9346")]


def test_minuten_opgeteld_dan_afgerond_naar_uren() -> None:
    """4 × 95 minutes = 380 minutes = 6 hours (rounded after summing)."""
    d = declaratie(*[prestatie() for _ in range(4)])
    werkset = maak_werkset(d, context(), GeheugenHistorie())
    som = Aggregaat("som", Veld("geleverd_volume"), ("aanbieder", "toewijzingnummer"), "maand")
    uren_uit = Functie("uren_uit_minuten", (som,))
    uren = evalueer_expressie(getypt(REGELBOEK, uren_uit), uren_uit, werkset)
    assert uren == [6, 6, 6, 6]


def _maandregels(begin: date, eind: date, minuten: list[int]) -> list[Prestatie]:
    return [
        prestatie(begindatum=begin, einddatum=eind, geleverd_volume=m, ingediend_bedrag=0,
                  producttarief=None, eenheid="83")
        for m in minuten
    ]


def test_weekplafond_oktober_vier_weken() -> None:
    """3 h/week from 7 Oct: October has 4 ISO weeks inside the allocation, 12 h = 720 min."""
    binnen = _beoordeel(*_maandregels(date(2025, 10, 7), date(2025, 10, 31), [360, 360]))
    assert _codes(binnen) == [(), ()]
    boven = _beoordeel(*_maandregels(date(2025, 10, 7), date(2025, 10, 31), [360, 361]))
    assert _codes(boven) == [("9321",), ("9321",)]
    assert boven.uitkomsten[0].redenen[0].waarden == {"maandvolume": "721",
                                                      "maandplafond": "720"}


def test_weekplafond_december_vijf_weken() -> None:
    """December 2025 touches weeks 49-52 and week 1 of 2026: 5 × 180 = 900 minutes."""
    regels = _maandregels(date(2025, 12, 1), date(2025, 12, 30), [900])
    assert _codes(_beoordeel(*regels, begin=date(2025, 12, 1))) == [()]
    regels = _maandregels(date(2025, 12, 1), date(2025, 12, 30), [901])
    assert _codes(_beoordeel(*regels, begin=date(2025, 12, 1))) == [("9321",)]


def test_creditregels_tellen_niet_mee_in_het_plafond() -> None:
    credit = dataclasses.replace(
        _maandregels(date(2025, 10, 7), date(2025, 10, 31), [500])[0], debet_credit="C",
        vorig_referentienummer="ONBEKEND",
    )
    b = _beoordeel(*_maandregels(date(2025, 10, 7), date(2025, 10, 31), [720]), credit)
    assert _codes(b) == [(), ("8017",)]


# ---------------------------------------------------------------- absences, art. 43.4


def test_afwezigheid_bij_verblijf_met_parameter_per_periode() -> None:
    """Stay of 31 nights with a 20-day absence: 2025 reimburses 14 days, 2026 21 days."""
    ctx = context(
        toewijzing(productcode="43A03", eenheid="14", frequentie="4", volume=31,
                   einddatum=date(2026, 12, 31)),
        afwezigheden=(
            Afwezigheid("999999990", "T1", date(2025, 10, 5), date(2025, 10, 24)),
            Afwezigheid("999999990", "T1", date(2026, 1, 5), date(2026, 1, 24)),
        ),
    )
    verblijf = dict(productcode="43A03", eenheid="14", producttarief=21500)
    okt = dict(begindatum=date(2025, 10, 1), einddatum=date(2025, 10, 31), **verblijf)
    # 31 days - 20 absent + 14 reimbursed = 25 declarable nights
    goed = prestatie(**okt, geleverd_volume=25, ingediend_bedrag=25 * 21500)
    assert _codes(_beoordeel(goed, ctx=ctx)) == [()]
    te_veel = prestatie(**okt, geleverd_volume=26, ingediend_bedrag=26 * 21500)
    b = _beoordeel(te_veel, ctx=ctx)
    assert _codes(b) == [("4304",)]
    assert b.uitkomsten[0].redenen[0].waarden["declarabele dagen"] == "25 dagen"
    jan = prestatie(begindatum=date(2026, 1, 1), einddatum=date(2026, 1, 31), **verblijf,
                    geleverd_volume=31, ingediend_bedrag=31 * 21500)
    assert _codes(_beoordeel(jan, ctx=ctx, begin=date(2026, 1, 1))) == [()]


# ---------------------------------------------------------------- history and credits


def test_credit_voor_debet_ruimt_open_debet_op() -> None:
    historie = GeheugenHistorie()
    eerste = declaratie(prestatie(referentienummer="OUD"), nummer="D1")
    for b in beoordeel_reeks(REGELBOEK, [eerste], context(), historie):
        assert _codes(b) == [()]
    nieuw = prestatie(referentienummer="NIEUW")
    zonder_credit = beoordeel(REGELBOEK, declaratie(nieuw, nummer="D2"), context(), historie)
    assert _codes(zonder_credit) == [("9389",)]
    credit = prestatie(referentienummer="CR", vorig_referentienummer="OUD", debet_credit="C")
    # the debit comes first in the file; credits are still processed first
    b = beoordeel(REGELBOEK, declaratie(nieuw, credit, nummer="D3"), context(), historie)
    assert _codes(b) == [(), ()]
    assert b.totaal_toegekend == 0


def test_tweede_credit_op_dezelfde_debet_9390() -> None:
    historie = GeheugenHistorie()
    berichten = [
        declaratie(prestatie(referentienummer="OUD"), nummer="D1"),
        declaratie(prestatie(referentienummer="C1", vorig_referentienummer="OUD",
                             debet_credit="C"), nummer="D2"),
        declaratie(prestatie(referentienummer="C2", vorig_referentienummer="OUD",
                             debet_credit="C"), nummer="D3"),
    ]
    uitkomsten = [_codes(b) for b in beoordeel_reeks(REGELBOEK, berichten, context(), historie)]
    assert uitkomsten == [[()], [()], [("9390",)]]


def test_referentienummer_eerder_en_dubbel_8021() -> None:
    historie = GeheugenHistorie()
    berichten = [
        declaratie(prestatie(referentienummer="A"), nummer="D1"),
        declaratie(prestatie(referentienummer="A"), prestatie(referentienummer="B"),
                   prestatie(referentienummer="B"), nummer="D2"),
    ]
    uitkomsten = [_codes(b) for b in beoordeel_reeks(REGELBOEK, berichten, context(), historie)]
    assert uitkomsten[0] == [()]
    assert uitkomsten[1][0] == ("8021", "9389")  # and the same period is still open
    assert "8021" in uitkomsten[1][1] and "8021" in uitkomsten[1][2]


# ---------------------------------------------------------------- levels and 0233


def test_client_afgewezen_geeft_0233_op_zijn_regels() -> None:
    ctx = context(toewijzing("T1", bsn="999999990"), toewijzing("T2", bsn="123456782"))
    fout = prestatie(bsn="111222333", toewijzingnummer="T2")
    b = _beoordeel(prestatie(), fout, prestatie(bsn="111222333", toewijzingnummer="T1"), ctx=ctx)
    assert b.client_retourcodes == {"111222333": ("8187",)}
    assert [u.status for u in b.uitkomsten] == ["goedgekeurd", "afgewezen", "afgewezen"]
    assert b.uitkomsten[1].retourcodes == ("0233",)
    assert b.uitkomsten[1].redenen[0].retourcode == "8187"
    assert b.totaal_toegekend == 12105


def test_declaratienummer_met_andere_inhoud_wijst_alles_af() -> None:
    historie = GeheugenHistorie()
    list(beoordeel_reeks(REGELBOEK, [declaratie(prestatie(), nummer="D1")], context(), historie))
    b = beoordeel(REGELBOEK, declaratie(prestatie(referentienummer="X"), prestatie(
        referentienummer="Y"), nummer="D1"), context(), historie)
    assert b.retourcodes == ("9333",)
    assert all(u.status == "afgewezen" and "0233" in u.retourcodes for u in b.uitkomsten)
    assert b.totaal_toegekend == 0


def test_signaal_wijst_niet_af() -> None:
    groot = prestatie(geleverd_volume=150, eenheid="04", ingediend_bedrag=1_146_750,
                      producttarief=7645)
    b = _beoordeel(groot)
    assert b.uitkomsten[0].status == "goedgekeurd"
    assert b.uitkomsten[0].signalen[0].waarden == {"ingediend bedrag": "€ 11.467,50"}


def test_toewijzing_van_andere_aanbieder_telt_niet() -> None:
    b = _beoordeel(prestatie(), ctx=context(toewijzing(aanbieder="99999999")))
    assert _codes(b) == [("9338",)]


def test_ontvangstbewijs() -> None:
    b = _beoordeel(prestatie())
    bewijs = b.ontvangstbewijs
    assert bewijs.peildatum == date(2025, 10, 1)
    assert bewijs.artikelen_in_werking == ("iJw", "43")
    assert (bewijs.regelset_hash, bewijs.backend) == ("test-hash", "vectorized")


def test_lege_declaratie() -> None:
    b = _beoordeel()
    assert b.uitkomsten == () and b.totaal_toegekend == 0


# ---------------------------------------------------------------- properties

_CODES = st.sampled_from(["T1", "T2", "T3"])
_BSN = st.sampled_from(["999999990", "123456782", "111222333"])


@st.composite
def _prestaties(draw: st.DrawFn) -> list[Prestatie]:
    aantal = draw(st.integers(0, 12))
    regels = []
    for i in range(aantal):
        credit = draw(st.booleans()) and i % 3 == 0
        dag = draw(st.integers(1, 28))
        regels.append(prestatie(
            referentienummer=f"R{draw(st.integers(0, 9))}",
            vorig_referentienummer=draw(st.sampled_from([None, "R1", "X"])) if credit else None,
            bsn=draw(_BSN), toewijzingnummer=draw(_CODES),
            productcode=draw(st.sampled_from(["45A48", "43A03", None, ""])),
            eenheid=draw(st.sampled_from(["01", "04", "14", "83", "zz"])),
            begindatum=date(2025, draw(st.integers(10, 12)), dag),
            einddatum=date(2025, 12, 31) if draw(st.booleans()) else date(2025, 10, 1),
            geleverd_volume=draw(st.integers(-5, 2000)),
            producttarief=draw(st.one_of(st.none(), st.integers(0, 9000))),
            ingediend_bedrag=draw(st.integers(0, 2_000_000)),
            debet_credit="C" if credit else "D",
        ))
    return regels


def _context() -> object:
    return context(
        toewijzing("T1"), toewijzing("T2", bsn="123456782", einddatum=None, volume=None),
        toewijzing("T3", reden_wijziging="13", frequentie="4"),
        afwezigheden=(Afwezigheid("999999990", "T1", date(2025, 10, 3), date(2025, 10, 20)),),
    )


@settings(max_examples=40, deadline=None)
@given(_prestaties(), st.randoms())
def test_volgorde_van_regels_doet_niet_ter_zake(
    regels: list[Prestatie], rnd: random.Random
) -> None:
    ctx = _context()
    gewoon = _beoordeel(*regels, ctx=ctx)
    geschud_regels = list(enumerate(regels))
    rnd.shuffle(geschud_regels)
    geschud = _beoordeel(*[r for _, r in geschud_regels], ctx=ctx)
    per_positie = {oud: nieuw for nieuw, (oud, _) in enumerate(geschud_regels)}
    for oud, uitkomst in enumerate(gewoon.uitkomsten):
        ander = geschud.uitkomsten[per_positie[oud]]
        assert (uitkomst.status, set(uitkomst.retourcodes)) == (ander.status,
                                                                set(ander.retourcodes))
    assert gewoon.totaal_toegekend == geschud.totaal_toegekend
    assert gewoon.client_retourcodes == geschud.client_retourcodes


@settings(max_examples=40, deadline=None)
@given(_prestaties())
def test_elke_regel_een_uitkomst_en_totalen_kloppen(regels: list[Prestatie]) -> None:
    b = _beoordeel(*regels, ctx=_context())
    assert [u.volgnummer for u in b.uitkomsten] == list(range(len(regels)))
    afgewezen = sum(
        p.ingediend_bedrag * (1 if p.debet_credit == "D" else -1)
        for p, u in zip(b.declaratie.prestaties, b.uitkomsten, strict=True)
        if u.status == "afgewezen"
    )
    assert afgewezen == b.declaratie.totaal_ingediend - b.totaal_toegekend
    for u in b.uitkomsten:
        assert (u.status == "afgewezen") == bool(u.retourcodes)
        assert u.status == "goedgekeurd" or u.toegekend_bedrag == 0


def test_werkset_kolommen_en_volgorde() -> None:
    from engine.velden import VELDEN

    d = declaratie(prestatie(toewijzingnummer="T2"), prestatie(), prestatie(toewijzingnummer="X"))
    werkset = maak_werkset(d, context(toewijzing("T1"), toewijzing("T2")), GeheugenHistorie())
    assert werkset.columns == ["rij", "bericht", *[v.kolom for v in VELDEN], "afwezigheden"]
    assert werkset["rij"].to_list() == [0, 1, 2]
    assert werkset["toewijzingnummer"].to_list() == ["T2", "T1", "X"]
    assert werkset["toewijzing_bekend"].to_list() == [True, True, False]
    assert werkset.schema["afwezigheden"] == pl.List(pl.Struct({"van": pl.Date, "tot": pl.Date}))


# ---------------------------------------------------------------- the real contract

_REGIO = Path(__file__).resolve().parents[2] / "contracten" / "amstelland"


@functools.cache
def _echt_regelboek() -> ir.Regelboek:
    from dsl.loader import laad_contract

    return laad_contract(_REGIO)


@pytest.mark.skipif(not (_REGIO / "contract.regels").is_file(), reason="regio ontbreekt")
@settings(max_examples=25, deadline=None)
@given(_prestaties())
def test_echt_contract_geeft_elke_regel_een_uitkomst(regels: list[Prestatie]) -> None:
    """Whatever the lines hold, the real rule book assesses them without an exception."""
    d = declaratie(*regels)
    b = beoordeel(_echt_regelboek(), d, _context(), GeheugenHistorie())  # type: ignore[arg-type]
    assert len(b.uitkomsten) == len(regels)
    assert all(u.status in ("goedgekeurd", "afgewezen") for u in b.uitkomsten)


@pytest.mark.skipif(not (_REGIO / "contract.regels").is_file(), reason="regio ontbreekt")
def test_golven_geven_hetzelfde_als_bericht_voor_bericht() -> None:
    """beoordeel_reeks assesses messages of different providers together (in waves); the
    outcome must be that of assessing them one by one, in order."""
    from proefdata import genereer_regiomaand, lees_tarieven

    maand = genereer_regiomaand(11, 1500, tarieven=lees_tarieven(_REGIO / "tarieven.csv"),
                                gemeenten=_echt_regelboek().gemeenten)
    ctx = maand.context()
    samen = list(beoordeel_reeks(_echt_regelboek(), maand.declaraties, ctx, GeheugenHistorie()))
    historie = GeheugenHistorie()
    los = []
    for d in maand.declaraties:
        los.append(beoordeel(_echt_regelboek(), d, ctx, historie))
        historie.registreer(los[-1])
    assert len({d.aanbieder for d in maand.declaraties}) > 1
    for a, b in zip(samen, los, strict=True):
        assert (a.retourcodes, a.client_retourcodes, a.totaal_toegekend, a.signalen) == (
            b.retourcodes, b.client_retourcodes, b.totaal_toegekend, b.signalen)
        assert a.uitkomsten == b.uitkomsten
