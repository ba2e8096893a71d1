"""Benchmark: a generated region month through both backends, and end to end on disk.

    python -m bench.regiomaand --prestaties 10000 100000 1000000 [--contract contracten/amstelland]
        [--rete-tot 100000] [--seed 7] [--zonder-e2e] [--map bench/uitvoer]
        [--e2e-map <maand op schijf>] [--alleen-e2e] [--database sqlite postgresql]

Per N (every measurement in a fresh process, so its peak memory is its own):
- engine: `engine.beoordeling.beoordeel_reeks` over the month's messages in order, with a
  fresh history: lines/s for the whole pipeline (werkset, backend, outcome) and for the
  backend alone (time inside `evalueer`), peak RSS; the vectorized/rete ratio where both ran
  (rete only up to --rete-tot lines: it is correct at any N, but slow);
- end to end: the month written as JW301/JW323 files + aanwezigheid.csv (not timed; or a
  month already on disk, --e2e-map), then `regelwerk controleer` in a subprocess, twice:
  cold (no allocation cache: every JW301 parsed) and warm (the cache a back office keeps).
  Every JW323 read and validated against its XSD, assessed, JW325 + explanation JSON
  written. Wall time, CPU of all its processes, and memory: the sum of the peaks of its
  processes (it forks a worker per core), with the CLI's own per-phase report below.
Targets (2-core machine): vectorized >= 1,000,000 lines/s in the engine at N = 1M; end to
end 1M lines <= 15 s; peak memory < 2 GiB. Not a test: it prints, it does not assert.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from batch.fasen import cpu_seconden, piek_mib, som_van_pieken
from engine import backends

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, slots=True)
class Meting:
    soort: str
    prestaties: int
    berichten: int
    seconden: float
    backend_seconden: float
    piek_mib: float
    cpu_seconden: float = 0.0
    """user + system CPU time (all threads and processes): a fairer figure on a busy
    machine"""
    fasen: tuple[str, ...] = ()
    """end to end: the CLI's own report of its phases and processes"""

    @property
    def per_seconde(self) -> float:
        return self.prestaties / self.seconden if self.seconden else 0.0

    @property
    def backend_per_seconde(self) -> float:
        return self.prestaties / self.backend_seconden if self.backend_seconden else 0.0


def _regiomaand(contract: Path, prestaties: int, seed: int) -> Any:
    from dsl.loader import laad_contract
    from proefdata import genereer_regiomaand, lees_tarieven

    regelboek = laad_contract(contract)
    tarieven = lees_tarieven(contract / "tarieven.csv")
    maand = genereer_regiomaand(seed, prestaties, tarieven=tarieven, gemeenten=regelboek.gemeenten)
    return regelboek, maand


class _Stopwatch:
    """Wraps a backend and adds up the time spent inside it."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.naam = backend.naam
        self.vermogens = backend.vermogens
        self.seconden = 0.0
        if backend.vermogens.beknopt:
            self.evalueer_beknopt = self._gemeten(backend.evalueer_beknopt)

    def _gemeten(self, functie: Any) -> Any:
        def gemeten(*args: Any) -> Any:
            begin = time.perf_counter()
            try:
                return functie(*args)
            finally:
                self.seconden += time.perf_counter() - begin

        return gemeten

    def evalueer(self, *args: Any) -> Any:
        return self._gemeten(self.backend.evalueer)(*args)


def meet_engine(contract: Path, prestaties: int, seed: int, backendnaam: str) -> Meting:
    """One engine run in this process (call it in a fresh one)."""
    from batch.verwerking import beoordeel_op_volgorde
    from berichten.ijw.jw301 import geldende_toewijzingen
    from engine.backends.vectorized.backend import VectorizedBackend
    from engine.backends.vectorized.plan import plan_voor
    from engine.geheugen import zonder_gc
    from engine.historie import GeheugenHistorie
    from engine.model import Context

    regelboek, maand = _regiomaand(contract, prestaties, seed)
    context = Context(geldende_toewijzingen(maand.toewijzingen), tuple(maand.afwezigheden))
    backend = _Stopwatch(backends.kies(backendnaam))
    if backendnaam == VectorizedBackend.naam:
        plan_voor(regelboek, True)  # compiling the rule book once is not per-batch work
    begin, cpu = time.perf_counter(), cpu_seconden()
    with zonder_gc():  # as `regelwerk controleer` runs it (see meet_backend)
        aantal = sum(len(b.uitkomsten) for b in beoordeel_op_volgorde(
            regelboek, maand.declaraties, context, GeheugenHistorie(), backend))
    seconden = time.perf_counter() - begin
    return Meting(f"engine {backendnaam}", aantal, len(maand.declaraties), seconden,
                  backend.seconden, piek_mib(), cpu_seconden() - cpu)


def meet_backend(contract: Path, prestaties: int, seed: int, herhalingen: int = 3) -> list[Meting]:
    """The backend alone on one werkset of the whole month (as if every message were
    independent): the engine's raw throughput, without werkset building or outcomes.
    Measured on the first call in this process (it also pays for fresh memory: page faults)
    and as the median of `herhalingen` calls after it (a running service's steady state)."""
    from berichten.ijw.jw301 import geldende_toewijzingen
    from engine.backends.vectorized.backend import VectorizedBackend
    from engine.backends.vectorized.plan import plan_voor
    from engine.geheugen import zonder_gc
    from engine.historie import GeheugenHistorie
    from engine.model import Context
    from engine.werkset import maak_werkset_reeks

    regelboek, maand = _regiomaand(contract, prestaties, seed)
    context = Context(geldende_toewijzingen(maand.toewijzingen), tuple(maand.afwezigheden))
    with zonder_gc():
        werkset = maak_werkset_reeks(maand.declaraties, context, GeheugenHistorie())
    plan_voor(regelboek, True)
    backend = VectorizedBackend()
    metingen: list[tuple[float, float]] = []
    # As in the pipeline (`beoordeel_reeks` pauses the collector per block): otherwise the
    # first allocation after a call starts a collection that walks every object of the
    # month this process still holds, and that lands inside the next call's time.
    with zonder_gc():
        for _ in range(1 + herhalingen):
            begin, cpu = time.perf_counter(), cpu_seconden()
            backend.evalueer_beknopt(regelboek, werkset)
            metingen.append((time.perf_counter() - begin, cpu_seconden() - cpu))
    eerste, herhaald = metingen[0], sorted(metingen[1:])[len(metingen[1:]) // 2]
    berichten = len(maand.declaraties)
    return [Meting(soort, werkset.height, berichten, sec, sec, piek_mib(), cpu)
            for soort, (sec, cpu) in (("backend, eerste", eerste),
                                      ("backend, herhaald", herhaald))]


def schrijf_bestanden(contract: Path, prestaties: int, seed: int, map_: Path) -> tuple[int, int]:
    """The month as files on disk (JW301 per client, JW323 per message, aanwezigheid.csv)."""
    from proefdata import schrijf_regiomaand

    _, maand = _regiomaand(contract, prestaties, seed)
    if map_.exists():
        shutil.rmtree(map_)
    schrijf_regiomaand(maand, map_)
    return maand.aantal_prestaties, len(maand.declaraties)


def meet_e2e(contract: Path, map_: Path, prestaties: int, berichten: int, uit: Path,
             soort: str, database: str | None = None) -> Meting:
    """`regelwerk controleer` on the files in `map_`, in a child process, writing into
    `uit/antwoorden` with its allocation cache in `uit/cache` (empty: cold; after a run:
    warm). The child prints its phases and every process's peak (REGELWERK_FASEN=1): the
    sum of those peaks is the honest memory figure when it forks workers (RUSAGE_CHILDREN
    gives only the largest process)."""
    uitvoer = uit / "antwoorden"
    shutil.rmtree(uitvoer, ignore_errors=True)
    bestanden = sorted((map_ / "declaraties").glob("*.xml"))
    opdracht = [sys.executable, "-m", "cli.main", "controleer", "--contract", str(contract),
                "--toewijzingen", str(map_ / "toewijzingen"), "--aanwezigheid",
                str(map_ / "aanwezigheid.csv"), "--uitvoer", str(uitvoer),
                *(["--database", database] if database else []), *map(str, bestanden)]
    omgeving = {**os.environ, "XDG_CACHE_HOME": str(uit / "cache"), "REGELWERK_FASEN": "1"}
    begin, cpu = time.perf_counter(), cpu_seconden(kinderen=True)
    klaar = subprocess.run(opdracht, cwd=REPO, capture_output=True, text=True, env=omgeving)
    seconden = time.perf_counter() - begin
    if klaar.returncode not in (0, 2):
        print(klaar.stderr[-2000:], file=sys.stderr)
    fasen = [regel for regel in klaar.stderr.splitlines() if regel.startswith("fasen")]
    som = som_van_pieken(fasen)
    return Meting(soort, prestaties, berichten, seconden, 0.0,
                  som or piek_mib(resource.RUSAGE_CHILDREN), cpu_seconden(kinderen=True) - cpu,
                  tuple(fasen))


def _e2e(contract: Path, map_: Path, prestaties: int, berichten: int, uit: Path,
         databases: tuple[str, ...] = ()) -> None:
    """Cold (an empty allocation cache) and then warm, each in a fresh process; then warm
    with `--database` on a fresh store of each kind in `databases` (sqlite, postgresql):
    what recording the ledger adds (target: <= +20 %, issue 14)."""
    shutil.rmtree(uit / "cache", ignore_errors=True)
    warm = None
    for soort in ("end to end, koud", "end to end, warm"):
        meting = warm = _in_proces(meet_e2e, contract, map_, prestaties, berichten, uit, soort)
        _toon(meting)
        for regel in meting.fasen:
            print(f"  {regel}", flush=True)
    for soort in databases:
        with _verse_database(soort, uit) as url:
            meting = _in_proces(meet_e2e, contract, map_, prestaties, berichten, uit,
                                f"warm, --database {soort}"[:20], url)
        _toon(meting)
        for regel in meting.fasen:
            print(f"  {regel}", flush=True)
        if warm is not None:
            print(f"  --database {soort}: +{meting.seconden / warm.seconden - 1:.0%} tijd, "
                  f"+{meting.cpu_seconden / warm.cpu_seconden - 1:.0%} CPU", flush=True)


@contextmanager
def _verse_database(soort: str, uit: Path) -> Iterator[str]:
    """A fresh SQLite file, or a fresh PostgreSQL schema (dropped afterwards)."""
    if soort == "sqlite":
        pad = uit / "bench.sqlite"
        for weg in (pad, pad.with_name("bench.sqlite-wal"), pad.with_name("bench.sqlite-shm")):
            weg.unlink(missing_ok=True)
        yield f"sqlite:///{pad}"
        return
    from bench.dienst import _pg_schema, _pg_weg

    gebruiker = os.environ.get("REGELWERK_PG_GEBRUIKER", "postgres")
    schema, url = _pg_schema(gebruiker)
    try:
        yield url
    finally:
        _pg_weg(gebruiker, schema)


def _maand_op_schijf(map_: Path) -> tuple[int, int]:
    """Lines and messages of a month already on disk (counted, not read)."""
    bestanden = list((map_ / "declaraties").glob("*.xml"))
    prestaties = sum(pad.read_bytes().count(b"Prestatie>") // 2 for pad in bestanden)
    return prestaties, len(bestanden)


def _in_proces(functie: Any, *args: Any) -> Any:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(functie, args)


def _toon(meting: Meting) -> None:
    backend = (f"{meting.backend_per_seconde:>12,.0f}" if meting.backend_seconden else
               f"{'':>12}")
    print(f"{meting.soort:<20} {meting.prestaties:>10,} {meting.berichten:>7,} "
          f"{meting.seconden:>8.2f} {meting.per_seconde:>12,.0f} {backend} "
          f"{meting.piek_mib:>9,.0f} {meting.cpu_seconden:>8.1f}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--prestaties", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--contract", type=Path, default=REPO / "contracten" / "amstelland")
    parser.add_argument("--rete-tot", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--zonder-e2e", action="store_true")
    parser.add_argument("--map", type=Path, default=REPO / "bench" / "uitvoer")
    parser.add_argument("--e2e-map", type=Path, default=None,
                        help="end to end on a month already on disk (declaraties/, "
                        "toewijzingen/, aanwezigheid.csv); its answers and allocation cache "
                        "go into that folder")
    parser.add_argument("--database", nargs="*", choices=["sqlite", "postgresql"], default=[],
                        help="end to end once more with --database on a fresh store of each "
                        "kind (PostgreSQL: user REGELWERK_PG_GEBRUIKER, default postgres)")
    parser.add_argument("--alleen-e2e", action="store_true",
                        help="no engine measurements (with --e2e-map: only that month)")
    args = parser.parse_args(argv)
    print(f"{'meting':<20} {'prestaties':>10} {'ber.':>7} {'sec':>8} {'prest./s':>12} "
          f"{'backend p/s':>12} {'piek MiB':>9} {'cpu s':>8}")
    for prestaties in [] if args.alleen_e2e and args.e2e_map else args.prestaties:
        if args.alleen_e2e:
            map_ = args.map / f"regiomaand_{prestaties}"
            aantal, berichten = _in_proces(schrijf_bestanden, args.contract, prestaties, args.seed,
                                           map_)
            _e2e(args.contract, map_, aantal, berichten, map_, tuple(args.database))
            continue
        for meting in _in_proces(meet_backend, args.contract, prestaties, args.seed):
            _toon(meting)
        vector = _in_proces(meet_engine, args.contract, prestaties, args.seed, backends.STANDAARD)
        _toon(vector)
        if prestaties <= args.rete_tot:
            rete = _in_proces(meet_engine, args.contract, prestaties, args.seed, "rete")
            _toon(rete)
            print(f"{'  vectorized/rete':<20} {vector.per_seconde / rete.per_seconde:>9.1f}x "
                  f"(pijplijn), {vector.backend_per_seconde / rete.backend_per_seconde:.1f}x "
                  "(backend)", flush=True)
        if not args.zonder_e2e and args.e2e_map is None:
            map_ = args.map / f"regiomaand_{prestaties}"
            aantal, berichten = _in_proces(schrijf_bestanden, args.contract, prestaties, args.seed,
                                           map_)
            _e2e(args.contract, map_, aantal, berichten, map_)
    if args.e2e_map is not None:
        aantal, berichten = _maand_op_schijf(args.e2e_map)
        _e2e(args.contract, args.e2e_map, aantal, berichten, args.map / f"e2e_{args.e2e_map.name}",
             tuple(args.database))


if __name__ == "__main__":
    main()
