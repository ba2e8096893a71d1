"""The contract's payment terms for a year, read from the region's rule files and tables.

The terms are parameters of the contract (docs/taal.md §10): `betaalmodel`,
`voorschotpercentage`, `aantal termijnen`, `eenmalig voorschot` (months), `maand eenmalig
voorschot` and `maand slotbedrag`, and per segment of care `verdeelsleutel <segment>`
(`verdeelsleutel overige zorg` for the care no keyed segment covers) with `aandeel
solidair` for a mix; the tables
`ramingen`, `inwoners` and `verdeelsleutels`. A region differs in these files, never in
Python. A term that is wrong is an error at its place in the rule file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction

from betalen.modellen import Raming
from dsl import geldtabellen
from dsl.fouten import RegelFout, RegelFoutenError
from engine.ir import ParameterWaarde, Regelboek, Tabel

BETAALMODELLEN = geldtabellen.BETAALMODELLEN
OVERIG = "overige zorg"
SLEUTELS = {
    "solidariteit": "naar inwoners (solidair)",
    "profijt": "naar eigen kosten (profijt)",
    "cliënten vorig jaar": "naar het aantal cliënten in het vorige jaar",
    "cliënten drie jaar": "naar het gemiddelde aantal cliënten in de drie jaren ervoor",
    "mix": "deels naar inwoners, de rest naar eigen kosten",
}
"""The keys of the risk sharing, with how the explanation says them; `aandelen NAAM` (a
share table in verdeelsleutels.csv) comes on top."""


@dataclass(frozen=True, slots=True)
class Term:
    """A term as the explanation shows it: name, value, article and lid, place."""

    naam: str
    waarde: str
    artikel: str
    lid: str
    bron: str


@dataclass(frozen=True, slots=True)
class Sleutel:
    """The key of one segment: `soort` one of SLEUTELS or 'aandelen'; `tabel` the share
    table's key for 'aandelen'; `alfa` the solidary part of a mix."""

    soort: str
    term: Term
    tabel: str = ""
    alfa: Fraction = Fraction(0)


@dataclass(frozen=True, slots=True)
class Voorwaarden:
    regio: str
    jaar: int
    gemeenten: tuple[str, ...]
    betaalmodel: str
    percentage: Fraction
    aantal_termijnen: int
    eenmalig_maanden: int
    eenmalig_maand: int
    maand_slotbedrag: int
    """The month of the next year in which the payment run pays (or reclaims) this year's
    slotbedrag; 0: the run does not (the default)."""
    sleutels: dict[str, Sleutel]
    ramingen: tuple[Raming, ...]
    inwoners: dict[str, int]
    aandelen: dict[str, dict[str, Fraction]]
    modellen: dict[str, str] = field(default_factory=dict)
    """A provider's own model (betaalmodellen.csv) over the contract's `betaalmodel`."""
    functies: tuple[tuple[str, str, int], ...] = ()
    """(aanbieder, gemeente, yearly amount) of function funding (functies.csv)."""
    inhouding_functie: Fraction = Fraction(0)
    populatie: tuple[tuple[str, str, int], ...] = ()
    """(aanbieder, gemeente, cents per inhabitant) of population funding (populatie.csv)."""
    termen: tuple[Term, ...] = field(default=())

    def model_van(self, aanbieder: str) -> str:
        return self.modellen.get(aanbieder, self.betaalmodel)


class _Lezer:
    def __init__(self, boek: Regelboek, jaar: int) -> None:
        self.boek, self.jaar = boek, jaar
        self.fouten: list[RegelFout] = []
        self.termen: list[Term] = []

    def parameter(self, naam: str) -> ParameterWaarde | None:
        peildatum = date(self.jaar, 1, 1)
        for versie in self.boek.parameters.get(naam, ()):
            if versie.geldig.geldt_op(peildatum):
                return versie
        return None

    def fout(self, p: ParameterWaarde, bericht: str) -> None:
        self.fouten.append(RegelFout(p.bron.bestand, p.bron.line, p.bron.column, bericht))

    def term(self, p: ParameterWaarde) -> Term:
        waarde = p.waarde.waarde
        eenheid = f" {p.waarde.type.eenheid}" if p.waarde.type.eenheid else ""
        t = Term(p.naam, f"{waarde}{eenheid}", p.artikel or "", p.lid or "", str(p.bron))
        self.termen.append(t)
        return t

    def tekst(self, naam: str, standaard: str) -> tuple[str, ParameterWaarde | None]:
        p = self.parameter(naam)
        if p is None:
            return standaard, None
        self.term(p)
        if not isinstance(p.waarde.waarde, str):
            self.fout(p, f"parameter '{naam}' is een tekst, zoals \"{standaard}\"")
            return standaard, p
        return p.waarde.waarde, p

    def getal(self, naam: str, standaard: int, eenheid: str | None, toegestaan: range) -> int:
        p = self.parameter(naam)
        if p is None:
            return standaard
        self.term(p)
        w = p.waarde.waarde
        if (not isinstance(w, int) or isinstance(w, bool) or p.waarde.type.eenheid != eenheid
                or w not in toegestaan):
            voorbeeld = f"{toegestaan.start}{' ' + eenheid if eenheid else ''}"
            self.fout(p, f"parameter '{naam}' is een heel getal van {toegestaan.start} tot en "
                      f"met {toegestaan.stop - 1}{' ' + eenheid if eenheid else ''}, zoals "
                      f"{voorbeeld}")
            return standaard
        return w

    def procent(self, naam: str, standaard: Fraction) -> Fraction:
        p = self.parameter(naam)
        if p is None:
            return standaard
        self.term(p)
        w = p.waarde.waarde
        if (isinstance(w, bool) or not isinstance(w, int | Fraction)
                or p.waarde.type.eenheid != "procent" or not 0 <= w <= 100):
            self.fout(p, f"parameter '{naam}' is een percentage van 0 tot en met 100, zoals "
                      "90 procent")
            return standaard
        return Fraction(w) / 100


def voorwaarden(boek: Regelboek, jaar: int) -> Voorwaarden:
    """The payment terms of `boek`'s contract in force on 1 January of `jaar`; every wrong
    term at once, as a `RegelFoutenError` located in the rule file."""
    lezer = _Lezer(boek, jaar)
    model, p_model = lezer.tekst("betaalmodel", "pxq")
    if p_model is not None and model not in BETAALMODELLEN:
        lezer.fout(p_model, f"betaalmodel '{model}' bestaat niet; kies uit "
                   f"{', '.join(repr(m) for m in BETAALMODELLEN)}")
    uit = Voorwaarden(
        regio=boek.regio or boek.naam, jaar=jaar, gemeenten=boek.gemeenten,
        betaalmodel=model,
        percentage=lezer.procent("voorschotpercentage", Fraction(0)),
        aantal_termijnen=lezer.getal("aantal termijnen", 12, None, range(12, 14)),
        eenmalig_maanden=lezer.getal("eenmalig voorschot", 0, "maand", range(0, 13)),
        eenmalig_maand=lezer.getal("maand eenmalig voorschot", 1, None, range(1, 13)),
        maand_slotbedrag=lezer.getal("maand slotbedrag", 0, None, range(0, 13)),
        sleutels=_sleutels(lezer),
        ramingen=_ramingen(boek.tabellen.get("ramingen"), jaar),
        inwoners=_inwoners(boek.tabellen.get("inwoners"), jaar),
        aandelen=_aandelen(boek.tabellen.get("verdeelsleutels"), jaar),
        modellen={str(r["aanbieder"]): str(r["betaalmodel"])
                  for r in _rijen(boek.tabellen.get("betaalmodellen"))},
        functies=_per_paar(boek.tabellen.get("functies"), jaar),
        inhouding_functie=lezer.procent("inhouding functie", Fraction(0)),
        populatie=_per_paar(boek.tabellen.get("populatie"), jaar),
        termen=())
    if lezer.fouten:
        raise RegelFoutenError(lezer.fouten)
    return replace(uit, termen=tuple(lezer.termen))


def _sleutels(lezer: _Lezer) -> dict[str, Sleutel]:
    uit: dict[str, Sleutel] = {}
    for naam in sorted(lezer.boek.parameters):
        if not naam.startswith("verdeelsleutel "):
            continue
        waarde, p = lezer.tekst(naam, "profijt")
        if p is None:
            continue
        segment = naam.removeprefix("verdeelsleutel ")
        term = lezer.termen[-1]
        if waarde.startswith("aandelen "):
            uit[segment] = Sleutel("aandelen", term, tabel=waarde.removeprefix("aandelen "))
        elif waarde == "mix":
            uit[segment] = Sleutel("mix", term,
                                   alfa=lezer.procent("aandeel solidair", Fraction(1, 2)))
        elif waarde in SLEUTELS:
            uit[segment] = Sleutel(waarde, term)
        else:
            lezer.fout(p, f"verdeelsleutel '{waarde}' bestaat niet; kies uit "
                       f"{', '.join(repr(s) for s in SLEUTELS)} of 'aandelen NAAM' (een "
                       "sleutel uit verdeelsleutels.csv)")
    return uit


def _rijen(tabel: Tabel | None) -> list[dict[str, object]]:
    if tabel is None:
        return []
    namen = [k.naam for k in tabel.kolommen]
    return [dict(zip(namen, rij, strict=True)) for rij in tabel.rijen]


def _ramingen(tabel: Tabel | None, jaar: int) -> tuple[Raming, ...]:
    uit = []
    for i, r in enumerate(_rijen(tabel), start=1):
        if str(r["jaar"]) != str(jaar):
            continue
        vanaf = r["geldig_vanaf"]
        bedrag = r["bedrag"]
        assert isinstance(vanaf, date) and isinstance(bedrag, int)  # checked on load
        bron = f"{tabel.bestand}, rij {i}" if tabel else ""
        uit.append(Raming(str(r["aanbieder"]), str(r["gemeente"]), jaar, bedrag, vanaf, bron))
    return tuple(uit)


def _per_paar(tabel: Tabel | None, jaar: int) -> tuple[tuple[str, str, int], ...]:
    """(aanbieder, gemeente, bedrag) of the year's rows of functies.csv or populatie.csv."""
    return tuple((str(r["aanbieder"]), str(r["gemeente"]), int(str(r["bedrag"])))
                 for r in _rijen(tabel) if str(r["jaar"]) == str(jaar))


def _inwoners(tabel: Tabel | None, jaar: int) -> dict[str, int]:
    return {str(r["gemeente"]): int(str(r["inwoners"])) for r in _rijen(tabel)
            if str(r["jaar"]) == str(jaar)}


def _aandelen(tabel: Tabel | None, jaar: int) -> dict[str, dict[str, Fraction]]:
    uit: dict[str, dict[str, Fraction]] = {}
    for r in _rijen(tabel):
        if str(r["jaar"]) == str(jaar):
            uit.setdefault(str(r["sleutel"]), {})[str(r["gemeente"])] = Fraction(str(r["aandeel"]))
    return uit
