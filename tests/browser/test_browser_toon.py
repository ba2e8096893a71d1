"""`regelwerk toon` as a lawyer reads it, in a real browser: the service's articles page of an
example region opened in Chromium (issue 16, point 8): the table of contents leads to every
part (also into the folded national checks), the technical checks are folded away, badges
follow what the region changed, the explanations carry example values; a screenshot of each
step is kept (testuitvoer/schermafdrukken/)."""

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


def test_artikelenpagina_leest_als_een_contract(pagina: Any, dienst: Server,
                                                schermafdrukken: Schermafdrukken) -> None:
    open_artikelen(pagina, dienst, "amstelland", "2026-04-01")
    assert "Amstelland" in pagina.title()
    schermafdrukken.neem(pagina, "geopend")

    # every link of the table of contents leads to a part of the page
    links = pagina.locator("nav.inhoud a")
    doelen = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(doelen) >= 10
    for doel in doelen:
        assert pagina.locator(doel).count() == 1, f"inhoudsopgave verwijst naar {doel}: weg"

    # the region's own and changed articles come first, the standard's after them
    volgorde = pagina.locator("article.artikel").evaluate_all("es => es.map(e => e.id)")
    assert volgorde[:2] == ["artikel-43", "artikel-61"]
    assert volgorde.index("artikel-47") > volgorde.index("artikel-61")

    # the national technical checks are folded away: not visible until opened
    technisch = pagina.locator("details#istandaard")
    assert technisch.get_attribute("open") is None
    assert not pagina.locator("#artikel-iJw-volume").is_visible()
    assert pagina.locator("#artikel-43").is_visible()

    # badges follow the parameters inside a lid: 43.4's parameter is the region's
    lid = pagina.locator("#lid-43\\.4 h3 .herkomst")
    assert lid.inner_text() == "gewijzigd door de regio"
    assert pagina.locator("#lid-43\\.1 h3 .herkomst").inner_text() == "standaard"
    assert pagina.locator("#artikel-43 h2 .herkomst").inner_text() == "gewijzigd door de regio"

    # no code words, no placeholders, no 'onbekend' for an open end in what the reader sees
    zichtbaar = pagina.locator("body").inner_text()
    assert "voegt_toe" not in zichtbaar and "eigen artikel" in zichtbaar
    assert "{" not in zichtbaar and "onbekend" not in zichtbaar.replace("(onbekend als", "")
    assert pagina.locator("#lid-43\\.4 .voorbeeld").first.is_visible()

    # a rule's source is on demand: folded, and shown when asked
    bron = pagina.locator("#lid-43\\.4 .regel details.bronblok").first
    assert not bron.locator("pre").is_visible()
    bron.locator("summary").click()
    assert bron.locator("pre").is_visible()
    assert "afwijzen met retourcode 9321" in bron.locator("pre").inner_text()
    schermafdrukken.neem(pagina, "regeltekst-open")

    # the table of contents opens the folded part it points into
    pagina.locator("nav.inhoud a[href='#artikel-iJw-volume']").click()
    assert technisch.get_attribute("open") is not None
    assert pagina.locator("#artikel-iJw-volume").is_visible()
    schermafdrukken.neem(pagina, "landelijke-controles-open")
    assert len(schermafdrukken.genomen) == 3
    assert all(p.stat().st_size > 10_000 for p in schermafdrukken.genomen)
