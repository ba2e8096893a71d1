"""`Opzoeking` in the vectorized backend: table lookups as integer arithmetic and gathers.

A join of a million rows on text keys and a date range costs far more than the lookup
itself, while the tables are small. So per lookup (once per plan) the table is indexed:
every key column's distinct values get a code, the table's validity dates cut time into
intervals, and for every (key codes, interval) the first valid table row is precomputed.
Per row that leaves row-wise expressions: a `replace_strict` per key, a `search_sorted` of
the peildatum among the interval bounds, and a `gather` into the precomputed row numbers
(a helper column shared by every lookup in the same table with the same keys and
peildatum). Semantics as the scalar reference: the first table row (in table order) whose
keys are equal and whose validity holds on the peildatum; an empty key, a key that is a
fraction that is not whole, or an empty peildatum finds nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import polars as pl

from engine import ir
from engine.backends.vectorized import rationaal as r
from engine.backends.vectorized.rationaal import CompilatieError, Kolomwaarde

if TYPE_CHECKING:
    from engine.backends.vectorized.compiler import PolarsCompiler

_DTYPE = {"tekst": pl.String(), "datum": pl.Date(), "waarheid": pl.Boolean()}

_MAXIMALE_INDEX = 10_000_000
"""Key combinations x intervals beyond this: too large a precomputed index (not expected for
contract tables of at most thousands of rows); the compiler refuses such a lookup."""


def opzoeking(vertaler: PolarsCompiler, expr: ir.Opzoeking, memo: dict[Any, str]) -> Kolomwaarde:
    tabel = vertaler.regelboek.tabellen.get(expr.tabel)
    if tabel is None:
        raise CompilatieError(f"onbekende tabel '{expr.tabel}'")
    sleutel = (expr.tabel, expr.sleutels, expr.peildatum)
    if sleutel not in memo:
        memo[sleutel] = _rijnummer(vertaler, tabel, expr, memo)
    return _kolom(tabel, memo[sleutel], expr.kolom)


def _rijnummer(
    vertaler: PolarsCompiler, tabel: ir.Tabel, expr: ir.Opzoeking, memo: dict[Any, str]
) -> str:
    """A helper column: per row the number of the table row it finds (empty: none)."""
    kolommen = [kolom for kolom, _ in expr.sleutels]
    index = [_kolomindex(tabel, kolom) for kolom in kolommen]
    codes = [_codes(tabel, i) for i in index]
    grenzen = sorted({d for g in _geldigheden(tabel) for d in (g.vanaf, g.tot) if d is not None})
    intervallen = len(grenzen) + 1
    breedte = intervallen
    for lijst in codes:
        breedte *= max(len(lijst), 1)
    if breedte > _MAXIMALE_INDEX:
        raise CompilatieError(f"tabel '{tabel.naam}' is te groot om op te zoeken")
    code: pl.Expr = pl.lit(0 if all(codes) else None, dtype=pl.Int64)
    for (_, e), kolom, lijst in zip(expr.sleutels, index, codes, strict=True):
        if lijst:
            dtype = _DTYPE.get(tabel.kolommen[kolom].type.soort, pl.Int64())
            code = code * len(lijst) + _code(vertaler, e, pl.Series(lijst, dtype=dtype), memo)
    peil = vertaler.vertaal(expr.peildatum).teller
    interval: pl.Expr = pl.lit(0, dtype=pl.Int64)
    if grenzen:
        interval = pl.lit(pl.Series(grenzen, dtype=pl.Date)).search_sorted(
            peil, side="right").cast(pl.Int64)
    rijen = pl.Series(_rijen(tabel, index, codes, grenzen), dtype=pl.UInt32)
    # UInt32 like Polars' own row numbers: other index types are converted per gather
    gevonden = pl.lit(rijen).gather((code * intervallen + interval).cast(pl.UInt32))
    gevonden = pl.when(peil.is_not_null()).then(gevonden)
    return vertaler.hulpkolom(r.getal(gevonden, None, ir.Type("getal"))).teller.meta.output_name()


def _code(
    vertaler: PolarsCompiler, sleutel: ir.Expr, lijst: pl.Series, memo: dict[Any, str]
) -> pl.Expr:
    """The position of the key's value in `lijst` (empty if absent). A key that is a plain
    column is coded once for every lookup on it (`_unie`: hashing a million texts costs
    more than the rest of a lookup), then mapped to `lijst` by a small gather."""
    unie = _unie(vertaler, sleutel.naam, lijst.dtype, memo) if isinstance(sleutel, ir.Veld) \
        else []
    if not isinstance(sleutel, ir.Veld) or not set(lijst.to_list()) <= set(unie):
        # a computed key, or a lookup outside the rule book's rules (in a test)
        return _sleutel(vertaler.vertaal(sleutel)).replace_strict(
            lijst, list(range(lijst.len())), default=None, return_dtype=pl.Int64)
    bewaard = ("code", sleutel.naam, lijst.dtype)
    if bewaard not in memo:
        code = _sleutel(vertaler.vertaal(sleutel)).replace_strict(
            pl.Series(unie, dtype=lijst.dtype), list(range(len(unie))), default=None,
            return_dtype=pl.UInt32)
        memo[bewaard] = vertaler.hulpkolom(r.getal(code, None, ir.GETAL)).teller.meta.output_name()
    positie = {w: i for i, w in enumerate(lijst.to_list())}
    naar_lijst = pl.Series([positie.get(w) for w in unie], dtype=pl.Int64)
    return pl.lit(naar_lijst).gather(pl.col(memo[bewaard]))


def _unie(
    vertaler: PolarsCompiler, veld: str, dtype: pl.DataType, memo: dict[Any, Any]
) -> list[Any]:
    """Every value of every table column that a lookup matches with field `veld`."""
    sleutel = ("unie", veld, dtype)
    if sleutel not in memo:
        waarden: dict[Any, None] = {}
        for expr in _opzoekingen(vertaler.regelboek):
            tabel = vertaler.regelboek.tabellen.get(expr.tabel)
            for kolom, e in expr.sleutels:
                if tabel is not None and e == ir.Veld(veld):
                    index = _kolomindex(tabel, kolom)
                    if _DTYPE.get(tabel.kolommen[index].type.soort, pl.Int64()) == dtype:
                        waarden.update(dict.fromkeys(_codes(tabel, index)))
        memo[sleutel] = list(waarden)
    uitkomst: list[Any] = memo[sleutel]
    return uitkomst


def _opzoekingen(regelboek: ir.Regelboek) -> Iterator[ir.Opzoeking]:
    """Every lookup in the rule book's rules and computed values."""
    bronnen: list[Any] = [b.expr for b in regelboek.berekeningen]
    bronnen += [(r.voorwaarde, r.filter, r.waarden) for r in regelboek.regels]
    stapel = bronnen
    while stapel:
        deel = stapel.pop()
        if isinstance(deel, tuple):
            stapel.extend(deel)
        elif hasattr(deel, "__slots__"):
            if isinstance(deel, ir.Opzoeking):
                yield deel
            stapel.extend(getattr(deel, naam) for naam in deel.__slots__)


def _sleutel(waarde: Kolomwaarde) -> pl.Expr:
    """A key value; a fraction that is not whole matches nothing."""
    if waarde.noemer is None:
        return waarde.teller
    return pl.when(waarde.teller % waarde.noemer == 0).then(waarde.teller // waarde.noemer)


def _geldigheden(tabel: ir.Tabel) -> tuple[ir.Geldigheid, ...]:
    return tuple(tabel.geldigheid) or (ir.ALTIJD,) * len(tabel.rijen)


def _kolomindex(tabel: ir.Tabel, naam: str) -> int:
    for i, kolom in enumerate(tabel.kolommen):
        if kolom.naam == naam:
            return i
    raise CompilatieError(f"tabel '{tabel.naam}' heeft geen kolom '{naam}'")


def _als_sleutel(waarde: ir.Waarde) -> ir.Waarde:
    """A table value as it is matched: whole fractions as int; None if it can match nothing
    (empty, or a fraction that is not whole)."""
    if isinstance(waarde, Fraction):
        return int(waarde) if waarde.denominator == 1 else None
    return waarde


def _codes(tabel: ir.Tabel, kolom: int) -> list[ir.Waarde]:
    """The distinct values of a key column that can match, in table order."""
    waarden = (_als_sleutel(rij[kolom]) for rij in tabel.rijen)
    return list(dict.fromkeys(w for w in waarden if w is not None))


def _rijen(
    tabel: ir.Tabel, index: list[int], codes: list[list[ir.Waarde]], grenzen: list[Any]
) -> list[int | None]:
    """Per (key codes, interval), row-major: the first table row with those keys that is
    valid in that interval. Interval j runs from grenzen[j-1] (inclusive) to grenzen[j]."""
    positie = [{w: i for i, w in enumerate(lijst)} for lijst in codes]
    per_sleutel: dict[tuple[int, ...], list[int]] = {}
    for nummer, rij in enumerate(tabel.rijen):
        codes_rij = [positie[k].get(_als_sleutel(rij[i])) for k, i in enumerate(index)]
        sleutel = tuple(c for c in codes_rij if c is not None)
        if len(sleutel) == len(codes_rij):
            per_sleutel.setdefault(sleutel, []).append(nummer)
    geldigheden = _geldigheden(tabel)
    begins = [None, *grenzen]
    uitkomst: list[int | None] = []
    for sleutel in itertools.product(*(range(len(lijst)) for lijst in codes)):
        kandidaten = per_sleutel.get(tuple(sleutel), [])
        for begin in begins:
            uitkomst.append(next((n for n in kandidaten if _geldt(geldigheden[n], begin)), None))
    return uitkomst


def _geldt(geldig: ir.Geldigheid, begin: Any) -> bool:
    """Does the validity hold on the whole interval that starts at `begin` (None: the start
    of time)? The bounds of every validity are interval bounds, so it holds throughout or
    not at all."""
    if begin is None:
        return geldig.vanaf is None
    return geldig.geldt_op(begin)


def tabel_reeks(tabel: ir.Tabel, kolom: ir.Kolom) -> dict[str, pl.Series]:
    """A table column as Series: the value (numerator) and, for fractions, the denominator."""
    index = tabel.kolommen.index(kolom)
    waarden = [rij[index] for rij in tabel.rijen]
    if kolom.type.soort in _DTYPE:
        return {"teller": pl.Series(waarden, dtype=_DTYPE[kolom.type.soort])}
    breuken = [None if w is None else Fraction(w) for w in waarden]  # type: ignore[arg-type]
    reeksen = {"teller": pl.Series([None if b is None else b.numerator for b in breuken],
                                   dtype=pl.Int64)}
    if any(b is not None and b.denominator != 1 for b in breuken):
        reeksen["noemer"] = pl.Series([None if b is None else b.denominator for b in breuken],
                                      dtype=pl.Int64)
    return reeksen


def _kolom(tabel: ir.Tabel, rijnummer: str, naam: str) -> Kolomwaarde:
    kolom = tabel.kolommen[_kolomindex(tabel, naam)]
    reeksen = tabel_reeks(tabel, kolom)
    teller = pl.lit(reeksen["teller"]).gather(pl.col(rijnummer))
    noemer = pl.lit(reeksen["noemer"]).gather(pl.col(rijnummer)) if "noemer" in reeksen else None
    return Kolomwaarde(r.soort_van(kolom.type), kolom.type, teller, noemer)
