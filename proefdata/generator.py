"""The state and the random choices of one generated region month: the months, products and
providers, the counters for BSNs, allocation and reference numbers, and the allocations made
so far. `toewijzingen`, `prestaties` and `berichten` draw from it in a fixed order, so the same
seed gives the same month."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from engine.model import Afwezigheid, Toewijzing
from proefdata.rekenen import maandeinde, volgende_maand
from proefdata.soorten import FOUT_SOORTEN, PRESTATIE_SOORTEN, TOEWIJZING_SOORTEN
from proefdata.tarieven import Tariefregel, Tarieven

_T = TypeVar("_T")


@dataclass(slots=True)
class Product:
    categorie: str
    code: str
    eenheid: str
    soort: str


@dataclass(slots=True)
class Proeftoewijzing:
    """An allocation while generating: the version in force plus what was planted."""

    nummer: str
    bsn: str
    gemeente: str
    aanbieder: str
    product: Product
    categorie: str
    ingang: date
    einde: date
    volume: int
    eenheid: str
    frequentie: str
    budget: int | None
    soort: str
    prestatie_eenheid: str
    """the unit its lines are declared in (01 for minutes on an hour allocation)"""
    afwezig: dict[date, tuple[date, date]] = field(default_factory=dict)
    """per month start: one absence period inside that month"""
    gedeclareerd: int = 0
    """volume declared so far (for the total-frequency allocations)"""


class Generator:
    """The random choices of one region month; `regiomaand.genereer_regiomaand` drives it."""

    def __init__(self, seed: int, aantal_prestaties: int, begin: date, maanden: int,
                 tarieven: Sequence[Tariefregel], gemeenten: Sequence[str],
                 foutaandeel: float, creditaandeel: float, aanbieders: int | None) -> None:
        self.rng = random.Random(seed)
        self.doel = max(1, aantal_prestaties)
        self.begin = begin.replace(day=1)
        self.maanden = [self.begin]
        for _ in range(max(1, maanden) - 1):
            self.maanden.append(volgende_maand(self.maanden[-1]))
        self.einde = maandeinde(self.maanden[-1])
        self.begin_dag, self.einde_dag = self.begin.toordinal(), self.einde.toordinal()
        self.tarieven = Tarieven(tarieven)
        self.gemeenten = tuple(gemeenten)
        self.foutaandeel, self.creditaandeel = foutaandeel, creditaandeel
        self.producten, self.vervoer = self._producten()
        self.aanbieders = self._aanbieders(aanbieders)
        self.versies: list[Toewijzing] = []
        self.toewijzingen: list[Proeftoewijzing] = []
        self.afwezigheden: list[Afwezigheid] = []
        self.geldige_bsns: list[str] = []
        self._bsn_teller = self.getal(10_000_000, 40_000_000)
        self._nummer = self.getal(100_000, 500_000)
        self._ref: dict[str, int] = {}
        self.kans_toewijzing = foutaandeel * len(TOEWIJZING_SOORTEN) / FOUT_SOORTEN
        self.kans_prestatie = foutaandeel * len(PRESTATIE_SOORTEN) / FOUT_SOORTEN

    def _producten(self) -> tuple[list[Product], list[Product]]:
        gezien: dict[tuple[str, str], Product] = {}
        for r in self.tarieven.rijen:
            if r.geldig_op(self.begin) or r.geldig_op(self.einde):
                gezien.setdefault((r.productcode, r.eenheid),
                                  Product(r.productcategorie, r.productcode, r.eenheid, r.soort))
        alle = sorted(gezien.values(), key=lambda p: (p.code, p.eenheid))
        gewoon = [p for p in alle if p.categorie != "42"]
        if not gewoon:
            raise ValueError("de tarieventabel heeft geen bruikbare producten in deze periode")
        return gewoon, [p for p in alle if p.categorie == "42"]

    def _aanbieders(self, aantal: int | None) -> list[str]:
        if aantal is None:
            aantal = max(2, min(150, round((self.doel / len(self.maanden)) ** 0.5 / 3)))
        agbs: list[str] = []
        while len(agbs) < aantal:
            agb = f"{self.getal(10_000_000, 100_000_000)}"
            if agb not in agbs:
                agbs.append(agb)
        return agbs

    def getal(self, a: int, b: int) -> int:
        """A random integer a <= n < b (faster than randrange, which the hot path feels)."""
        return a + int(self.rng.random() * (b - a))

    def kies(self, keuzes: Sequence[_T]) -> _T:
        """A random element (faster than Random.choice)."""
        return keuzes[int(self.rng.random() * len(keuzes))]

    def nieuwe_bsn(self, geldig: bool = True) -> str:
        while True:
            self._bsn_teller += 1 + self.getal(0, 7)
            som = _GEWOGEN_HOOG[self._bsn_teller // 10_000] + _GEWOGEN_LAAG[
                self._bsn_teller % 10_000]
            cijfer = som % 11
            if cijfer != 10:
                if not geldig:
                    cijfer = (cijfer + 1 + self.getal(0, 8)) % 10
                return f"{self._bsn_teller:08d}{cijfer}"

    def andere_bsn(self, bsn: str) -> str:
        """A valid BSN of another client (a new one when the draw hits `bsn`)."""
        keuze = self.kies(self.geldige_bsns)
        return keuze if keuze != bsn else self.nieuwe_bsn()

    def nieuw_nummer(self) -> str:
        self._nummer += 1 + self.getal(0, 3)
        return str(self._nummer)

    def referentie(self, aanbieder: str) -> str:
        n = self._ref.get(aanbieder, 0) + 1
        self._ref[aanbieder] = n
        return f"{aanbieder[-4:]}{n:09d}"


def _gewogen(gewichten: tuple[int, ...]) -> list[int]:
    """Weighted digit sums of all 4-digit numbers: the elfproef of 8 digits is two lookups."""
    return [sum(g * int(c) for g, c in zip(gewichten, f"{n:04d}", strict=True))
            for n in range(10_000)]


_GEWOGEN_HOOG = _gewogen((9, 8, 7, 6))
_GEWOGEN_LAAG = _gewogen((5, 4, 3, 2))
