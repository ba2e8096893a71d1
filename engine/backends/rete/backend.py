"""The rete backend: each rule of a Regelboek as a durable-rules rule over one fact per row.

Compilation (`compiler`, once per Regelboek, kept in its `afgeleid` slot): every rule
becomes one durable rule; what durable cannot say is precomputed per row into an operand.

Evaluation: aggregates and operands are computed for the whole werkset first (an
aggregate may span clients), then the rows are posted message by message, client by
client, each client in a fresh durable session that is deleted right after. The values a
firing shows (`Treffer.waarden`) come from the reference evaluator. Nothing is kept between
calls except the compiled rulesets: the history comes in through the werkset's columns.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from engine import ir
from engine.backends.basis import Treffer, Vermogens
from engine.backends.basis.functies import FUNCTIES_PYTHON
from engine.backends.basis.referentie import (
    Omgeving,
    Rij,
    evalueer,
    gelijke_eenheid,
    is_getal,
    treffer,
)
from engine.backends.rete.compiler import DurableCompiler, Operand, codeer
from engine.backends.rete.durable import ALTIJD, Conditie, Feit, Regelset, RegelsetGeslotenError

if TYPE_CHECKING:
    import polars as pl

# ---------------------------------------------------------------- facts


def _operandwaarde(operand: Operand, rij: Rij, omgeving: Omgeving) -> dict[str, Any]:
    """The fact fields of one operand on one row (its marker when it is empty)."""
    if operand.soort == "teken":
        assert operand.rechts is not None
        links, rechts = gelijke_eenheid(
            evalueer(operand.expr, rij, omgeving), omgeving.type(operand.expr),
            evalueer(operand.rechts, rij, omgeving), omgeving.type(operand.rechts),
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
    vertaler = DurableCompiler(regelboek)
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


# ---------------------------------------------------------------- open rulesets

_MAX_OPEN = 4
_open: OrderedDict[str, Plan] = OrderedDict()
"""The plans whose durable ruleset is open, by ruleset name, least recently used first."""
_open_slot = threading.Lock()


def plan_voor(regelboek: ir.Regelboek, opnieuw: bool = False) -> Plan:
    """The compiled plan of a Regelboek (kept with it). A few recently used rulesets stay
    open, older ones are closed so a hot reload does not leak durable rulesets; a closed
    one is compiled again when its rule book comes back."""
    with _open_slot:
        plan: Plan | None = None if opnieuw else regelboek.afgeleid.vind("rete.plan")
        if plan is not None and plan.regelset.naam in _open:
            _open.move_to_end(plan.regelset.naam)
            return plan
        plan = maak_plan(regelboek)
        regelboek.afgeleid.zet("rete.plan", plan)
        _open[plan.regelset.naam] = plan
        while len(_open) > _MAX_OPEN:
            _, oud = _open.popitem(last=False)
            oud.regelset.sluit()
        return plan


def aantal_plannen() -> int:
    return len(_open)


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
    vermogens = Vermogens()
    functies = FUNCTIES_PYTHON  # its conditions run through the reference evaluator

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
