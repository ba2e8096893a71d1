"""The payment models: golden schedules and the issue's properties for any estimates."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from betalen.modellen import Raming, eenmalig_voorschot, functie, populatie, voorschot

NEGENTIG = Fraction(9, 10)


def _raming(bedrag: int, vanaf: date) -> Raming:
    return Raming("12345678", "0363", 2026, bedrag, vanaf)


def test_voorschot_negentig_procent_in_dertien_termijnen() -> None:
    # 90 % of 1,300,000.00 = 1,170,000.00; /13 = 90,000.00 per unit, May twice
    v = voorschot([_raming(130_000_000, date(2026, 1, 1))], 2026, NEGENTIG, 13)
    assert v.termijnen == (9_000_000,) * 4 + (18_000_000,) + (9_000_000,) * 7
    assert v.totaal == 117_000_000


def test_herschikking_verandert_alleen_de_resterende_termijnen() -> None:
    rijen = [_raming(120_000_000, date(2025, 11, 1)), _raming(180_000_000, date(2026, 7, 1))]
    v = voorschot(rijen, 2026, NEGENTIG, 12)
    # 6 terms of 9,000.00 paid (54,000.00); new total 162,000.00: 108,000.00 over 6 months
    assert v.termijnen == (9_000_000,) * 6 + (18_000_000,) * 6
    assert v.totaal == 162_000_000
    assert [s.maand for s in v.stappen] == [1, 7]


def test_herschikking_naar_beneden_onder_het_betaalde_maakt_geen_negatieve_termijn() -> None:
    rijen = [_raming(120_000_000, date(2026, 1, 1)), _raming(10_000_000, date(2026, 10, 1))]
    v = voorschot(rijen, 2026, NEGENTIG, 12)
    assert v.termijnen == (9_000_000,) * 9 + (0,) * 3
    assert v.totaal == 81_000_000


def test_eenmalig_voorschot_twee_maanden_van_de_raming_op_1_januari() -> None:
    rijen = [_raming(1_200_001, date(2025, 12, 1)), _raming(99, date(2026, 3, 1))]
    assert eenmalig_voorschot(rijen, 2026, 2) == 200_000  # 200,000.17 half up
    assert eenmalig_voorschot([_raming(5, date(2026, 2, 1))], 2026, 2) == 0


def test_functie_met_inhouding() -> None:
    f = functie(1_200_000, 12, Fraction(1, 10))
    assert f.ingehouden == 120_000
    assert sum(f.termijnen) == 1_080_000


def test_populatie_per_inwoner() -> None:
    # € 0,125 per inhabitant times 1001 = 125.125 cents -> 125
    assert sum(populatie(Fraction(1, 8), 1001, 12)) == 125


_MAAND = st.integers(1, 12).map(lambda m: date(2026, m, 1))


@given(st.lists(st.tuples(st.integers(0, 10**11), st.one_of(_MAAND, st.just(date(2025, 6, 1)))),
                min_size=1, max_size=6, unique_by=lambda t: t[1]),
       st.sampled_from([Fraction(4, 5), NEGENTIG, Fraction(1)]), st.sampled_from([12, 13]))
def test_herschikking_nooit_negatief_en_totaal_is_percentage_of_betaald(
        rijen: list[tuple[int, date]], pct: Fraction, aantal: int) -> None:
    ramingen = [_raming(b, d) for b, d in rijen]
    v = voorschot(ramingen, 2026, pct, aantal)
    assert all(t >= 0 for t in v.termijnen)
    laatste = v.stappen[-1]
    assert v.totaal == max(laatste.doel, laatste.al_betaald)
    assert sum(v.termijnen[:laatste.maand - 1]) == laatste.al_betaald


@given(st.integers(0, 10**11), st.sampled_from([12, 13]), st.fractions(0, 1))
def test_functie_telt_op(bedrag: int, aantal: int, inhouding: Fraction) -> None:
    f = functie(bedrag, aantal, inhouding)
    assert sum(f.termijnen) + f.ingehouden == bedrag
