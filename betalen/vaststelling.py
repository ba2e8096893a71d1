"""The settlement (vaststelling) per provider × gemeente × year (issue 15).

productie − boven_plafond − betaald = slotbedrag: positive is paid (nabetaling), negative is
reclaimed (terugvordering). `betaald` is what was recorded as paid for the year's care
(`opslag.betalingen`), whenever it was paid; the entitlement is never paid again. A hard
ceiling's excess (production in the segment above the ceiling) is divided over the
provider's gemeenten in proportion to their production in that segment (largest remainder).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from betalen.afronding import verdeel
from betalen.plafonds import GEZAMENLIJK, Plafond, Segmenten

Sleutel = tuple[str, str]
"""(aanbieder, gemeente)."""


@dataclass(frozen=True, slots=True)
class Overschrijding:
    """How one hard ceiling's excess was divided: the ceiling, the provider's production in
    the segment, the excess and each gemeente's part (and its production, the weight)."""

    plafond: Plafond
    productie: int
    boven: int
    delen: tuple[tuple[str, str, int, int], ...]
    """(aanbieder, gemeente, its production in the segment, its part of the excess)."""


@dataclass(frozen=True, slots=True)
class Post:
    aanbieder: str
    gemeente: str
    productie: int
    boven_plafond: int
    betaald: int

    @property
    def slotbedrag(self) -> int:
        return self.productie - self.boven_plafond - self.betaald


@dataclass(frozen=True, slots=True)
class Vaststelling:
    posten: tuple[Post, ...]
    overschrijdingen: tuple[Overschrijding, ...]
    boven_per_segment: Mapping[tuple[str, str, str], int]
    """(aanbieder, gemeente, segment) -> the part of an excess, for the risk sharing."""


def segment_van(categorie: str, segmenten: Segmenten) -> str | None:
    for naam, categorieen in segmenten.items():
        if categorie in categorieen:
            return naam
    return None


def _onder(plafond: Plafond, plafonds: tuple[Plafond, ...], aanbieder: str) -> bool:
    """Whether `aanbieder`'s production counts under `plafond`: its own, or the joint one
    when it has none of its own in the segment."""
    if plafond.aanbieder != GEZAMENLIJK:
        return aanbieder == plafond.aanbieder
    return not any(p.aanbieder == aanbieder and p.segment == plafond.segment
                   for p in plafonds)


def overschrijdingen(productie: Mapping[tuple[str, str, str], int], segmenten: Segmenten,
                     plafonds: tuple[Plafond, ...]) -> tuple[Overschrijding, ...]:
    """The excess of every hard ceiling that production exceeds, divided over the gemeenten
    (of a joint ceiling: over its providers × gemeenten) in proportion to their production
    in the segment. `productie` is keyed (aanbieder, gemeente, productcategorie)."""
    uit = []
    for plafond in sorted(plafonds, key=lambda p: (p.aanbieder, p.segment)):
        if not plafond.hard:
            continue
        categorieen = segmenten.get(plafond.segment, frozenset())
        per_paar: dict[tuple[str, str], int] = {}
        for (aanbieder, gemeente, categorie), bedrag in productie.items():
            if categorie in categorieen and _onder(plafond, plafonds, aanbieder):
                per_paar[(aanbieder, gemeente)] = per_paar.get((aanbieder, gemeente), 0) + bedrag
        totaal = sum(per_paar.values())
        boven = max(0, totaal - plafond.bedrag)
        if boven == 0:
            continue
        delen = verdeel(boven, {f"{a}/{g}": max(0, b) for (a, g), b in per_paar.items()})
        uit.append(Overschrijding(plafond, totaal, boven, tuple(
            (a, g, per_paar[(a, g)], delen[f"{a}/{g}"]) for a, g in sorted(per_paar))))
    return tuple(uit)


def stel_vast(productie: Mapping[tuple[str, str, str], int], betaald: Mapping[Sleutel, int],
              segmenten: Segmenten, plafonds: tuple[Plafond, ...]) -> Vaststelling:
    """The settlement of every provider × gemeente with production or a payment."""
    over = overschrijdingen(productie, segmenten, plafonds)
    boven_segment: dict[tuple[str, str, str], int] = {}
    for o in over:
        for aanbieder, gemeente, _, deel in o.delen:
            sleutel = (aanbieder, gemeente, o.plafond.segment)
            boven_segment[sleutel] = boven_segment.get(sleutel, 0) + deel
    per_paar: dict[Sleutel, int] = {}
    for (aanbieder, gemeente, _), bedrag in productie.items():
        per_paar[(aanbieder, gemeente)] = per_paar.get((aanbieder, gemeente), 0) + bedrag
    boven_paar: dict[Sleutel, int] = {}
    for (aanbieder, gemeente, _), deel in boven_segment.items():
        boven_paar[(aanbieder, gemeente)] = boven_paar.get((aanbieder, gemeente), 0) + deel
    paren = sorted(set(per_paar) | set(betaald))
    posten = tuple(Post(a, g, per_paar.get((a, g), 0), boven_paar.get((a, g), 0),
                        betaald.get((a, g), 0)) for a, g in paren)
    return Vaststelling(posten, over, boven_segment)
