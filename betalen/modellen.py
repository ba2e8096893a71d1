"""The payment models (issue 15) as pure functions of the contract's terms and the tables.

Each gives what is due per month of the year (12 amounts in cents, January first); what
is actually paid is recorded by the payment run (`betalen.betaalrun`), and the settlement
subtracts what was recorded, never what a model says was due.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from betalen.afronding import MAANDEN, half_omhoog, termijnen


@dataclass(frozen=True, slots=True)
class Raming:
    """One row of `ramingen.csv`: the estimated production of a provider for a gemeente in
    a year (cents), in force from `geldig_vanaf`; a later row is a herschikking."""

    aanbieder: str
    gemeente: str
    jaar: int
    bedrag: int
    geldig_vanaf: date
    bron: str = ""
    """Where the row was written (`ramingen.csv:7`), for the explanation."""


@dataclass(frozen=True, slots=True)
class Herschikking:
    """What one estimate did to the schedule: from `maand` on, the year's total became
    `doel` (the percentage of `raming`), or what had been paid before, if more."""

    maand: int
    raming: Raming
    doel: int
    al_betaald: int


@dataclass(frozen=True, slots=True)
class Voorschot:
    """The advance schedule of one provider × gemeente × year."""

    termijnen: tuple[int, ...]
    stappen: tuple[Herschikking, ...]

    @property
    def totaal(self) -> int:
        return sum(self.termijnen)


def _ingangsmaand(raming: Raming, jaar: int) -> int | None:
    """The month an estimate changes the schedule from: January for one in force on
    1 January, its own month in the year, None for one after the year."""
    if raming.geldig_vanaf <= date(jaar, 1, 1):
        return 1
    if raming.geldig_vanaf.year > jaar:
        return None
    return raming.geldig_vanaf.month


def voorschot(ramingen: Sequence[Raming], jaar: int, percentage: Fraction,
              aantal_termijnen: int) -> Voorschot:
    """The advance of `percentage` (a fraction: 9/10) of the estimate in `aantal_termijnen`
    terms, with every herschikking applied in the order of `geldig_vanaf`.

    A herschikking from month m keeps the terms before m (they were paid) and spreads what
    is left of the new year total over the months from m; if more was paid already, the
    remaining terms are 0 (never negative) and the year total is what was paid."""
    terms = [0] * MAANDEN
    stappen: list[Herschikking] = []
    for raming in sorted(ramingen, key=lambda r: r.geldig_vanaf):
        maand = _ingangsmaand(raming, jaar)
        if maand is None:
            continue
        doel = half_omhoog(percentage * raming.bedrag)
        al = sum(terms[:maand - 1])
        nieuw = termijnen(max(0, doel - al), aantal_termijnen, maand)
        terms = terms[:maand - 1] + nieuw[maand - 1:]
        stappen.append(Herschikking(maand, raming, doel, al))
    return Voorschot(tuple(terms), tuple(stappen))


def raming_op_1_januari(ramingen: Sequence[Raming], jaar: int) -> Raming | None:
    """The estimate in force on 1 January of `jaar` (the latest not after it), if any."""
    vroeg = [r for r in ramingen if r.geldig_vanaf <= date(jaar, 1, 1)]
    return max(vroeg, key=lambda r: r.geldig_vanaf) if vroeg else None


def eenmalig_voorschot(ramingen: Sequence[Raming], jaar: int, maanden: int) -> int:
    """The one-off advance (Zwolle): `maanden`/12 of the estimate in force on 1 January,
    half up to the cent; 0 without such an estimate."""
    raming = raming_op_1_januari(ramingen, jaar)
    if raming is None:
        return 0
    return half_omhoog(Fraction(maanden, MAANDEN) * raming.bedrag)


@dataclass(frozen=True, slots=True)
class Functie:
    """A lump sum (beschikbaarheid) in terms, with a part held back until the settlement."""

    termijnen: tuple[int, ...]
    ingehouden: int


def functie(jaarbedrag: int, aantal_termijnen: int, inhouding: Fraction = Fraction(0)
            ) -> Functie:
    """`jaarbedrag` in terms, holding back `inhouding` (a fraction, half up to the cent)."""
    ingehouden = half_omhoog(inhouding * jaarbedrag)
    return Functie(tuple(termijnen(jaarbedrag - ingehouden, aantal_termijnen)), ingehouden)


def populatie(bedrag_per_inwoner: Fraction | int, inwoners: int, aantal_termijnen: int
              ) -> tuple[int, ...]:
    """Population funding: the amount per inhabitant (cents, may be fractional) times the
    gemeente's inhabitants, half up to the cent, in terms."""
    return tuple(termijnen(half_omhoog(Fraction(bedrag_per_inwoner) * inwoners),
                           aantal_termijnen))
