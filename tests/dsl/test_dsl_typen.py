"""The compiled rule book carries the checker's types (`ir.Regelboek.typen`): every
expression in it, down to the leaves, has one, so no backend has to work one out; and the
types agree with what the checker says of the rule text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import pytest

from dsl.irtypen import getypt
from dsl.loader import laad_contract, laad_standaard
from engine import ir
from engine.verplicht import aangevuld

REPO = Path(__file__).parents[2]
VOORBEELD = Path(__file__).parent / "voorbeeld"
_EXPRESSIES = tuple(t for t in ir.Expr.__args__)  # type: ignore[attr-defined]


def _boeken() -> list[ir.Regelboek]:
    return [laad_standaard(), laad_contract(REPO / "contracten" / "amstelland"),
            laad_contract(REPO / "contracten" / "ijsselland"),
            laad_contract(VOORBEELD / "contracten" / "proef", VOORBEELD / "regels")]


def _alle(waarde: object) -> Iterator[ir.Expr]:
    """Every expression in an IR value, its sub-expressions included."""
    if isinstance(waarde, tuple):
        for deel in waarde:
            yield from _alle(deel)
    elif isinstance(waarde, _EXPRESSIES):
        yield waarde  # type: ignore[misc]
        for veld in fields(waarde):  # type: ignore[arg-type]
            yield from _alle(getattr(waarde, veld.name))


def _expressies(boek: ir.Regelboek) -> Iterator[ir.Expr]:
    for berekening in (*boek.berekeningen, *boek.periodeberekeningen):
        yield from _alle(berekening.expr)
    for regel in (*boek.regels, *boek.perioderegels):
        yield from _alle((regel.voorwaarde, regel.filter, regel.waarden, regel.dekking))


@pytest.mark.parametrize("boek", _boeken(), ids=lambda b: b.naam)
def test_elke_expressie_heeft_een_type(boek: ir.Regelboek) -> None:
    boek = aangevuld(boek)
    for expr in _expressies(boek):
        boek.type(expr)  # raises KeyError when the compiler wrote none


@pytest.mark.parametrize("boek", [b for b in _boeken() if b.regio is not None],
                         ids=lambda b: b.naam)
def test_de_typen_van_de_checker_op_ir_zijn_die_van_de_compiler(boek: ir.Regelboek) -> None:
    """dsl.irtypen (for rule books built by hand) gives what the compiler wrote (for a book
    with its tables: the standard alone knows the columns of 'tarieven' only by name)."""
    opnieuw = getypt(ir.Regelboek(
        boek.naam, boek.regio, boek.gemeenten, boek.artikelen, boek.parameters, boek.tabellen,
        boek.berekeningen, boek.regels, boek.wijzigingen, boek.hash, boek.bestanden,
        perioderegels=boek.perioderegels, periodeberekeningen=boek.periodeberekeningen))
    assert dict(opnieuw.typen) == dict(boek.typen)


def test_een_regelboek_uit_de_hand_zonder_typen_zegt_waar_het_type_ontbreekt() -> None:
    boek = ir.Regelboek("hand", None, (), (), {}, {}, (), (), (), "hand", ())
    with pytest.raises(KeyError, match=r"dsl\.irtypen\.getypt"):
        boek.type(ir.Veld("begindatum"))
    assert getypt(boek, ir.Veld("begindatum")).type(ir.Veld("begindatum")) == ir.DATUM
