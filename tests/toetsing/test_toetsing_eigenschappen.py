"""Property tests of the standard rule files against independent arithmetic (DOMEIN §6)."""

from __future__ import annotations

from datetime import date, time
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import ir
from engine.beoordeling import beoordeel
from engine.historie import GeheugenHistorie
from engine.model import Context, Declaratie, Prestatie, Toewijzing

UURTARIEF = 7645  # 45A48 in 2025, both regions
MAART = (date(2025, 3, 1), date(2025, 3, 31))

CONTRACTEN = Path(__file__).resolve().parents[2] / "contracten"


def _toewijzing(volume: int) -> Toewijzing:
    return Toewijzing(
        "T1",
        "999900006",
        "0384",
        "12345678",
        "45",
        "45A48",
        date(2025, 1, 1),
        time(0),
        date(2025, 1, 1),
        date(2025, 12, 31),
        volume,
        "04",
        "4",
        None,
        None,
    )


def _minuten(minuten: list[int], bedragen: list[int]) -> Declaratie:
    prestaties = tuple(
        Prestatie(
            i,
            "999900006",
            f"R{i}",
            None,
            "T1",
            "45",
            "45A48",
            *MAART,
            m,
            "01",
            round(Fraction(UURTARIEF, 60)),
            b,
            "D",
        )
        for i, (m, b) in enumerate(zip(minuten, bedragen, strict=True))
    )
    return Declaratie(
        "12345678",
        "0384",
        "B1",
        date(2025, 4, 5),
        "D1",
        *MAART,
        date(2025, 4, 5),
        sum(bedragen),
        prestaties,
    )


def _half_omhoog(waarde: Fraction) -> int:
    return int(waarde + Fraction(1, 2))


def _uren(minuten: int) -> int:
    heel, rest = divmod(minuten, 60)
    return max(1, heel + (1 if rest >= 30 else 0))


def _codes(regelboek: ir.Regelboek, declaratie: Declaratie, volume: int) -> list[set[str]]:
    context = Context({"T1": _toewijzing(volume)})
    uitkomst = beoordeel(regelboek, declaratie, context, GeheugenHistorie())
    return [set(u.retourcodes) for u in uitkomst.uitkomsten]


@pytest.fixture(scope="module")
def regelboek(amstelland: ir.Regelboek) -> ir.Regelboek:
    return amstelland


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(minuten=st.integers(min_value=1, max_value=3000), afwijking=st.sampled_from([0, 0, -1, 1]))
def test_minutenbedrag_is_het_onafgeronde_uurtarief(
    regelboek: ir.Regelboek, minuten: int, afwijking: int
) -> None:
    juist = _half_omhoog(Fraction(UURTARIEF * minuten, 60))
    [codes] = _codes(regelboek, _minuten([minuten], [juist + afwijking]), volume=100)
    assert ("9346" in codes) == (afwijking != 0)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    minuten=st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=4),
    volume=st.integers(min_value=1, max_value=20),
)
def test_urenafronding_eerst_optellen_dan_afronden(
    regelboek: ir.Regelboek, minuten: list[int], volume: int
) -> None:
    bedragen = [_half_omhoog(Fraction(UURTARIEF * m, 60)) for m in minuten]
    codes = _codes(regelboek, _minuten(minuten, bedragen), volume)
    te_veel = _uren(sum(minuten)) > volume
    assert all(("9321" in c) == te_veel for c in codes), (sum(minuten), volume, codes)
