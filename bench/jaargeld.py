"""Benchmark: the settlement and the risk sharing of a region-year (issue 15).

    python -m bench.jaargeld [--rijen 1200000] [--database URL] [--profiel]

Fills a fresh store (a temporary SQLite file unless `--database` names one, e.g. an empty
PostgreSQL schema) with `--rijen` generated ledger rows of amstelland's care year 2026 (40
providers, its five gemeenten, categories 43/44/45; not timed) and its twelve payment runs,
then times what `regelwerk vaststelling` and `verevening` compute: production aggregated in
the database (GROUP BY), the payments, the settlement and the risk sharing. Target (2-core
machine, idle): <= 2 s. `--profiel` prints the top functions under cProfile. Not a test: it
prints; measure on an idle machine.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import SQLModel

from betalen import jaar as jaarmodule
from betalen.betaalrun import betaalrun
from dsl.loader import laad_contract
from opslag.database import maak_engine, transactie
from opslag.grootboek import schrijf_rijen
from proefdata import grootboek

REPO = Path(__file__).resolve().parents[1]
REGIO = REPO / "contracten" / "amstelland"
AANBIEDERS = [f"{10_000_000 + i:08d}" for i in range(40)] + ["12345678", "87654321"]


def vul(url: str, rijen: int) -> None:
    engine = maak_engine(url)
    try:
        with transactie(engine) as sessie:
            tabel = SQLModel.metadata.tables["declaratie"]
            d = int(sessie.execute(insert(tabel).returning(tabel.c.id),
                                   grootboek.declaratie("amstelland")).scalar_one())
            schrijf_rijen(sessie, grootboek.jaar("amstelland", d, 2026, rijen, AANBIEDERS,
                                                 ["0363", "0362", "0384", "0437", "0451"],
                                                 ["43", "44", "45"]))
        j = jaarmodule.laad(laad_contract(REGIO), 2026)
        for maand in range(1, 13):
            with transactie(engine) as sessie:
                betaalrun(sessie, j, maand, date(2026, maand, 1))
    finally:
        engine.dispose()


def meet(url: str) -> tuple[float, int, int]:
    """Seconds for the settlement and the risk sharing; the number of posts and gemeenten."""
    j = jaarmodule.laad(laad_contract(REGIO), 2026)
    engine = maak_engine(url)
    try:
        begin = time.perf_counter()
        with transactie(engine) as sessie:
            stand = jaarmodule.vaststelling(sessie, j)
            groepen = jaarmodule.verevening(sessie, j, stand)
        return (time.perf_counter() - begin, len(stand.vaststelling.posten),
                len({g for groep in groepen for g in groep.kosten}))
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rijen", type=int, default=1_200_000)
    parser.add_argument("--database")
    parser.add_argument("--profiel", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as map_:
        url = args.database or f"sqlite:///{Path(map_) / 'jaar.sqlite'}"
        begin = time.perf_counter()
        vul(url, args.rijen)
        print(f"gevuld: {args.rijen} grootboekrijen in {time.perf_counter() - begin:.1f} s "
              "(niet gemeten)")
        if args.profiel:
            profiel = cProfile.Profile()
            profiel.runcall(meet, url)
            pstats.Stats(profiel).sort_stats("cumulative").print_stats(25)
        for poging in range(3):
            seconden, posten, gemeenten = meet(url)
            print(f"vaststelling + verevening, poging {poging + 1}: {seconden:.2f} s "
                  f"({posten} posten, {gemeenten} gemeenten; doel <= 2 s)")


if __name__ == "__main__":
    main()
