"""The vectorized backend's compiler: IR expressions of one Regelboek to Polars expressions.

`PolarsCompiler.vertaal` turns an expression into a `Kolomwaarde` (engine.backends.vectorized
.rationaal), collecting the helper steps it needs: layers of row-wise columns (computed
values, table lookups as integer codes and gathers, `opzoeking`), aggregates over groupings
computed once per werkset (`aggregaat`, `groep`), absence counts (`afwezigheid`), and columns
that depend on one date column only, computed per date (`datum`). `plan` puts the steps of
a whole rule book in order; `backend` runs them.

Semantics (the same as the reference, `engine.backends.basis.referentie`): numbers are exact
(`rationaal`), a comparison with an empty value is false, arithmetic with an empty value is
empty, a rule is evaluated where its validity holds on `begindatum` and its filter holds.
Aggregates ignore empty values (the sum of nothing is 0, the maximum of nothing empty) and
count debit lines only unless the filter names `debet credit`/`creditprestatie`. uur and
minuut are converted (1 uur = 60 minuten) where they meet in + - and comparisons; `procent`
in a product scales by 1/100.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

import polars as pl

from engine import ir
from engine.backends.vectorized import rationaal as r
from engine.backends.vectorized.aggregaat import aggregaat
from engine.backends.vectorized.datum import DATUMKOLOMMEN, Waardestap
from engine.backends.vectorized.functies import FUNCTIES_POLARS, plus_maanden
from engine.backends.vectorized.opzoeking import opzoeking
from engine.backends.vectorized.rationaal import (
    CompilatieError,
    Kolomwaarde,
    gelijke_eenheid,
    waarheid,
)
from engine.velden import PER_KOLOM

Stap = Callable[[pl.DataFrame, dict[str, Any]], pl.DataFrame]
"""A plan step: the frame so far and a scratch dict of this evaluation (shared work such
as the exploded absence periods) -> the frame with its helper columns."""



@dataclass(slots=True)
class Kolomstap:
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
            self.weg[i] = sorted(n for n in gelezen if is_hulp(n) and n not in levend)
            levend |= gelezen
        behouden = [i for i, laag in enumerate(self.lagen) if laag]
        self.lagen = [self.lagen[i] for i in behouden]
        self.weg = [self.weg[i] for i in behouden]


@dataclass(slots=True)
class Functiestap:
    """Any other step (an aggregate, the absence periods): a function of the frame, with
    the columns it reads; `weg`: helper columns to drop after it."""

    functie: Stap
    leest: frozenset[str]
    weg: list[str] = field(default_factory=list)

    def __call__(self, frame: pl.DataFrame, geheugen: dict[str, Any]) -> pl.DataFrame:
        frame = self.functie(frame, geheugen)
        return frame.drop(self.weg) if self.weg else frame

    def ruim_op(self, levend: set[str]) -> None:
        self.weg = sorted(n for n in self.leest if is_hulp(n) and n not in levend)
        levend |= self.leest


_ONBEKEND = frozenset({"*"})


def is_hulp(kolom: str) -> bool:
    """A helper column of the plan (werkset columns never start with an underscore)."""
    return kolom.startswith("_")


def wortels(expressies: Iterable[pl.Expr]) -> set[str]:
    return {n for e in expressies for n in e.meta.root_names()}

class PolarsCompiler:
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

    def type(self, expr: ir.Expr) -> ir.Type:
        return self.regelboek.type(expr)

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
        return frozenset().union(*(self._herkomst.get(k, _ONBEKEND) if is_hulp(k)
                                   else frozenset({k}) for k in kolommen))

    def enkel_datum(self, expr: pl.Expr) -> bool:
        """Does `expr` depend on one date column of the werkset only (then it is computed
        per date, `datum`)?"""
        herkomst = self.herkomst_van(expr.meta.root_names())
        return len(herkomst) == 1 and herkomst <= DATUMKOLOMMEN

    def per_waarde(self, bron: pl.Expr, functies: list[pl.Expr]) -> list[pl.Expr]:
        """Functions of one whole-number helper column `bron` (a month index, say), computed
        once per value between its smallest and largest value (`Waardestap`)."""
        self.spoel()
        namen = [self.nieuwe_naam("w") for _ in functies]
        kolommen = [f.alias(naam) for f, naam in zip(functies, namen, strict=True)]
        self.stappen.append(Functiestap(Waardestap(bron.meta.output_name(), kolommen),
                                         frozenset({bron.meta.output_name()})))
        return [pl.col(naam) for naam in namen]

    def stap(self, stap: Stap, leest: Iterable[pl.Expr]) -> None:
        """Add a step that needs the helper columns so far (an aggregate, an explode);
        `leest`: the expressions it evaluates."""
        self.spoel()
        self.stappen.append(Functiestap(stap, frozenset(wortels(leest))))

    def spoel(self) -> None:
        """Turn the pending helper columns into one step."""
        if self._wachtend:
            laatste = self.stappen[-1] if self.stappen else None
            if isinstance(laatste, Kolomstap):
                laatste.lagen.append(self._wachtend)
            else:
                self.stappen.append(Kolomstap([self._wachtend]))
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
            # (`datum`) instead of per row
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
        type_ = self.type(expr)
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
        return Kolomwaarde(dan.soort, self.type(expr), teller, noemer)

    def _functie(self, expr: ir.Functie) -> Kolomwaarde:
        implementatie = FUNCTIES_POLARS.get(expr.naam)
        if implementatie is None:
            raise CompilatieError(f"functie '{expr.naam}' heeft geen Polars-implementatie")
        argumenten = [self.vertaal(a) for a in expr.args]
        return implementatie(self, argumenten, self.type(expr))

    def _opzoeking(self, expr: ir.Opzoeking) -> Kolomwaarde:
        return opzoeking(self, expr, self._opzoekingen)

    def _aggregaat(self, expr: ir.Aggregaat) -> Kolomwaarde:
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


_VERTALINGEN: dict[type, Callable[[PolarsCompiler, Any], Kolomwaarde]] = {
    ir.Constante: PolarsCompiler._constante,
    ir.Veld: PolarsCompiler._veld,
    ir.Parameter: PolarsCompiler._parameter,
    ir.Verwijzing: PolarsCompiler._verwijzing,
    ir.Rekensom: PolarsCompiler._rekensom,
    ir.Afronding: PolarsCompiler._afronding,
    ir.Vergelijking: PolarsCompiler._vergelijking,
    ir.InLijst: PolarsCompiler._in_lijst,
    ir.En: PolarsCompiler._en,
    ir.Of: PolarsCompiler._of,
    ir.Niet: PolarsCompiler._niet,
    ir.Als: PolarsCompiler._als,
    ir.Functie: PolarsCompiler._functie,
    ir.Opzoeking: PolarsCompiler._opzoeking,
    ir.Aggregaat: PolarsCompiler._aggregaat,
}


# ---------------------------------------------------------------- helpers


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


def _procent(waarde: Kolomwaarde) -> Kolomwaarde:
    if waarde.soort == "getal" and waarde.type.eenheid == "procent":
        return r.schaal(waarde, Fraction(1, 100))
    return waarde


def _datumrekening(
    op: str, links: Kolomwaarde, rechts: Kolomwaarde, vertaler: PolarsCompiler
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
        return Kolomwaarde("datum", ir.DATUM, plus_maanden(links.teller, aantal, vertaler))
    if rechts.type.eenheid == "week":
        aantal = aantal * 7
    return Kolomwaarde("datum", ir.DATUM, plus_dagen(links.teller, aantal))


def plus_dagen(datum: pl.Expr, aantal: pl.Expr) -> pl.Expr:
    return (datum.cast(pl.Int64) + aantal).cast(pl.Int32).cast(pl.Date)
