"""The payment run of a month (`regelwerk betaalrun --maand M`): what the region pays whom,
recorded once as facts (`opslag.betalingen`).

What a month pays, per provider × gemeente:
- termijn: the month's advance term (betaalmodel voorschot);
- eenmalig voorschot: in its month, N/12 of the estimate in force on 1 January;
- pxq: everything approved before the month began, less every P×Q payment recorded before
  (so a line is paid once, the month after its approval, and a late credit is deducted);
- slotbedrag: in the contract's `maand slotbedrag`, the previous year's settlement.

A month is run once: a second run lists what was recorded and pays nothing; a month before
the last one paid is refused (the P×Q already paid would be counted as owed again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert
from sqlmodel import Session, SQLModel

from betalen import productie as bron
from betalen.fouten import JaarFout
from betalen.jaar import Jaar, laad, vaststelling, voorschotten
from betalen.modellen import functie, populatie
from engine.opmaak import MAANDEN, decimaal, geld
from opslag.betalingen import Betaling


class BetaalrunFout(JaarFout):
    """A payment run that may not run (a Dutch sentence)."""


@dataclass(frozen=True, slots=True)
class Betaalrun:
    jaar: int
    maand: int
    betalingen: tuple[Betaling, ...]
    al_vastgelegd: bool
    """True: the month had been run before; these are the recorded payments, none new."""


def _betaling(j: Jaar, maand: int, vandaag: date, aanbieder: str, gemeente: str,
              soort: str, zorgjaar: int, bedrag: int, toelichting: str) -> Betaling:
    return Betaling(regio=j.regio, aanbieder=aanbieder, gemeente=gemeente, soort=soort,
                    zorgjaar=zorgjaar, betaaljaar=j.jaar, betaalmaand=maand, bedrag=bedrag,
                    toelichting=toelichting, vastgelegd_op=vandaag)


def _voorschotten(j: Jaar, maand: int, vandaag: date) -> list[Betaling]:
    v = j.voorwaarden
    uit = []
    for regel in voorschotten(j):
        term = regel.voorschot.termijnen[maand - 1]
        if term:
            stap = [s for s in regel.voorschot.stappen if s.maand <= maand][-1]
            uit.append(_betaling(
                j, maand, vandaag, regel.aanbieder, regel.gemeente, "termijn", j.jaar, term,
                f"termijn {maand}: {decimaal(v.percentage * 100)} % van de raming "
                f"{geld(stap.raming.bedrag)} ({stap.raming.bron}) in "
                f"{v.aantal_termijnen} termijnen"))
        if regel.eenmalig and maand == v.eenmalig_maand:
            uit.append(_betaling(
                j, maand, vandaag, regel.aanbieder, regel.gemeente, "eenmalig voorschot",
                j.jaar, regel.eenmalig,
                f"eenmalig voorschot: {v.eenmalig_maanden}/12 van de raming op 1 januari"))
    return uit


def _functie_en_populatie(j: Jaar, maand: int, vandaag: date) -> list[Betaling]:
    """The month's term of function funding (less the part held back until the settlement)
    and of population funding (cents per inhabitant times the gemeente's inhabitants)."""
    v = j.voorwaarden
    uit = []
    for aanbieder, gemeente, bedrag in v.functies:
        f = functie(bedrag, v.aantal_termijnen, v.inhouding_functie)
        if f.termijnen[maand - 1]:
            uit.append(_betaling(j, maand, vandaag, aanbieder, gemeente, "functie", j.jaar,
                                 f.termijnen[maand - 1],
                                 f"functie: termijn {maand} van {geld(bedrag)} per jaar, "
                                 f"{geld(f.ingehouden)} ingehouden tot de vaststelling"))
    for aanbieder, gemeente, per_inwoner in v.populatie:
        if gemeente not in v.inwoners:
            raise BetaalrunFout(f"inwoners.csv heeft geen aantal inwoners voor gemeente "
                                f"{gemeente} in {j.jaar} (populatiebekostiging van {aanbieder})")
        term = populatie(per_inwoner, v.inwoners[gemeente], v.aantal_termijnen)[maand - 1]
        if term:
            uit.append(_betaling(j, maand, vandaag, aanbieder, gemeente, "populatie", j.jaar,
                                 term, f"populatie: termijn {maand} van {geld(per_inwoner)} "
                                 f"per inwoner maal {v.inwoners[gemeente]} inwoners"))
    return uit


def _pxq(sessie: Session, j: Jaar, maand: int, vandaag: date) -> list[Betaling]:
    begin = date(j.jaar, maand, 1)
    verschuldigd = bron.goedgekeurd_voor(sessie, j.regio, begin)
    betaald: dict[tuple[str, str, int], int] = {}
    for b in bron.betalingen(sessie, j.regio):
        if b.soort == "pxq":
            sleutel = (b.aanbieder, b.gemeente, b.zorgjaar)
            betaald[sleutel] = betaald.get(sleutel, 0) + b.bedrag
    uit = []
    for (aanbieder, gemeente, zorgjaar), bedrag in sorted(verschuldigd.items()):
        if j.voorwaarden.model_van(aanbieder) != "pxq":
            continue  # under an advance or lump sum, declarations build production only
        open_ = bedrag - betaald.get((aanbieder, gemeente, zorgjaar), 0)
        if open_:
            uit.append(_betaling(j, maand, vandaag, aanbieder, gemeente, "pxq", zorgjaar, open_,
                                 f"goedgekeurde prestaties (zorg in {zorgjaar}) beoordeeld "
                                 f"voor {begin.isoformat()}, nog niet betaald"))
    return uit


def _slotbedragen(sessie: Session, j: Jaar, maand: int, vandaag: date) -> list[Betaling]:
    if not j.voorwaarden.maand_slotbedrag or maand != j.voorwaarden.maand_slotbedrag:
        return []
    vorig = laad(j.boek, j.jaar - 1)
    return [_betaling(j, maand, vandaag, p.aanbieder, p.gemeente, "slotbedrag", j.jaar - 1,
                      p.slotbedrag, f"slotbedrag van de vaststelling {j.jaar - 1}")
            for p in vaststelling(sessie, vorig).vaststelling.posten if p.slotbedrag]


def betaalrun(sessie: Session, j: Jaar, maand: int, vandaag: date) -> Betaalrun:
    """Run (or list) month `maand` of the year, in the caller's transaction."""
    if not 1 <= maand <= 12:
        raise BetaalrunFout(f"maand {maand} bestaat niet: kies 1 tot en met 12")
    eerder = bron.betalingen(sessie, j.regio, betaald_in=(j.jaar, maand))
    if eerder:
        return Betaalrun(j.jaar, maand, tuple(eerder), al_vastgelegd=True)
    laatste = bron.laatste_betaalde_maand(sessie, j.regio)
    if laatste is not None and laatste > (j.jaar, maand):
        raise BetaalrunFout(
            f"de betaalrun van {MAANDEN[maand - 1]} {j.jaar} kan niet meer: "
            f"{MAANDEN[laatste[1] - 1]} {laatste[0]} is al betaald, en wat toen aan P x Q is "
            "betaald zou opnieuw als open tellen")
    nieuw = (_voorschotten(j, maand, vandaag) + _functie_en_populatie(j, maand, vandaag)
             + _pxq(sessie, j, maand, vandaag) + _slotbedragen(sessie, j, maand, vandaag))
    if nieuw:
        sessie.execute(insert(SQLModel.metadata.tables[Betaling.__tablename__]),
                       [b.model_dump(exclude={"id"}) for b in nieuw])
    return Betaalrun(j.jaar, maand, tuple(bron.betalingen(sessie, j.regio,
                                                          betaald_in=(j.jaar, maand))),
                     al_vastgelegd=False)
