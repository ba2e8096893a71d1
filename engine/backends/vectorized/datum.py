"""Helper columns computed per value instead of per row, where few values occur.

A million lines have a few hundred distinct care dates (`begindatum`); Polars' calendar
arithmetic (month start and end, year and month, adding months) costs tens of milliseconds
per operation at a million rows. So after compiling, every helper column whose value
depends on one date column of the werkset alone (and on constants) is moved to a small
table with one row per day between the smallest and the largest date (and one row for an
empty date); the werkset gets the columns it needs from that table by a gather on the day
number (`Datumstap`). The same for functions of a whole-number column with a small range,
such as a month index (`Waardestap`). The expressions are the same and row by row, so every
value is the same; when the values lie too far apart for a table to pay, the expressions
run on the rows directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from engine.velden import PER_KOLOM

DATUMKOLOMMEN = frozenset(k for k, v in PER_KOLOM.items() if v.type.soort == "datum")

_ONBEKEND = frozenset({"*"})
"""The origin of a column made by another kind of step (an aggregate, a lookup of absences):
never per date."""


_VERHOUDING = 4
"""A table pays when the frame has at least this many times its rows (the gather back and
the fixed cost of a few more Polars calls against computing on every row)."""


def tabel_past(rijen: int, hoogte: int) -> bool:
    """Is a table of `rijen` rows cheaper than computing on the frame's `hoogte` rows?"""
    return rijen * _VERHOUDING <= hoogte


@dataclass(slots=True)
class Datumstap:
    """The helper columns that depend on `kolom` alone: `lagen` as in a column step, run on
    the table of dates; `nodig`: those the rest of the plan reads, gathered into the frame."""

    kolom: str
    lagen: list[list[pl.Expr]]
    nodig: list[str]
    _tabellen: dict[tuple[int, int], pl.DataFrame] = field(default_factory=dict)

    def __call__(self, frame: pl.DataFrame, _: dict[str, Any]) -> pl.DataFrame:
        dagen = frame[self.kolom].cast(pl.Int32)
        laagste, hoogste = dagen.min(), dagen.max()
        if laagste is None or hoogste is None:
            laagste = hoogste = 0
        if not tabel_past(int(hoogste) - int(laagste) + 2, frame.height):  # type: ignore[arg-type]
            return self._direct(frame)  # dates too far apart: a table would be larger
        tabel = self._tabel(int(laagste), int(hoogste))  # type: ignore[arg-type]
        index = (pl.col(self.kolom).cast(pl.Int32) - int(laagste) + 1)  # type: ignore[arg-type]
        index = index.fill_null(0).cast(pl.UInt32)
        return frame.with_columns(pl.lit(tabel[naam]).gather(index).alias(naam)
                                  for naam in self.nodig)

    def _tabel(self, laagste: int, hoogste: int) -> pl.DataFrame:
        """The helper columns for an empty date (row 0) and every day laagste..hoogste."""
        bewaard = self._tabellen.get((laagste, hoogste))
        if bewaard is None:
            datums = pl.concat([pl.Series([None], dtype=pl.Int32),
                                pl.int_range(laagste, hoogste + 1, dtype=pl.Int32, eager=True)])
            bewaard = self._direct(pl.DataFrame({self.kolom: datums.cast(pl.Date)}))
            if len(self._tabellen) >= 16:
                self._tabellen.clear()
            self._tabellen[(laagste, hoogste)] = bewaard
        return bewaard

    def _direct(self, frame: pl.DataFrame) -> pl.DataFrame:
        for laag in self.lagen:
            frame = frame.with_columns(laag)
        return frame.drop([e.meta.output_name() for laag in self.lagen for e in laag
                           if e.meta.output_name() not in self.nodig])


@dataclass(slots=True)
class Waardestap:
    """Columns that are functions of one whole-number column `bron` (`kolommen`, written
    over `pl.col(bron)`): computed on a table of its values from the smallest to the
    largest (and empty) and gathered, when that table is smaller than the frame."""

    bron: str
    kolommen: list[pl.Expr]
    _tabellen: dict[tuple[int, int], pl.DataFrame] = field(default_factory=dict)

    def __call__(self, frame: pl.DataFrame, _: dict[str, Any]) -> pl.DataFrame:
        waarden = frame[self.bron]
        laagste, hoogste = waarden.min(), waarden.max()
        if laagste is None or hoogste is None:
            laagste = hoogste = 0
        laagste, hoogste = int(laagste), int(hoogste)  # type: ignore[arg-type]
        if not tabel_past(hoogste - laagste + 2, frame.height):
            return frame.with_columns(self.kolommen)
        tabel = self._tabellen.get((laagste, hoogste))
        if tabel is None:
            reeks = pl.concat([pl.Series([None], dtype=pl.Int64),
                               pl.int_range(laagste, hoogste + 1, dtype=pl.Int64, eager=True)])
            tabel = pl.DataFrame({self.bron: reeks.cast(waarden.dtype)}).with_columns(
                self.kolommen)
            if len(self._tabellen) >= 16:
                self._tabellen.clear()
            self._tabellen[(laagste, hoogste)] = tabel
        # UInt32 like Polars' own row numbers: other index types are converted per gather
        index = (pl.col(self.bron).cast(pl.Int64) - laagste + 1).fill_null(0).cast(pl.UInt32)
        return frame.with_columns(pl.lit(tabel[naam]).gather(index).alias(naam)
                                  for naam in (k.meta.output_name() for k in self.kolommen))


def per_datum(lagen: Iterable[list[list[pl.Expr]] | None]) -> dict[str, str]:
    """Per helper column made in column steps: the date column it depends on alone, if any.
    `lagen`: per step of the plan, in order, its layers (None: another kind of step)."""
    herkomst: dict[str, frozenset[str]] = {}
    for stap in lagen:
        for laag in stap or []:
            for expr in laag:
                herkomst[expr.meta.output_name()] = frozenset().union(
                    *(_herkomst(n, herkomst) for n in expr.meta.root_names()))
    return {naam: next(iter(h)) for naam, h in herkomst.items()
            if len(h) == 1 and h <= DATUMKOLOMMEN}


def _herkomst(kolom: str, herkomst: dict[str, frozenset[str]]) -> frozenset[str]:
    if not kolom.startswith("_"):
        return frozenset({kolom})
    return herkomst.get(kolom, _ONBEKEND)
