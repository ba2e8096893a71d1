"""The ceilings and segments the settlement and the risk sharing need, as typed input.

Helper A's issue-14 work defines segments (in the contract's rule language) and ceilings
(`plafonds.csv`, hard or soft as a contract parameter). Until that is merged, the year's
money takes them as these values; `betalen.jaar` asks `uit_regelboek` for them, the one
place to wire A's functions into (see the report of issue 15).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.ir import Regelboek

Segmenten = Mapping[str, frozenset[str]]
"""segment name -> the product categories it covers (e.g. verblijf -> {43, 44})."""


@dataclass(frozen=True, slots=True)
class Plafond:
    """A provider's ceiling in a segment for a year (cents); `hard`: production above it is
    not paid at the settlement (soft: signalled only). `bron` says where it was written."""

    aanbieder: str
    segment: str
    jaar: int
    bedrag: int
    hard: bool
    bron: str = ""


def uit_regelboek(boek: Regelboek, jaar: int) -> tuple[Segmenten, tuple[Plafond, ...]]:
    """The contract's segments and the year's ceilings. Not yet in the rule files (helper
    A's part): none, so no ceiling applies and every segment key is an error naming it."""
    del boek, jaar
    return {}, ()
