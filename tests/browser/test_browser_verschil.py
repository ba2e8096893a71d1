"""`regelwerk verschil --formaat html` in a real browser: two regions side by side and what
changes on 1 July, with a screenshot kept (testuitvoer/schermafdrukken/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browsertest import Schermafdrukken
from proefregio import maak_proefregio
from typer.testing import CliRunner

from cli.main import app

pytestmark = pytest.mark.traag

AMSTELLAND = Path(__file__).resolve().parents[2] / "contracten" / "amstelland"


def test_verschil_op_1_juli_naast_elkaar(pagina: Any, tmp_path: Path,
                                         schermafdrukken: Schermafdrukken) -> None:
    proef = maak_proefregio(tmp_path)
    html = tmp_path / "verschil.html"
    uitslag = CliRunner().invoke(app, ["verschil", str(AMSTELLAND), str(proef), "--op",
                                       "2026-07-01", "--formaat", "html", "--uitvoer", str(html)])
    assert uitslag.exit_code == 0, uitslag.output
    pagina.goto(html.as_uri())
    assert pagina.title() == "Verschil met de standaard op 1 juli 2026"
    regios = pagina.locator("section.regio h2").all_inner_texts()
    assert regios == ["Regio Amsterdam-Amstelland jeugdhulp 2025-2026 (voorbeeld)",
                      "Regio Proef jeugdhulp 2026"]
    # amstelland changes nothing on 1 July; the new region changes three tariff rows
    assert pagina.locator("#regio-1 .leeg").first.is_visible()
    soorten = pagina.locator("#regio-2 table.tarieven td .soort").all_inner_texts()
    assert soorten == ["gewijzigd", "vervallen", "toegevoegd"]
    naast = pagina.locator("#naast-elkaar table tr")
    assert naast.first.locator("th").all_inner_texts() == ["onderdeel", "amstelland", "proef"]
    rij = pagina.locator("#naast-elkaar tr", has_text="parameter maximale afwezigheid")
    assert rij.locator("td").all_inner_texts()[1:] == ["21 dagen (regio)", "10 dagen (regio)"]
    schermafdrukken.neem(pagina, "verschil-1-juli")
    assert schermafdrukken.genomen[0].stat().st_size > 10_000
