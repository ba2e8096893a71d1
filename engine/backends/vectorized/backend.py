"""The vectorized backend: every rule of a Regelboek as Polars expressions over the werkset.

The rule book's `plan` (compiled by `compiler`) is run over the werkset; then per rule the
rows where it fired are taken (for a group-level rule in `evalueer_beknopt` those with the
smallest ReferentieNummer of the group) and its `waarden` computed there only. A large
werkset ordered by message runs in parts of whole messages, two at a time: the memory of one
part is reused by the next, and Polars releases the GIL.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import polars as pl

from engine import ir
from engine.backends.basis import Treffer, Vermogens
from engine.backends.vectorized import rationaal as r
from engine.backends.vectorized.compiler import PolarsCompiler
from engine.backends.vectorized.functies import FUNCTIES_POLARS
from engine.backends.vectorized.groep import als_getallen
from engine.backends.vectorized.plan import GecompileerdeRegel, Plan, plan_voor, waardekolommen
from engine.backends.vectorized.rationaal import Kolomwaarde
from engine.geheugen import zonder_gc


class VectorizedBackend:
    """Backend 'vectorized': all rules over the whole werkset at once (Polars)."""

    naam = "vectorized"
    vermogens = Vermogens(meerdere_berichten=True, beknopt=True)
    functies = FUNCTIES_POLARS

    def evalueer(self, regelboek: ir.Regelboek, werkset: pl.DataFrame) -> list[Treffer]:
        return self._evalueer(regelboek, werkset, beknopt=False)

    def evalueer_beknopt(self, regelboek: ir.Regelboek, werkset: pl.DataFrame) -> list[Treffer]:
        """Like `evalueer`, but a rule at client or declaration level is reported only on the
        line(s) with the smallest ReferentieNummer of each client / message: the firings the
        pipeline uses. (A declaration-level signal otherwise fires on every line.)"""
        return self._evalueer(regelboek, werkset, beknopt=True)

    def _evalueer(
        self, regelboek: ir.Regelboek, werkset: pl.DataFrame, beknopt: bool
    ) -> list[Treffer]:
        if werkset.height == 0:
            return []
        per_bericht = "bericht" in werkset.columns
        plan = plan_voor(regelboek, per_bericht)
        if not plan.regels:
            return []
        delen = _delen(werkset) if per_bericht else [werkset]

        def deel(frame: pl.DataFrame) -> list[list[Treffer]]:
            frame, geheugen = _voer_uit(plan, frame)
            return list(_treffers_per_regel(plan, frame, geheugen, beknopt, per_bericht))

        # the evaluation makes many objects that form no cycles: no collections meanwhile
        with zonder_gc():
            if len(delen) == 1:
                uitkomsten = [deel(delen[0])]
            else:  # parts side by side: Polars releases the GIL, much of a part is one thread
                with ThreadPoolExecutor(max(1, min(len(delen), pl.thread_pool_size()))) as pool:
                    uitkomsten = list(pool.map(deel, delen))
            return [t for i in range(len(plan.regels)) for uitkomst in uitkomsten
                    for t in uitkomst[i]]


_BROK = 600_000
"""Most rows per part of a large werkset. Every helper column of a million rows is fresh
memory (page faults cost more than the arithmetic here); parts of whole messages reuse the
memory of the part before and give the same firings (aggregates never cross messages)."""

_KLEIN = 20_000
"""Fewest rows worth splitting: below this, a second thread costs more than it saves."""


def _delen(werkset: pl.DataFrame) -> list[pl.DataFrame]:
    """The werkset in slices of whole messages (only when it is ordered by message), as many
    as a multiple of Polars' threads: one part per thread keeps both cores busy to the end
    (measured at 1M rows on 2 cores: 2 parts 1.03 s, 3 parts 1.20 s, 4 parts 1.13 s, one
    part 1.49 s), while Polars alone keeps a single part's many short steps on one core."""
    bericht = werkset["bericht"]
    if werkset.height < _KLEIN or not bericht.is_sorted():
        return [werkset]
    draden = max(1, pl.thread_pool_size())
    aantal = draden * -(-werkset.height // (draden * _BROK))
    snedes = sorted({int(bericht.search_sorted(bericht[k * werkset.height // aantal], "left"))
                     for k in range(1, aantal)} - {0})
    grenzen = [0, *snedes, werkset.height]
    return [werkset.slice(a, b - a) for a, b in itertools.pairwise(grenzen)]


def _voer_uit(plan: Plan, werkset: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, Any]]:
    """The werkset with the helper columns of every step, and the steps' shared work that
    the firings still use (the ReferentieNummers as numbers)."""
    frame = werkset.select(k for k in werkset.columns if k in plan.kolommen)
    # One chunk per column: every expression over columns chunked differently would
    # first copy the whole frame into one chunk again (measured: 0.4 s a step at 1M).
    frame = frame.rechunk() if max(frame.n_chunks("all")) > 1 else frame
    geheugen: dict[str, Any] = {}
    for stap in plan.stappen:
        frame = stap(frame, geheugen)
    getallen = geheugen.get("getallen", {})
    return frame, {"getallen": {k: v for k, v in getallen.items() if k == "referentienummer"}}


def _treffers_per_regel(
    plan: Plan, frame: pl.DataFrame, geheugen: dict[str, Any], beknopt: bool, per_bericht: bool
) -> Iterator[list[Treffer]]:
    """Per rule of the plan, its firings on the frame."""
    # `rij` too: a rule whose condition is constant would otherwise give one row, not one
    # per line (a select of literals alone is not broadcast)
    vuur = frame.lazy().select(pl.col("rij"), *(g.vuurt.alias(f"_r{i}")
                                                for i, g in enumerate(plan.regels))).collect()
    for i, gecompileerd in enumerate(plan.regels):
        posities = vuur[f"_r{i}"].arg_true()
        if beknopt and gecompileerd.regel.niveau != "prestatie" and posities.len():
            groep = _groep(gecompileerd.regel.niveau, per_bericht)
            posities = _kleinste(frame, posities, groep, geheugen)
        yield _treffers(gecompileerd, frame, posities) if posities.len() else []


def _groep(niveau: str, per_bericht: bool) -> list[str]:
    bericht = ["bericht"] if per_bericht else ["aanbieder", "declaratienummer"]
    return [*bericht, "bsn"] if niveau == "client" else bericht


_VEEL = 10_000
"""Firings of one group-level rule beyond which ReferentieNummers are compared as numbers."""


def _kleinste(
    frame: pl.DataFrame, posities: pl.Series, groep: list[str], geheugen: dict[str, Any]
) -> pl.Series:
    """Of the firing rows `posities`: those with the smallest ReferentieNummer of their group
    (all of them on a tie; a row without one never)."""
    if groep == ["bericht"] and posities.len() > _VEEL:
        return _kleinste_per_bericht(frame, posities, geheugen)
    return _kleinste_onder(frame, posities, groep, geheugen)


def _kleinste_onder(
    frame: pl.DataFrame, posities: pl.Series, groep: list[str], geheugen: dict[str, Any]
) -> pl.Series:
    """`_kleinste` by the smallest number among the firing rows of each group."""
    referentie = frame["referentienummer"]
    if posities.len() > _VEEL:
        referentie = _als_getal(referentie, geheugen)
    deel = frame.select(groep).with_columns(referentie.alias("_ref"))[posities]
    kleinste = pl.col("_ref") == pl.col("_ref").min().over(groep)
    return posities.filter(deel.select(kleinste.fill_null(False)).to_series())


def _kleinste_per_bericht(
    frame: pl.DataFrame, posities: pl.Series, geheugen: dict[str, Any]
) -> pl.Series:
    """`_kleinste` per message for a rule that fires on many lines: mostly on every line of
    a message, so also on the line with the message's smallest ReferentieNummer (known
    once per werkset). Only messages where the rule does not fire on that line need the
    smallest number among the firing lines."""
    if "referentie.kleinste" not in geheugen:
        deel = pl.DataFrame({"bericht": frame["bericht"],
                             "_ref": _als_getal(frame["referentienummer"], geheugen)})
        geheugen["referentie.kleinste"] = deel.select(
            (pl.col("_ref") == pl.col("_ref").min().over("bericht")).fill_null(False)
        ).to_series()
    op_kleinste = geheugen["referentie.kleinste"].gather(posities)
    gevonden = posities.filter(op_kleinste)
    berichten = frame["bericht"].gather(gevonden).unique()
    elders = ~frame["bericht"].gather(posities).is_in(berichten.implode())
    rest = posities.filter(~op_kleinste & elders)
    if rest.len() == 0:
        return gevonden
    return pl.concat([gevonden, _kleinste_onder(frame, rest, ["bericht"], geheugen)]).sort()


def _als_getal(referentie: pl.Series, geheugen: dict[str, Any]) -> pl.Series:
    """ReferentieNummers as numbers where that keeps their order (digits only, all equally
    long: then text order is number order, and numbers compare much faster than texts)."""
    getallen: dict[str, list[pl.Series] | None] = geheugen.setdefault("getallen", {})
    if "referentienummer" not in getallen:
        getallen["referentienummer"] = als_getallen(referentie)
    getal = getallen["referentienummer"]
    return getal[0] if getal is not None and len(getal) == 1 else referentie


_NIEUW = Treffer.__new__
_VELDEN = tuple(Treffer.__dict__[naam] for naam in ("rij", "regel_id", "waarden"))
assert Treffer.__slots__ == ("rij", "regel_id", "waarden")


def _treffers(gecompileerd: GecompileerdeRegel, frame: pl.DataFrame,
              posities: pl.Series) -> list[Treffer]:
    """The firings of one rule on the rows `posities`, with its shown values computed there
    only (the rows gathered first: the values' expressions are row by row)."""
    rijen = frame["rij"].gather(posities).to_list()
    waarden: list[Any] = [()] * len(rijen)
    if gecompileerd.waarden:
        kolommen = waardekolommen(gecompileerd)
        # `rij` always: a constant value reads no column, and a select of literals alone
        # gives one row instead of one per firing
        nodig = list(dict.fromkeys(["rij", *(n for k in kolommen for n in k.meta.root_names())]))
        uitkomst = frame.select(nodig)[posities].select([*kolommen, pl.col("rij")])
        lijsten = [zip(itertools.repeat(naam), _python_waarden(waarde, uitkomst, f"_w{j}"))
                   for j, (naam, waarde) in enumerate(gecompileerd.waarden)]
        waarden = list(zip(*lijsten, strict=True))
    # Built without __init__, slot by slot in C loops: a frozen dataclass' __init__ costs
    # about a microsecond per object, a noticeable share at a hundred thousand firings.
    treffers = list(map(_NIEUW, itertools.repeat(Treffer, len(rijen))))
    for veld, kolom in zip(_VELDEN, (rijen, itertools.repeat(gecompileerd.regel.id), waarden),
                           strict=False):
        collections.deque(map(veld.__set__, treffers, kolom), maxlen=0)
    return treffers


def _python_waarden(
    waarde: Kolomwaarde, frame: pl.DataFrame, kolom: str, posities: pl.Series | None = None
) -> list[ir.Waarde]:
    def lijst(naam: str) -> list[Any]:
        reeks = frame[naam]
        return (reeks if posities is None else reeks.gather(posities)).to_list()

    tellers = lijst(kolom)
    if waarde.soort != "getal" or f"{kolom}_n" not in frame.columns:
        return tellers
    noemers = lijst(f"{kolom}_n")
    return [r.als_waarde(t, n) for t, n in zip(tellers, noemers, strict=True)]


def evalueer_expressie(
    regelboek: ir.Regelboek, expr: ir.Expr, werkset: pl.DataFrame
) -> list[ir.Waarde]:
    """The value of one expression on every row of a werkset (for tests and tools)."""
    vertaler = PolarsCompiler(regelboek, "bericht" in werkset.columns)
    waarde = vertaler.vertaal(expr)
    vertaler.spoel()
    geheugen: dict[str, Any] = {}
    for stap in vertaler.stappen:
        werkset = stap(werkset, geheugen)
    kolommen = [waarde.teller.alias("_w")]
    if waarde.soort == "getal" and waarde.noemer is not None:
        kolommen.append(waarde.noemer.alias("_w_n"))
    return _python_waarden(waarde, werkset.sort("rij").select(kolommen), "_w")
