"""IR expressions written back as readable Dutch, for the rendering of a contract."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine import ir
from engine.velden import GROEPEN, PER_KOLOM
from engine.waarden import toon_waarde

_VERGELIJKING = {
    "<": "is kleiner dan",
    "<=": "is ten hoogste",
    ">": "is groter dan",
    ">=": "is ten minste",
    "==": "is gelijk aan",
    "!=": "is niet gelijk aan",
}
_REKEN = {"+": "plus", "-": "min", "*": "maal", "/": "gedeeld door"}
_AFRONDING = {
    "rekenkundig": "rekenkundig",
    "naar_boven": "naar boven",
    "naar_beneden": "naar beneden",
}
_GROEP = {
    "client": "van dezelfde client",
    "toewijzing": "van dezelfde toewijzing",
    "aanbieder": "van dezelfde aanbieder",
    "declaratie": "van dezelfde declaratie",
    "referentienummer": "met hetzelfde referentienummer",
}
_PERIODE = {
    "maand": "in dezelfde maand",
    "isoweek": "in dezelfde week",
    "kwartaal": "in hetzelfde kwartaal",
    "jaar": "in hetzelfde jaar",
    "geheel": "",
}
_FUNCTIE = {
    "dagen": "het aantal dagen van {0} tot en met {1}",
    "isoweken": "het aantal iso-weken van {0} tot en met {1}",
    "zondagen": "het aantal zondagen van {0} tot en met {1}",
    "maanden": "het aantal maanden van {0} tot en met {1}",
    "weekdag": "de weekdag van {0}",
    "maand": "de maand van {0}",
    "kwartaal": "het kwartaal van {0}",
    "jaar": "het jaar van {0}",
    "isoweek": "de isoweek van {0}",
    "eerste_dag_van_maand": "de eerste dag van de maand van {0}",
    "laatste_dag_van_maand": "de laatste dag van de maand van {0}",
    "plus_dagen": "{0} plus {1}",
    "plus_maanden": "{0} plus {1}",
    "vroegste": "de vroegste van {0} en {1}",
    "laatste": "de laatste van {0} en {1}",
    "kleinste": "de kleinste van {0} en {1}",
    "grootste": "de grootste van {0} en {1}",
    "bekend": "{0} is bekend",
    "elfproef": "{0} voldoet aan de elfproef",
    "begint_met": "{0} begint met {1}",
    "eerste_tekens": "de eerste {1} tekens van {0}",
    "afwezige_dagen": "het aantal afwezige dagen van {0} tot en met {1}",
    "vergoede_afwezige_dagen": "het aantal vergoede afwezige dagen van {0} tot en met {1} "
    "bij afwezigheid langer dan {2} tot ten hoogste {3}",
    "uren_uit_minuten": "{0} in hele uren",
    "centen": "{0}",
}


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
    groep = _GROEP.get(naam, "")
    kop = (
        "het aantal prestaties"
        if expr.functie == "aantal"
        else f"de {expr.functie} van {tekst(expr.expr)} over de prestaties"
    )
    delen = [kop, groep, _PERIODE[expr.periode]]
    if expr.filter is not None:
        delen.append(f"waarvoor {tekst(expr.filter)}")
    return " ".join(d for d in delen if d)


def _opzoeking(expr: ir.Opzoeking) -> str:
    sleutels = " en ".join(f"{k} {tekst(v)}" for k, v in expr.sleutels)
    return f"de {expr.kolom} uit tabel {expr.tabel} bij {sleutels}"


def _niet(expr: ir.Niet) -> str:
    binnen = expr.expr
    if isinstance(binnen, ir.Functie) and binnen.naam == "elfproef":
        return f"{tekst(binnen.args[0])} voldoet niet aan de elfproef"
    if isinstance(binnen, ir.Functie) and binnen.naam == "bekend":
        return f"{tekst(binnen.args[0])} is niet bekend"
    return f"niet {_deel(binnen)}"


_SCHRIJVERS: tuple[tuple[type, Callable[[Any], str]], ...] = ()


def _schrijvers() -> tuple[tuple[type, Callable[[Any], str]], ...]:
    return (
        (ir.Constante, _constante),
        (ir.Veld, _veld),
        (ir.Parameter, lambda e: f"de {e.naam}"),
        (ir.Verwijzing, lambda e: f"de {e.naam}"),
        (ir.Rekensom, lambda e: f"{_deel(e.links)} {_REKEN[e.op]} {_deel(e.rechts)}"),
        (ir.Afronding, lambda e: f"{_deel(e.expr)} afgerond {_AFRONDING[e.modus]}"),
        (ir.Vergelijking, lambda e: f"{tekst(e.links)} {_VERGELIJKING[e.op]} {tekst(e.rechts)}"),
        (
            ir.InLijst,
            lambda e: (
                f"{tekst(e.expr)} is {'geen' if e.negatief else 'een'} van "
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
        (
            ir.Functie,
            lambda e: _FUNCTIE.get(e.naam, e.naam + "({})").format(
                *[tekst(a) for a in e.args], *[""] * 4
            ),
        ),
        (ir.Opzoeking, _opzoeking),
        (ir.Aggregaat, _aggregaat),
    )


_SCHRIJVERS = _schrijvers()
