"""A real server process for the tests that need one (tests/api, tests/browser): uvicorn on a
free port of 127.0.0.1, `python -m <module>` or `regelwerk serve`; `wacht()` returns once it
answers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
HULPMAPPEN = (REPO / "tests" / "hulp", REPO / "tests" / "api")
"""On the server's PYTHONPATH: the stand-in servers (tests/api/api_server.py) live there."""


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def regelwerk_commando() -> str:
    """The `regelwerk` command of the virtualenv the tests run in."""
    regelwerk = shutil.which("regelwerk", path=str(Path(sys.executable).parent))
    assert regelwerk, "het commando regelwerk ontbreekt in de virtualenv (make setup)"
    return regelwerk


class Server:
    """A uvicorn process on 127.0.0.1: `python -m <module> --port N` (or `argv` + the port);
    `wacht()` returns once it answers."""

    def __init__(self, module: str, omgeving: dict[str, str], logbestand: Path,
                 argv: list[str] | None = None) -> None:
        self.poort = vrije_poort()
        self.url = f"http://127.0.0.1:{self.poort}"
        self.log = logbestand
        pad = os.pathsep.join(str(p) for p in (REPO, *HULPMAPPEN))
        env = {**os.environ, **omgeving, "PYTHONPATH": pad}
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
