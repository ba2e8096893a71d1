"""Fail closed (issue 11): a line is approved only when every mandatory check had a version
in force for its care date and said yes, on every backend.

The reproductions of the issue: the example JW323 redated to December 2022 and sent three
times under new DeclaratieNummers was approved three times; lines of EUR 999.999,99 on
allocation 999999 (which does not exist) were approved with 8001."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from berichten.ijw.jw301 import geldende_toewijzingen, lees_jw301_map
from berichten.ijw.jw323 import lees_jw323, schrijf_jw323
from dsl.irtypen import getypt
from engine import backends, ir
from engine.backends.basis import Backend
from engine.beoordeling import beoordeel, beoordeel_reeks
from engine.historie import GeheugenHistorie
from engine.model import Context, Declaratie, DeclaratieBeoordeling, Prestatie
from engine.verplicht import LOOPTIJD_REGEL, aangevuld, gaten

REPO = Path(__file__).resolve().parents[2]
REGIO = REPO / "contracten" / "amstelland"
VOORBEELD = REGIO / "voorbeeld"
BACKENDS = backends.namen()


@cache
def _regelboek(regio: str = "amstelland") -> ir.Regelboek:
    from dsl.loader import laad_contract

    return laad_contract(REPO / "contracten" / regio)


@cache
def _voorbeeld() -> tuple[Declaratie, Context]:
    toewijzingen = geldende_toewijzingen(lees_jw301_map(VOORBEELD / "JW301"))
    return lees_jw323(VOORBEELD / "JW323.xml"), Context(toewijzingen=toewijzingen)


def _verschoven(declaratie: Declaratie, nummer: str, begin: date) -> Declaratie:
    """The message with its care (and its period) moved to the month of `begin`, under
    another DeclaratieNummer and BerichtIdentificatie (TR056: a message identification is
    used once); the ReferentieNummers stay."""
    verschil = begin - declaratie.declaratie_begindatum
    prestaties = tuple(dataclasses.replace(p, begindatum=p.begindatum + verschil,
                                           einddatum=p.einddatum + verschil)
                       for p in declaratie.prestaties)
    return dataclasses.replace(
        declaratie, declaratienummer=nummer, bericht_identificatie=nummer,
        prestaties=prestaties,
        declaratie_begindatum=declaratie.declaratie_begindatum + verschil,
        declaratie_einddatum=declaratie.declaratie_einddatum + verschil,
        declaratiedagtekening=declaratie.declaratiedagtekening + verschil,
        bericht_dagtekening=declaratie.bericht_dagtekening + verschil)


def _goedgekeurd(b: DeclaratieBeoordeling) -> list[str]:
    return [u.referentienummer for u in b.uitkomsten if u.status == "goedgekeurd"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_voorbeeld_in_december_2022_drie_keer_nooit_goedgekeurd(backend: str) -> None:
    declaratie, context = _voorbeeld()
    berichten = [_verschoven(declaratie, f"OUD{i}", date(2022, 12, 1)) for i in range(3)]
    uit = list(beoordeel_reeks(_regelboek(), berichten, context, GeheugenHistorie(), backend))
    for b in uit:
        assert _goedgekeurd(b) == []
        assert b.totaal_toegekend == 0
    eerste = uit[0].uitkomsten[0]
    assert {"0611", "9307"} <= set(eerste.retourcodes)
    looptijd = next(r for r in eerste.redenen if r.regel == LOOPTIJD_REGEL)
    assert (looptijd.retourcode, looptijd.artikel, looptijd.lid) == ("0611", "contract",
                                                                      "looptijd")
    assert looptijd.waarden["begindatum"] == "1 december 2022"
    assert looptijd.waarden["begin looptijd"] == "1 januari 2025"
    assert looptijd.waarden["einde looptijd"] == "31 december 2026"
    assert looptijd.uitleg.startswith("De zorg begon op 1 december 2022, buiten de looptijd "
                                      "van het contract")
    # the national uniqueness check applies in 2022 too: the numbers were used
    assert all("8021" in u.retourcodes for b in uit[1:] for u in b.uitkomsten)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("begin", [date(2022, 12, 1), date(2026, 3, 1), date(2031, 5, 1)])
def test_miljoen_op_onbestaande_toewijzing_afgewezen(backend: str, begin: date) -> None:
    declaratie, context = _voorbeeld()
    declaratie = _verschoven(declaratie, "MILJOEN", begin)
    prestaties = tuple(dataclasses.replace(p, toewijzingnummer="999999",
                                           ingediend_bedrag=99_999_999)
                       for p in declaratie.prestaties[:3])
    declaratie = dataclasses.replace(declaratie, prestaties=prestaties,
                                     totaal_ingediend=3 * 99_999_999)
    b = beoordeel(_regelboek(), declaratie, context, GeheugenHistorie(), backend)
    assert _goedgekeurd(b) == []
    assert b.totaal_toegekend == 0
    for u in b.uitkomsten:
        assert "9338" in u.retourcodes
        reden = next(r for r in u.redenen if r.retourcode == "9338")
        assert reden.uitleg == ("Er is geen toewijzing met nummer 999999: de prestatie kan niet "
                                "aan een toewijzing worden gekoppeld.")


def test_credit_buiten_de_looptijd_niet_door_de_looptijd_afgewezen() -> None:
    """Credits take money back; the national credit rules judge them on every date."""
    declaratie, context = _voorbeeld()
    oud = _verschoven(declaratie, "OUD", date(2022, 12, 1))
    p = oud.prestaties[0]
    credit = dataclasses.replace(p, referentienummer="C1", vorig_referentienummer="GEEN",
                                 debet_credit="C")
    bericht = dataclasses.replace(oud, prestaties=(credit,), totaal_ingediend=0)
    b = beoordeel(_regelboek(), bericht, context, GeheugenHistorie())
    assert b.uitkomsten[0].retourcodes == ("8017",)


# ---------------------------------------------------------------- gaps in a rule family


def _regel(geldig: ir.Geldigheid, naam: str = "Bedrag niet te hoog", lid: str = "1.1"
           ) -> ir.Regel:
    return ir.Regel(
        id=f"1.{lid}/{naam}@{geldig.vanaf}", naam=naam, soort="afwijzen", niveau="prestatie",
        retourcode="0611", artikel="1", lid=lid,
        voorwaarde=ir.Vergelijking(">", ir.Veld("ingediend_bedrag"),
                                   ir.Constante(100_000, ir.GELD)),
        filter=None, uitleg="Te hoog: {ingediend bedrag}.",
        waarden=(("ingediend bedrag", ir.Veld("ingediend_bedrag")),), geldig=geldig,
        herkomst="standaard", bron=ir.Bron("regels/x.regels", 3, 5))


def _boek(*regels: ir.Regel, looptijd: ir.Geldigheid = ir.ALTIJD) -> ir.Regelboek:
    return getypt(ir.Regelboek(naam="proef", regio=None, gemeenten=(), artikelen=(),
                               parameters={}, tabellen={}, berekeningen=(), regels=regels,
                               wijzigingen=(), hash="proef", bestanden=(), looptijd=looptijd))


def test_gaten_tussen_versies_en_over_de_looptijd() -> None:
    g = ir.Geldigheid
    versies = [g(date(2023, 1, 1), date(2024, 1, 1)), g(date(2025, 1, 1), None)]
    assert gaten(versies) == [g(date(2024, 1, 1), date(2025, 1, 1))]
    assert gaten(versies, g(date(2022, 1, 1), date(2027, 1, 1))) == [
        g(date(2022, 1, 1), date(2023, 1, 1)), g(date(2024, 1, 1), date(2025, 1, 1))]
    assert gaten([g(None, date(2024, 1, 1))], g(None, None)) == [g(date(2024, 1, 1), None)]
    assert gaten([ir.ALTIJD], g(date(2022, 1, 1), None)) == []
    assert gaten([g(date(2023, 1, 1), date(2025, 1, 1)), g(date(2024, 1, 1), None)]) == []
    assert gaten([]) == []


def _prestatie(begin: date, bedrag: int = 500, nummer: str = "1", ref: str = "R1",
               dc: str = "D") -> Prestatie:
    return Prestatie(volgnummer=0, bsn="999990019", referentienummer=ref,
                     vorig_referentienummer=None, toewijzingnummer=nummer,
                     productcategorie="45", productcode="45A48", begindatum=begin,
                     einddatum=begin, geleverd_volume=1, eenheid="04", producttarief=bedrag,
                     ingediend_bedrag=bedrag, debet_credit=dc)  # type: ignore[arg-type]


def _bericht(*prestaties: Prestatie) -> Declaratie:
    begin = min(p.begindatum for p in prestaties)
    return Declaratie(aanbieder="12345678", gemeente="0384", bericht_identificatie="B1",
                      bericht_dagtekening=begin, declaratienummer="D1",
                      declaratie_begindatum=begin, declaratie_einddatum=begin,
                      declaratiedagtekening=begin,
                      totaal_ingediend=sum(p.ingediend_bedrag for p in prestaties),
                      prestaties=tuple(dataclasses.replace(p, volgnummer=i)
                                       for i, p in enumerate(prestaties)))


ALLE: tuple[Backend, ...] = tuple(backends.kies(naam) for naam in backends.namen())


@pytest.mark.parametrize("backend", ALLE, ids=lambda b: b.naam)
def test_gat_tussen_twee_versies_wijst_af(backend: Backend) -> None:
    boek = _boek(_regel(ir.Geldigheid(date(2023, 1, 1), date(2024, 1, 1))),
                 _regel(ir.Geldigheid(date(2025, 1, 1), None)))
    b = beoordeel(boek, _bericht(_prestatie(date(2024, 6, 1)), _prestatie(
        date(2025, 6, 1), ref="R2")), Context(), GeheugenHistorie(), backend)
    gat, erna = b.uitkomsten
    assert erna.status == "goedgekeurd"
    assert gat.status == "afgewezen" and gat.retourcodes == ("0611",)
    (reden,) = gat.redenen
    assert (reden.artikel, reden.lid, reden.regel) == ("1", "1.1", "Bedrag niet te hoog")
    assert reden.waarden == {"begindatum": "1 juni 2024"}
    assert reden.uitleg == (
        "Op de datum van de zorg (1 juni 2024) geldt geen versie van de regel 'Bedrag niet te "
        "hoog' (artikel 1 lid 1.1; geen versie van 1 januari 2024 tot en met 31 december "
        "2024): deze "
        "verplichte controle kan niet worden gedaan, dus de prestatie wordt niet goedgekeurd "
        "(de retourcode is die van de regel zelf).")


@pytest.mark.parametrize("backend", ALLE, ids=lambda b: b.naam)
def test_standaardregel_moet_de_hele_looptijd_gelden(backend: Backend) -> None:
    boek = _boek(_regel(ir.Geldigheid(date(2023, 1, 1), None)),
                 looptijd=ir.Geldigheid(date(2020, 1, 1), None))
    b = beoordeel(boek, _bericht(_prestatie(date(2021, 3, 1)), _prestatie(
        date(2019, 3, 1), ref="R2"), _prestatie(date(2023, 3, 1), ref="R3")), Context(),
        GeheugenHistorie(), backend)
    regels = [(u.status, u.retourcodes, tuple(r.regel for r in u.redenen))
              for u in b.uitkomsten]
    assert regels == [
        ("afgewezen", ("0611",), ("Bedrag niet te hoog",)),
        ("afgewezen", ("0611",), (LOOPTIJD_REGEL,)),
        ("goedgekeurd", (), ()),
    ]


def test_aanvullen_is_eenmalig() -> None:
    boek = _boek(_regel(ir.Geldigheid(date(2023, 1, 1), None)),
                 looptijd=ir.Geldigheid(date(2020, 1, 1), date(2030, 1, 1)))
    eens = aangevuld(boek)
    assert aangevuld(eens) is eens
    assert len(eens.regels) == 3  # the rule, its gap 2020-2023, the contract period
    assert aangevuld(_boek(_regel(ir.ALTIJD))).regels == (_regel(ir.ALTIJD),)
    # without a contract period only the gaps between versions are closed
    zonder = _boek(_regel(ir.Geldigheid(date(2023, 1, 1), None)))
    assert aangevuld(zonder) is zonder


# ---------------------------------------------------------------- property: no allocation, no money

datums = st.dates(date(1900, 1, 1), date(2199, 12, 31))
bedragen = st.integers(0, 10**11)
nummers = st.from_regex(r"[0-9]{1,9}", fullmatch=True).filter(lambda n: n not in _voorbeeld()[1]
                                                             .toewijzingen)


@st.composite
def _berichten(draw: st.DrawFn) -> Declaratie:
    declaratie, _ = _voorbeeld()
    sjablonen = declaratie.prestaties
    aantal = draw(st.integers(1, 4))
    prestaties = []
    for i in range(aantal):
        begin = draw(datums)
        p = dataclasses.replace(
            draw(st.sampled_from(sjablonen)), volgnummer=i, referentienummer=f"P{i}",
            begindatum=begin, einddatum=min(begin + timedelta(draw(st.integers(0, 40))),
                                            date(2199, 12, 31)),
            toewijzingnummer=draw(nummers), ingediend_bedrag=draw(bedragen),
            geleverd_volume=draw(st.integers(0, 10**6)),
            producttarief=draw(st.none() | bedragen))
        prestaties.append(p)
    return dataclasses.replace(declaratie, prestaties=tuple(prestaties),
                               totaal_ingediend=sum(p.ingediend_bedrag for p in prestaties))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bericht=_berichten(), regio=st.sampled_from(["amstelland", "ijsselland"]))
def test_zonder_toewijzing_nooit_goedgekeurd(bericht: Declaratie, regio: str) -> None:
    """Arbitrary care dates (far past, far future, before 2023), amounts and allocation
    numbers that match no allocation: not one line approved, on both backends (and the
    scalar reference)."""
    _, context = _voorbeeld()
    for backend in ALLE:
        b = beoordeel(_regelboek(regio), bericht, context, GeheugenHistorie(), backend)
        assert _goedgekeurd(b) == [], backend.naam
        assert b.totaal_toegekend == 0
        assert all("9338" in u.retourcodes or "0233" in u.retourcodes for u in b.uitkomsten)


buiten_looptijd = st.one_of(st.dates(date(1900, 1, 1), date(2024, 12, 31)),
                            st.dates(date(2027, 1, 1), date(2199, 1, 1)))


@settings(max_examples=25, deadline=None)
@given(begin=buiten_looptijd)
def test_buiten_de_looptijd_nooit_goedgekeurd(begin: date) -> None:
    """The example message with its allocations, moved to any date outside amstelland's
    period (2025-2026): every debit line rejected, with the contract-period reason."""
    declaratie, context = _voorbeeld()
    verschil = begin - declaratie.declaratie_begindatum
    toewijzingen = {nummer: dataclasses.replace(
        t, ingangsdatum=t.ingangsdatum + verschil,
        einddatum=None if t.einddatum is None else t.einddatum + verschil)
        for nummer, t in context.toewijzingen.items()}
    bericht = _verschoven(declaratie, "VERSCHOVEN", begin)
    for backend in BACKENDS:
        b = beoordeel(_regelboek(), bericht, Context(toewijzingen=toewijzingen),
                      GeheugenHistorie(), backend)
        assert _goedgekeurd(b) == [], backend
        for u in b.uitkomsten:
            assert LOOPTIJD_REGEL in {r.regel for r in u.redenen} or u.retourcodes == (
                "0233",)


# ---------------------------------------------------------------- the command line


def test_controleer_voorbeeld_2022_drie_keer(tmp_path: Path) -> None:
    declaratie, _ = _voorbeeld()
    paden = []
    for i in range(3):
        pad = tmp_path / f"oud{i}.xml"
        pad.write_bytes(schrijf_jw323(_verschoven(declaratie, f"OUD{i}", date(2022, 12, 1))))
        paden.append(pad)
    uit = tmp_path / "uit"
    klaar = subprocess.run(
        [sys.executable, "-m", "cli.main", "controleer", "--contract", REGIO, "--toewijzingen",
         VOORBEELD / "JW301", "--uitvoer", uit, *paden],
        capture_output=True, text=True, cwd=REPO, timeout=300)
    assert klaar.returncode == 0, klaar.stderr
    for i in range(3):
        uitleg = json.loads((uit / f"oud{i}.uitleg.json").read_text(encoding="utf-8"))
        assert [p["status"] for p in uitleg["prestaties"]] == ["afgewezen"] * len(
            declaratie.prestaties)
        assert all("0611" in p["retourcodes"] for p in uitleg["prestaties"])
