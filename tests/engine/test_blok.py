"""The block pipeline (`beoordeel_reeks` with the vectorized backend): messages assessed in
rounds against a columnar history must give exactly what assessing them one by one gives,
whatever the block size and whatever the `Historie`; `Uitkomsten` behaves as the tuple it
stands for; bulk recording into `GeheugenHistorie` is recording message by message."""

from __future__ import annotations

import functools
import pickle
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from beoordeling_boek import REGELBOEK, context, declaratie, prestatie

import engine.beoordeling.pipeline as pipeline
from engine import ir
from engine.beoordeling import beoordeel, beoordeel_reeks
from engine.historie import GeheugenHistorie
from engine.model import (
    Declaratie,
    DeclaratieBeoordeling,
    EerdereDebet,
    Goedgekeurd,
    Uitkomsten,
    goedgekeurd_zonder_opmerking,
)

_REGIO = Path(__file__).resolve().parents[2] / "contracten" / "amstelland"
_ECHT = pytest.mark.skipif(not (_REGIO / "contract.regels").is_file(), reason="regio ontbreekt")


@functools.cache
def _regelboek() -> ir.Regelboek:
    from dsl.loader import laad_contract

    return laad_contract(_REGIO)


def _maand(seed: int, **kwargs: Any) -> Any:
    from proefdata import genereer_regiomaand, lees_tarieven

    return genereer_regiomaand(seed, 2500, tarieven=lees_tarieven(_REGIO / "tarieven.csv"),
                               gemeenten=_regelboek().gemeenten, **kwargs)


def _sleutel(b: DeclaratieBeoordeling) -> tuple[Any, ...]:
    return (b.retourcodes, b.redenen, b.client_retourcodes, tuple(b.uitkomsten), b.signalen,
            b.totaal_toegekend, b.ontvangstbewijs)


def _een_voor_een(maand: Any) -> list[DeclaratieBeoordeling]:
    historie = GeheugenHistorie()
    uit = []
    for d in maand.declaraties:
        uit.append(beoordeel(_regelboek(), d, maand.context(), historie))
        historie.registreer(uit[-1])
    return uit


class _Kaal:
    """Only the `Historie` protocol: no bulk methods, no bulk recording."""

    def __init__(self) -> None:
        self.historie = GeheugenHistorie()

    def bekende_referentienummers(self, aanbieder: str, nummers: Iterable[str]) -> set[str]:
        return self.historie.bekende_referentienummers(aanbieder, nummers)

    def declaratie_inhoud(self, aanbieder: str, declaratienummer: str) -> str | None:
        return self.historie.declaratie_inhoud(aanbieder, declaratienummer)

    def goedgekeurd_per_toewijzing(self, aanbieder: str, nummers: Iterable[str]
                                   ) -> dict[str, Goedgekeurd]:
        return self.historie.goedgekeurd_per_toewijzing(aanbieder, nummers)

    def debetten(self, aanbieder: str, nummers: Iterable[str]) -> dict[str, EerdereDebet]:
        return self.historie.debetten(aanbieder, nummers)

    def open_debetten(self, aanbieder: str, nummers: Iterable[str]) -> list[EerdereDebet]:
        return self.historie.open_debetten(aanbieder, nummers)

    def vorige_declaratieperiode(self, aanbieder: str, gemeente: str) -> date | None:
        return self.historie.vorige_declaratieperiode(aanbieder, gemeente)

    def registreer(self, b: DeclaratieBeoordeling) -> None:
        self.historie.registreer(b)


@_ECHT
@pytest.mark.parametrize(("seed", "kwargs"), [
    (3, {"creditaandeel": 0.4, "foutaandeel": 0.3, "aanbieders": 2}),
    (4, {"creditaandeel": 0.2, "aanbieders": 3}),
])
@pytest.mark.parametrize("prestaties_per_blok", [700, 1_000_000])
def test_rondes_geven_hetzelfde_als_een_voor_een(
    seed: int, kwargs: dict[str, Any], prestaties_per_blok: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few providers and many credits: long chains of messages that wait for each other,
    second passes, and (with small blocks) the history of earlier blocks read in bulk."""
    maand = _maand(seed, **kwargs)
    monkeypatch.setattr(pipeline, "PRESTATIES_PER_BLOK", prestaties_per_blok)
    samen = list(beoordeel_reeks(_regelboek(), maand.declaraties, maand.context(),
                                 GeheugenHistorie()))
    los = _een_voor_een(maand)
    assert [_sleutel(b) for b in samen] == [_sleutel(b) for b in los]


@_ECHT
def test_historie_met_alleen_het_protocol(monkeypatch: pytest.MonkeyPatch) -> None:
    maand = _maand(5, creditaandeel=0.3, aanbieders=3)
    monkeypatch.setattr(pipeline, "PRESTATIES_PER_BLOK", 900)
    kaal = list(beoordeel_reeks(_regelboek(), maand.declaraties, maand.context(),
                                _Kaal()))
    assert [_sleutel(b) for b in kaal] == [_sleutel(b) for b in _een_voor_een(maand)]


def test_bulk_registreren_is_bericht_voor_bericht() -> None:
    eerste = declaratie(prestatie(referentienummer="A"), prestatie(referentienummer="B"),
                        nummer="D1")
    tweede = declaratie(prestatie(referentienummer="C", vorig_referentienummer="A",
                                  debet_credit="C"), nummer="D2")
    historie = GeheugenHistorie()
    for d in (eerste, tweede):
        historie.registreer(beoordeel(REGELBOEK, d, context(), historie))
    bulk = GeheugenHistorie()
    statussen = [True, True, True]
    bulk.registreer_blok([eerste, tweede], statussen)
    assert bulk.bekende_aanbieders() == {"12345678"}
    for h in (historie, bulk):
        assert h.goedgekeurd_per_toewijzing("12345678", ["T1"]) == {"T1": Goedgekeurd(95, 12105)}
        assert h.debetten("12345678", ["A"])["A"].gecrediteerd
        assert [d.referentienummer for d in h.open_debetten("12345678", ["T1"])] == ["B"]
        assert h.bekende_referentienummers("12345678", ["A", "C", "X"]) == {"A", "C"}
        assert h.declaratie_inhoud("12345678", "D2") == tweede.inhoud_sleutel()


def test_opnieuw_goedgekeurd_nummer_vervangt_de_debet() -> None:
    """The latest approved debit with a number counts; the earlier one is no longer open
    (also when it was on another allocation)."""
    historie = GeheugenHistorie()
    historie.registreer_blok([
        declaratie(prestatie(referentienummer="A"), nummer="D1"),
        declaratie(prestatie(referentienummer="A", toewijzingnummer="T2"), nummer="D2"),
    ], [True, True])
    assert historie.open_debetten("12345678", ["T1"]) == []
    assert [d.toewijzingnummer for d in historie.open_debetten("12345678", ["T2"])] == ["T2"]


def test_credits_van_een_bericht_voor_de_debetten() -> None:
    """A message's approved credits clear debits of earlier messages, not its own."""
    historie = GeheugenHistorie()
    historie.registreer_blok([declaratie(prestatie(referentienummer="A"), nummer="D1")], [True])
    historie.registreer_blok([declaratie(
        prestatie(referentienummer="A", toewijzingnummer="T2"),
        prestatie(referentienummer="C", vorig_referentienummer="A", debet_credit="C"),
        nummer="D2")], [True, True])
    assert not historie.debetten("12345678", ["A"])["A"].gecrediteerd
    assert historie.open_debetten("12345678", ["T1"]) == []


# ---------------------------------------------------------------- Uitkomsten


def _afgewezen_en_goed() -> DeclaratieBeoordeling:
    d = declaratie(prestatie(), prestatie(producttarief=128), prestatie())
    return beoordeel(REGELBOEK, d, context(), GeheugenHistorie())


def test_uitkomsten_als_tuple() -> None:
    b = _afgewezen_en_goed()
    uitkomsten = b.uitkomsten
    assert isinstance(uitkomsten, Uitkomsten)
    alle = tuple(uitkomsten)
    assert len(uitkomsten) == 3 and uitkomsten == alle and alle == uitkomsten
    assert uitkomsten[-1] == alle[2] and uitkomsten[1:] == alle[1:]
    assert [u.status for u in uitkomsten] == ["goedgekeurd", "afgewezen", "goedgekeurd"]
    assert uitkomsten[0] == goedgekeurd_zonder_opmerking(b.declaratie.prestaties[0])
    assert pickle.loads(pickle.dumps(uitkomsten)) == alle
    assert uitkomsten != alle[:2] and uitkomsten != "abc"
    with pytest.raises(IndexError):
        uitkomsten[3]


def test_uitkomsten_voor_schrijvers() -> None:
    uitkomsten = _afgewezen_en_goed().uitkomsten
    assert isinstance(uitkomsten, Uitkomsten)
    assert uitkomsten.aantal_afgewezen == 1
    assert uitkomsten.bijzondere_rijen() == [1]
    assert [u.volgnummer for u in uitkomsten.afgewezen()] == [1]
    assert [u.retourcodes for u in uitkomsten.bijzondere()] == [("0611",)]
    assert [uitkomsten.is_bijzonder(i) for i in range(3)] == [False, True, False]


def test_bericht_zonder_regels_in_een_blok() -> None:
    leeg, vol = declaratie(nummer="D0"), declaratie(prestatie(), nummer="D1")
    for reeks in ([leeg], [leeg, vol], [vol, leeg]):
        uit = list(beoordeel_reeks(REGELBOEK, reeks, context(), GeheugenHistorie()))
        assert [(len(b.uitkomsten), b.totaal_toegekend) for b in uit] == [
            (len(d.prestaties), 12105 * len(d.prestaties)) for d in reeks]


def test_blokgrootte_uit_de_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests above patch `engine.beoordeling.pipeline.PRESTATIES_PER_BLOK`: that is the
    value `beoordeel_reeks` splits its input by."""
    gevraagd: list[int] = []
    echt = pipeline.blokken

    def blokken(declaraties: Iterable[Declaratie], prestaties: int) -> Iterator[list[Declaratie]]:
        gevraagd.append(prestaties)
        return echt(declaraties, prestaties)

    monkeypatch.setattr(pipeline, "blokken", blokken)
    monkeypatch.setattr(pipeline, "PRESTATIES_PER_BLOK", 7)
    list(beoordeel_reeks(REGELBOEK, [declaratie(prestatie())], context(), GeheugenHistorie()))
    assert gevraagd == [7]
