"""A region's year of money, put together: the terms from its rule files, production and
payments from the store, and the four answers (advance schedule, payment run, settlement,
risk sharing). The commands and the service call these; the computations are in
`modellen`, `vaststelling` and `verevening`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from betalen import plafonds as plafondbron
from betalen import productie as bron
from betalen.modellen import Voorschot, eenmalig_voorschot, voorschot
from betalen.plafonds import Plafond, Segmenten
from betalen.vaststelling import Vaststelling, stel_vast
from betalen.verevening import Gegevens, Groep, groep_van, vereven
from betalen.voorwaarden import Sleutel, Term, Voorwaarden, voorwaarden
from engine.ir import Regelboek
from opslag.betalingen import Betaling


@dataclass(frozen=True, slots=True)
class Jaar:
    """What a year's money is computed under."""

    boek: Regelboek
    voorwaarden: Voorwaarden
    segmenten: Segmenten
    plafonds: tuple[Plafond, ...]

    @property
    def regio(self) -> str:
        return self.voorwaarden.regio

    @property
    def jaar(self) -> int:
        return self.voorwaarden.jaar


def laad(boek: Regelboek, jaar: int, segmenten: Segmenten | None = None,
         plafonds: tuple[Plafond, ...] | None = None) -> Jaar:
    """The year's terms (RegelFoutenError, located, when one is wrong); segments and
    ceilings from the contract unless given."""
    uit_boek = plafondbron.uit_regelboek(boek, jaar)
    return Jaar(boek, voorwaarden(boek, jaar), uit_boek[0] if segmenten is None else segmenten,
                uit_boek[1] if plafonds is None else plafonds)


@dataclass(frozen=True, slots=True)
class VoorschotRegel:
    aanbieder: str
    gemeente: str
    voorschot: Voorschot
    eenmalig: int

    @property
    def totaal(self) -> int:
        return self.voorschot.totaal + self.eenmalig


def voorschotten(j: Jaar) -> list[VoorschotRegel]:
    """The advance schedule per provider × gemeente with an estimate for the year: the
    terms (zero under P×Q) and the one-off advance."""
    v = j.voorwaarden
    paren = sorted({(r.aanbieder, r.gemeente) for r in v.ramingen})
    uit = []
    for aanbieder, gemeente in paren:
        rijen = [r for r in v.ramingen if (r.aanbieder, r.gemeente) == (aanbieder, gemeente)]
        schema = (voorschot(rijen, j.jaar, v.percentage, v.aantal_termijnen)
                  if v.model_van(aanbieder) == "voorschot" else Voorschot((0,) * 12, ()))
        eenmalig = (eenmalig_voorschot(rijen, j.jaar, v.eenmalig_maanden)
                    if v.eenmalig_maanden else 0)
        uit.append(VoorschotRegel(aanbieder, gemeente, schema, eenmalig))
    return uit


@dataclass(frozen=True, slots=True)
class Stand:
    """The settlement with what it was computed from."""

    vaststelling: Vaststelling
    productie: bron.Productie
    betalingen: tuple[Betaling, ...]


def vaststelling(sessie: Session, j: Jaar) -> Stand:
    productie = bron.productie(sessie, j.regio, j.jaar)
    betalingen = tuple(bron.betalingen(sessie, j.regio, zorgjaar=j.jaar))
    betaald: dict[tuple[str, str], int] = {}
    for b in betalingen:
        betaald[(b.aanbieder, b.gemeente)] = betaald.get((b.aanbieder, b.gemeente), 0) + b.bedrag
    return Stand(stel_vast(productie.per_categorie(), betaald, j.segmenten, j.plafonds),
                 productie, betalingen)


def _kosten(j: Jaar, stand: Stand) -> dict[tuple[str, str], int]:
    """(gemeente, productcategorie) -> cost after the ceilings: an excess is taken off the
    segment's lowest category (every category of a segment falls in one group)."""
    kosten: dict[tuple[str, str], int] = {}
    for (_, gemeente, categorie), bedrag in stand.productie.per_categorie().items():
        kosten[(gemeente, categorie)] = kosten.get((gemeente, categorie), 0) + bedrag
    for (_, gemeente, segment), deel in stand.vaststelling.boven_per_segment.items():
        categorie = min(j.segmenten[segment])
        kosten[(gemeente, categorie)] = kosten.get((gemeente, categorie), 0) - deel
    return kosten


PROFIJT = Sleutel("profijt", Term("verdeelsleutel overige zorg", "profijt", "", "",
                                  "standaard: zonder verdeelsleutel betaalt elke gemeente "
                                  "haar eigen kosten"))


def verevening(sessie: Session, j: Jaar, stand: Stand) -> tuple[Groep, ...]:
    v = j.voorwaarden
    nodig = {s.soort for s in v.sleutels.values()}
    clienten: dict[int, dict[str, dict[str, int]]] = {}
    if nodig & {"cliënten vorig jaar", "cliënten drie jaar"}:
        for jaar_, per in bron.clienten(sessie, j.regio, range(j.jaar - 3, j.jaar)).items():
            groepen: dict[tuple[str, str], set[str]] = {}
            for (gemeente, categorie), bsns in per.items():
                groep = groep_van(categorie, v.sleutels, j.segmenten)
                groepen.setdefault((groep, gemeente), set()).update(bsns)
            for (groep, gemeente), bsns in groepen.items():
                clienten.setdefault(jaar_, {}).setdefault(groep, {})[gemeente] = len(bsns)
    gegevens = Gegevens(v.inwoners, clienten, {k: dict(a) for k, a in v.aandelen.items()})
    return vereven(_kosten(j, stand), v.gemeenten, v.sleutels, PROFIJT, j.segmenten, j.jaar,
                   gegevens)

