"""The risk sharing (risicoverevening) per region per year (issue 15).

Cost per gemeente = what the region pays for its clients after the ceilings (production
minus each gemeente's part of a hard ceiling's excess), per group of care: each segment the
contract gives a key (`verdeelsleutel SEGMENT`) and the rest (`verdeelsleutel overige
zorg`). A group's total is divided by its key; a gemeente's contribution is the sum over
groups, its saldo the contribution minus its own cost (positive: it pays into the pool).
Every split adds up to its total, so the saldi sum to zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from betalen.afronding import half_omhoog, verdeel
from betalen.fouten import JaarFout
from betalen.plafonds import Segmenten
from betalen.vaststelling import segment_van
from betalen.voorwaarden import OVERIG, Sleutel


class VereveningFout(JaarFout):
    """The risk sharing cannot be computed from the region's data (a Dutch sentence)."""


@dataclass(frozen=True, slots=True)
class Groep:
    """One group of care: its key, each gemeente's own cost and contribution."""

    naam: str
    sleutel: Sleutel
    kosten: Mapping[str, int]
    bijdrage: Mapping[str, int]
    gewichten: Mapping[str, Fraction]
    """What the solidary (or clients, shares) part was divided by, per gemeente."""


@dataclass(frozen=True, slots=True)
class Gegevens:
    """What the keys divide by: inhabitants of the year, clients per gemeente per group in
    the years before (year -> group -> gemeente -> distinct clients), share tables."""

    inwoners: Mapping[str, int]
    clienten: Mapping[int, Mapping[str, Mapping[str, int]]]
    aandelen: Mapping[str, Mapping[str, Fraction]]


def groep_van(categorie: str, sleutels: Mapping[str, Sleutel], segmenten: Segmenten) -> str:
    segment = segment_van(categorie, {s: segmenten[s] for s in sleutels if s in segmenten})
    return segment or OVERIG


def controleer_segmenten(sleutels: Mapping[str, Sleutel], segmenten: Segmenten) -> None:
    for naam, sleutel in sleutels.items():
        if naam != OVERIG and naam not in segmenten:
            raise VereveningFout(
                f"{sleutel.term.bron}: de verdeelsleutel noemt segment '{naam}', maar het "
                f"contract definieert dat segment niet (wel: "
                f"{', '.join(sorted(segmenten)) or 'geen segmenten'})")


def _gewichten(sleutel: Sleutel, groep: str, gemeenten: tuple[str, ...], jaar: int,
               g: Gegevens) -> dict[str, Fraction]:
    if sleutel.soort in ("solidariteit", "mix"):
        ontbreekt = [x for x in gemeenten if x not in g.inwoners]
        if ontbreekt:
            raise VereveningFout(f"inwoners.csv heeft geen aantal inwoners voor gemeente "
                                 f"{', '.join(ontbreekt)} in {jaar}")
        return {x: Fraction(g.inwoners[x]) for x in gemeenten}
    if sleutel.soort in ("cliënten vorig jaar", "cliënten drie jaar"):
        jaren = [jaar - 1] if sleutel.soort == "cliënten vorig jaar" else [jaar - 1, jaar - 2,
                                                                           jaar - 3]
        return {x: Fraction(sum(g.clienten.get(j, {}).get(groep, {}).get(x, 0) for j in jaren))
                for x in gemeenten}
    if sleutel.soort == "aandelen":
        tabel = g.aandelen.get(sleutel.tabel)
        if tabel is None:
            raise VereveningFout(f"{sleutel.term.bron}: verdeelsleutels.csv heeft geen "
                                 f"aandelen voor sleutel '{sleutel.tabel}' in {jaar}")
        return {x: Fraction(tabel.get(x, 0)) for x in gemeenten}
    return {}


def _verdeel(totaal: int, gewichten: Mapping[str, Fraction], wat: str) -> dict[str, int]:
    try:
        return verdeel(totaal, gewichten)
    except ValueError as e:
        raise VereveningFout(f"{wat}: {e}") from None


def _bijdrage(naam: str, sleutel: Sleutel, kosten: dict[str, int],
              gewichten: dict[str, Fraction]) -> dict[str, int]:
    totaal = sum(kosten.values())
    if sleutel.soort == "profijt":
        return dict(kosten)
    if sleutel.soort != "mix":
        return _verdeel(totaal, gewichten, f"groep {naam}")
    solidair = half_omhoog(sleutel.alfa * totaal)
    deel = _verdeel(solidair, gewichten, f"groep {naam}, solidair deel")
    rest = _verdeel(totaal - solidair, {g: Fraction(k) for g, k in kosten.items()},
                    f"groep {naam}, profijtdeel")
    return {g: deel[g] + rest[g] for g in kosten}


def vereven(kosten_per_categorie: Mapping[tuple[str, str], int], gemeenten: tuple[str, ...],
            sleutels: Mapping[str, Sleutel], standaard: Sleutel, segmenten: Segmenten,
            jaar: int, gegevens: Gegevens) -> tuple[Groep, ...]:
    """Every group's division. `kosten_per_categorie`: (gemeente, productcategorie) -> cost
    after ceilings; `standaard` is the key of the rest when the contract names none."""
    controleer_segmenten(sleutels, segmenten)
    alle = dict(sleutels)
    alle.setdefault(OVERIG, standaard)
    kosten: dict[str, dict[str, int]] = {n: dict.fromkeys(gemeenten, 0) for n in alle}
    for (gemeente, categorie), bedrag in kosten_per_categorie.items():
        groep = groep_van(categorie, sleutels, segmenten)
        kosten[groep][gemeente] = kosten[groep].get(gemeente, 0) + bedrag
    groepen = []
    for naam in sorted(alle, key=lambda n: (n == OVERIG, n)):
        sleutel = alle[naam]
        regio = tuple(sorted(kosten[naam]))
        gewichten = _gewichten(sleutel, naam, regio, jaar, gegevens)
        groepen.append(Groep(naam, sleutel, kosten[naam],
                             _bijdrage(naam, sleutel, kosten[naam], gewichten), gewichten))
    return tuple(groepen)


def per_gemeente(groepen: tuple[Groep, ...]) -> list[tuple[str, int, int, int]]:
    """(gemeente, kosten, bijdrage, saldo) per gemeente, by code."""
    codes = sorted({g for groep in groepen for g in groep.kosten})
    uit = []
    for code in codes:
        kosten = sum(groep.kosten.get(code, 0) for groep in groepen)
        bijdrage = sum(groep.bijdrage.get(code, 0) for groep in groepen)
        uit.append((code, kosten, bijdrage, bijdrage - kosten))
    return uit
