"""Ledger rows for tests and the bench of the year's money (issue 15), as dicts for
`opslag.grootboek.schrijf_rijen`: one made-up declaration they all point to, and rows of
approved production by provider, gemeente, product category and care month. BSNs are the
test range 9999xxxxx-like numbers, never real."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any


def declaratie(regio: str) -> dict[str, Any]:
    """The one declaration (table `declaratie`) generated ledger rows refer to."""
    dag = date(2026, 1, 1)
    return {"regio": regio, "aanbieder": "00000000", "gemeente": "0000",
            "declaratienummer": "PROEF", "ontvangen_op": datetime(2026, 1, 1, tzinfo=UTC),
            "regelset_hash": "proef", "backend": "proef", "peildatum": dag,
            "totaal_ingediend": 0, "totaal_toegekend": 0, "publiek_id": f"proef-{regio}",
            "inhoud_sleutel": "proef", "bericht_identificatie": "PROEF", "retourcodes": "",
            "jw325": b"", "uitleg": {}, "redenen": [], "declaratie_begindatum": dag,
            "declaratie_einddatum": dag}


def rij(regio: str, declaratie_id: int, aanbieder: str, gemeente: str, categorie: str,
        zorgdatum: date, bedrag: int, beoordeeld_op: date, bsn: str = "999900006"
        ) -> dict[str, Any]:
    """One ledger row: `bedrag` approved (negative: a credit) for care on `zorgdatum`."""
    return {"regio": regio, "wet": "Jeugdwet", "aanbieder": aanbieder, "gemeente": gemeente,
            "bsn": bsn, "toewijzingnummer": "1", "productcategorie": categorie,
            "productcode": f"{categorie}A01", "eenheid": "04", "zorg_begindatum": zorgdatum,
            "zorg_einddatum": zorgdatum, "jaar": zorgdatum.year,
            "kwartaal": (zorgdatum.month - 1) // 3 + 1, "maand": zorgdatum.month,
            "volume": 1 if bedrag >= 0 else -1, "ingediend_bedrag": bedrag,
            "goedgekeurd_bedrag": bedrag, "debet_credit": "D" if bedrag >= 0 else "C",
            "status": "goedgekeurd", "retourcodes": "", "declaratie_id": declaratie_id,
            "declaratienummer": "PROEF", "bericht_identificatie": "PROEF",
            "referentienummer": "R", "vorig_referentienummer": None,
            "beoordeeld_op": beoordeeld_op, "regelset_hash": "proef", "dagen": 0,
            "afwezige_dagen": 0}


def jaar(regio: str, declaratie_id: int, jaar_: int, aantal: int, aanbieders: list[str],
         gemeenten: list[str], categorieen: list[str], zaad: int = 15
         ) -> Iterator[dict[str, Any]]:
    """`aantal` random rows of a care year (assessed the month after the care)."""
    kans = random.Random(zaad)
    for _ in range(aantal):
        maand = kans.randint(1, 12)
        zorg = date(jaar_, maand, kans.randint(1, 28))
        beoordeeld = date(jaar_ + (maand == 12), maand % 12 + 1, 5)
        yield rij(regio, declaratie_id, kans.choice(aanbieders), kans.choice(gemeenten),
                  kans.choice(categorieen), zorg, kans.randint(1_000, 200_000), beoordeeld,
                  f"9999{kans.randint(0, 99_999):05d}")
