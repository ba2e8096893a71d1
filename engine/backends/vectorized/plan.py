"""A Regelboek compiled for the vectorized backend: the steps in order, then per rule one
boolean expression and its shown values. Compiled once per rule book (kept in its
`afgeleid` slot) and per werkset shape (one message, or several with a `bericht` column).
A helper column is dropped after its last reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from engine import ir
from engine.backends.vectorized.compiler import (
    Functiestap,
    Kolomstap,
    PolarsCompiler,
    Stap,
    is_hulp,
    wortels,
)
from engine.backends.vectorized.datum import Datumstap, per_datum
from engine.backends.vectorized.rationaal import Kolomwaarde


@dataclass(slots=True)
class GecompileerdeRegel:
    regel: ir.Regel
    vuurt: pl.Expr
    waarden: tuple[tuple[str, Kolomwaarde], ...]


@dataclass(slots=True)
class Plan:
    stappen: list[Stap] = field(default_factory=list)
    regels: list[GecompileerdeRegel] = field(default_factory=list)
    kolommen: frozenset[str] = frozenset()
    """the werkset columns the plan reads (the others are left out before evaluating)"""



def maak_plan(regelboek: ir.Regelboek, per_bericht: bool = False) -> Plan:
    """Compile every rule (condition and shown values) of a rule book."""
    vertaler = PolarsCompiler(regelboek, per_bericht)
    plan = Plan()
    for regel in regelboek.regels:
        vuurt = vertaler.geldig(regel.geldig) & vertaler.voorwaarde(regel.voorwaarde)
        if regel.filter is not None:
            vuurt = vuurt & vertaler.voorwaarde(regel.filter)
        waarden = tuple((naam, vertaler.vertaal(e)) for naam, e in regel.waarden)
        plan.regels.append(GecompileerdeRegel(regel, vuurt, waarden))
    vertaler.spoel()
    levend = wortels(g.vuurt for g in plan.regels) | wortels(
        e for g in plan.regels for e in waardekolommen(g))
    plan.stappen = _met_datumtabellen(vertaler.stappen, levend)
    for stap in reversed(plan.stappen):
        if isinstance(stap, Kolomstap | Functiestap):
            stap.ruim_op(levend)
    datums = {s.kolom for s in plan.stappen if isinstance(s, Datumstap)}
    plan.kolommen = frozenset({k for k in levend if not is_hulp(k)} | datums | _ALTIJD_NODIG)
    return plan


_ALTIJD_NODIG = frozenset({"rij", "bericht", "bsn", "referentienummer", "aanbieder",
                           "declaratienummer"})
"""What the firings read besides the rules' expressions (the row, the groups of `_kleinste`)."""


def _met_datumtabellen(stappen: list[Stap], eind: set[str]) -> list[Stap]:
    """Move the helper columns that depend on one date column alone to a `Datumstap` per
    column, first in the plan; it gathers those the other steps read."""
    kolom_van = per_datum(s.lagen if isinstance(s, Kolomstap) else None for s in stappen)
    per_kolom: dict[str, list[list[pl.Expr]]] = {}
    for stap in stappen:
        if not isinstance(stap, Kolomstap):
            continue
        for i, laag in enumerate(stap.lagen):
            verplaatst: dict[str, list[pl.Expr]] = {}
            for expr in laag:
                kolom = kolom_van.get(expr.meta.output_name())
                if kolom is not None:
                    verplaatst.setdefault(kolom, []).append(expr)
            for kolom, exprs in verplaatst.items():
                per_kolom.setdefault(kolom, []).append(exprs)
            stap.lagen[i] = [e for e in laag if e.meta.output_name() not in kolom_van]
        stap.lagen = [laag for laag in stap.lagen if laag]
    gelezen = set(eind) | wortels(e for s in stappen if isinstance(s, Kolomstap)
                                   for laag in s.lagen for e in laag)
    gelezen |= {n for s in stappen if isinstance(s, Functiestap) for n in s.leest}
    nieuw: list[Stap] = []
    for kolom, lagen in per_kolom.items():
        nodig = [e.meta.output_name() for laag in lagen for e in laag
                 if e.meta.output_name() in gelezen]
        if nodig:
            nieuw.append(Datumstap(kolom, lagen, nodig))
    return nieuw + [s for s in stappen if not (isinstance(s, Kolomstap) and not s.lagen)]


def waardekolommen(gecompileerd: GecompileerdeRegel) -> list[pl.Expr]:
    kolommen: list[pl.Expr] = []
    for j, (_, waarde) in enumerate(gecompileerd.waarden):
        kolommen.append(waarde.teller.alias(f"_w{j}"))
        if waarde.soort == "getal" and waarde.noemer is not None:
            kolommen.append(waarde.noemer.alias(f"_w{j}_n"))
    return kolommen


def plan_voor(regelboek: ir.Regelboek, per_bericht: bool = False) -> Plan:
    """The compiled plan, kept with the rule book (a rule book is immutable)."""
    return regelboek.afgeleid.geef(("vectorized.plan", per_bericht),
                                   lambda: maak_plan(regelboek, per_bericht))
