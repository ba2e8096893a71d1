"""The contract's tariff table for generated months: the built-in table, reading and writing
tarieven.csv, and the lookup of the tariff in force on the care's date."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Tariefregel:
    """One row of a contract's tarieven.csv (tarief in cents; geldig_tot inclusive)."""

    productcategorie: str
    productcode: str
    eenheid: str
    tarief: int
    geldig_vanaf: date
    geldig_tot: date | None
    soort: str

    def geldig_op(self, dag: date) -> bool:
        return self.geldig_vanaf <= dag and (self.geldig_tot is None or dag <= self.geldig_tot)


def _r(cat: str, code: str, eenheid: str, t25: int, t26: int,
       soort: str) -> tuple[Tariefregel, ...]:
    return (Tariefregel(cat, code, eenheid, t25, date(2025, 1, 1), date(2025, 12, 31), soort),
            Tariefregel(cat, code, eenheid, t26, date(2026, 1, 1), None, soort))


STANDAARD_TARIEVEN: tuple[Tariefregel, ...] = (
    *_r("45", "45A48", "04", 7645, 7810, "ambulant"),
    *_r("45", "45A53", "04", 9850, 10120, "ambulant"),
    *_r("45", "45A49", "04", 5120, 5230, "ambulant"),
    *_r("45", "45A07", "82", 345000, 352000, "profiel"),
    *_r("45", "45A08", "82", 690000, 700000, "profiel"),
    *_r("45", "45A01", "83", 0, 0, "ambulant"),
    *_r("46", "46A04", "16", 11250, 11480, "dagbehandeling"),
    *_r("43", "43A07", "14", 24500, 25100, "verblijf-langdurend"),
    *_r("43", "43A11", "14", 18000, 18450, "verblijf-kortdurend"),
    *_r("44", "44A06", "14", 15900, 16250, "verblijf-langdurend"),
    *_r("49", "49A02", "84", 4200, 4300, "ambulant"),
    *_r("42", "42A04", "84", 3250, 3350, "vervoer"),
)
"""A built-in table in the shape of a contract's tarieven.csv (codes from the jz21 list)."""


def lees_tarieven(pad: Path) -> tuple[Tariefregel, ...]:
    """The rows of a contract's tarieven.csv (columns productcategorie, productcode, eenheid,
    tarief, geldig_vanaf, geldig_tot, soort[, omschrijving])."""
    with open(pad, encoding="utf-8-sig", newline="") as f:
        return tuple(_tariefregel(r) for r in csv.DictReader(f))


def _tariefregel(r: dict[str, str]) -> Tariefregel:
    tot = r["geldig_tot"].strip()
    return Tariefregel(r["productcategorie"].strip(), r["productcode"].strip(),
                       r["eenheid"].strip(), int(r["tarief"]),
                       date.fromisoformat(r["geldig_vanaf"].strip()),
                       date.fromisoformat(tot) if tot else None, r["soort"].strip())


def schrijf_tarieven(tarieven: Iterable[Tariefregel]) -> str:
    """The table as tarieven.csv text."""
    uit = io.StringIO()
    uit.write("productcategorie,productcode,eenheid,tarief,geldig_vanaf,geldig_tot,soort,"
              "omschrijving\n")
    for t in tarieven:
        tot = t.geldig_tot.isoformat() if t.geldig_tot else ""
        uit.write(f"{t.productcategorie},{t.productcode},{t.eenheid},{t.tarief},"
                  f"{t.geldig_vanaf.isoformat()},{tot},{t.soort},{t.productcode}\n")
    return uit.getvalue()


class Tarieven:
    """Lookup of the contract tariff on the care's date, by product code and unit."""

    def __init__(self, rijen: Sequence[Tariefregel]) -> None:
        self.rijen = tuple(rijen)
        self._per: dict[tuple[str, str], list[Tariefregel]] = {}
        for r in rijen:
            self._per.setdefault((r.productcode, r.eenheid), []).append(r)

        self._cache: dict[tuple[str, str, date], int | None] = {}

    def tarief(self, code: str, eenheid: str, dag: date) -> int | None:
        sleutel = (code, eenheid, dag)
        if sleutel in self._cache:
            return self._cache[sleutel]
        gevonden = next((r.tarief for r in self._per.get((code, eenheid), ()) if r.geldig_op(dag)),
                        None)
        self._cache[sleutel] = gevonden
        return gevonden
