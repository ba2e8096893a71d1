"""A generated region month from start to end: the generator's allocations and budgets, the
messages, and the result `Regiomaand` that tests and the bench read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from berichten.ijw.jw301 import geldende_toewijzingen
from engine.geheugen import zonder_gc
from engine.model import Afwezigheid, Context, Declaratie, Toewijzing
from proefdata.berichten import Berichten, declaratie
from proefdata.generator import Generator
from proefdata.tarieven import STANDAARD_TARIEVEN, Tariefregel
from proefdata.toewijzingen import maak_toewijzingen, zet_budgetten

STANDAARD_GEMEENTEN = ("0193", "0148", "0160", "0166")


@dataclass(slots=True)
class Regiomaand:
    """A generated region month (or months): allocation versions in message order, absence
    periods, declarations in processing order, and the planted kind of every line."""

    toewijzingen: list[Toewijzing]
    afwezigheden: list[Afwezigheid]
    declaraties: list[Declaratie]
    soorten: list[tuple[str, ...]]
    """per declaration, per line (same order as its prestaties): the planted kind"""
    tarieven: tuple[Tariefregel, ...]
    dagtekening: date

    @property
    def aantal_prestaties(self) -> int:
        return sum(len(d.prestaties) for d in self.declaraties)

    def geldende_toewijzingen(self) -> dict[str, Toewijzing]:
        return geldende_toewijzingen(self.toewijzingen)

    def context(self) -> Context:
        """The engine's context: versions in force and absences."""
        return Context(self.geldende_toewijzingen(), tuple(self.afwezigheden))


def genereer_regiomaand(seed: int, aantal_prestaties: int, *, begin: date = date(2026, 1, 1),
                        maanden: int = 2, tarieven: Sequence[Tariefregel] | None = None,
                        gemeenten: Sequence[str] = STANDAARD_GEMEENTEN,
                        foutaandeel: float = 0.1, creditaandeel: float = 0.05,
                        aanbieders: int | None = None) -> Regiomaand:
    """A region's months of declarations with about `aantal_prestaties` lines in total.

    `foutaandeel` is the share of lines with a planted error, spread evenly over the kinds
    (PRESTATIE_SOORTEN, TOEWIJZING_SOORTEN, and the credit/number kinds of BERICHT_SOORTEN);
    `creditaandeel` the share of last month's approved lines that are credited and declared
    again. Tariffs come from `tarieven` (default STANDAARD_TARIEVEN), so lines match that
    contract's tarieven.csv unless an error is planted. Same arguments, same result.
    """
    with zonder_gc():
        return _genereer(Generator(seed, aantal_prestaties, begin, maanden,
                                   tarieven or STANDAARD_TARIEVEN, gemeenten, foutaandeel,
                                   creditaandeel, aanbieders))


def _genereer(g: Generator) -> Regiomaand:
    maak_toewijzingen(g)
    zet_budgetten(g)
    declaraties: list[Declaratie] = []
    soorten: list[tuple[str, ...]] = []
    for i, b in enumerate(Berichten(g).maak()):
        d, s = declaratie(b, i + 1)
        declaraties.append(d)
        soorten.append(s)
    return Regiomaand(g.versies, g.afwezigheden, declaraties, soorten, g.tarieven.rijen,
                      g.maanden[0])
