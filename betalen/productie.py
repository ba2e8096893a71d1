"""What the year's money reads from the store: approved production from the ledger and the
recorded payments, aggregated in the database (GROUP BY), never row by row in Python; a
region-year of 1.2M ledger rows comes back as a few thousand sums."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlmodel import Session, SQLModel

from opslag.betalingen import Betaling
from opslag.grootboek import GrootboekRij

_G = SQLModel.metadata.tables[GrootboekRij.__tablename__]
_B = SQLModel.metadata.tables[Betaling.__tablename__]


@dataclass(frozen=True, slots=True)
class Productie:
    """Approved production of a region's care year: per provider, gemeente, product
    category and care month, the sum (cents) and the number of ledger rows behind it."""

    regels: tuple[tuple[str, str, str, int, int, int], ...]
    """(aanbieder, gemeente, productcategorie, maand, bedrag, rijen)."""

    def per_categorie(self) -> dict[tuple[str, str, str], int]:
        uit: dict[tuple[str, str, str], int] = {}
        for a, g, c, _, bedrag, _ in self.regels:
            uit[(a, g, c)] = uit.get((a, g, c), 0) + bedrag
        return uit

    def per_maand(self, aanbieder: str, gemeente: str) -> list[int]:
        uit = [0] * 12
        for a, g, _, maand, bedrag, _ in self.regels:
            if (a, g) == (aanbieder, gemeente):
                uit[maand - 1] += bedrag
        return uit

    def rijen(self, aanbieder: str, gemeente: str) -> int:
        return sum(n for a, g, *_, n in self.regels if (a, g) == (aanbieder, gemeente))


def productie(sessie: Session, regio: str, jaar: int) -> Productie:
    q = (select(_G.c.aanbieder, _G.c.gemeente, _G.c.productcategorie, _G.c.maand,
                func.sum(_G.c.goedgekeurd_bedrag), func.count())
         .where(_G.c.regio == regio, _G.c.jaar == jaar)
         .group_by(_G.c.aanbieder, _G.c.gemeente, _G.c.productcategorie, _G.c.maand)
         .order_by(_G.c.aanbieder, _G.c.gemeente, _G.c.productcategorie, _G.c.maand))
    return Productie(tuple((a, g, c, int(m), int(s), int(n))
                           for a, g, c, m, s, n in sessie.execute(q)))


def goedgekeurd_voor(sessie: Session, regio: str, datum: date
                     ) -> dict[tuple[str, str, int], int]:
    """Approved amounts assessed before `datum`, per provider, gemeente and care year: what
    P×Q owes by then."""
    q = (select(_G.c.aanbieder, _G.c.gemeente, _G.c.jaar, func.sum(_G.c.goedgekeurd_bedrag))
         .where(_G.c.regio == regio, _G.c.beoordeeld_op < datum)
         .group_by(_G.c.aanbieder, _G.c.gemeente, _G.c.jaar))
    return {(a, g, int(j)): int(s) for a, g, j, s in sessie.execute(q)}


def clienten(sessie: Session, regio: str, jaren: Iterable[int]
             ) -> dict[int, dict[tuple[str, str], set[str]]]:
    """Per year, per (gemeente, productcategorie), the distinct clients with approved care:
    what the keys 'cliënten vorig jaar' and 'cliënten drie jaar' count. The BSNs stay in
    memory for the count only; they are never shown."""
    q = (select(_G.c.jaar, _G.c.gemeente, _G.c.productcategorie, _G.c.bsn)
         .where(_G.c.regio == regio, _G.c.jaar.in_(list(jaren)), _G.c.goedgekeurd_bedrag > 0)
         .distinct())
    uit: dict[int, dict[tuple[str, str], set[str]]] = {}
    for j, g, c, bsn in sessie.execute(q):
        uit.setdefault(int(j), {}).setdefault((g, c), set()).add(bsn)
    return uit


def betalingen(sessie: Session, regio: str, *, zorgjaar: int | None = None,
               betaald_in: tuple[int, int] | None = None) -> list[Betaling]:
    """The recorded payments of a care year, or of a paid month (jaar, maand)."""
    voorwaarden = [_B.c.regio == regio]
    if zorgjaar is not None:
        voorwaarden.append(_B.c.zorgjaar == zorgjaar)
    if betaald_in is not None:
        voorwaarden.append(and_(_B.c.betaaljaar == betaald_in[0],
                                _B.c.betaalmaand == betaald_in[1]))
    q = (select(_B).where(*voorwaarden)
         .order_by(_B.c.betaaljaar, _B.c.betaalmaand, _B.c.aanbieder, _B.c.gemeente,
                   _B.c.soort, _B.c.zorgjaar))
    return [Betaling(**rij._mapping) for rij in sessie.execute(q)]


def laatste_betaalde_maand(sessie: Session, regio: str) -> tuple[int, int] | None:
    q = (select(_B.c.betaaljaar, _B.c.betaalmaand).where(_B.c.regio == regio)
         .order_by(_B.c.betaaljaar.desc(), _B.c.betaalmaand.desc()).limit(1))
    rij = sessie.execute(q).first()
    return (int(rij[0]), int(rij[1])) if rij else None
