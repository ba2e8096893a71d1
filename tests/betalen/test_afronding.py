"""The named roundings: golden values from the issue's definitions, and properties for any
amount (terms sum to the year amount, splits add up to the cent)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from betalen.afronding import half_omhoog, termijnen, verdeel


@pytest.mark.parametrize(("exact", "centen"), [
    (Fraction(5, 2), 3), (Fraction(3, 2), 2), (Fraction(249, 100), 2), (Fraction(-5, 2), -3),
    (Fraction(-249, 100), -2), (0, 0), (Fraction(1, 3), 0), (Fraction(2, 3), 1),
])
def test_half_omhoog(exact: Fraction, centen: int) -> None:
    assert half_omhoog(exact) == centen


def test_twaalf_termijnen_rest_naar_december() -> None:
    assert termijnen(100, 12) == [8] * 11 + [12]


def test_dertien_termijnen_mei_dubbel() -> None:
    # 1000 / 13 = 76 per unit (rest 12): May two units, December 76 + 12
    assert termijnen(1000, 13) == [76, 76, 76, 76, 152, 76, 76, 76, 76, 76, 76, 88]


def test_termijnen_vanaf_een_maand() -> None:
    assert termijnen(1000, 13, vanaf_maand=6) == [0] * 5 + [142] * 6 + [148]


def test_negatief_jaarbedrag_is_een_fout() -> None:
    with pytest.raises(ValueError, match="negatief"):
        termijnen(-1, 12)


def test_verdeel_grootste_rest_gelijk_naar_lagere_code() -> None:
    # 100 over three equal weights: 33 each, one cent left: ties go to the lower code
    assert verdeel(100, {"0193": 1, "0148": 1, "0160": 1}) == {"0148": 34, "0160": 33,
                                                              "0193": 33}


def test_verdeel_grootste_rest_eerst() -> None:
    # 10 by 1:2:4 = 1.43, 2.86, 5.71: floors 1, 2, 5 (8); rests .43 .86 .71 -> 2nd and 3rd
    assert verdeel(10, {"a": 1, "b": 2, "c": 4}) == {"a": 1, "b": 3, "c": 6}


def test_verdeel_negatief_bedrag_gespiegeld() -> None:
    assert verdeel(-100, {"x": 1, "y": 2}) == {"x": -33, "y": -67}


def test_verdeel_zonder_gewicht_is_een_fout() -> None:
    with pytest.raises(ValueError, match="alle gewichten zijn 0"):
        verdeel(5, {"a": 0})
    assert verdeel(0, {"a": 0}) == {"a": 0}


@given(st.integers(0, 10**12), st.sampled_from([12, 13]), st.integers(1, 12))
def test_termijnen_tellen_op_tot_het_jaarbedrag(bedrag: int, aantal: int, vanaf: int) -> None:
    uit = termijnen(bedrag, aantal, vanaf)
    assert len(uit) == 12
    assert sum(uit) == bedrag
    assert all(t >= 0 for t in uit)
    assert all(t == 0 for t in uit[:vanaf - 1])


@given(st.integers(-10**12, 10**12),
       st.dictionaries(st.from_regex(r"\d{4}", fullmatch=True), st.integers(-10**6, 10**9),
                       min_size=1, max_size=12).filter(lambda g: sum(g.values()) != 0))
def test_verdeling_telt_op_tot_op_de_cent(bedrag: int, gewichten: dict[str, int]) -> None:
    delen = verdeel(bedrag, gewichten)
    assert sum(delen.values()) == bedrag
    totaal = sum(gewichten.values())
    for code, deel in delen.items():
        # every part within one cent of its exact share
        assert abs(Fraction(deel) - Fraction(bedrag * gewichten[code], totaal)) < 1
