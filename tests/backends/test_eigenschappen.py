"""Random conditions (comparisons, arithmetic with fractions and rounding, empty values,
three-valued logic, membership) on random rows: every registered backend fires exactly where
the reference evaluator says the condition is true."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rete_boek import regel, rij, werkset

from dsl.irtypen import getypt
from engine import ir
from engine.backends.basis import Backend
from engine.backends.scalar.backend import ScalarBackend

GETALVELDEN = ("geleverd_volume", "producttarief", "ingediend_bedrag", "toewijzing_volume")
DATUMVELDEN = ("einddatum", "toewijzing_einddatum")
OPS: tuple[ir.Vergelijkingsteken, ...] = ("<", "<=", ">", ">=", "==", "!=")
EENHEDEN = ("01", "04", "83")

getal_veld = st.sampled_from(GETALVELDEN).map(ir.Veld)
getal_constante = st.one_of(
    st.integers(-6, 6), st.fractions(-6, 6, max_denominator=4)
).map(lambda w: ir.Constante(w, ir.GETAL))


def _rekensommen(binnen: st.SearchStrategy[ir.Expr]) -> st.SearchStrategy[ir.Expr]:
    som = st.builds(ir.Rekensom, st.sampled_from(["+", "-", "*", "/"]), binnen, binnen)
    afronding = st.builds(ir.Afronding, binnen,
                          st.sampled_from(["naar_boven", "naar_beneden", "rekenkundig"]),
                          st.sampled_from([Fraction(1), Fraction(2), Fraction(1, 2)]))
    kleinste = st.builds(lambda a, b: ir.Functie("kleinste", (a, b)), binnen, binnen)
    return st.one_of(som, afronding, kleinste)


getallen = st.recursive(st.one_of(getal_veld, getal_constante), _rekensommen, max_leaves=4)


def _atomen() -> st.SearchStrategy[ir.Expr]:
    vergelijking = st.builds(ir.Vergelijking, st.sampled_from(OPS), getallen, getallen)
    datums = st.builds(ir.Vergelijking, st.sampled_from(OPS),
                       st.sampled_from(DATUMVELDEN).map(ir.Veld),
                       st.sampled_from(DATUMVELDEN).map(ir.Veld))
    eenheid = st.builds(ir.Vergelijking, st.sampled_from(["==", "!="]),
                        st.just(ir.Veld("eenheid")),
                        st.sampled_from(EENHEDEN).map(lambda e: ir.Constante(e, ir.TEKST)))
    lijst = st.builds(
        ir.InLijst, st.just(ir.Veld("eenheid")),
        st.lists(st.sampled_from(EENHEDEN).map(lambda e: ir.Constante(e, ir.TEKST)),
                 min_size=1, max_size=2).map(tuple),
        st.booleans())
    bekend = getallen.map(lambda e: ir.Functie("bekend", (e,)))
    return st.one_of(vergelijking, datums, eenheid, lijst, bekend,
                     st.just(ir.Veld("is_credit")))


def _logica(binnen: st.SearchStrategy[ir.Expr]) -> st.SearchStrategy[ir.Expr]:
    delen = st.lists(binnen, min_size=2, max_size=3).map(tuple)
    return st.one_of(binnen.map(ir.Niet), delen.map(ir.En), delen.map(ir.Of))


condities = st.recursive(_atomen(), _logica, max_leaves=5)

leeg_of_getal = st.none() | st.integers(-5, 5)
leeg_of_datum = st.none() | st.integers(-2, 2).map(lambda d: date(2025, 10, 15) + timedelta(d))
rijen = st.lists(
    st.fixed_dictionaries({
        **{veld: leeg_of_getal for veld in GETALVELDEN},
        "einddatum": leeg_of_datum, "toewijzing_einddatum": leeg_of_datum,
        "eenheid": st.none() | st.sampled_from(EENHEDEN), "is_credit": st.booleans(),
    }), min_size=1, max_size=4,
)

_teller = iter(range(10**9))


def _boek(conditie: ir.Expr) -> ir.Regelboek:
    return getypt(ir.Regelboek("eigenschap", None, (), (), {}, {}, (), (
        regel("c", None, conditie, filter_=None),), (), f"eigenschap-{next(_teller)}", ()))


def _rijen(waarden: list[dict[str, Any]]) -> Any:
    return werkset([rij(bsn=f"b{i % 2}", **w) for i, w in enumerate(waarden)])


def _gevuurd(backend: Any, boek: ir.Regelboek, ws: Any) -> list[int]:
    return sorted(t.rij for t in backend.evalueer(boek, ws))


INSTELLINGEN = settings(max_examples=120, deadline=None,
                        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@INSTELLINGEN
@given(condities, rijen)
def test_vuurt_waar_de_referentie_waar_zegt(backend: Backend, conditie: ir.Expr,
                                            waarden: list[dict[str, Any]]) -> None:
    boek, ws = _boek(conditie), _rijen(waarden)
    assert _gevuurd(backend, boek, ws) == _gevuurd(ScalarBackend(), boek, ws)
