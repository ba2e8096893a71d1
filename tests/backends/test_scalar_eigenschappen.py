"""Properties of the reference evaluator's arithmetic, against plain Fraction math."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from dsl.irtypen import getypt
from engine import ir
from engine.backends.basis.referentie import Omgeving, evalueer

LEEG = ir.Regelboek("leeg", None, (), (), {}, {}, (), (), (), "leeg", ())

breuken = st.fractions(min_value=-10**6, max_value=10**6, max_denominator=10**4)
stappen = st.fractions(min_value=Fraction(1, 100), max_value=1000, max_denominator=100)
leeg_of_breuk = st.none() | breuken


def _evalueer(expr: ir.Expr) -> ir.Waarde:
    return evalueer(expr, {}, Omgeving(getypt(LEEG, expr)))


def c(waarde: ir.Waarde) -> ir.Constante:
    return ir.Constante(waarde, ir.GETAL)


def rond(waarde: Fraction, modus: ir.Afrondingsmodus, stap: Fraction) -> ir.Waarde:
    return _evalueer(ir.Afronding(c(waarde), modus, stap))


@given(breuken, stappen)
def test_afronden_geeft_een_veelvoud_van_de_stap_in_de_juiste_richting(
    waarde: Fraction, stap: Fraction
) -> None:
    beneden = Fraction(rond(waarde, "naar_beneden", stap))  # type: ignore[arg-type]
    boven = Fraction(rond(waarde, "naar_boven", stap))  # type: ignore[arg-type]
    rekenkundig = Fraction(rond(waarde, "rekenkundig", stap))  # type: ignore[arg-type]
    for uitkomst in (beneden, boven, rekenkundig):
        assert (uitkomst / stap).denominator == 1
    assert beneden <= waarde < beneden + stap
    assert boven - stap < waarde <= boven
    assert abs(rekenkundig - waarde) <= stap / 2
    if abs(rekenkundig - waarde) == stap / 2:
        assert abs(rekenkundig) > abs(waarde)  # half away from zero


@given(breuken, stappen)
def test_rekenkundig_is_symmetrisch_en_geheel_is_int(waarde: Fraction, stap: Fraction) -> None:
    plus = rond(waarde, "rekenkundig", stap)
    min_ = rond(-waarde, "rekenkundig", stap)
    assert plus == -min_  # type: ignore[operator]
    assert isinstance(plus, int) == (Fraction(plus).denominator == 1)  # type: ignore[arg-type]
    assert rond(waarde, "naar_beneden", Fraction(1)) == math.floor(waarde)
    assert rond(waarde, "naar_boven", Fraction(1)) == math.ceil(waarde)


@given(leeg_of_breuk, leeg_of_breuk, st.sampled_from(["+", "-", "*", "/"]))
def test_rekensom_is_fraction_rekenen_en_leeg_blijft_leeg(
    a: Fraction | None, b: Fraction | None, op: ir.Rekenteken
) -> None:
    uitkomst = _evalueer(ir.Rekensom(op, c(a), c(b)))
    if a is None or b is None or (op == "/" and b == 0):
        assert uitkomst is None
        return
    verwacht = {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else None}[op]
    assert uitkomst == verwacht
    assert not isinstance(uitkomst, float)
    assert isinstance(uitkomst, int) == (Fraction(verwacht).denominator == 1)  # type: ignore[arg-type]


@given(leeg_of_breuk, leeg_of_breuk, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
def test_vergelijking_met_leeg_is_onwaar(
    a: Fraction | None, b: Fraction | None, op: ir.Vergelijkingsteken
) -> None:
    uitkomst = _evalueer(ir.Vergelijking(op, c(a), c(b)))
    if a is None or b is None:
        assert uitkomst is False
    else:
        verwacht = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b,
                    "!=": a != b}[op]
        assert uitkomst is verwacht
