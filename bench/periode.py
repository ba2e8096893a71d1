"""Benchmark: the quarter and year reports over a region-year of ledger rows.

    python -m bench.periode [--rijen 1200000] [--database URL] [--herhalingen 3]

Generates a ledger of `--rijen` rows for the example region amstelland in one year (200
providers, its five gemeenten, 20,000 clients, the product categories of its tariffs, 5 %
credits, 8 % rejected lines, stay lines with days and absent days), written in bulk into a
fresh SQLite file (default) or the PostgreSQL database at `--database` (its `grootboek` and
`declaratie` rows of region `bench-periode` are replaced). Not timed: generating and
writing. Timed: `kwartaal` (Q2) and `verantwoording` as the service builds them
(`batch.periode`: read the region-year into Polars, run the period rules and ceilings, store
the signals, build the Rapport) and rendering json. Target (issue 14, 2-core machine): a
region-year of 1.2M rows in <= 2 s each. Measure on an idle machine; under load the figures
are indicative only. Not a test: it prints.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, SQLModel

from batch.periode import kwartaalrapport, verantwoordingsrapport
from dsl.loader import laad_contract
from opslag.bulk import voeg_in
from opslag.database import maak_engine
from opslag.grootboek import GrootboekRij
from opslag.tabellen import DeclaratieRij
from weergave.rapport import Formaat, render

REPO = Path(__file__).resolve().parents[1]
REGIO = "amstelland"
GEMEENTEN = ("0363", "0362", "0384", "0437", "0451")
PRODUCTEN = (("43", "43A07", "14", 26800), ("45", "45A48", "04", 7810),
             ("42", "42A04", "84", 3350), ("44", "44A01", "14", 21000))


def rijen(aantal: int, jaar: int, declaratie_id: int, seed: int = 14) -> Iterator[dict[str, Any]]:
    """`aantal` ledger rows of one region-year (deterministic for a seed)."""
    toeval = random.Random(seed)
    vast = {"regio": REGIO, "wet": "jw", "declaratie_id": declaratie_id,
            "declaratienummer": "B1", "bericht_identificatie": "B1", "retourcodes": "",
            "vorig_referentienummer": None, "beoordeeld_op": date(jaar, 12, 31),
            "regelset_hash": "bench"}
    for i in range(aantal):
        maand = toeval.randint(1, 12)
        categorie, code, eenheid, tarief = toeval.choice(PRODUCTEN)
        volume = toeval.randint(1, 28)
        teken = -1 if toeval.random() < 0.05 else 1
        afgewezen = toeval.random() < 0.08
        dagen = volume if eenheid == "14" else 0
        yield {**vast, "aanbieder": f"{10_000_000 + toeval.randint(0, 199)}",
               "gemeente": toeval.choice(GEMEENTEN), "bsn": f"{toeval.randint(0, 19_999):09d}",
               "toewijzingnummer": f"T{i}", "productcategorie": categorie,
               "productcode": code, "eenheid": eenheid,
               "zorg_begindatum": date(jaar, maand, 1), "zorg_einddatum": date(jaar, maand, 28),
               "jaar": jaar, "kwartaal": (maand - 1) // 3 + 1, "maand": maand,
               "volume": teken * volume, "ingediend_bedrag": teken * volume * tarief,
               "goedgekeurd_bedrag": 0 if afgewezen else teken * volume * tarief,
               "debet_credit": "C" if teken < 0 else "D",
               "status": "afgewezen" if afgewezen else "goedgekeurd",
               "referentienummer": f"R{i}", "dagen": teken * dagen,
               "afwezige_dagen": teken * min(dagen, toeval.choice((0, 0, 0, 2, 5)))}


def vul(url: str, aantal: int, jaar: int) -> None:
    engine = maak_engine(url)
    try:
        with Session(engine) as sessie, sessie.begin():
            tabel = SQLModel.metadata.tables[GrootboekRij.__tablename__]
            sessie.execute(delete(tabel).where(tabel.c.regio == REGIO, tabel.c.jaar == jaar))
            declaratie = sessie.execute(insert(DeclaratieRij).values(
                regio="bench-periode", aanbieder="10000000", gemeente="0363",
                declaratienummer=f"bench-{time.time_ns()}", ontvangen_op=datetime.now(UTC),
                regelset_hash="bench", backend="bench", peildatum=date(jaar, 1, 1),
                totaal_ingediend=0, totaal_toegekend=0, declaratie_begindatum=date(jaar, 1, 1),
                declaratie_einddatum=date(jaar, 1, 31), publiek_id=f"p{time.time_ns()}",
                inhoud_sleutel="bench", bericht_identificatie="bench", retourcodes="",
                jw325=b"", uitleg="{}", redenen="[]"))
            voeg_in(sessie, tabel, rijen(aantal, jaar, declaratie.inserted_primary_key[0]))
    finally:
        engine.dispose()


def meet(url: str, jaar: int, herhalingen: int) -> None:
    boek = laad_contract(REPO / "contracten" / REGIO)
    engine = maak_engine(url)
    try:
        for naam, maak in (("kwartaal", lambda s: kwartaalrapport(s, boek, REGIO, jaar, 2)),
                           ("verantwoording", lambda s: verantwoordingsrapport(s, boek, REGIO,
                                                                               jaar))):
            tijden = []
            for _ in range(herhalingen):
                begin = time.perf_counter()
                with Session(engine) as sessie, sessie.begin():
                    rapport = maak(sessie)
                render(rapport, Formaat.json)
                tijden.append(time.perf_counter() - begin)
            print(f"{naam:15} beste {min(tijden):6.2f} s  (van {herhalingen}: "
                  + ", ".join(f"{t:.2f}" for t in tijden) + ")")
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rijen", type=int, default=1_200_000)
    parser.add_argument("--database", default=None, help="SQLAlchemy-URL (standaard: een "
                        "nieuw SQLite-bestand)")
    parser.add_argument("--herhalingen", type=int, default=3)
    parser.add_argument("--jaar", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as map_:
        url = args.database or f"sqlite:///{Path(map_) / 'grootboek.sqlite'}"
        begin = time.perf_counter()
        vul(url, args.rijen, args.jaar)
        print(f"grootboek: {args.rijen} rijen geschreven in {time.perf_counter() - begin:.1f} s")
        meet(url, args.jaar, args.herhalingen)


if __name__ == "__main__":
    main()
