"""The browser tests' setup (issues 16 and 17): Debian's Chromium driven by Playwright's Python
client, against a real `regelwerk serve`, with a screenshot of each step kept in the test output.

`make test` installs Chromium (apt-get, once) and tells the tests where it is
(REGELWERK_CHROMIUM); nothing downloads a browser of its own: Playwright launches the
system's binary through `executable_path`. The screenshots land in SCHERMAFDRUKKEN (git-ignored);
the run's summary names the folder (root conftest.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from echte_server import REPO

SCHERMAFDRUKKEN = REPO / "testuitvoer" / "schermafdrukken"


def chromium_pad() -> Path:
    """The system's Chromium; without it the browser tests fail in CI and skip elsewhere
    (with the command that installs it)."""
    pad = Path(os.environ.get("REGELWERK_CHROMIUM", "/usr/bin/chromium"))
    if pad.is_file() and os.access(pad, os.X_OK):
        return pad
    bericht = (f"Chromium ontbreekt ({pad}): 'make test' installeert het (apt-get install "
               "chromium), of zet REGELWERK_CHROMIUM op het pad van een Chromium")
    if os.environ.get("CI"):
        pytest.fail(bericht)
    pytest.skip(bericht)


class Schermafdrukken:
    """Numbered screenshots of one test: `<test>-01-<stap>.png`, `<test>-02-<stap>.png`, ...
    Full pages, so a reviewer sees what the user would scroll through."""

    def __init__(self, test: str) -> None:
        self.voorvoegsel = re.sub(r"[^A-Za-z0-9_.-]+", "_", test).strip("_")
        self.genomen: list[Path] = []
        SCHERMAFDRUKKEN.mkdir(parents=True, exist_ok=True)
        for oud in SCHERMAFDRUKKEN.glob(f"{self.voorvoegsel}-*.png"):
            oud.unlink()

    def neem(self, pagina: object, stap: str) -> Path:
        pad = SCHERMAFDRUKKEN / f"{self.voorvoegsel}-{len(self.genomen) + 1:02}-{stap}.png"
        pagina.screenshot(path=str(pad), full_page=True)  # type: ignore[attr-defined]
        self.genomen.append(pad)
        return pad


def meld_schermafdrukken(schrijf: object) -> None:
    """The summary line that names the screenshots' folder (pytest_terminal_summary)."""
    if SCHERMAFDRUKKEN.is_dir():
        aantal = len(list(SCHERMAFDRUKKEN.glob("*.png")))
        if aantal:
            schrijf(f"schermafdrukken van de browsertests ({aantal}): {SCHERMAFDRUKKEN}")  # type: ignore[operator]
