"""The reference semantics of the IR: an exact evaluator for one werkset row at a time.

`evalueer(expr, rij, omgeving)` gives the value of any `engine.ir` expression on a row
(a mapping of werkset column -> value), where `Omgeving` holds the Regelboek (parameters,
computed values, tables) and the werkset's rows (for aggregates). It is slow and plain on
purpose: every backend must agree with it (the scalar backend is this evaluator, row by
row; the rete backend uses it for what durable-rules cannot compute), and a test or a lawyer's
question ("why did this rule fire?") can always fall back on it.

Meaning, in the words of `engine.ir`, made precise:
- numbers are int or `Fraction`, never float; a whole fraction is returned as int;
  only `Afronding` rounds (naar_boven = ceiling, naar_beneden = floor, rekenkundig = half
  away from zero) to a whole multiple of `stap`; division by zero is empty (None);
- arithmetic with None is None; a comparison (and `InLijst`) with None is False;
- logic is three-valued (Kleene): `niet None` is None, `None en onwaar` is onwaar,
  `None of waar` is waar; a condition that ends up None does not hold;
- where uur meets minuut (in + and -, comparisons, `Als` branches, kleinste/grootste) the
  uur side counts in minutes (x 60); a `procent` factor in a product scales by 1/100;
- on a date, + and - add days (or weeks/months, by the unit of the number, rounded down);
  date - date is a number of days;
- parameters, computed values, rules and table rows are taken in the version in force on
  the row's `begindatum` (an unbounded validity holds even without one);
- an `Aggregaat` runs over the omgeving's rows of the same message (column `bericht`, when
  the werkset holds several) with the same `groep` values (None groups with None) in the
  same period of `begindatum`; only debit lines (`debet_credit` "D") take part unless its
  filter names `debet_credit` or `is_credit`; empty values are skipped; the sum of nothing
  is 0, the count of nothing 0, the mean/maximum/minimum of nothing None.
"""

from __future__ import annotations

import math
import operator
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields, is_dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, cast

from engine import ir
from engine.backends.basis import Treffer
from engine.backends.basis.functies import FUNCTIES_PYTHON, Periode, normaal, plus_maanden
from engine.velden import PER_KOLOM

Getal = int | Fraction

Rij = Mapping[str, Any]
"""One werkset row: column -> value (as `polars.DataFrame.to_dicts()` gives it)."""


class EvaluatieError(Exception):
    """An expression cannot be evaluated (a compiler defect, never the provider's input)."""


_VERGELIJKINGEN: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_DEBET_VELDEN = frozenset({"debet_credit", "is_credit"})


def is_getal(waarde: object) -> bool:
    return type(waarde) is int or type(waarde) is Fraction


def geldt(geldig: ir.Geldigheid, peildatum: object) -> bool:
    """`geldig.geldt_op(peildatum)`; an unbounded validity holds even without a date."""
    if geldig.vanaf is None and geldig.tot is None:
        return True
    return isinstance(peildatum, date) and geldig.geldt_op(peildatum)


def rond_af(waarde: int | Fraction, modus: ir.Afrondingsmodus, stap: Fraction) -> int | Fraction:
    """`waarde` rounded to a whole multiple of `stap` by the named mode."""
    q = Fraction(waarde) / stap
    if modus == "naar_boven":
        k = math.ceil(q)
    elif modus == "naar_beneden":
        k = math.floor(q)
    else:
        k = math.floor(abs(q) + Fraction(1, 2)) * (1 if q >= 0 else -1)
    return normaal(k * stap)


def noemt_debet_credit(expr: object) -> bool:
    """Does an aggregate's filter say something about debit/credit (then it alone decides)?"""
    if isinstance(expr, ir.Veld):
        return expr.naam in _DEBET_VELDEN
    if isinstance(expr, tuple):
        return any(noemt_debet_credit(deel) for deel in expr)
    if is_dataclass(expr) and not isinstance(expr, type):
        return any(noemt_debet_credit(getattr(expr, f.name)) for f in fields(expr))
    return False


def periodesleutel(periode: ir.Periode, datum: object) -> tuple[object, ...]:
    """Equal for dates in the same period; () for the whole message."""
    if periode == "geheel" or not isinstance(datum, date):
        return () if periode == "geheel" else (None,)
    if periode == "maand":
        return (datum.year, datum.month)
    if periode == "isoweek":
        return tuple(datum.isocalendar())[:2]
    if periode == "kwartaal":
        return (datum.year, (datum.month - 1) // 3)
    return (datum.year,)


def perioden_van(rij: Rij) -> list[Periode]:
    """The row's absence periods as (van, tot) pairs, whatever shape the column has."""
    uit: list[Periode] = []
    for p in rij.get("afwezigheden") or ():
        if isinstance(p, Mapping):
            uit.append((p["van"], p["tot"]))
        elif isinstance(p, tuple):
            uit.append((p[0], p[1]))
        else:
            uit.append((p.van, p.tot))
    return uit


class Omgeving:
    """What an expression may read besides its row: the Regelboek and the werkset's rows.

    Caches types, table indexes, aggregates per group and computed values per row, so a
    whole werkset evaluates in linear time. Build one per werkset."""

    def __init__(self, regelboek: ir.Regelboek, rijen: Sequence[Rij] = ()) -> None:
        self.regelboek = regelboek
        self.rijen = rijen
        self._berekeningen: dict[str, list[ir.Berekening]] = defaultdict(list)
        for berekening in regelboek.berekeningen:
            self._berekeningen[berekening.naam].append(berekening)
        self._types: dict[int, tuple[ir.Expr, ir.Type]] = {}
        self._aggregaten: dict[int, tuple[ir.Aggregaat, dict[tuple[object, ...], ir.Waarde]]] = {}
        self._per_rij: dict[int, tuple[Rij, dict[str, ir.Waarde]]] = {}

    def type(self, expr: ir.Expr) -> ir.Type:
        """The checker's type of `expr` (kept by identity: the rule book's table hashes the
        whole expression, too slow once per row)."""
        bewaard = self._types.get(id(expr))
        if bewaard is None or bewaard[0] is not expr:
            bewaard = (expr, self.regelboek.type(expr))
            self._types[id(expr)] = bewaard
        return bewaard[1]

    def berekeningen(self, naam: str) -> list[ir.Berekening]:
        versies = self._berekeningen.get(naam)
        if not versies:
            raise EvaluatieError(f"onbekende waarde '{naam}'")
        return versies

    def rijcache(self, rij: Rij) -> dict[str, ir.Waarde]:
        """Computed values of one row (the row is kept, so its id stays its own)."""
        bewaard = self._per_rij.get(id(rij))
        if bewaard is None or bewaard[0] is not rij:
            bewaard = (rij, {})
            self._per_rij[id(rij)] = bewaard
        return bewaard[1]

    def tabelindex(
        self, tabel: ir.Tabel, kolommen: tuple[str, ...]
    ) -> dict[tuple[object, ...], list[int]]:
        """Row numbers of a table by the values of its key columns (kept with the rule book
        across werksets: a Regelboek, and so its tables, is immutable)."""
        return self.regelboek.afgeleid.geef(("referentie.tabelindex", tabel.naam, kolommen),
                                            lambda: tabelindex(tabel, kolommen))

    def aggregaat(self, expr: ir.Aggregaat) -> dict[tuple[object, ...], ir.Waarde]:
        bewaard = self._aggregaten.get(id(expr))
        if bewaard is None or bewaard[0] is not expr:
            bewaard = (expr, _bereken_aggregaat(expr, self))
            self._aggregaten[id(expr)] = bewaard
        return bewaard[1]


def tabelindex(tabel: ir.Tabel, kolommen: tuple[str, ...]) -> dict[tuple[object, ...], list[int]]:
    """Row numbers of a table by the values of its key columns."""
    posities = [_kolomindex(tabel, k) for k in kolommen]
    index: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, rij in enumerate(tabel.rijen):
        index[tuple(_sleutelwaarde(rij[p]) for p in posities)].append(i)
    return dict(index)


def _kolomindex(tabel: ir.Tabel, naam: str) -> int:
    for i, kolom in enumerate(tabel.kolommen):
        if kolom.naam == naam:
            return i
    raise EvaluatieError(f"tabel '{tabel.naam}' heeft geen kolom '{naam}'")


def _sleutelwaarde(waarde: object) -> object:
    """A key as it is matched: whole fractions as int (so 3 == Fraction(3))."""
    return normaal(waarde) if isinstance(waarde, Fraction) else waarde


# ---------------------------------------------------------------- the evaluator


def evalueer(expr: ir.Expr, rij: Rij, omgeving: Omgeving) -> ir.Waarde:
    """The exact value of `expr` on `rij`."""
    methode = _METHODEN.get(type(expr))
    if methode is None:
        raise EvaluatieError(f"onbekend soort expressie: {type(expr).__name__}")
    return methode(expr, rij, omgeving)


def waar(expr: ir.Expr, rij: Rij, omgeving: Omgeving) -> bool:
    """Does a condition hold? (None, the unknown, does not.)"""
    return evalueer(expr, rij, omgeving) is True


def _constante(expr: ir.Constante, _: Rij, __: Omgeving) -> ir.Waarde:
    waarde = expr.waarde
    return normaal(waarde) if isinstance(waarde, Fraction) else waarde


def _veld(expr: ir.Veld, rij: Rij, _: Omgeving) -> ir.Waarde:
    if expr.naam not in PER_KOLOM:
        raise EvaluatieError(f"onbekend veld '{expr.naam}'")
    waarde: ir.Waarde = rij.get(expr.naam)
    return waarde


def _parameter(expr: ir.Parameter, rij: Rij, omgeving: Omgeving) -> ir.Waarde:
    versies = omgeving.regelboek.parameters.get(expr.naam)
    if not versies:
        raise EvaluatieError(f"onbekende parameter '{expr.naam}'")
    for versie in versies:
        if geldt(versie.geldig, rij.get("begindatum")):
            return _constante(versie.waarde, rij, omgeving)
    return None


def _verwijzing(expr: ir.Verwijzing, rij: Rij, omgeving: Omgeving) -> ir.Waarde:
    cache = omgeving.rijcache(rij)
    if expr.naam not in cache:
        cache[expr.naam] = None
        for versie in omgeving.berekeningen(expr.naam):
            if geldt(versie.geldig, rij.get("begindatum")):
                cache[expr.naam] = evalueer(versie.expr, rij, omgeving)
                break
    return cache[expr.naam]


def _periodetotaal(expr: ir.Periodetotaal, rij: Rij, _: Omgeving) -> ir.Waarde:
    """A period total, computed over the ledger beforehand (engine.periode): the row of a
    period rule is one group, its totals under 'periodetotalen'."""
    totalen = rij.get("periodetotalen")
    if totalen is None or expr not in totalen:
        raise EvaluatieError("een periodetotaal buiten een regel per periode")
    waarde: ir.Waarde = totalen[expr]
    return normaal(waarde) if isinstance(waarde, Fraction) else waarde


def gelijke_eenheid(
    a: ir.Waarde, ta: ir.Type, b: ir.Waarde, tb: ir.Type
) -> tuple[ir.Waarde, ir.Waarde]:
    """Where uur meets minuut, count the uur side in minutes."""
    if {ta.eenheid, tb.eenheid} != {"uur", "minuut"}:
        return a, b
    if ta.eenheid == "uur":
        return (normaal(cast(Getal, a) * 60) if is_getal(a) else a), b
    return a, (normaal(cast(Getal, b) * 60) if is_getal(b) else b)


def _procent(waarde: Getal, type_: ir.Type) -> Getal:
    return Fraction(waarde) / 100 if type_.eenheid == "procent" else waarde


def _rekensom(expr: ir.Rekensom, rij: Rij, omgeving: Omgeving) -> ir.Waarde:
    links, rechts = evalueer(expr.links, rij, omgeving), evalueer(expr.rechts, rij, omgeving)
    if links is None or rechts is None:
        return None
    if isinstance(links, date):
        return _datumrekening(expr, links, rechts, omgeving.type(expr.rechts))
    if not (is_getal(links) and is_getal(rechts)):
        raise EvaluatieError(f"kan niet rekenen met {links!r} {expr.op} {rechts!r}")
    tl, tr = omgeving.type(expr.links), omgeving.type(expr.rechts)
    a, b = cast(Getal, links), cast(Getal, rechts)
    if expr.op in ("+", "-"):
        x, y = gelijke_eenheid(a, tl, b, tr)
        a, b = cast(Getal, x), cast(Getal, y)
        return normaal(a + b if expr.op == "+" else a - b)
    if expr.op == "*":
        return normaal(_procent(a, tl) * _procent(b, tr))
    if b == 0:
        return None
    if isinstance(a, int) and isinstance(b, int) and a % b == 0:
        return a // b
    return normaal(Fraction(a) / b)


def _datumrekening(expr: ir.Rekensom, links: date, rechts: ir.Waarde, tr: ir.Type) -> ir.Waarde:
    if isinstance(rechts, date):
        if expr.op != "-":
            raise EvaluatieError("twee datums kunnen alleen van elkaar worden afgetrokken")
        return (links - rechts).days
    if not is_getal(rechts) or expr.op not in ("+", "-"):
        raise EvaluatieError(f"kan niet rekenen met {links!r} {expr.op} {rechts!r}")
    aantal = math.floor(rechts)  # type: ignore[arg-type]
    if expr.op == "-":
        aantal = -aantal
    if tr.eenheid == "maand":
        return plus_maanden(links, aantal)
    return links + timedelta(days=aantal * 7 if tr.eenheid == "week" else aantal)


def _afronding(expr: ir.Afronding, rij: Rij, omgeving: Omgeving) -> ir.Waarde:
    waarde = evalueer(expr.expr, rij, omgeving)
    if waarde is None:
        return None
    if not is_getal(waarde):
        raise EvaluatieError(f"kan {waarde!r} niet afronden")
    return rond_af(waarde, expr.modus, Fraction(expr.stap))  # type: ignore[arg-type]


def vergelijk(op: str, links: ir.Waarde, rechts: ir.Waarde) -> bool:
    """The comparison; False when either side is empty."""
    if links is None or rechts is None:
        return False
    try:
        return _VERGELIJKINGEN[op](links, rechts)
    except TypeError as fout:
        raise EvaluatieError(f"kan {links!r} en {rechts!r} niet vergelijken") from fout


def _vergelijking(expr: ir.Vergelijking, rij: Rij, omgeving: Omgeving) -> ir.Waarde:
    links, rechts = evalueer(expr.links, rij, omgeving), evalueer(expr.rechts, rij, omgeving)
    links, rechts = gelijke_eenheid(
        links, omgeving.type(expr.links), rechts, omgeving.type(expr.rechts)
    )
    return vergelijk(expr.op, links, rechts)


def _in_lijst(expr: ir.InLijst, rij: Rij, omgeving: Omgeving) -> ir.Waarde:
    waarde = evalueer(expr.expr, rij, omgeving)
    type_ = omgeving.type(expr.expr)
    erin = False
    for kandidaat in expr.waarden:
        a, b = gelijke_eenheid(
            waarde, type_, evalueer(kandidaat, rij, omgeving), omgeving.type(kandidaat)
        )
        erin = erin or vergelijk("==", a, b)
    if expr.negatief:
        return waarde is not None and not erin
    return erin


def _en(expr: ir.En, rij: Rij, omgeving: Omgeving) -> ir.Waarde:
    onbekend = False
    for deel in expr.delen:
        waarde = evalueer(deel, rij, omgeving)
        if waarde is False:
            return False
        onbekend = onbekend or waarde is None
    return None if onbekend else True


def _of(expr: ir.Of, rij: Rij, omgeving: Omgeving) -> ir.Waarde:
    onbekend = False
    for deel in expr.delen:
        waarde = evalueer(deel, rij, omgeving)
        if waarde is True:
            return True
        onbekend = onbekend or waarde is None
    return None if onbekend else False


def _niet(expr: ir.Niet, rij: Rij, omgeving: Omgeving) -> ir.Waarde:
    waarde = evalueer(expr.expr, rij, omgeving)
    return None if waarde is None else not waarde


def _als(expr: ir.Als, rij: Rij, omgeving: Omgeving) -> ir.Waarde:
    gekozen, ander = (expr.dan, expr.anders)
    if not waar(expr.voorwaarde, rij, omgeving):
        gekozen, ander = ander, gekozen
    waarde = evalueer(gekozen, rij, omgeving)
    tg, ta = omgeving.type(gekozen), omgeving.type(ander)
    return gelijke_eenheid(waarde, tg, None, ta)[0] if tg.eenheid == "uur" else waarde


def _functie(expr: ir.Functie, rij: Rij, omgeving: Omgeving) -> ir.Waarde:
    implementatie = FUNCTIES_PYTHON.get(expr.naam)
    if implementatie is None:
        raise EvaluatieError(f"onbekende functie '{expr.naam}'")
    args = [evalueer(a, rij, omgeving) for a in expr.args]
    if expr.naam in ("kleinste", "grootste"):
        t0, t1 = omgeving.type(expr.args[0]), omgeving.type(expr.args[1])
        args = list(gelijke_eenheid(args[0], t0, args[1], t1))
    perioden = perioden_van(rij) if expr.naam.endswith("afwezige_dagen") else []
    uitkomst = implementatie(args, perioden)
    return normaal(uitkomst) if isinstance(uitkomst, Fraction) else uitkomst


def _opzoeking(expr: ir.Opzoeking, rij: Rij, omgeving: Omgeving) -> ir.Waarde:
    tabel = omgeving.regelboek.tabellen.get(expr.tabel)
    if tabel is None:
        raise EvaluatieError(f"onbekende tabel '{expr.tabel}'")
    kolom = _kolomindex(tabel, expr.kolom)
    sleutel = tuple(_sleutelwaarde(evalueer(e, rij, omgeving)) for _, e in expr.sleutels)
    peildatum = evalueer(expr.peildatum, rij, omgeving)
    if any(s is None or isinstance(s, Fraction) for s in sleutel) or peildatum is None:
        return None
    index = omgeving.tabelindex(tabel, tuple(k for k, _ in expr.sleutels))
    for i in index.get(sleutel, ()):
        geldig = tabel.geldigheid[i] if tabel.geldigheid else ir.ALTIJD
        if geldt(geldig, peildatum):
            waarde = tabel.rijen[i][kolom]
            return normaal(waarde) if isinstance(waarde, Fraction) else waarde
    return None


def groepsleutel(expr: ir.Aggregaat, rij: Rij) -> tuple[object, ...]:
    """The row's group: its message (`bericht`, in a werkset of several), the `groep`
    columns and the period of its begindatum."""
    groep = (rij.get("bericht"), *(rij.get(kolom) for kolom in expr.groep))
    return groep + periodesleutel(expr.periode, rij.get("begindatum"))


def _bereken_aggregaat(
    expr: ir.Aggregaat, omgeving: Omgeving
) -> dict[tuple[object, ...], ir.Waarde]:
    alleen_debet = not noemt_debet_credit(expr.filter)
    tellingen: dict[tuple[object, ...], int] = defaultdict(int)
    waarden: dict[tuple[object, ...], list[Fraction]] = defaultdict(list)
    for rij in omgeving.rijen:
        sleutel = groepsleutel(expr, rij)
        if alleen_debet and rij.get("debet_credit") != "D":
            continue
        if expr.filter is not None and not waar(expr.filter, rij, omgeving):
            continue
        tellingen[sleutel] += 1
        if expr.expr is not None and expr.functie != "aantal":
            waarde = evalueer(expr.expr, rij, omgeving)
            if waarde is not None:
                waarden[sleutel].append(Fraction(waarde))  # type: ignore[arg-type]
    if expr.functie == "aantal" or expr.expr is None:
        return dict(tellingen)
    return {sleutel: _reken(expr.functie, lijst) for sleutel, lijst in waarden.items()}


def _reken(functie: str, waarden: list[Fraction]) -> ir.Waarde:
    if functie == "som":
        return normaal(sum(waarden, Fraction(0)))
    if not waarden:
        return None
    if functie == "maximum":
        return normaal(max(waarden))
    if functie == "minimum":
        return normaal(min(waarden))
    return normaal(sum(waarden, Fraction(0)) / len(waarden))


def _aggregaat(expr: ir.Aggregaat, rij: Rij, omgeving: Omgeving) -> ir.Waarde:
    per_groep = omgeving.aggregaat(expr)
    sleutel = groepsleutel(expr, rij)
    if sleutel in per_groep:
        return per_groep[sleutel]
    leeg_is_nul = expr.functie in ("som", "aantal") or expr.expr is None
    return 0 if leeg_is_nul else None


_METHODEN: dict[type, Callable[[Any, Rij, Omgeving], ir.Waarde]] = {
    ir.Constante: _constante,
    ir.Veld: _veld,
    ir.Parameter: _parameter,
    ir.Verwijzing: _verwijzing,
    ir.Rekensom: _rekensom,
    ir.Afronding: _afronding,
    ir.Vergelijking: _vergelijking,
    ir.InLijst: _in_lijst,
    ir.En: _en,
    ir.Of: _of,
    ir.Niet: _niet,
    ir.Als: _als,
    ir.Functie: _functie,
    ir.Opzoeking: _opzoeking,
    ir.Aggregaat: _aggregaat,
    ir.Periodetotaal: _periodetotaal,
}


# ---------------------------------------------------------------- rules


def vuurt(regel: ir.Regel, rij: Rij, omgeving: Omgeving) -> bool:
    """Is the rule in force on the row's begindatum, does its filter hold, and its condition?"""
    if not geldt(regel.geldig, rij.get("begindatum")):
        return False
    if regel.filter is not None and not waar(regel.filter, rij, omgeving):
        return False
    return waar(regel.voorwaarde, rij, omgeving)


def treffer(regel: ir.Regel, rij: Rij, omgeving: Omgeving) -> Treffer:
    """The firing of `regel` on `rij`, with the values it shows."""
    waarden = tuple((naam, evalueer(e, rij, omgeving)) for naam, e in regel.waarden)
    return Treffer(int(rij["rij"]), regel.id, waarden)


def treffers(regelboek: ir.Regelboek, rijen: Sequence[Rij]) -> Iterator[Treffer]:
    """Every firing of every rule on every row, in row then rule order."""
    omgeving = Omgeving(regelboek, rijen)
    for rij in rijen:
        for regel in regelboek.regels:
            if vuurt(regel, rij, omgeving):
                yield treffer(regel, rij, omgeving)
