"""`regelwerk toon` as a lawyer reads it, in a real browser: the service's articles page of an
example region opened in Chromium (issue 16, point 8), with a screenshot of each step."""

from __future__ import annotations

from typing import Any

import pytest
from browsertest import Schermafdrukken
from echte_server import Server

pytestmark = pytest.mark.traag


def open_artikelen(pagina: Any, dienst: Server, regio: str, datum: str) -> None:
    antwoord = pagina.goto(f"{dienst.url}/v1/regios/{regio}/artikelen?datum={datum}")
    assert antwoord.status == 200
    assert antwoord.headers["content-type"].startswith("text/html")


def test_artikelenpagina_opent_in_chromium(pagina: Any, dienst: Server,
                                           schermafdrukken: Schermafdrukken) -> None:
    open_artikelen(pagina, dienst, "amstelland", "2026-04-01")
    assert "Amstelland" in pagina.title()
    assert pagina.locator("h2#artikel-43").is_visible()
    pad = schermafdrukken.neem(pagina, "artikelen")
    assert pad.stat().st_size > 10_000
