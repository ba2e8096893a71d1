"""IR expressions written back as readable Dutch, for the rendering of a contract.

Every phrase comes from the vocabulary `engine.woorden` (the one the rule language reads):
a built-in function without a phrase cannot exist there, so none shows as `naam(...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine import ir
from engine import woorden as taal
from engine.velden import GROEPEN, PER_KOLOM
from engine.waarden import toon_waarde


def tekst(expr: ir.Expr | None) -> str:
    """The expression as a Dutch phrase (parenthesised where the structure needs it)."""
    if expr is None:
        return ""
    for soort, schrijver in _SCHRIJVERS:
        if isinstance(expr, soort):
            return schrijver(expr)
    return type(expr).__name__


def _veld(expr: ir.Veld) -> str:
    veld = PER_KOLOM.get(expr.naam)
    return f"de {veld.namen[0]}" if veld else expr.naam


def _constante(expr: ir.Constante) -> str:
    if isinstance(expr.waarde, str):
        return f'"{expr.waarde}"'
    return toon_waarde(expr.waarde, expr.type)


def _deel(expr: ir.Expr) -> str:
    samengesteld = isinstance(expr, ir.Rekensom | ir.En | ir.Of | ir.Als)
    return f"({tekst(expr)})" if samengesteld else tekst(expr)


def _aggregaat(expr: ir.Aggregaat) -> str:
    naam = {kolommen: naam for naam, kolommen in GROEPEN.items()}.get(expr.groep, "")
    groep = taal.GROEPEN.get(naam, "")
    kop = (
        taal.AGGREGATEN["aantal"]
        if expr.functie == "aantal"
        else f"{taal.AGGREGATEN[expr.functie]} {tekst(expr.expr)} {taal.OVER_PRESTATIES}"
    )
    delen = [kop, groep, taal.PERIODE_GROEPEN.get(expr.periode, "")]
    if expr.filter is not None:
        delen.append(f"waarvoor {tekst(expr.filter)}")
    return " ".join(d for d in delen if d)


def _opzoeking(expr: ir.Opzoeking) -> str:
    sleutels = " en ".join(f"{k} {tekst(v)}" for k, v in expr.sleutels)
    return f"de {expr.kolom} uit tabel {expr.tabel} bij {sleutels}"


def _niet(expr: ir.Niet) -> str:
    binnen = expr.expr
    if isinstance(binnen, ir.Functie) and binnen.naam in taal.NIET_ZINNEN:
        return taal.NIET_ZINNEN[binnen.naam].format(tekst(binnen.args[0]))
    return f"niet {_deel(binnen)}"


def _functie(expr: ir.Functie) -> str:
    zin = taal.FUNCTIEZINNEN[expr.naam].zin
    return zin.format(*[tekst(a) for a in expr.args], *[""] * 4)


_SCHRIJVERS: tuple[tuple[type, Callable[[Any], str]], ...] = ()


def _schrijvers() -> tuple[tuple[type, Callable[[Any], str]], ...]:
    return (
        (ir.Constante, _constante),
        (ir.Veld, _veld),
        (ir.Parameter, lambda e: f"de {e.naam}"),
        (ir.Verwijzing, lambda e: f"de {e.naam}"),
        (ir.Rekensom, lambda e: f"{_deel(e.links)} {taal.REKENWOORDEN[e.op]} {_deel(e.rechts)}"),
        (ir.Afronding, lambda e: f"{_deel(e.expr)} afgerond {taal.AFRONDINGEN[e.modus]}"),
        (ir.Vergelijking,
         lambda e: f"{tekst(e.links)} {taal.VERGELIJKING_ZIN[e.op]} {tekst(e.rechts)}"),
        (
            ir.InLijst,
            lambda e: (
                f"{tekst(e.expr)} {taal.LIJST_FRASE[e.negatief]} "
                + ", ".join(tekst(w) for w in e.waarden)
            ),
        ),
        (ir.En, lambda e: " en ".join(_deel(d) for d in e.delen)),
        (ir.Of, lambda e: " of ".join(_deel(d) for d in e.delen)),
        (ir.Niet, _niet),
        (
            ir.Als,
            lambda e: f"{_deel(e.dan)} indien {tekst(e.voorwaarde)}, anders {tekst(e.anders)}",
        ),
        (ir.Functie, _functie),
        (ir.Opzoeking, _opzoeking),
        (ir.Aggregaat, _aggregaat),
    )


_SCHRIJVERS = _schrijvers()
