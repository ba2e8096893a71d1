"""`beoordeel_banen`: several lanes (gemeenten) whose rounds go to the backend together
must give per lane exactly what `beoordeel_reeks` on that lane alone gives, also when the
same ToewijzingNummer, ReferentieNummer and DeclaratieNummer occur in several lanes with
other content, other allocations and another history."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine.beoordeling.pipeline as pipeline
from engine import ir
from engine.beoordeling import Baan, beoordeel_banen, beoordeel_reeks
from engine.historie import GeheugenHistorie
from engine.model import DeclaratieBeoordeling

_REGIO = Path(__file__).resolve().parents[2] / "contracten" / "amstelland"
pytestmark = pytest.mark.skipif(not (_REGIO / "contract.regels").is_file(),
                                reason="regio ontbreekt")


@functools.cache
def _regelboek() -> ir.Regelboek:
    from dsl.loader import laad_contract

    return laad_contract(_REGIO)


@functools.cache
def _maand(seed: int, regels: int, creditaandeel: float) -> Any:
    """A month of one gemeente, numbered like the month of seed 1 (`_gelijk_genummerd`),
    so lanes of different seeds collide on their numbers."""
    maand = _gegenereerd(seed, regels, creditaandeel)
    return maand if seed == 1 else _gelijk_genummerd(maand, _gegenereerd(1, 1500, 0.4))


@functools.cache
def _gegenereerd(seed: int, regels: int, creditaandeel: float) -> Any:
    from proefdata import genereer_regiomaand, lees_tarieven

    gemeente = _regelboek().gemeenten[seed % len(_regelboek().gemeenten)]
    return genereer_regiomaand(seed, regels, tarieven=lees_tarieven(_REGIO / "tarieven.csv"),
                               gemeenten=[gemeente], aanbieders=2, foutaandeel=0.3,
                               creditaandeel=creditaandeel)


_SOORTEN = ("aanbieder", "toewijzingnummer", "referentienummer", "declaratienummer")


def _waarden(maand: Any, soort: str) -> list[str]:
    objecten = [*maand.toewijzingen, *maand.afwezigheden, *maand.declaraties,
                *(p for d in maand.declaraties for p in d.prestaties)]
    waarden = {getattr(o, soort, None) for o in objecten}
    if soort == "referentienummer":
        waarden |= {p.vorig_referentienummer for d in maand.declaraties for p in d.prestaties}
    return sorted(w for w in waarden if w is not None)


def _gelijk_genummerd(maand: Any, voorbeeld: Any) -> Any:
    """`maand` with its providers, allocation numbers, ReferentieNummers and
    DeclaratieNummers renamed, in sorted order, to those of `voorbeeld` (one to one, so
    the month stays itself apart from the names)."""
    namen: dict[str, dict[str, str]] = {}
    for soort in _SOORTEN:
        eigen, doel = _waarden(maand, soort), _waarden(voorbeeld, soort)
        vrij = [w for w in eigen if w not in doel]
        doel = doel + vrij  # more values than the example has: the own, where free
        namen[soort] = dict(zip(eigen, doel + [w + "9" for w in eigen], strict=False))

    def hernoem(o: Any, **extra: Any) -> Any:
        velden = {s: namen[s][getattr(o, s)] for s in _SOORTEN
                  if getattr(o, s, None) is not None}
        if getattr(o, "vorig_referentienummer", None) is not None:
            velden["vorig_referentienummer"] = namen["referentienummer"][
                o.vorig_referentienummer]
        return dataclasses.replace(o, **velden, **extra)

    return dataclasses.replace(
        maand, toewijzingen=[hernoem(t) for t in maand.toewijzingen],
        afwezigheden=[hernoem(a) for a in maand.afwezigheden],
        declaraties=[hernoem(d, prestaties=tuple(hernoem(p) for p in d.prestaties))
                     for d in maand.declaraties])


def _sleutel(b: DeclaratieBeoordeling) -> tuple[Any, ...]:
    return (b.declaratie, b.retourcodes, b.redenen, b.client_retourcodes, tuple(b.uitkomsten),
            b.signalen, b.totaal_toegekend, b.ontvangstbewijs, b.technische_fout)


def _per_baan(maanden: list[Any], backend: str = "vectorized") -> list[list[tuple[Any, ...]]]:
    """The reference: every lane on its own, as the CLI did before lanes went together."""
    return [[_sleutel(b) for b in beoordeel_reeks(_regelboek(), m.declaraties, m.context(),
                                                  GeheugenHistorie(), backend)]
            for m in maanden]


def _samen(maanden: list[Any], backend: str = "vectorized") -> list[list[tuple[Any, ...]]]:
    banen = [Baan(m.declaraties, m.context(), GeheugenHistorie()) for m in maanden]
    return [[_sleutel(b) for b in lijst]
            for lijst in beoordeel_banen(_regelboek(), banen, backend)]


def _nummers(maand: Any) -> tuple[set[str], set[str], set[str]]:
    d = maand.declaraties
    return ({p.toewijzingnummer for x in d for p in x.prestaties},
            {p.referentienummer for x in d for p in x.prestaties},
            {x.declaratienummer for x in d})


def _botsen(maanden: list[Any]) -> None:
    """The lanes share numbers of every kind (else the test proves nothing)."""
    for soort in range(3):
        gedeeld = set.intersection(*(_nummers(m)[soort] for m in maanden))
        assert gedeeld, f"geen gedeelde nummers van soort {soort}"


@pytest.mark.parametrize("prestaties_per_blok", [400, 1_000_000])
def test_banen_samen_als_elk_apart(prestaties_per_blok: int, monkeypatch: pytest.MonkeyPatch
                                   ) -> None:
    """Lanes of different sizes (with small blocks: a different number of blocks per lane,
    and each lane's history carried from block to block)."""
    maanden = [_maand(1, 1500, 0.4), _maand(2, 900, 0.2), _maand(3, 300, 0.5)]
    _botsen(maanden)
    monkeypatch.setattr(pipeline, "PRESTATIES_PER_BLOK", prestaties_per_blok)
    assert _samen(maanden) == _per_baan(maanden)


def test_dezelfde_berichten_in_twee_banen() -> None:
    """One lane's messages and allocations again in another gemeente, next to a third lane
    with other allocations: the numbers collide on everything. Each lane sees its own
    allocations and history only, so the copy is assessed exactly as the original; in one
    lane together the copy's messages would be repeats (so lanes are really kept apart)."""
    eigen, ander = _maand(4, 900, 0.3), _maand(5, 900, 0.3)
    gemeente = ander.declaraties[0].gemeente
    kopie = dataclasses.replace(eigen, declaraties=[
        dataclasses.replace(d, gemeente=gemeente) for d in eigen.declaraties])
    maanden = [eigen, kopie, ander]
    _botsen(maanden)
    samen = _samen(maanden)
    assert samen == _per_baan(maanden)
    assert [s[1:] for s in samen[0]] == [s[1:] for s in samen[1]]
    een_baan = [_sleutel(b)[1:] for b in beoordeel_reeks(
        _regelboek(), [*eigen.declaraties, *kopie.declaraties], eigen.context(),
        GeheugenHistorie())]
    assert een_baan[len(samen[0]):] != [s[1:] for s in samen[1]]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seeds=st.lists(st.integers(0, 40), min_size=1, max_size=4),
       creditaandeel=st.sampled_from([0.0, 0.3, 0.6]))
def test_banen_eigenschap(seeds: list[int], creditaandeel: float) -> None:
    maanden = [_maand(seed, 250, creditaandeel) for seed in seeds]
    assert _samen(maanden) == _per_baan(maanden)


def test_rete_per_baan() -> None:
    """A backend of one message per werkset (rete) takes the lanes one after the other."""
    maanden = [_maand(6, 120, 0.3), _maand(7, 120, 0.3)]
    assert _samen(maanden, "rete") == _per_baan(maanden, "rete")
