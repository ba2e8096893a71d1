"""The rete backend's compiler: IR conditions as durable-rules conditions over one fact.

Every `Regel` becomes one durable rule whose condition is its validity, filter and
voorwaarde, translated where durable can say it: comparisons of fields with constants or
with sums, differences and products of fields, `en`/`of`/`niet`, membership, `bekend`. What
durable cannot say exactly is precomputed with the reference evaluator
(`engine.backends.basis.referentie`) into an *operand*, an extra fact field:
- a non-native side of a comparison (a function, lookup, aggregate, computed value,
  rounding, division, a fraction) is posted as a whole number rounded in the direction
  that keeps the comparison exact (x < N iff floor(x) < N for a whole N, and so on), with a
  flag 'is whole' for == and !=;
- a comparison whose both sides are non-native, or that mixes uur and minuut, is posted
  as its sign (-1, 0, 1) and durable compares that with 0;
- a truth value durable cannot compute (elfproef, begint_met, a computed waarheid) is
  posted as a boolean.
Empty values are never posted: their field is absent and a marker field `leeg_<field>`
says so, because the logic is three-valued (see the reference): a rule fires when its
condition is *true*, so `niet C` is translated as "C is false", which for a comparison
means "a side is empty, or the opposite comparison holds".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, Literal

from engine import ir
from engine.backends.basis.referentie import vergelijk
from engine.backends.rete.durable import Conditie

Cond = Conditie | bool
"""A condition under construction: True (always) and False (never) simplify away."""

Afronding = Literal["beneden", "boven", "heel", ""]
OperandSoort = Literal["waarde", "teken", "waarheid"]

_OMGEKEERD = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_TEGENDEEL = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_DURABLE_OP = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}
_AFRONDING: dict[str, Afronding] = {
    "<": "beneden", ">=": "beneden", "<=": "boven", ">": "boven", "==": "heel", "!=": "heel",
}
_REKEN = {"+": "$add", "-": "$sub", "*": "$mul"}
_MAX_TAKKEN = 48
"""A condition that durable would expand into more alternatives than this is precomputed."""


@dataclass(frozen=True, slots=True)
class Operand:
    """A fact field precomputed by the reference evaluator."""

    sleutel: str
    soort: OperandSoort
    expr: ir.Expr
    rechts: ir.Expr | None = None
    afronding: Afronding = ""


@dataclass(frozen=True, slots=True)
class Term:
    """A native side of a comparison: durable JSON and the fact fields it reads."""

    json: Any
    velden: frozenset[str]
    veld: str | None = None
    """the fact field when the term is a bare field"""
    constant: bool = False



# ---------------------------------------------------------------- condition helpers


def _plat(delen: Iterable[Cond], operator: str, neutraal: bool) -> Cond:
    uit: list[Conditie] = []
    gezien: set[str] = set()
    for deel in delen:
        if deel is (not neutraal):
            return not neutraal
        if deel is neutraal:
            continue
        assert isinstance(deel, dict)
        onderdelen = deel[operator] if set(deel) == {operator} else [deel]
        for onderdeel in onderdelen:
            sleutel = json.dumps(onderdeel, sort_keys=True)
            if sleutel not in gezien:
                gezien.add(sleutel)
                uit.append(onderdeel)
    if not uit:
        return neutraal
    return uit[0] if len(uit) == 1 else {operator: uit}


def en(*delen: Cond) -> Cond:
    return _plat(delen, "$and", True)


def of(*delen: Cond) -> Cond:
    return _plat(delen, "$or", False)


def aanwezig(veld: str) -> Conditie:
    return {"$ex": {veld: 1}}


def leeg(veld: str) -> Conditie:
    """The field is empty: its marker is there (durable's `$nex` hangs, see engine.durable)."""
    return {"$ex": {f"leeg_{veld}": 1}}


def takken(conditie: Cond) -> int:
    """How many alternatives durable's network gets for a condition (its DNF size)."""
    if not isinstance(conditie, dict):
        return 1
    if "$or" in conditie:
        return sum(takken(d) for d in conditie["$or"])
    if "$and" in conditie:
        aantal = 1
        for deel in conditie["$and"]:
            aantal *= takken(deel)
        return aantal
    return 1


def vergelijking_json(op: str, veld: str, rechts: Any) -> Conditie:
    if op == "==":
        return {veld: rechts}
    return {_DURABLE_OP[op]: {veld: rechts}}


def codeer(waarde: ir.Waarde) -> int | str | bool | None:
    """A value as durable holds it: dates as ordinals; fractions are never posted."""
    if waarde is None or isinstance(waarde, bool | str):
        return waarde
    if isinstance(waarde, date):
        return waarde.toordinal()
    if isinstance(waarde, Fraction):
        if waarde.denominator != 1:
            raise ValueError(f"een breuk ({waarde}) kan niet naar durable-rules")
        return int(waarde)
    return int(waarde)


# ---------------------------------------------------------------- the compiler


@dataclass(slots=True)
class DurableCompiler:
    """Translates IR conditions to durable conditions, collecting fields and operands."""

    regelboek: ir.Regelboek
    velden: dict[str, str] = field(default_factory=dict)
    operanden: dict[tuple[Any, ...], Operand] = field(default_factory=dict)

    def type(self, expr: ir.Expr) -> ir.Type:
        return self.regelboek.type(expr)

    def veld(self, kolom: str) -> str:
        sleutel = f"v_{kolom}"
        self.velden[sleutel] = kolom
        return sleutel

    def operand(
        self, soort: OperandSoort, expr: ir.Expr, rechts: ir.Expr | None = None,
        afronding: Afronding = "",
    ) -> str:
        sleutel = (soort, expr, rechts, afronding)
        if sleutel not in self.operanden:
            naam = f"o{len(self.operanden)}"
            self.operanden[sleutel] = Operand(naam, soort, expr, rechts, afronding)
        return self.operanden[sleutel].sleutel

    # ------------------------------------------------------------ native terms

    def term(self, expr: ir.Expr) -> Term | None:
        """The expression as a durable value over the fact, or None when durable can't."""
        if isinstance(expr, ir.Veld):
            sleutel = self.veld(expr.naam)
            return Term({"$m": sleutel}, frozenset({sleutel}), veld=sleutel)
        if isinstance(expr, ir.Constante):
            if expr.waarde is None or (
                isinstance(expr.waarde, Fraction) and expr.waarde.denominator != 1
            ):
                return None
            return Term(codeer(expr.waarde), frozenset(), constant=True)
        if isinstance(expr, ir.Rekensom) and expr.op in _REKEN:
            return self._rekenterm(expr)
        return None

    def _rekenterm(self, expr: ir.Rekensom) -> Term | None:
        tl, tr = self.type(expr.links), self.type(expr.rechts)
        if not all(t.soort in ("getal", "geld") for t in (tl, tr)):
            return None
        if {tl.eenheid, tr.eenheid} == {"uur", "minuut"} or "procent" in (tl.eenheid, tr.eenheid):
            return None
        links, rechts = self.term(expr.links), self.term(expr.rechts)
        if links is None or rechts is None:
            return None
        if links.constant and rechts.constant:
            # durable never evaluates arithmetic on constants alone (engine.durable, quirk 8)
            waarde = {"+": links.json + rechts.json, "-": links.json - rechts.json,
                      "*": links.json * rechts.json}[expr.op]
            return Term(waarde, frozenset(), constant=True)
        som = {_REKEN[expr.op]: {"$l": links.json, "$r": rechts.json}}
        return Term(som, links.velden | rechts.velden)

    # ------------------------------------------------------------ truth and falsity

    def waar(self, expr: ir.Expr) -> Cond:
        """A durable condition that holds exactly where `expr` is true."""
        conditie = self._waar(expr)
        if takken(conditie) > _MAX_TAKKEN:
            return {self.operand("waarheid", expr): True}
        return conditie

    def onwaar(self, expr: ir.Expr) -> Cond:
        """A durable condition that holds exactly where `expr` is false (not empty)."""
        conditie = self._onwaar(expr)
        if takken(conditie) > _MAX_TAKKEN:
            return {self.operand("waarheid", expr): False}
        return conditie

    def _waar(self, expr: ir.Expr) -> Cond:
        match expr:
            case ir.Constante(waarde=waarde):
                return waarde is True
            case ir.Veld(naam=naam):
                return {self.veld(naam): True}
            case ir.Niet(expr=binnen):
                return self.onwaar(binnen)
            case ir.En(delen=delen):
                return en(*(self.waar(d) for d in delen))
            case ir.Of(delen=delen):
                return of(*(self.waar(d) for d in delen))
            case ir.Vergelijking(op=op, links=links, rechts=rechts):
                return self.vergelijking(op, links, rechts, ontkend=False)
            case ir.InLijst():
                return self._in_lijst(expr, ontkend=False)
            case ir.Functie(naam="bekend", args=(binnen,)):
                return self.bekend(binnen)
        return {self.operand("waarheid", expr): True}

    def _onwaar(self, expr: ir.Expr) -> Cond:
        match expr:
            case ir.Constante(waarde=waarde):
                return waarde is False
            case ir.Veld(naam=naam):
                return {self.veld(naam): False}
            case ir.Niet(expr=binnen):
                return self.waar(binnen)
            case ir.En(delen=delen):
                return of(*(self.onwaar(d) for d in delen))
            case ir.Of(delen=delen):
                return en(*(self.onwaar(d) for d in delen))
            case ir.Vergelijking(op=op, links=links, rechts=rechts):
                return self.vergelijking(op, links, rechts, ontkend=True)
            case ir.InLijst():
                return self._in_lijst(expr, ontkend=True)
            case ir.Functie(naam="bekend", args=(binnen,)):
                return self.onbekend(binnen)
        return {self.operand("waarheid", expr): False}

    def bekend(self, expr: ir.Expr) -> Cond:
        term = self.term(expr)
        if term is None:
            return {self.operand("waarheid", ir.Functie("bekend", (expr,))): True}
        if term.constant:
            return True
        return en(*(aanwezig(v) for v in sorted(term.velden)))

    def onbekend(self, expr: ir.Expr) -> Cond:
        term = self.term(expr)
        if term is None:
            return {self.operand("waarheid", ir.Functie("bekend", (expr,))): False}
        if term.constant:
            return isinstance(expr, ir.Constante) and expr.waarde is None
        return of(*(leeg(v) for v in sorted(term.velden)))

    def _in_lijst(self, expr: ir.InLijst, ontkend: bool) -> Cond:
        gelijk = [ir.Vergelijking("==", expr.expr, w) for w in expr.waarden]
        if not expr.negatief:
            if ontkend:
                return en(*(self.onwaar(g) for g in gelijk))
            return of(*(self.waar(g) for g in gelijk))
        if ontkend:
            return of(self.onbekend(expr.expr), *(self.waar(g) for g in gelijk))
        return en(self.bekend(expr.expr), *(self.onwaar(g) for g in gelijk))

    # ------------------------------------------------------------ comparisons

    def vergelijking(self, op: str, links: ir.Expr, rechts: ir.Expr, ontkend: bool) -> Cond:
        """`links op rechts` is true (or, ontkend, false: a side empty or the opposite)."""
        tl, tr = self.type(links), self.type(rechts)
        gemengd = {tl.eenheid, tr.eenheid} == {"uur", "minuut"}
        lt = None if gemengd else self.term(links)
        rt = None if gemengd else self.term(rechts)
        if lt is not None and rt is not None and not (lt.veld is None and rt.veld is None):
            if lt.veld is None:
                op, lt, rt = _OMGEKEERD[op], rt, lt
            return self._vorm(op, lt, rt, ontkend)
        if lt is not None and rt is not None and lt.constant and rt.constant:
            return _vast(op, lt.json, rt.json) != ontkend
        if lt is None and rt is not None and self._heel_vergelijkbaar(tr):
            return self._met_operand(op, links, rt, ontkend)
        if rt is None and lt is not None and self._heel_vergelijkbaar(tl):
            return self._met_operand(_OMGEKEERD[op], rechts, lt, ontkend)
        teken = self.operand("teken", links, rechts)
        kern = vergelijking_json(_TEGENDEEL[op] if ontkend else op, teken, 0)
        return of(leeg(teken), kern) if ontkend else en(aanwezig(teken), kern)

    def _heel_vergelijkbaar(self, type_: ir.Type) -> bool:
        """Is a native side of this type whole-valued (so the rounding trick is exact)?"""
        return type_.soort in ("getal", "geld", "datum", "tekst", "waarheid")

    def _vorm(self, op: str, veld: Term, ander: Term, ontkend: bool) -> Cond:
        assert veld.veld is not None
        velden = sorted(veld.velden | ander.velden)
        if ontkend:
            kern = vergelijking_json(_TEGENDEEL[op], veld.veld, ander.json)
            return of(*(leeg(v) for v in velden), kern)
        kern = vergelijking_json(op, veld.veld, ander.json)
        return en(*(aanwezig(v) for v in velden), kern)

    def _met_operand(self, op: str, expr: ir.Expr, ander: Term, ontkend: bool) -> Cond:
        """`expr op ander` with expr precomputed, rounded so the comparison stays exact."""
        werkelijk = _TEGENDEEL[op] if ontkend else op
        sleutel = self.operand("waarde", expr, afronding=_AFRONDING[werkelijk])
        kern: Cond = vergelijking_json(werkelijk, sleutel, ander.json)
        if werkelijk == "==":
            kern = en(kern, {f"{sleutel}_heel": True})
        elif werkelijk == "!=":
            kern = of(kern, {f"{sleutel}_heel": False})
        velden = sorted(ander.velden | {sleutel})
        if ontkend:
            return of(*(leeg(v) for v in velden), kern)
        return en(*(aanwezig(v) for v in velden), kern)

    # ------------------------------------------------------------ rules

    def regel(self, regel: ir.Regel) -> Cond:
        """The whole rule: in force on begindatum, filter and voorwaarde true."""
        delen: list[Cond] = []
        if regel.geldig.vanaf is not None or regel.geldig.tot is not None:
            begindatum = self.veld("begindatum")
            delen.append(aanwezig(begindatum))
            if regel.geldig.vanaf is not None:
                delen.append({"$gte": {begindatum: regel.geldig.vanaf.toordinal()}})
            if regel.geldig.tot is not None:
                delen.append({"$lt": {begindatum: regel.geldig.tot.toordinal()}})
        if regel.filter is not None:
            delen.append(self.waar(regel.filter))
        delen.append(self.waar(regel.voorwaarde))
        return en(*delen)


def _vast(op: str, links: Any, rechts: Any) -> bool:
    return vergelijk(op, links, rechts)
