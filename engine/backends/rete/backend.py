"""The rete backend: each rule of a Regelboek as a durable-rules rule over one fact per row.

Compilation (once per Regelboek version, cached): every `Regel` becomes one durable rule
whose condition is its validity, filter and voorwaarde, translated where durable can say
it: comparisons of fields with constants or with sums, differences and products of fields,
`en`/`of`/`niet`, membership, `bekend`. What durable cannot say exactly is precomputed
with the reference evaluator (`engine.scalar`) into an *operand*, an extra fact field:
- a non-native side of a comparison (a function, lookup, aggregate, computed value,
  rounding, division, a fraction) is posted as a whole number rounded in the direction
  that keeps the comparison exact (x < N iff floor(x) < N for a whole N, and so on), with a
  flag 'is whole' for == and !=;
- a comparison whose both sides are non-native, or that mixes uur and minuut, is posted
  as its sign (-1, 0, 1) and durable compares that with 0;
- a truth value durable cannot compute (elfproef, begint_met, a computed waarheid) is
  posted as a boolean.
Empty values are never posted: their field is absent and a marker field `leeg_<field>`
says so, because the logic is three-valued (see `engine.scalar`): a rule fires when its
condition is *true*, so `niet C` is translated as "C is false", which for a comparison
means "a side is empty, or the opposite comparison holds".

Evaluation: aggregates and operands are computed for the whole werkset first (an
aggregate may span clients), then the rows are posted message by message, client by
client, each client in a fresh durable session that is deleted right after. The values a
firing shows (`Treffer.waarden`) come from the reference evaluator. Nothing is kept between
calls except the compiled rulesets: the history comes in through the werkset's columns.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from engine import ir
from engine.backend import Treffer
from engine.durable import ALTIJD, Conditie, Feit, Regelset, RegelsetGeslotenError
from engine.scalar import (
    Omgeving,
    Rij,
    evalueer,
    gelijke_eenheid,
    is_getal,
    treffer,
)
from engine.waarden import type_van

if TYPE_CHECKING:
    import polars as pl

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


# ---------------------------------------------------------------- the translator


@dataclass(slots=True)
class Vertaler:
    """Translates IR conditions to durable conditions, collecting fields and operands."""

    regelboek: ir.Regelboek
    velden: dict[str, str] = field(default_factory=dict)
    operanden: dict[tuple[Any, ...], Operand] = field(default_factory=dict)

    def type_van(self, expr: ir.Expr) -> ir.Type:
        return type_van(expr, self.regelboek)

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
        tl, tr = self.type_van(expr.links), self.type_van(expr.rechts)
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
        tl, tr = self.type_van(links), self.type_van(rechts)
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
    from engine.scalar import vergelijk

    return vergelijk(op, links, rechts)


# ---------------------------------------------------------------- facts


def _operandwaarde(operand: Operand, rij: Rij, omgeving: Omgeving) -> dict[str, Any]:
    """The fact fields of one operand on one row (its marker when it is empty)."""
    if operand.soort == "teken":
        assert operand.rechts is not None
        links, rechts = gelijke_eenheid(
            evalueer(operand.expr, rij, omgeving), omgeving.type_van(operand.expr),
            evalueer(operand.rechts, rij, omgeving), omgeving.type_van(operand.rechts),
        )
        if links is None or rechts is None:
            return {f"leeg_{operand.sleutel}": True}
        return {operand.sleutel: (links > rechts) - (links < rechts)}  # type: ignore[operator]
    waarde = evalueer(operand.expr, rij, omgeving)
    if operand.soort == "waarheid":
        if not isinstance(waarde, bool):
            return {f"leeg_{operand.sleutel}": True}
        return {operand.sleutel: waarde}
    if waarde is None:
        return {f"leeg_{operand.sleutel}": True}
    return _afgerond(operand, waarde)


def _afgerond(operand: Operand, waarde: ir.Waarde) -> dict[str, Any]:
    if not is_getal(waarde) or isinstance(waarde, int):
        uit: dict[str, Any] = {operand.sleutel: codeer(waarde)}
        if operand.afronding == "heel":
            uit[f"{operand.sleutel}_heel"] = True
        return uit
    breuk = Fraction(waarde)  # type: ignore[arg-type]
    if operand.afronding == "boven":
        return {operand.sleutel: -((-breuk.numerator) // breuk.denominator)}
    uit = {operand.sleutel: breuk.numerator // breuk.denominator}
    if operand.afronding == "heel":
        uit[f"{operand.sleutel}_heel"] = False
    return uit


@dataclass(slots=True)
class Plan:
    """A Regelboek compiled for durable: the ruleset, the fields and operands its facts need."""

    regelboek: ir.Regelboek
    regelset: Regelset
    regels: dict[str, ir.Regel]
    velden: dict[str, str]
    operanden: tuple[Operand, ...]

    def feit(self, rij: Rij, omgeving: Omgeving) -> Feit:
        feit: Feit = {"rij": int(rij["rij"])}
        for sleutel, kolom in self.velden.items():
            waarde = rij.get(kolom)
            if waarde is None:
                feit[f"leeg_{sleutel}"] = True
            else:
                feit[sleutel] = codeer(waarde)
        for operand in self.operanden:
            feit.update(_operandwaarde(operand, rij, omgeving))
        return feit


_namen = itertools.count()


def maak_plan(regelboek: ir.Regelboek) -> Plan:
    """Translate every rule; rules that can never fire are left out of the ruleset."""
    vertaler = Vertaler(regelboek)
    condities: dict[str, Conditie] = {}
    regels: dict[str, ir.Regel] = {}
    for i, regel in enumerate(regelboek.regels):
        conditie = vertaler.regel(regel)
        if conditie is False:
            continue
        sleutel = f"r{i}"
        condities[sleutel] = ALTIJD if conditie is True else conditie
        regels[sleutel] = regel
    naam = f"regelwerk_{regelboek.hash[:12]}_{next(_namen)}"
    regelset = Regelset(naam, condities)
    return Plan(regelboek, regelset, regels, dict(vertaler.velden),
                tuple(vertaler.operanden.values()))


# ---------------------------------------------------------------- plan cache

_MAX_PLANNEN = 4
_plannen: OrderedDict[tuple[str, int], Plan] = OrderedDict()
_plannen_slot = threading.Lock()


def plan_voor(regelboek: ir.Regelboek, opnieuw: bool = False) -> Plan:
    """The compiled plan of a Regelboek; a few recent versions are kept, older ones are
    closed so a hot reload does not leak durable rulesets."""
    sleutel = (regelboek.hash, id(regelboek))
    with _plannen_slot:
        plan = _plannen.get(sleutel)
        if plan is not None and plan.regelboek is regelboek and not opnieuw:
            _plannen.move_to_end(sleutel)
            return plan
        plan = maak_plan(regelboek)
        _plannen[sleutel] = plan
        while len(_plannen) > _MAX_PLANNEN:
            _, oud = _plannen.popitem(last=False)
            oud.regelset.sluit()
        return plan


def sluit_plannen() -> None:
    """Close every cached ruleset (tests, shutdown)."""
    with _plannen_slot:
        while _plannen:
            _, oud = _plannen.popitem(last=False)
            oud.regelset.sluit()


def aantal_plannen() -> int:
    return len(_plannen)


# ---------------------------------------------------------------- the backend


def _clienten(rijen: Sequence[Rij]) -> list[list[Rij]]:
    """Rows per message, per client, in order of first appearance."""
    groepen: dict[tuple[Any, ...], list[Rij]] = defaultdict(list)
    for rij in rijen:
        bericht = (rij.get("bericht"), rij.get("aanbieder"), rij.get("declaratienummer"))
        groepen[(*bericht, rij.get("bsn"))].append(rij)
    return list(groepen.values())


class ReteBackend:
    """Backend 'rete': per message, per client, the rows as facts in durable-rules."""

    naam = "rete"

    def evalueer(self, regelboek: ir.Regelboek, werkset: pl.DataFrame) -> list[Treffer]:
        rijen = werkset.to_dicts()
        try:
            return _evalueer(plan_voor(regelboek), rijen)
        except RegelsetGeslotenError:
            # a hot reload retired this version mid-way: compile it again and start over
            return _evalueer(plan_voor(regelboek, opnieuw=True), rijen)


def _evalueer(plan: Plan, rijen: list[dict[str, Any]]) -> list[Treffer]:
    if not rijen or not plan.regels:
        return []
    omgeving = Omgeving(plan.regelboek, rijen)
    per_rij = {int(rij["rij"]): rij for rij in rijen}
    feiten = {int(rij["rij"]): plan.feit(rij, omgeving) for rij in rijen}
    gevuurd: set[tuple[int, str]] = set()
    for client in _clienten(rijen):
        gevuurd |= plan.regelset.verwerk([feiten[int(rij["rij"])] for rij in client])
    return [
        treffer(plan.regels[sleutel], per_rij[rij], omgeving)
        for rij, sleutel in sorted(gevuurd, key=lambda t: (t[0], int(t[1][1:])))
    ]
