"""The vectorized backend: every rule of a Regelboek as Polars expressions over the werkset.

A Regelboek is compiled once (cached by identity and hash) into a `Plan`: a list of steps
that add helper columns, then one boolean expression per rule. Steps: layers of row-wise
columns (computed values, table lookups as integer codes and gathers,
`engine.vectorized_opzoeking`), aggregates over groupings computed once per werkset
(`engine.vectorized_aggregaat`, `engine.vectorized_groep`), absence counts, and columns
that depend on one date column only, computed per date (`engine.vectorized_datum`). A
helper column is dropped after its last reader. Evaluating a werkset runs the plan, then
per rule takes the rows where it fired (for a group-level rule in `evalueer_beknopt` those
with the smallest ReferentieNummer of the group) and computes its `waarden` there only.
A large werkset ordered by message runs in parts of whole messages, two at a time: the
memory of one part is reused by the next, and Polars releases the GIL.

Semantics (the same as the scalar reference, `engine.ir`): numbers are exact
(`engine.rationaal`), a comparison with an empty value is false, arithmetic with an empty
value is empty, a rule is evaluated where its validity holds on `begindatum` and its filter
holds. Aggregates ignore empty values (the sum of nothing is 0, the maximum of nothing
empty) and count debit lines only unless the filter names `debet credit`/`creditprestatie`.
uur and minuut are converted (1 uur = 60 minuten) where they meet in + - and comparisons;
`procent` in a product scales by 1/100.
"""

from __future__ import annotations

import collections
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

import polars as pl

from engine import ir
from engine import rationaal as r
from engine.backend import Treffer
from engine.batch import zonder_gc
from engine.rationaal import Kolomwaarde
from engine.vectorized_datum import DATUMKOLOMMEN, Datumstap, Waardestap, per_datum
from engine.vectorized_groep import als_getallen
from engine.velden import PER_KOLOM
from engine.waarden import type_van

Stap = Callable[[pl.DataFrame, dict[str, Any]], pl.DataFrame]
"""A plan step: the frame so far and a scratch dict of this evaluation (shared work such
as the exploded absence periods) -> the frame with its helper columns."""


class CompilatieError(Exception):
    """The rule book holds something this backend cannot compile (a defect, not user input)."""


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


@dataclass(slots=True)
class _Kolomstap:
    """Consecutive layers of helper columns (each layer needs the ones before it), as one
    step. Run eagerly, layer by layer: one lazy query over all layers holds far more memory
    at its peak and costs more (measured at 10k to 1M rows). After each layer the helper
    columns that nothing later reads are dropped (`weg`), so their memory is reused instead
    of fresh pages being touched."""

    lagen: list[list[pl.Expr]]
    weg: list[list[str]] = field(default_factory=list)

    def __call__(self, frame: pl.DataFrame, _: dict[str, Any]) -> pl.DataFrame:
        for laag, weg in zip(self.lagen, self.weg or [[] for _ in self.lagen], strict=True):
            frame = frame.with_columns(laag)
            if weg:
                frame = frame.drop(weg)
        return frame

    def ruim_op(self, levend: set[str]) -> None:
        """Leave out columns nothing reads; drop helper columns after their last reader.
        `levend`: the columns read after this step; afterwards, those read after its start."""
        self.weg = [[] for _ in self.lagen]
        for i in reversed(range(len(self.lagen))):
            self.lagen[i] = [e for e in self.lagen[i] if e.meta.output_name() in levend]
            gelezen = {n for e in self.lagen[i] for n in e.meta.root_names()}
            self.weg[i] = sorted(n for n in gelezen if _is_hulp(n) and n not in levend)
            levend |= gelezen
        behouden = [i for i, laag in enumerate(self.lagen) if laag]
        self.lagen = [self.lagen[i] for i in behouden]
        self.weg = [self.weg[i] for i in behouden]


@dataclass(slots=True)
class _Functiestap:
    """Any other step (an aggregate, the absence periods): a function of the frame, with
    the columns it reads; `weg`: helper columns to drop after it."""

    functie: Stap
    leest: frozenset[str]
    weg: list[str] = field(default_factory=list)

    def __call__(self, frame: pl.DataFrame, geheugen: dict[str, Any]) -> pl.DataFrame:
        frame = self.functie(frame, geheugen)
        return frame.drop(self.weg) if self.weg else frame

    def ruim_op(self, levend: set[str]) -> None:
        self.weg = sorted(n for n in self.leest if _is_hulp(n) and n not in levend)
        levend |= self.leest


_ONBEKEND = frozenset({"*"})


def _is_hulp(kolom: str) -> bool:
    """A helper column of the plan (werkset columns never start with an underscore)."""
    return kolom.startswith("_")


def _wortels(expressies: Iterable[pl.Expr]) -> set[str]:
    return {n for e in expressies for n in e.meta.root_names()}


class Vertaler:
    """Compiles IR expressions of one Regelboek to `Kolomwaarde`s, collecting helper steps."""

    def __init__(self, regelboek: ir.Regelboek, per_bericht: bool = False) -> None:
        self.regelboek = regelboek
        self.per_bericht = per_bericht
        """the werkset has a `bericht` column: aggregates never cross messages"""
        self.stappen: list[Stap] = []
        self._teller = 0
        self._wachtend: list[pl.Expr] = []
        self._wachtende_namen: set[str] = set()
        self._verwijzingen: dict[str, Kolomwaarde] = {}
        self._opzoekingen: dict[Any, str] = {}
        self._aggregaten: dict[ir.Aggregaat, Kolomwaarde] = {}
        self._velden: dict[Any, frozenset[str]] = {}
        self._herkomst: dict[str, frozenset[str]] = {}
        self._vergelijkingen: dict[ir.Vergelijking, Kolomwaarde] = {}
        self._geldig: dict[ir.Geldigheid, pl.Expr] = {}
        self.periodes: dict[str, pl.Expr] = {}
        """per aggregate period: its helper column (computed per date)"""
        self.groeperingen: dict[Any, list[pl.Expr]] = {}
        """the groupings of the aggregates, with their key expressions"""
        self.gebruik: dict[Any, int] = {}
        """per grouping: how many aggregate steps use it"""

    def nieuwe_naam(self, soort: str) -> str:
        self._teller += 1
        return f"_{soort}{self._teller}"

    def type_van(self, expr: ir.Expr) -> ir.Type:
        return type_van(expr, self.regelboek)

    def hulpkolom(self, waarde: Kolomwaarde) -> Kolomwaarde:
        """Materialise a value as helper column(s) so later steps and windows can use it.

        Independent helper columns are computed in one `with_columns` (in parallel, and
        window expressions over the same groups share the grouping)."""
        naam = self.nieuwe_naam("h")
        kolommen = [waarde.teller.alias(naam)]
        noemer = None
        if waarde.noemer is not None:
            kolommen.append(waarde.noemer.alias(f"{naam}_n"))
            noemer = pl.col(f"{naam}_n")
        gebruikt = {n for k in kolommen for n in k.meta.root_names()}
        herkomst = self.herkomst_van(gebruikt)
        self._herkomst[naam] = self._herkomst[f"{naam}_n"] = herkomst
        if gebruikt & self._wachtende_namen:
            self.spoel()
        self._wachtend.extend(kolommen)
        self._wachtende_namen.update(k.meta.output_name() for k in kolommen)
        return Kolomwaarde(waarde.soort, waarde.type, pl.col(naam), noemer)

    def herkomst_van(self, kolommen: Iterable[str]) -> frozenset[str]:
        """The werkset columns that columns depend on ('*': also on a step's result)."""
        return frozenset().union(*(self._herkomst.get(k, _ONBEKEND) if _is_hulp(k)
                                   else frozenset({k}) for k in kolommen))

    def enkel_datum(self, expr: pl.Expr) -> bool:
        """Does `expr` depend on one date column of the werkset only (then it is computed
        per date, `engine.vectorized_datum`)?"""
        herkomst = self.herkomst_van(expr.meta.root_names())
        return len(herkomst) == 1 and herkomst <= DATUMKOLOMMEN

    def per_waarde(self, bron: pl.Expr, functies: list[pl.Expr]) -> list[pl.Expr]:
        """Functions of one whole-number helper column `bron` (a month index, say), computed
        once per value between its smallest and largest value (`Waardestap`)."""
        self.spoel()
        namen = [self.nieuwe_naam("w") for _ in functies]
        kolommen = [f.alias(naam) for f, naam in zip(functies, namen, strict=True)]
        self.stappen.append(_Functiestap(Waardestap(bron.meta.output_name(), kolommen),
                                         frozenset({bron.meta.output_name()})))
        return [pl.col(naam) for naam in namen]

    def stap(self, stap: Stap, leest: Iterable[pl.Expr]) -> None:
        """Add a step that needs the helper columns so far (an aggregate, an explode);
        `leest`: the expressions it evaluates."""
        self.spoel()
        self.stappen.append(_Functiestap(stap, frozenset(_wortels(leest))))

    def spoel(self) -> None:
        """Turn the pending helper columns into one step."""
        if self._wachtend:
            laatste = self.stappen[-1] if self.stappen else None
            if isinstance(laatste, _Kolomstap):
                laatste.lagen.append(self._wachtend)
            else:
                self.stappen.append(_Kolomstap([self._wachtend]))
            self._wachtend, self._wachtende_namen = [], set()

    # ------------------------------------------------------------ expressions

    def vertaal(self, expr: ir.Expr) -> Kolomwaarde:
        methode = _VERTALINGEN.get(type(expr))
        if methode is None:
            raise CompilatieError(f"onbekend soort expressie: {type(expr).__name__}")
        waarde = methode(self, expr)
        if isinstance(expr, ir.Functie) and len(velden := self.velden(expr)) == 1 and (
            velden <= DATUMKOLOMMEN
        ):
            # a function of one date column: a helper column, so it is computed per date
            # (engine.vectorized_datum) instead of per row
            return self.hulpkolom(waarde)
        return waarde

    def velden(self, expr: Any) -> frozenset[str]:
        """The werkset columns an expression reads ('*': not row by row, an aggregate or
        the absences), including `begindatum` where a value's version depends on it."""
        bewaard = self._velden.get(expr)
        if bewaard is None:
            bewaard = self._velden[expr] = self._bepaal_velden(expr)
        return bewaard

    def _bepaal_velden(self, expr: Any) -> frozenset[str]:
        if isinstance(expr, ir.Veld):
            return frozenset({expr.naam})
        if isinstance(expr, ir.Aggregaat) or (
            isinstance(expr, ir.Functie) and expr.naam in _NIET_PER_RIJ
        ):
            return frozenset({"*"})
        if isinstance(expr, ir.Parameter):
            return _peil(self.regelboek.parameters.get(expr.naam, ()))
        if isinstance(expr, ir.Verwijzing):
            berekeningen = [b for b in self.regelboek.berekeningen if b.naam == expr.naam]
            return _peil(berekeningen).union(*(self.velden(b.expr) for b in berekeningen))
        delen = (getattr(expr, naam) for naam in getattr(expr, "__slots__", ()))
        return frozenset().union(*(self.velden(k) for d in delen for k in _kinderen(d)))

    def voorwaarde(self, expr: ir.Expr) -> pl.Expr:
        """A condition as a boolean expression; empty counts as false."""
        return self.vertaal(expr).teller.fill_null(False)

    def _constante(self, expr: ir.Constante) -> Kolomwaarde:
        return constante(expr.waarde, expr.type)

    def _veld(self, expr: ir.Veld) -> Kolomwaarde:
        definitie = PER_KOLOM.get(expr.naam)
        if definitie is None:
            raise CompilatieError(f"onbekend veld '{expr.naam}'")
        return Kolomwaarde(r.soort_van(definitie.type), definitie.type, pl.col(expr.naam))

    def _parameter(self, expr: ir.Parameter) -> Kolomwaarde:
        versies = self.regelboek.parameters.get(expr.naam)
        if not versies:
            raise CompilatieError(f"onbekende parameter '{expr.naam}'")
        if len(versies) == 1 and versies[0].geldig == ir.ALTIJD:
            return self._constante(versies[0].waarde)
        return self._per_versie([(v.geldig, self._constante(v.waarde)) for v in versies])

    def _per_versie(self, versies: list[tuple[ir.Geldigheid, Kolomwaarde]]) -> Kolomwaarde:
        """The version in force on the row's begindatum; none in force: empty."""
        eerste = versies[0][1]
        # `pl.when(...).then(...).when(...)...`: start the chain at the module itself
        teller: Any = pl
        noemer: Any = pl
        breuk = any(w.noemer is not None for _, w in versies)
        for geldig, waarde in versies:
            conditie = self.geldig(geldig)
            teller = teller.when(conditie).then(waarde.teller)
            noemer = noemer.when(conditie).then(waarde.noemer_expr)
        teller = teller.otherwise(None)
        noemer = noemer.otherwise(None) if breuk else None
        return Kolomwaarde(eerste.soort, eerste.type, teller, noemer)

    def _verwijzing(self, expr: ir.Verwijzing) -> Kolomwaarde:
        if expr.naam not in self._verwijzingen:
            versies = [b for b in self.regelboek.berekeningen if b.naam == expr.naam]
            if not versies:
                raise CompilatieError(f"onbekende waarde '{expr.naam}'")
            gecompileerd = [(b.geldig, self.vertaal(b.expr)) for b in versies]
            if len(gecompileerd) == 1 and gecompileerd[0][0] == ir.ALTIJD:
                waarde = gecompileerd[0][1]
            else:
                waarde = self._per_versie(gecompileerd)
            waarde = Kolomwaarde(waarde.soort, versies[0].type, waarde.teller, waarde.noemer)
            self._verwijzingen[expr.naam] = self.hulpkolom(waarde)
        return self._verwijzingen[expr.naam]

    def _rekensom(self, expr: ir.Rekensom) -> Kolomwaarde:
        links, rechts = self.vertaal(expr.links), self.vertaal(expr.rechts)
        type_ = self.type_van(expr)
        if links.soort == "datum":
            return _datumrekening(expr.op, links, rechts, self)
        if expr.op in ("+", "-"):
            links, rechts = gelijke_eenheid(links, rechts)
            return r.plus(links, rechts, type_, 1 if expr.op == "+" else -1)
        if expr.op == "*":
            return r.maal(_procent(links), _procent(rechts), type_)
        return r.gedeeld(links, rechts, type_)

    def _afronding(self, expr: ir.Afronding) -> Kolomwaarde:
        return r.rond_af(self.vertaal(expr.expr), expr.modus, Fraction(expr.stap))

    def _vergelijking(self, expr: ir.Vergelijking) -> Kolomwaarde:
        links, rechts = self.vertaal(expr.links), self.vertaal(expr.rechts)
        if links.soort == "getal":
            links, rechts = gelijke_eenheid(links, rechts)
        uitkomst = waarheid(r.vergelijk(expr.op, links, rechts))
        if {type(expr.links), type(expr.rechts)} <= {ir.Veld, ir.Constante}:
            # a field against a constant ("eenheid is 01", "debet credit is D") recurs in
            # many rules and aggregates: computed once, as a column of bits
            if expr not in self._vergelijkingen:
                self._vergelijkingen[expr] = self.hulpkolom(uitkomst)
            return self._vergelijkingen[expr]
        return uitkomst

    def geldig(self, geldig: ir.Geldigheid) -> pl.Expr:
        """`geldig.geldt_op(begindatum)` per row: a helper column per validity."""
        if geldig == ir.ALTIJD:
            return pl.lit(True)
        if geldig not in self._geldig:
            self._geldig[geldig] = self.hulpkolom(waarheid(geldig_op(geldig))).teller
        return self._geldig[geldig]

    def _in_lijst(self, expr: ir.InLijst) -> Kolomwaarde:
        waarde = self.vertaal(expr.expr)
        kandidaten = [self.vertaal(w) for w in expr.waarden]
        gelijk = [r.vergelijk("==", *gelijke_eenheid(waarde, k)) for k in kandidaten]
        erin = functools.reduce(lambda a, b: a | b, gelijk, pl.lit(False))
        if expr.negatief:
            return waarheid(waarde.bekend() & ~erin)
        return waarheid(erin)

    def _en(self, expr: ir.En) -> Kolomwaarde:
        delen = [self.vertaal(d).teller for d in expr.delen]
        return waarheid(functools.reduce(lambda a, b: a & b, delen, pl.lit(True)))

    def _of(self, expr: ir.Of) -> Kolomwaarde:
        delen = [self.vertaal(d).teller for d in expr.delen]
        return waarheid(functools.reduce(lambda a, b: a | b, delen, pl.lit(False)))

    def _niet(self, expr: ir.Niet) -> Kolomwaarde:
        return waarheid(~self.vertaal(expr.expr).teller)

    def _als(self, expr: ir.Als) -> Kolomwaarde:
        conditie = self.voorwaarde(expr.voorwaarde)
        dan, anders = self.vertaal(expr.dan), self.vertaal(expr.anders)
        if dan.soort == "getal":
            dan, anders = gelijke_eenheid(dan, anders)
        teller = pl.when(conditie).then(dan.teller).otherwise(anders.teller)
        noemer = None
        if dan.noemer is not None or anders.noemer is not None:
            noemer = pl.when(conditie).then(dan.noemer_expr).otherwise(anders.noemer_expr)
        return Kolomwaarde(dan.soort, self.type_van(expr), teller, noemer)

    def _functie(self, expr: ir.Functie) -> Kolomwaarde:
        from engine.vectorized_functies import FUNCTIES_POLARS

        implementatie = FUNCTIES_POLARS.get(expr.naam)
        if implementatie is None:
            raise CompilatieError(f"functie '{expr.naam}' heeft geen Polars-implementatie")
        argumenten = [self.vertaal(a) for a in expr.args]
        return implementatie(self, argumenten, self.type_van(expr))

    def _opzoeking(self, expr: ir.Opzoeking) -> Kolomwaarde:
        from engine.vectorized_opzoeking import opzoeking

        return opzoeking(self, expr, self._opzoekingen)

    def _aggregaat(self, expr: ir.Aggregaat) -> Kolomwaarde:
        from engine.vectorized_aggregaat import aggregaat

        if expr not in self._aggregaten:
            self._aggregaten[expr] = aggregaat(self, expr)
        return self._aggregaten[expr]


_PEILDATUM = frozenset({"begindatum"})
_NIET_PER_RIJ = frozenset({"afwezige_dagen", "vergoede_afwezige_dagen"})


def _peil(versies: Sequence[ir.ParameterWaarde | ir.Berekening]) -> frozenset[str]:
    """`begindatum` if the version in force depends on it."""
    return frozenset() if len(versies) == 1 and versies[0].geldig == ir.ALTIJD else _PEILDATUM


def _kinderen(waarde: object) -> Iterator[ir.Expr]:
    """The IR expressions in a field of an IR node (directly or in nested tuples)."""
    if isinstance(waarde, tuple):
        for deel in waarde:
            yield from _kinderen(deel)
    elif type(waarde) in _VERTALINGEN:
        yield waarde  # type: ignore[misc]


_VERTALINGEN: dict[type, Callable[[Vertaler, Any], Kolomwaarde]] = {
    ir.Constante: Vertaler._constante,
    ir.Veld: Vertaler._veld,
    ir.Parameter: Vertaler._parameter,
    ir.Verwijzing: Vertaler._verwijzing,
    ir.Rekensom: Vertaler._rekensom,
    ir.Afronding: Vertaler._afronding,
    ir.Vergelijking: Vertaler._vergelijking,
    ir.InLijst: Vertaler._in_lijst,
    ir.En: Vertaler._en,
    ir.Of: Vertaler._of,
    ir.Niet: Vertaler._niet,
    ir.Als: Vertaler._als,
    ir.Functie: Vertaler._functie,
    ir.Opzoeking: Vertaler._opzoeking,
    ir.Aggregaat: Vertaler._aggregaat,
}


# ---------------------------------------------------------------- helpers


def waarheid(expr: pl.Expr) -> Kolomwaarde:
    return Kolomwaarde("waarheid", ir.WAARHEID, expr)


def constante(waarde: ir.Waarde, type_: ir.Type) -> Kolomwaarde:
    if isinstance(waarde, bool):
        return waarheid(pl.lit(waarde, dtype=pl.Boolean))
    if isinstance(waarde, int | Fraction):
        return r.constante_getal(waarde, type_)
    if isinstance(waarde, str):
        return Kolomwaarde("tekst", type_, pl.lit(waarde, dtype=pl.String))
    if isinstance(waarde, date):
        return Kolomwaarde("datum", type_, pl.lit(waarde, dtype=pl.Date))
    dtypes = {"datum": pl.Date, "tekst": pl.String, "waarheid": pl.Boolean}
    dtype = dtypes.get(type_.soort, pl.Int64)
    return Kolomwaarde(r.soort_van(type_), type_, pl.lit(None, dtype=dtype))


def geldig_op(geldig: ir.Geldigheid, kolom: str = "begindatum") -> pl.Expr:
    """`geldig.geldt_op(begindatum)` per row."""
    conditie = pl.lit(True)
    if geldig.vanaf is not None:
        conditie = conditie & (pl.col(kolom) >= pl.lit(geldig.vanaf, dtype=pl.Date))
    if geldig.tot is not None:
        conditie = conditie & (pl.col(kolom) < pl.lit(geldig.tot, dtype=pl.Date))
    return conditie


def gelijke_eenheid(a: Kolomwaarde, b: Kolomwaarde) -> tuple[Kolomwaarde, Kolomwaarde]:
    """Where uur meets minuut, count the uur side in minuten."""
    if a.soort != "getal" or {a.type.eenheid, b.type.eenheid} != {"uur", "minuut"}:
        return a, b
    if a.type.eenheid == "uur":
        return r.schaal(a, Fraction(60)), b
    return a, r.schaal(b, Fraction(60))


def _procent(waarde: Kolomwaarde) -> Kolomwaarde:
    if waarde.soort == "getal" and waarde.type.eenheid == "procent":
        return r.schaal(waarde, Fraction(1, 100))
    return waarde


def _datumrekening(
    op: str, links: Kolomwaarde, rechts: Kolomwaarde, vertaler: Vertaler
) -> Kolomwaarde:
    if rechts.soort == "datum":
        if op != "-":
            raise CompilatieError("twee datums kunnen alleen van elkaar worden afgetrokken")
        dagen = (links.teller - rechts.teller).dt.total_days()
        return r.getal(dagen, None, ir.Type("getal", "dag"))
    aantal = rechts.teller // rechts.noemer_expr if rechts.noemer is not None else rechts.teller
    if op == "-":
        aantal = -aantal
    if rechts.type.eenheid == "maand":
        from engine.vectorized_functies import plus_maanden

        return Kolomwaarde("datum", ir.DATUM, plus_maanden(links.teller, aantal, vertaler))
    if rechts.type.eenheid == "week":
        aantal = aantal * 7
    return Kolomwaarde("datum", ir.DATUM, plus_dagen(links.teller, aantal))


def plus_dagen(datum: pl.Expr, aantal: pl.Expr) -> pl.Expr:
    return (datum.cast(pl.Int64) + aantal).cast(pl.Int32).cast(pl.Date)


def maak_plan(regelboek: ir.Regelboek, per_bericht: bool = False) -> Plan:
    """Compile every rule (condition and shown values) of a rule book."""
    vertaler = Vertaler(regelboek, per_bericht)
    plan = Plan()
    for regel in regelboek.regels:
        vuurt = vertaler.geldig(regel.geldig) & vertaler.voorwaarde(regel.voorwaarde)
        if regel.filter is not None:
            vuurt = vuurt & vertaler.voorwaarde(regel.filter)
        waarden = tuple((naam, vertaler.vertaal(e)) for naam, e in regel.waarden)
        plan.regels.append(GecompileerdeRegel(regel, vuurt, waarden))
    vertaler.spoel()
    levend = _wortels(g.vuurt for g in plan.regels) | _wortels(
        e for g in plan.regels for e in _waardekolommen(g))
    plan.stappen = _met_datumtabellen(vertaler.stappen, levend)
    for stap in reversed(plan.stappen):
        if isinstance(stap, _Kolomstap | _Functiestap):
            stap.ruim_op(levend)
    datums = {s.kolom for s in plan.stappen if isinstance(s, Datumstap)}
    plan.kolommen = frozenset({k for k in levend if not _is_hulp(k)} | datums | _ALTIJD_NODIG)
    return plan


_ALTIJD_NODIG = frozenset({"rij", "bericht", "bsn", "referentienummer", "aanbieder",
                           "declaratienummer"})
"""What the firings read besides the rules' expressions (the row, the groups of `_kleinste`)."""


def _met_datumtabellen(stappen: list[Stap], eind: set[str]) -> list[Stap]:
    """Move the helper columns that depend on one date column alone to a `Datumstap` per
    column, first in the plan; it gathers those the other steps read."""
    kolom_van = per_datum(s.lagen if isinstance(s, _Kolomstap) else None for s in stappen)
    per_kolom: dict[str, list[list[pl.Expr]]] = {}
    for stap in stappen:
        if not isinstance(stap, _Kolomstap):
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
    gelezen = set(eind) | _wortels(e for s in stappen if isinstance(s, _Kolomstap)
                                   for laag in s.lagen for e in laag)
    gelezen |= {n for s in stappen if isinstance(s, _Functiestap) for n in s.leest}
    nieuw: list[Stap] = []
    for kolom, lagen in per_kolom.items():
        nodig = [e.meta.output_name() for laag in lagen for e in laag
                 if e.meta.output_name() in gelezen]
        if nodig:
            nieuw.append(Datumstap(kolom, lagen, nodig))
    return nieuw + [s for s in stappen if not (isinstance(s, _Kolomstap) and not s.lagen)]


# ---------------------------------------------------------------- the backend

_PLANNEN: dict[tuple[int, str, bool], tuple[ir.Regelboek, Plan]] = {}


def plan_voor(regelboek: ir.Regelboek, per_bericht: bool = False) -> Plan:
    """The compiled plan, cached per Regelboek (a rule book is immutable)."""
    sleutel = (id(regelboek), regelboek.hash, per_bericht)
    bewaard = _PLANNEN.get(sleutel)
    if bewaard is None or bewaard[0] is not regelboek:
        if len(_PLANNEN) >= 16:
            _PLANNEN.pop(next(iter(_PLANNEN)))
        bewaard = (regelboek, maak_plan(regelboek, per_bericht))
        _PLANNEN[sleutel] = bewaard
    return bewaard[1]



class VectorizedBackend:
    """Backend 'vectorized': all rules over the whole werkset at once (Polars)."""

    naam = "vectorized"
    meerdere_berichten = True
    """takes a werkset of several messages at once (`engine.werkset.maak_werkset_reeks`)"""

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
    vuur = frame.lazy().select(g.vuurt.alias(f"_r{i}") for i, g in enumerate(plan.regels)).collect()
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


def _waardekolommen(gecompileerd: GecompileerdeRegel) -> list[pl.Expr]:
    kolommen: list[pl.Expr] = []
    for j, (_, waarde) in enumerate(gecompileerd.waarden):
        kolommen.append(waarde.teller.alias(f"_w{j}"))
        if waarde.soort == "getal" and waarde.noemer is not None:
            kolommen.append(waarde.noemer.alias(f"_w{j}_n"))
    return kolommen


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
        kolommen = _waardekolommen(gecompileerd)
        nodig = list(dict.fromkeys(n for k in kolommen for n in k.meta.root_names()))
        uitkomst = frame.select(nodig)[posities].select(kolommen)
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
    vertaler = Vertaler(regelboek, "bericht" in werkset.columns)
    waarde = vertaler.vertaal(expr)
    vertaler.spoel()
    geheugen: dict[str, Any] = {}
    for stap in vertaler.stappen:
        werkset = stap(werkset, geheugen)
    kolommen = [waarde.teller.alias("_w")]
    if waarde.soort == "getal" and waarde.noemer is not None:
        kolommen.append(waarde.noemer.alias("_w_n"))
    return _python_waarden(waarde, werkset.sort("rij").select(kolommen), "_w")
