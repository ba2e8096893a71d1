"""Property tests for the integer-arithmetic fast paths of the vectorized backend: month
arithmetic (no date construction) and the elfproef (digits by division, not by slicing)
must agree with the scalar reference on any input."""

from __future__ import annotations

from datetime import date

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.backends.basis.functies import plus_maanden as plus_maanden_scalar
from engine.backends.vectorized.functies import elfproef, plus_maanden
from engine.bsn import elfproef as elfproef_scalar

DATUMS = st.dates(min_value=date(1600, 1, 1), max_value=date(9000, 12, 31))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(DATUMS, st.integers(-1200, 1200)), min_size=1, max_size=50))
def test_plus_maanden_gelijk_aan_scalar(paren: list[tuple[date, int]]) -> None:
    frame = pl.DataFrame(
        {"d": [d for d, _ in paren], "n": [n for _, n in paren]},
        schema={"d": pl.Date, "n": pl.Int64},
    )
    uitkomst = frame.select(plus_maanden(pl.col("d"), pl.col("n")))[:, 0].to_list()
    assert uitkomst == [plus_maanden_scalar(d, n) for d, n in paren]


def test_plus_maanden_einde_maand_en_leeg() -> None:
    frame = pl.DataFrame(
        {"d": [date(2024, 1, 31), date(2023, 1, 31), date(1900, 1, 31), None, date(2024, 5, 1)],
         "n": [1, 1, 1, 1, None]},
        schema={"d": pl.Date, "n": pl.Int64},
    )
    uitkomst = frame.select(plus_maanden(pl.col("d"), pl.col("n")))[:, 0].to_list()
    assert uitkomst == [date(2024, 2, 29), date(2023, 2, 28), date(1900, 2, 28), None, None]


BSNS = st.one_of(
    st.integers(0, 10**9 - 1).map(lambda n: f"{n:09d}"),
    st.text(alphabet="0123456789+- a٣", max_size=11),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), BSNS), min_size=1, max_size=50))
def test_elfproef_gelijk_aan_scalar(bsns: list[str | None]) -> None:
    frame = pl.DataFrame({"bsn": bsns}, schema={"bsn": pl.String})
    uitkomst = frame.select(elfproef(pl.col("bsn")))[:, 0].to_list()
    assert uitkomst == [None if b is None else elfproef_scalar(b) for b in bsns]
