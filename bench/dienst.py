"""Benchmark: the service answering one large JW323, on SQLite and on PostgreSQL.

    python -m bench.dienst [--prestaties 20000] [--herhalingen 3] [--zonder-postgres]
        [--pg-gebruiker postgres] [--profiel | --profiel-postgres]

A real server (`regelwerk serve`, one worker, the example region amstelland) on a fresh
database; the allocations of a generated month of one provider and one gemeente are posted
(not timed), then one JW323 with all its lines (`--prestaties`, about 10 % of them with a
planted error, 5 % credits). Timed: the POST until its JW325 is in, which includes reading
and validating the XML, assessing, storing the message, every line's outcome and its ledger
rows (one transaction), and writing the JW325. Each repetition posts a new message (new
numbers), so none is answered from the store. Target (issue 14, 2-core machine): <= 1 s on
both databases.

`--profiel`: the same flow in this process (TestClient, SQLite) under cProfile, the top
functions by cumulative time on stdout: where the time goes. Not a test: it prints.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import os
import pstats
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
REGIO = REPO / "contracten" / "amstelland"
PG = "postgresql+psycopg://{gebruiker}@127.0.0.1:5432/test"


def bericht(prestaties: int, seed: int = 7) -> tuple[list[dict[str, Any]], Any]:
    """The allocations (JSON form) and one declaration with all lines of a generated month
    of one provider in one gemeente."""
    from dsl.loader import laad_contract
    from proefdata import genereer_regiomaand, lees_tarieven

    regelboek = laad_contract(REGIO)
    maand = genereer_regiomaand(seed, prestaties, maanden=1, aanbieders=1,
                                gemeenten=regelboek.gemeenten[:1],
                                tarieven=lees_tarieven(REGIO / "tarieven.csv"))
    eerste = maand.declaraties[0]
    regels = tuple(p for d in maand.declaraties if d.aanbieder == eerste.aanbieder
                   for p in d.prestaties)
    regels = tuple(dataclasses.replace(p, volgnummer=i) for i, p in enumerate(regels))
    totaal = sum(p.ingediend_bedrag * (1 if p.debet_credit == "D" else -1) for p in regels)
    declaratie = dataclasses.replace(eerste, prestaties=regels, totaal_ingediend=totaal)
    toewijzingen = [_als_json(t) for t in maand.toewijzingen if t.aanbieder == eerste.aanbieder]
    return toewijzingen, declaratie


def _als_json(t: Any) -> dict[str, Any]:
    uit = {veld: getattr(t, veld) for veld in t.__slots__}
    for veld, waarde in uit.items():
        if isinstance(waarde, date) or hasattr(waarde, "isoformat"):
            uit[veld] = waarde.isoformat()
    return uit


def _nieuw(toewijzingen: list[dict[str, Any]], declaratie: Any, i: int,
           regels: int | None = None) -> tuple[bytes, bytes]:
    """The allocations and the message once more as different ones (new numbers, new
    identification, the first `regels` lines): each repetition starts from unused
    allocations, as the first did."""
    import json

    from berichten.ijw.jw323 import schrijf_jw323

    a = f"{uuid.uuid4().hex[:4]}{i}"
    basis = (i + 1) * 20_000_000 + int(a[:4], 16)  # ToewijzingNummer: a number < 10^9
    nummers = {n: str(basis + j) for j, n in
               enumerate(dict.fromkeys(t["toewijzingnummer"] for t in toewijzingen))}
    nieuw = [{**t, "toewijzingnummer": nummers[t["toewijzingnummer"]]} for t in toewijzingen]
    oude = {p.referentienummer for p in declaratie.prestaties}
    prestaties = tuple(dataclasses.replace(
        p, referentienummer=f"{p.referentienummer[:20]}{a}",
        vorig_referentienummer=(f"{p.vorig_referentienummer[:20]}{a}"
                                if p.vorig_referentienummer in oude else p.vorig_referentienummer),
        toewijzingnummer=nummers.get(p.toewijzingnummer, p.toewijzingnummer))
        for p in declaratie.prestaties[:regels])
    totaal = sum(p.ingediend_bedrag * (1 if p.debet_credit == "D" else -1) for p in prestaties)
    bericht = schrijf_jw323(dataclasses.replace(
        declaratie, prestaties=prestaties, totaal_ingediend=totaal,
        declaratienummer=f"B{a}"[:12], bericht_identificatie=f"BI{a}"[:12]))
    return json.dumps({"toewijzingen": nieuw}).encode(), bericht


def meet(url: str, toewijzingen: list[dict[str, Any]], declaratie: Any, herhalingen: int,
         log: Path) -> list[float]:
    import httpx

    poort = _vrije_poort()
    omgeving = {**os.environ, "REGELWERK_DATABASE_URL": url,
                "REGELWERK_CONTRACTEN": str(REPO / "contracten"), "REGELWERK_HERLAAD_INTERVAL": "0"}
    omgeving.pop("REGELWERK_SLEUTELS", None)
    with open(log, "wb") as uit:
        proces = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port",
                                   str(poort)], cwd=REPO, env=omgeving, stdout=uit,
                                  stderr=subprocess.STDOUT)
    basis = f"http://127.0.0.1:{poort}"
    try:
        _wacht(basis, proces, log)
        with httpx.Client(base_url=basis, timeout=120) as client:
            tijden = []
            for i in range(herhalingen):
                lijst, inhoud = _nieuw(toewijzingen, declaratie, i)
                client.post("/v1/toewijzingen?regio=amstelland", content=lijst,
                            headers={"Content-Type": "application/json"}).raise_for_status()
                begin = time.perf_counter()
                antwoord = client.post("/v1/declaraties?regio=amstelland", content=inhoud,
                                       headers={"Content-Type": "application/xml"})
                tijden.append(time.perf_counter() - begin)
                if antwoord.status_code >= 300:
                    raise RuntimeError(f"{antwoord.status_code}: {antwoord.text[:500]}")
            return tijden
    finally:
        proces.terminate()
        proces.wait(20)


def _vrije_poort() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wacht(basis: str, proces: subprocess.Popen[bytes], log: Path) -> None:
    import httpx

    grens = time.monotonic() + 120
    while time.monotonic() < grens:
        if proces.poll() is not None:
            raise RuntimeError(f"server stopte: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{basis}/v1/gezondheid", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("server start niet")


def _pg_schema(gebruiker: str) -> tuple[str, str]:
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"host=127.0.0.1 port=5432 dbname=test user={gebruiker}",
                         autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return schema, PG.format(gebruiker=gebruiker) + f"?options=-csearch_path%3D{schema}"


def _pg_weg(gebruiker: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port=5432 dbname=test user={gebruiker}",
                         autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def profiel(toewijzingen: list[dict[str, Any]], declaratie: Any, url: str | None = None
            ) -> None:
    """The same flow in this process under cProfile (SQLite, or the database at `url`): the
    route's work, called as the route calls it (`api.verwerking`), without HTTP; then the
    statements sent to the database (round trips) and the CPU time of the call."""
    from api.dienst import Dienst
    from api.instellingen import Instellingen
    from api.motor import EchteMotor
    from api.toegang import OPEN
    from api.verwerking import verwerk_declaratie, verwerk_toewijzingen

    with tempfile.TemporaryDirectory() as map_:
        instellingen = Instellingen(database_url=url or f"sqlite:///{map_}/p.sqlite",
                                    contracten=REPO / "contracten", sleutels=None,
                                    herlaad_interval=0)
        dienst = Dienst.start(instellingen, EchteMotor())
        lijst, inhoud = _nieuw(toewijzingen, declaratie, 0, 50)  # warm: a small one first
        verwerk_toewijzingen(dienst, lijst, "json", "amstelland", OPEN)
        verwerk_declaratie(dienst, inhoud, "xml", "amstelland", OPEN)
        lijst, inhoud = _nieuw(toewijzingen, declaratie, 1)
        verwerk_toewijzingen(dienst, lijst, "json", "amstelland", OPEN)
        statements = _tel_statements(dienst.engine)
        meting = cProfile.Profile()
        begin, cpu = time.perf_counter(), time.process_time()
        meting.enable()
        verwerk_declaratie(dienst, inhoud, "xml", "amstelland", OPEN)
        meting.disable()
        print(f"{time.perf_counter() - begin:.2f} s, {time.process_time() - cpu:.2f} CPU s "
              f"(onder cProfile); {len(statements)} statements naar de database, waarvan "
              f"{sum(n for _, n in statements)} rijen in executemany/COPY")
        dienst.stop()
    pstats.Stats(meting).sort_stats("cumulative").print_stats(60)


def _tel_statements(engine: Any) -> list[tuple[str, int]]:
    """Every statement the engine sends from now on (SQLAlchemy's and the bulk path's own
    cursor calls through the session counted the same way: by SQLAlchemy's events where
    SQLAlchemy sends, by `opslag.bulk`'s counter where the driver is called directly)."""
    from sqlalchemy import event

    from opslag import bulk

    gezien: list[tuple[str, int]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _tel(_c: Any, _cur: Any, sql: str, parameters: Any, _ctx: Any, many: bool) -> None:
        gezien.append((sql.split(None, 1)[0], len(parameters) if many else 0))

    bulk.TELLER = gezien
    return gezien


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--prestaties", type=int, default=20_000)
    parser.add_argument("--herhalingen", type=int, default=3)
    parser.add_argument("--pg-gebruiker", default="postgres")
    parser.add_argument("--zonder-postgres", action="store_true")
    parser.add_argument("--profiel", action="store_true")
    parser.add_argument("--profiel-postgres", action="store_true",
                        help="--profiel op PostgreSQL (een eigen schema) in plaats van SQLite")
    args = parser.parse_args(argv)
    toewijzingen, declaratie = bericht(args.prestaties)
    print(f"bericht: {len(declaratie.prestaties):,} prestaties, {len(toewijzingen):,} "
          "toewijzingen", flush=True)
    if args.profiel or args.profiel_postgres:
        if not args.profiel_postgres:
            profiel(toewijzingen, declaratie)
            return
        schema, url = _pg_schema(args.pg_gebruiker)
        try:
            profiel(toewijzingen, declaratie, url)
        finally:
            _pg_weg(args.pg_gebruiker, schema)
        return
    with tempfile.TemporaryDirectory() as map_:
        databases = [("sqlite", f"sqlite:///{map_}/bench.sqlite", None)]
        if not args.zonder_postgres:
            schema, url = _pg_schema(args.pg_gebruiker)
            databases.append(("postgresql", url, schema))
        for naam, url, schema in databases:
            try:
                tijden = meet(url, toewijzingen, declaratie, args.herhalingen,
                              Path(map_) / f"{naam}.log")
            finally:
                if schema is not None:
                    _pg_weg(args.pg_gebruiker, schema)
            print(f"{naam:<11} " + "  ".join(f"{t:.2f} s" for t in tijden)
                  + f"   (beste {min(tijden):.2f} s)", flush=True)


if __name__ == "__main__":
    main()
