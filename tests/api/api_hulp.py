"""Helpers of the service tests: message builders and a real uvicorn server process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx

from berichten.ijw.jw323 import schrijf_jw323
from engine.model import DebetCredit, Declaratie, Prestatie

REPO = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- message builders

BSN = "999900006"
BSN2 = "999900018"
AANBIEDER = "65656055"


def prestatie(volgnummer: int, referentie: str, toewijzing: str = "1", volume: int = 4,
              dc: DebetCredit = "D", vorig: str | None = None, bsn: str = BSN) -> Prestatie:
    return Prestatie(volgnummer, bsn, referentie, vorig, toewijzing, "45", "45A03",
                     date(2026, 4, 1), date(2026, 4, 30), volume, "04", 1250, 1250 * volume, dc)


def declaratie(nummer: str, *prestaties: Prestatie, gemeente: str = "0384",
               aanbieder: str = AANBIEDER) -> Declaratie:
    regels = tuple(replace(p, volgnummer=i) for i, p in enumerate(prestaties))
    totaal = sum(p.ingediend_bedrag * (1 if p.debet_credit == "D" else -1) for p in regels)
    d = Declaratie(aanbieder, gemeente, "", date(2026, 5, 6), nummer,
                   date(2026, 4, 1), date(2026, 4, 30), date(2026, 5, 6), totaal, regels)
    # the BerichtIdentificatie from the content: the same message again keeps it, another
    # message (even with the same DeclaratieNummer) gets its own (TR056, 9056)
    return replace(d, bericht_identificatie="B" + d.inhoud_sleutel()[:11])


def jw323(d: Declaratie) -> bytes:
    return schrijf_jw323(d)


def toewijzingen_json(*nummers_volumes: tuple[str, int], gemeente: str = "0384",
                      tijd: str = "10:00:00", aanbieder: str = AANBIEDER) -> dict[str, object]:
    return {"toewijzingen": [{
        "toewijzingnummer": nummer, "bsn": BSN, "gemeente": gemeente, "aanbieder": aanbieder,
        "productcategorie": "45", "productcode": "45A03", "toewijzingsdatum": "2026-03-01",
        "toewijzingstijd": tijd, "ingangsdatum": "2026-01-01", "volume": volume,
        "eenheid": "04", "frequentie": "6", "budget": None, "reden_wijziging": None}
        for nummer, volume in nummers_volumes]}


# ---------------------------------------------------------------- a real server


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A uvicorn process on 127.0.0.1: `python -m <module> --port N` (or `argv` + the port);
    `wacht()` returns once it answers."""

    def __init__(self, module: str, omgeving: dict[str, str], logbestand: Path,
                 argv: list[str] | None = None) -> None:
        self.poort = vrije_poort()
        self.url = f"http://127.0.0.1:{self.poort}"
        self.log = logbestand
        env = {**os.environ, **omgeving, "PYTHONPATH": f"{REPO}{os.pathsep}{Path(__file__).parent}"}
        with open(logbestand, "wb") as uit:
            self.proces = subprocess.Popen(
                [*(argv or [sys.executable, "-m", module]), "--port", str(self.poort)],
                cwd=REPO, env=env, stdout=uit, stderr=subprocess.STDOUT)

    def wacht(self) -> Server:
        grens = time.monotonic() + 60
        while time.monotonic() < grens:
            if self.proces.poll() is not None:
                raise RuntimeError(f"server stopte: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/v1/gezondheid", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"server start niet: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.proces.terminate()
        try:
            self.proces.wait(10)
        except subprocess.TimeoutExpired:
            self.proces.kill()
            self.proces.wait()
