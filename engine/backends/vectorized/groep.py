"""Groups of werkset rows for aggregates, computed once per werkset and grouping.

A window over text keys (`.over("bericht", "toewijzingnummer")`) or a dense rank of a struct
sorts or hashes strings for every aggregate; at a million rows with half a million groups
that costs several tenths of a second each. Here a grouping is computed once, on one 64-bit
number per row that is equal exactly for equal keys: whole numbers and dates packed by their
range, texts of digits (BSN, ToewijzingNummer, ReferentieNummer) as numbers plus their length,
other texts by the high bits of their hash. Then:

- few possible numbers (a message and a quarter): the number is the group, aggregated by a
  small group-by and spread back by a gather;
- otherwise the rows are ordered by the number and a group is a run of equal numbers: a sum
  is a difference of two cumulative sums, an extreme a group-by on sorted group numbers.
  A grouping whose keys lack only the last key of one already computed (toewijzing versus
  toewijzing and month) is derived from its order without sorting again.

Two different hashed texts with equal hash bits would merge two groups, so then the ordered
texts are compared with their neighbours: on such a collision (possible, never seen) the
grouping is computed exactly by a dense rank instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

_HASH_BITS_MINIMAAL = 24
"""Below this many hash bits collisions get likely enough to make the check fail often."""

_HASH_BITS_MAXIMAAL = 64
"""At most this many bits of a hash (fewer only in tests, to force collisions)."""

_KLEIN_BITS = 16
"""Packed numbers of at most this many bits are group numbers themselves (no sorting)."""


@dataclass(frozen=True, slots=True)
class Indeling:
    """A grouping of the rows of one werkset: `groep` per row (UInt32, below `aantal`).
    Ordered (`volgorde` set): the rows in `volgorde` come group by group, numbered 0, 1, ...
    (`groep_op_volgorde`), `einden` the position in that order of each group's last row.
    Small (`volgorde` None): `groep` is the packed key itself and some numbers are unused."""

    groep: pl.Series
    aantal: int
    volgorde: pl.Series | None = None
    groep_op_volgorde: pl.Series | None = None
    einden: pl.Series | None = None
    getal_op_volgorde: pl.Series | None = None
    """the packed key in `volgorde` (to derive a coarser grouping from)"""

    def som(self, waarden: pl.Series) -> pl.Series:
        """Per row: the sum of its group's values (empty values count as 0)."""
        if self.volgorde is None or self.einden is None:
            return self._klein(waarden, pl.col("w").sum(), 0)
        if waarden.null_count():
            waarden = waarden.fill_null(0)
        geordend = waarden.gather(self.volgorde)
        aan_eind = geordend.cum_sum().gather(self.einden)
        per_groep = aan_eind - aan_eind.shift(1, fill_value=0)
        return per_groep.gather(self.groep)

    def extreem(self, waarden: pl.Series, functie: str) -> pl.Series:
        """Per row: the maximum or minimum of its group's known values (empty if none)."""
        waarde = pl.col("w").max() if functie == "maximum" else pl.col("w").min()
        if self.volgorde is None:
            return self._klein(waarden, waarde, None)
        geordend = pl.DataFrame({"g": self.groep_op_volgorde,
                                 "w": waarden.gather(self.volgorde)})
        per_groep = geordend.group_by("g", maintain_order=True).agg(waarde)["w"]
        return per_groep.gather(self.groep)

    def _klein(self, waarden: pl.Series, agg: pl.Expr, leeg: int | None) -> pl.Series:
        per_groep = pl.DataFrame({"g": self.groep, "w": waarden}).group_by("g").agg(agg)
        alle = pl.repeat(leeg, self.aantal, dtype=waarden.dtype, eager=True)
        return alle.scatter(per_groep["g"], per_groep["w"]).gather(self.groep)

    def grover(self, bits: int) -> Indeling:
        """The grouping without the last `bits` bits of the packed key (ordered only)."""
        assert self.volgorde is not None and self.getal_op_volgorde is not None
        getal = self.getal_op_volgorde // (2**bits)
        return _uit_runs(self.volgorde, getal.ne_missing(getal.shift(1)).fill_null(True), getal)


@dataclass(slots=True)
class Venster:
    """A grouping of a small werkset as Polars windows over its key columns: below some
    thousands of rows the fixed cost of each Polars call outweighs the work, and a window
    is one call where an `Indeling` takes a dozen."""

    sleutels: pl.DataFrame
    """the key values, one column per key"""
    _groep: pl.Series | None = None

    def som(self, waarden: pl.Series) -> pl.Series:
        return self._over(waarden, pl.col("_w").sum())

    def extreem(self, waarden: pl.Series, functie: str) -> pl.Series:
        return self._over(waarden, pl.col("_w").max() if functie == "maximum"
                          else pl.col("_w").min())

    def _over(self, waarden: pl.Series, agg: pl.Expr) -> pl.Series:
        frame = self.sleutels.with_columns(waarden.alias("_w"))
        return frame.select(agg.over(self.sleutels.columns)).to_series()

    @property
    def groep(self) -> pl.Series:
        """Per row a group number 0.. (for the exact fallback of fractions)."""
        if self._groep is None:
            rang = self.sleutels.select(pl.struct(pl.all()).rank("dense")).to_series()
            self._groep = (rang - 1).cast(pl.UInt32)
        return self._groep

    @property
    def aantal(self) -> int:
        return int(self.groep.max() or 0) + 1  # type: ignore[arg-type]


def venster(frame: pl.DataFrame, sleutels: list[pl.Expr]) -> Venster:
    sleutels = sleutels or [pl.lit(0)]
    return Venster(frame.select(s.alias(f"_s{i}") for i, s in enumerate(sleutels)))


Groepen = Indeling | Venster
"""How the rows of a werkset are grouped for an aggregate."""


@dataclass(frozen=True, slots=True)
class Pakking:
    """How the keys of a grouping became one number: its bits per key, last key lowest."""

    getal: pl.Series
    bits: list[int]
    gehasht: list[str]


def indeling(
    frame: pl.DataFrame, sleutels: list[pl.Expr], getallen: dict[str, list[pl.Series] | None],
) -> tuple[Indeling, Pakking | None]:
    """The grouping of `frame`'s rows by the values of `sleutels` (nulls form a group), and
    how its keys were packed. `getallen`: per text column of the werkset its exact numbers
    (`als_getallen`), shared by the groupings of one werkset."""
    if not sleutels:
        return _een_groep(frame.height), None
    waarden = _als_getal_waar_mogelijk(frame, sleutels, getallen)
    pakking = _gepakt(waarden)
    if pakking is None:
        return _exact(waarden), None
    if not pakking.gehasht and sum(pakking.bits) <= _KLEIN_BITS:
        getal = pakking.getal.cast(pl.UInt32)
        return Indeling(getal, 2 ** sum(pakking.bits)), pakking
    volgorde = pakking.getal.arg_sort()
    geordend = pakking.getal.gather(volgorde)
    nieuw = geordend.ne_missing(geordend.shift(1)).fill_null(True)
    if _botsing(waarden, pakking.gehasht, volgorde, nieuw):
        return _exact(waarden), None
    return _uit_runs(volgorde, nieuw, geordend), pakking


def _als_getal_waar_mogelijk(
    frame: pl.DataFrame, sleutels: list[pl.Expr], getallen: dict[str, list[pl.Series] | None]
) -> pl.DataFrame:
    """The key values; a text column of digits replaced by its numbers (and lengths)."""
    waarden = frame.select(s.alias(f"_s{i}") for i, s in enumerate(sleutels))
    kolommen: list[pl.Series] = []
    for i, sleutel in enumerate(sleutels):
        kolom = waarden[f"_s{i}"]
        naam = sleutel.meta.output_name()
        if kolom.dtype == pl.String and sleutel.meta.is_column():
            if naam not in getallen:
                getallen[naam] = als_getallen(kolom)
            vervanging = getallen[naam]
            if vervanging is not None:
                kolommen.extend(v.alias(f"_s{i}_{j}") for j, v in enumerate(vervanging))
                continue
        kolommen.append(kolom)
    return pl.DataFrame(kolommen)


def als_getallen(tekst: pl.Series) -> list[pl.Series] | None:
    """Texts of digits only (ReferentieNummers, BSNs, ToewijzingNummers) as their length
    (left out if all are equally long) and their number, which together tell the texts
    apart exactly ("0123" and "123" too); None for other texts."""
    getal = tekst.cast(pl.UInt64, strict=False)
    if getal.null_count() != tekst.null_count() or tekst.str.starts_with("+").any():
        return None
    lengte = tekst.str.len_bytes()
    if lengte.min() == lengte.max():
        return [getal]
    return [lengte, getal]


def _een_groep(hoogte: int) -> Indeling:
    nul = pl.zeros(hoogte, dtype=pl.UInt32, eager=True)
    return Indeling(nul, 1, pl.int_range(hoogte, dtype=pl.UInt32, eager=True),
                    nul.set_sorted(), pl.Series([max(hoogte - 1, 0)], dtype=pl.UInt32))


def _uit_runs(volgorde: pl.Series, nieuw: pl.Series, getal: pl.Series | None = None) -> Indeling:
    """The grouping from the row order and where in that order a new group starts."""
    volgorde = volgorde.cast(pl.UInt32)
    op_volgorde = (nieuw.cast(pl.UInt32).cum_sum() - 1).set_sorted()
    groep = pl.zeros(volgorde.len(), dtype=pl.UInt32, eager=True).scatter(volgorde, op_volgorde)
    einden = nieuw.shift(-1, fill_value=True).arg_true().cast(pl.UInt32)
    return Indeling(groep, einden.len(), volgorde, op_volgorde, einden, getal)


def _gepakt(waarden: pl.DataFrame) -> Pakking | None:
    """One UInt64 per row that is equal for equal keys (for hashed columns: only likely);
    None if the whole numbers do not leave room for a hash."""
    velden: list[tuple[pl.Expr, int]] = []
    gehasht: list[str] = []
    for naam, dtype in waarden.schema.items():
        if dtype.is_integer() or dtype in (pl.Date, pl.Boolean):
            soort = pl.UInt64 if dtype == pl.UInt64 else pl.Int64
            getal = waarden[naam].cast(soort)
            laagste, hoogste = getal.min(), getal.max()
            if laagste is None or hoogste is None:
                laagste = hoogste = 0
            breedte = (int(hoogste) - int(laagste) + 1).bit_length()  # type: ignore[arg-type]
            # 0 for an empty key, 1.. for the values: nulls form a group of their own
            velden.append(((pl.col(naam).cast(soort) - pl.lit(laagste, dtype=soort) + 1)
                           .fill_null(0).cast(pl.UInt64), breedte))
        else:
            gehasht.append(naam)
    bits = sum(b for _, b in velden)
    ruimte = 64 - bits
    if bits > 64 or (gehasht and ruimte < _HASH_BITS_MINIMAAL):
        return None
    if gehasht:
        hash_ = pl.struct(gehasht).hash() if len(gehasht) > 1 else pl.col(gehasht[0]).hash()
        ruimte = min(ruimte, _HASH_BITS_MAXIMAAL)
        velden.append((hash_ // (2 ** (64 - ruimte)), ruimte))
    getal_expr: pl.Expr = pl.lit(0, dtype=pl.UInt64)
    verschuiving = 0
    for veld, breedte in reversed(velden):
        getal_expr = getal_expr + veld * pl.lit(2**verschuiving, dtype=pl.UInt64)
        verschuiving += breedte
    getal_reeks = waarden.select(getal_expr.alias("_getal")).to_series()
    return Pakking(getal_reeks, [b for _, b in velden], gehasht)


def _botsing(
    waarden: pl.DataFrame, gehasht: list[str], volgorde: pl.Series, nieuw: pl.Series
) -> bool:
    """Does a run of equal numbers hold different hashed keys? (Rows with equal keys are in
    one run; different keys in one run always have two different neighbours.)"""
    for naam in gehasht:
        geordend = waarden[naam].gather(volgorde)
        anders = geordend.ne_missing(geordend.shift(1)).fill_null(False)
        if (anders & ~nieuw).any():
            return True
    return False


def _exact(waarden: pl.DataFrame) -> Indeling:
    """The slow exact way: a dense rank of the key tuples."""
    rang = waarden.select(pl.struct(pl.all()).rank("dense").cast(pl.Int64)).to_series()
    volgorde = rang.arg_sort()
    geordend = rang.gather(volgorde)
    nieuw = geordend.ne_missing(geordend.shift(1)).fill_null(True)
    return _uit_runs(volgorde, nieuw)
