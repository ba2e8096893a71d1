"""Fixtures of the browser tests: one real `regelwerk serve` with the example regions (a fresh
SQLite database) per module, one headless Chromium per worker, a fresh page per test, and the
test's screenshots (tests/hulp/browsertest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browsertest import Schermafdrukken, chromium_pad
from echte_server import Server, regelwerk_commando

pytestmark = pytest.mark.traag


@pytest.fixture(scope="module")
def dienst(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`regelwerk serve` (the README's command) on a free port, the example regions loaded."""
    map_ = tmp_path_factory.mktemp("browserdienst")
    omgeving = {"REGELWERK_DATABASE_URL": f"sqlite:///{map_ / 'regelwerk.sqlite'}",
                "REGELWERK_HERLAAD_INTERVAL": "0"}
    server = Server("", omgeving, map_ / "serve.log", argv=[regelwerk_commando(), "serve"])
    try:
        yield server.wacht()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Headless Chromium of the system (never a downloaded one), one per test worker."""
    pad = chromium_pad()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(pad), headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def pagina(chromium: Any) -> Iterator[Any]:
    """A fresh page (own context: no cookies or storage shared between tests)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def schermafdrukken(request: pytest.FixtureRequest) -> Schermafdrukken:
    """Where the test keeps a screenshot of each step (testuitvoer/schermafdrukken/)."""
    return Schermafdrukken(request.node.name)
