"""The ceilings and segments the settlement and the risk sharing use, from the contract.

The contract defines its segments in the rule language (`segment verblijf is "43", "44"`,
`Regelboek.segmenten`) and its ceilings in `plafonds.csv` (`engine.plafond`: per provider or
`gezamenlijk` x segment x year), hard or soft by the parameter `budgetplafond hard`
(issue 14). A year case may give its own (`toetsing.jaargeval`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from betalen.fouten import JaarFout
from engine import plafond as plafondbron
from engine.ir import Regelboek

Segmenten = Mapping[str, frozenset[str]]
"""segment name -> the product categories it covers (e.g. verblijf -> {43, 44})."""
GEZAMENLIJK = plafondbron.GEZAMENLIJK


@dataclass(frozen=True, slots=True)
class Plafond:
    """A provider's ceiling in a segment for a year (cents); `hard`: production above it is
    not paid at the settlement (soft: signalled only). `aanbieder` may be `gezamenlijk`: the
    joint ceiling of the providers without one of their own in the segment. `bron` says
    where it was written."""

    aanbieder: str
    segment: str
    jaar: int
    bedrag: int
    hard: bool
    bron: str = ""


def _hard(boek: Regelboek, jaar: int) -> bool:
    for versie in boek.parameters.get(plafondbron.HARD, ()):
        if versie.geldig.geldt_op(date(jaar, 1, 1)):
            return versie.waarde.waarde is True
    return False


def uit_regelboek(boek: Regelboek, jaar: int) -> tuple[Segmenten, tuple[Plafond, ...]]:
    """The contract's segments and the year's ceilings. The settlement divides by product
    category: a segment that names a product code is refused with the reason."""
    segmenten: dict[str, frozenset[str]] = {}
    for naam, codes in boek.segmenten.items():
        code = next((c for c in codes if len(c) != 2), None)
        if code is not None:
            raise JaarFout(f"segment '{naam}' noemt productcode {code}: de vaststelling en de "
                           "risicoverevening delen nog alleen per productcategorie (twee "
                           "cijfers) in")
        segmenten[naam] = frozenset(codes)
    tabel = boek.tabellen.get(plafondbron.TABEL)
    bron = tabel.bestand if tabel is not None else ""
    hard = _hard(boek, jaar)
    return segmenten, tuple(Plafond(a, s, jaar, bedrag, hard, bron)
                            for a, s, bedrag in plafondbron.plafonds(boek, jaar))
