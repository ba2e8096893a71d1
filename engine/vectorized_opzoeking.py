"""`Opzoeking` in the vectorized backend: a join of the werkset's keys with a table.

The table becomes a small LazyFrame once per plan; per werkset the key expressions are
joined on the key columns, the row whose validity holds on the peildatum is kept, and its
columns come back as helper columns. Several lookups in one table with the same keys and
peildatum share one join.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import polars as pl

from engine import ir
from engine import rationaal as r
from engine.rationaal import Kolomwaarde

if TYPE_CHECKING:
    from engine.vectorized import Vertaler

_DTYPE = {"tekst": pl.String(), "datum": pl.Date(), "waarheid": pl.Boolean()}


def opzoeking(vertaler: Vertaler, expr: ir.Opzoeking, memo: dict[Any, str]) -> Kolomwaarde:
    from engine.vectorized import CompilatieError

    tabel = vertaler.regelboek.tabellen.get(expr.tabel)
    if tabel is None:
        raise CompilatieError(f"onbekende tabel '{expr.tabel}'")
    sleutel = (expr.tabel, expr.sleutels, expr.peildatum)
    if sleutel not in memo:
        memo[sleutel] = _koppel(vertaler, tabel, expr)
    return _kolom(tabel, memo[sleutel], expr.kolom)


def _koppel(vertaler: Vertaler, tabel: ir.Tabel, expr: ir.Opzoeking) -> str:
    prefix = vertaler.nieuwe_naam("t")
    links = [
        _sleutel(vertaler.vertaal(e)).alias(f"{prefix}_k_{kolom}") for kolom, e in expr.sleutels
    ]
    peil = vertaler.vertaal(expr.peildatum).teller.alias(f"{prefix}__peil")
    rechts = tabel_frame(tabel, prefix, [kolom for kolom, _ in expr.sleutels]).lazy()
    sleutels = [f"{prefix}_k_{kolom}" for kolom, _ in expr.sleutels]
    waardekolommen = [c for c in rechts.collect_schema().names() if c.startswith(f"{prefix}_v_")]
    vanaf, tot = pl.col(f"{prefix}__vanaf"), pl.col(f"{prefix}__tot")
    geldig = pl.col(f"{prefix}__peil").is_not_null()
    geldig = geldig & (vanaf.is_null() | (vanaf <= pl.col(f"{prefix}__peil"))) & (
        tot.is_null() | (pl.col(f"{prefix}__peil") < tot)
    )

    def stap(frame: pl.DataFrame, _: dict[str, Any]) -> pl.DataFrame:
        frame = frame.with_columns(*links, peil)
        combinaties = [*sleutels, f"{prefix}__peil"]
        gevonden = (
            frame.lazy().select(combinaties).unique()
            .join(rechts, on=sleutels, how="inner")
            .filter(geldig)
            .unique(subset=combinaties, keep="any")
            .select(*combinaties, *waardekolommen)
            .collect()
        )
        return frame.join(gevonden, on=combinaties, how="left", maintain_order="left")

    vertaler.stap(stap)
    return prefix


def _sleutel(waarde: Kolomwaarde) -> pl.Expr:
    """A key value; a fraction that is not whole matches nothing."""
    if waarde.noemer is None:
        return waarde.teller
    return pl.when(waarde.teller % waarde.noemer == 0).then(waarde.teller // waarde.noemer)


def tabel_frame(tabel: ir.Tabel, prefix: str, sleutels: list[str]) -> pl.DataFrame:
    """The table as columns: keys `<prefix>_k_<kolom>`, values `<prefix>_v_<kolom>[_n]`."""
    kolommen: dict[str, pl.Series] = {}
    for index, kolom in enumerate(tabel.kolommen):
        waarden = [rij[index] for rij in tabel.rijen]
        for naam, reeks in _reeksen(kolom, waarden).items():
            kolommen[f"{prefix}_v_{naam}"] = reeks.alias(f"{prefix}_v_{naam}")
        if kolom.naam in sleutels:
            reeks = _reeksen(kolom, waarden)[kolom.naam]
            kolommen[f"{prefix}_k_{kolom.naam}"] = reeks.alias(f"{prefix}_k_{kolom.naam}")
    geldigheid = list(tabel.geldigheid) or [ir.ALTIJD] * len(tabel.rijen)
    kolommen[f"{prefix}__vanaf"] = pl.Series([g.vanaf for g in geldigheid], dtype=pl.Date)
    kolommen[f"{prefix}__tot"] = pl.Series([g.tot for g in geldigheid], dtype=pl.Date)
    return pl.DataFrame(kolommen)


def _reeksen(kolom: ir.Kolom, waarden: list[ir.Waarde]) -> dict[str, pl.Series]:
    if kolom.type.soort in _DTYPE:
        return {kolom.naam: pl.Series(waarden, dtype=_DTYPE[kolom.type.soort])}
    breuken = [None if w is None else Fraction(w) for w in waarden]  # type: ignore[arg-type]
    tellers = [None if b is None else b.numerator for b in breuken]
    reeksen = {kolom.naam: pl.Series(tellers, dtype=pl.Int64)}
    if any(b is not None and b.denominator != 1 for b in breuken):
        noemers = [None if b is None else b.denominator for b in breuken]
        reeksen[f"{kolom.naam}_n"] = pl.Series(noemers, dtype=pl.Int64)
    return reeksen


def _kolom(tabel: ir.Tabel, prefix: str, naam: str) -> Kolomwaarde:
    from engine.vectorized import CompilatieError

    for kolom in tabel.kolommen:
        if kolom.naam == naam:
            noemer = pl.col(f"{prefix}_v_{naam}_n") if _fractioneel(tabel, kolom) else None
            return Kolomwaarde(r.soort_van(kolom.type), kolom.type,
                               pl.col(f"{prefix}_v_{naam}"), noemer)
    raise CompilatieError(f"tabel '{tabel.naam}' heeft geen kolom '{naam}'")


def _fractioneel(tabel: ir.Tabel, kolom: ir.Kolom) -> bool:
    if kolom.type.soort in _DTYPE:
        return False
    index = tabel.kolommen.index(kolom)
    waarden = (rij[index] for rij in tabel.rijen)
    return any(isinstance(w, Fraction) and w.denominator != 1 for w in waarden)
