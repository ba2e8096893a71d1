"""Budget ceilings (budgetplafonds): per provider per segment per year, from the contract's
table `plafonds` (aanbieder,segment,jaar,bedrag; aanbieder an AGB or `gezamenlijk`) and its
segments (`segment verblijf is "43", "44"`), against the approved production in the ledger.

A provider without a ceiling of its own in a segment and year falls under the joint ceiling
(`gezamenlijk`) when the contract has one: the small providers share it. Whether a ceiling
is hard (production above it is not paid at settlement) or soft (signalled only) is the
contract's parameter `budgetplafond hard`; the signal thresholds are the parameters
`eerste signaalgrens budgetplafond` and `tweede signaalgrens budgetplafond` (e.g. 80 and
100 procent). Everything here is data of the rule book: regions differ in files, not code.

`plafondgebruik` is the function the settlement of the year calls (issue 15): per provider
(or `gezamenlijk`) x segment x year, the ceiling, hard or soft, and the approved production
per gemeente and per month.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import polars as pl

from engine import ir, opmaak
from engine.periode import Periode, PeriodeSignaal, met_segment, signalen
from engine.waarden import toon_geld

GEZAMENLIJK = "gezamenlijk"
TABEL = "plafonds"
HARD = "budgetplafond hard"
GRENZEN = ("eerste signaalgrens budgetplafond", "tweede signaalgrens budgetplafond")


@dataclass(frozen=True, slots=True)
class Plafondgebruik:
    """One ceiling and what was produced under it in its year."""

    aanbieder: str
    """an AGB code, or `gezamenlijk` for the joint ceiling"""
    segment: str
    jaar: int
    bedrag: int
    """the ceiling in cents"""
    hard: bool
    productie: int
    """approved production (cents, credits netted) of the year so far"""
    per_gemeente: Mapping[str, int]
    per_maand: tuple[int, ...]
    """approved production per care month 1..12 (not cumulative)"""
    aanbieders: tuple[str, ...]
    """the providers whose production counts (one, or those sharing the joint ceiling)"""

    @property
    def aandeel(self) -> Fraction | None:
        """production / ceiling (None for a ceiling of 0)"""
        return Fraction(self.productie, self.bedrag) if self.bedrag else None

    def tot_en_met(self, maand: int) -> int:
        """the production of months 1..maand (what the ceiling's use is at a month's end)"""
        return sum(self.per_maand[:maand])


def plafonds(boek: ir.Regelboek, jaar: int) -> list[tuple[str, str, int]]:
    """(aanbieder, segment, bedrag) of every ceiling of the year in the contract's table."""
    tabel = boek.tabellen.get(TABEL)
    if tabel is None:
        return []
    kolom = {k.naam: i for i, k in enumerate(tabel.kolommen)}
    return [(str(r[kolom["aanbieder"]]), str(r[kolom["segment"]]), _centen(r[kolom["bedrag"]]))
            for r in tabel.rijen if str(r[kolom["jaar"]]) == str(jaar)]


def _centen(waarde: ir.Waarde) -> int:
    return int(waarde) if isinstance(waarde, int | Fraction) else 0


def _parameter(boek: ir.Regelboek, naam: str, dag: date) -> ir.Waarde:
    for versie in boek.parameters.get(naam, ()):
        if versie.geldig.geldt_op(dag):
            return versie.waarde.waarde
    return None


def plafondgebruik(boek: ir.Regelboek, rijen: pl.DataFrame, jaar: int) -> list[Plafondgebruik]:
    """Every ceiling of the year with the approved production under it, from the ledger rows
    of one region's year (`engine.periode.GROOTBOEK_SCHEMA`); aggregated by Polars."""
    lijst = plafonds(boek, jaar)
    if not lijst:
        return []
    hard = _parameter(boek, HARD, date(jaar, 1, 1)) is True
    frame = met_segment(boek, rijen.filter(pl.col("jaar") == jaar))
    per = (frame.group_by(["aanbieder", "segment", "gemeente", "maand"])
           .agg(pl.col("goedgekeurd_bedrag").sum().alias("bedrag")))
    eigen = {(a, s) for a, s, _ in lijst if a != GEZAMENLIJK}
    uit = []
    for aanbieder, segment, bedrag in lijst:
        if aanbieder == GEZAMENLIJK:
            deel = per.filter((pl.col("segment") == segment) & ~pl.col("aanbieder").is_in(
                [a for a, s in eigen if s == segment]))
        else:
            deel = per.filter((pl.col("segment") == segment) & (pl.col("aanbieder") == aanbieder))
        uit.append(_gebruik(aanbieder, segment, jaar, bedrag, hard, deel))
    return uit


def _gebruik(aanbieder: str, segment: str, jaar: int, bedrag: int, hard: bool,
             deel: pl.DataFrame) -> Plafondgebruik:
    gemeenten = deel.group_by("gemeente").agg(pl.col("bedrag").sum()).sort("gemeente")
    maanden = dict(deel.group_by("maand").agg(pl.col("bedrag").sum()).iter_rows())
    aanbieders = tuple(sorted(deel["aanbieder"].unique().to_list())) or (aanbieder,)
    return Plafondgebruik(
        aanbieder, segment, jaar, bedrag, hard, int(deel["bedrag"].sum()),
        {g: int(b) for g, b in gemeenten.iter_rows()},
        tuple(int(maanden.get(m, 0)) for m in range(1, 13)), aanbieders)


def plafondsignalen(boek: ir.Regelboek, gebruik: list[Plafondgebruik], periode: Periode,
                    ) -> list[PeriodeSignaal]:
    """A signal per ceiling whose production up to the period's end reaches a threshold
    (the highest one reached)."""
    uit = []
    maand = periode.einde.month
    for g in gebruik:
        productie = g.tot_en_met(maand)
        bereikt = [(naam, grens) for naam, grens in _grenzen(boek, periode.begin)
                   if g.bedrag and Fraction(productie, g.bedrag) * 100 >= grens]
        if bereikt:
            uit.append(_signaal(boek, g, periode, productie, *bereikt[-1]))
    return uit


def _grenzen(boek: ir.Regelboek, dag: date) -> list[tuple[str, Fraction]]:
    uit = []
    for naam in GRENZEN:
        waarde = _parameter(boek, naam, dag)
        if isinstance(waarde, int | Fraction):
            uit.append((naam, Fraction(waarde)))
    return sorted(uit, key=lambda x: x[1])


def _signaal(boek: ir.Regelboek, g: Plafondgebruik, periode: Periode, productie: int,
             naam: str, grens: Fraction) -> PeriodeSignaal:
    versie = boek.parameters[naam][0]
    procent = Fraction(productie * 100, g.bedrag)
    soort = "harde" if g.hard else "zachte"
    gevolg = ("productie boven het plafond wordt bij de vaststelling niet betaald" if g.hard
              else "het plafond is zacht: dit wordt gesignaleerd, niet gekort")
    wie = ("de aanbieders onder het gezamenlijke plafond" if g.aanbieder == GEZAMENLIJK
           else f"aanbieder {g.aanbieder}")
    waarden = (("productie", toon_geld(productie)), ("budgetplafond", toon_geld(g.bedrag)),
               ("percentage", opmaak.getal(procent, 1)),
               ("signaalgrens", f"{grens.numerator // grens.denominator} procent"),
               ("soort", soort))
    zin = (f"De goedgekeurde productie van {wie} in segment {g.segment} over {g.jaar} tot "
           f"en met {opmaak.datum(periode.einde)} is {toon_geld(productie)}: "
           f"{waarden[2][1]} procent van het {soort} budgetplafond van {toon_geld(g.bedrag)}"
           f"; de signaalgrens van {waarden[3][1]} is bereikt ({gevolg}).")
    return PeriodeSignaal(
        code=f"SBP{grens.numerator // grens.denominator}", regel_id=f"{versie.artikel}/{naam}",
        regel=naam, artikel=versie.artikel or "", lid=versie.lid or "", periode=periode,
        aanbieder=g.aanbieder, gemeente="", segment=g.segment, waarden=waarden, zin=zin)


def alle_signalen(boek: ir.Regelboek, jaarrijen: pl.DataFrame, periode: Periode,
                  ) -> list[PeriodeSignaal]:
    """The period rules' signals over the period's rows, then the ceilings' over the year's
    rows up to the period's end (a ceiling is for the year; its use grows month by month)."""
    rijen = jaarrijen.filter(pl.col("jaar") == periode.jaar)
    if periode.kwartaal is not None:
        rijen = rijen.filter(pl.col("kwartaal") == periode.kwartaal)
    gebruik = plafondgebruik(boek, jaarrijen, periode.jaar)
    return [*signalen(boek, rijen, periode), *plafondsignalen(boek, gebruik, periode)]
