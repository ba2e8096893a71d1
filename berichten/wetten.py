"""Which law (and so which standard) a region's contract covers: shared by the batch (a
contract must cover its messages' standard, `batch.standaarden`) and the service (a message
is routed to the region of its gemeente that covers its law, `api.verwerking.kies_regio`).

A contract covers a standard when its tariff table prices a product category of that
standard's code list (iJw 31..55, iWmo 01..18: disjoint); see docs/taal.md. A contract that
prices no category of any known standard (no `tarieven` table, or one without a
`productcategorie` column) covers iJw only, the standard the platform began with: so such a
region keeps answering JW323s as before and never takes a WMO323."""

from __future__ import annotations

from berichten.herkenning import STANDAARDEN
from berichten.ijw.standaard import IJW_3_2
from berichten.standaard import Standaard
from engine.ir import Regelboek

ZONDER_TARIEVEN: tuple[Standaard, ...] = (IJW_3_2,)
"""What a contract covers when its tariffs name no product category of a known standard."""


def dekt(regelboek: Regelboek, standaard: Standaard) -> bool:
    """Whether the contract prices one of the standard's product categories."""
    return standaard.naam in {s.naam for s in standaarden_van(regelboek)}


def geprijsde_categorieen(regelboek: Regelboek) -> frozenset[str]:
    """The product categories the tariff table prices (empty without one)."""
    tabel = regelboek.tabellen.get("tarieven")
    if tabel is None:
        return frozenset()
    namen = [k.naam for k in tabel.kolommen]
    if "productcategorie" not in namen:
        return frozenset()
    i = namen.index("productcategorie")
    return frozenset(str(rij[i]) for rij in tabel.rijen)


def standaarden_van(regelboek: Regelboek) -> tuple[Standaard, ...]:
    """The standards (laws) the contract covers, in the order of `STANDAARDEN`."""
    categorieen = geprijsde_categorieen(regelboek)
    gedekt = tuple(s for s in STANDAARDEN if categorieen & s.codes.productcategorie)
    return gedekt or ZONDER_TARIEVEN


def geen_producten(regio: str, standaard: Standaard) -> str:
    """The sentence for a message of a law the region's contract does not cover."""
    return (f"het contract van regio '{regio}' kent geen {standaard.wetnaam}-producten (de "
            f"tarieventabel prijst geen productcategorie van {standaard.naam} "
            f"{standaard.versie}): een {standaard.met_rol('declaratie').naam}- of "
            f"{standaard.met_rol('toewijzing').naam}-bericht hoort niet bij deze regio")
