"""The summary table of `regelwerk controleer`: a row per message, at most TABELRIJEN, totals."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from batch.verslag import Berichtuitkomst
from weergave.samenvatting import TABELRIJEN, samenvatting


def _tekst(aantal: int) -> str:
    uitkomsten = [Berichtuitkomst(f"b{i}.xml", f"D{i}", 3, 1, 1250, -50, "0200")
                  for i in range(aantal)]
    console = Console(width=140, record=True, file=io.StringIO())
    console.print(samenvatting(uitkomsten, 1.25, Path("uit")))
    return console.export_text()


def test_rijen_totaal_en_geld() -> None:
    tekst = _tekst(2)
    assert "Gecontroleerd in 1.2 s; uitvoer in uit" in tekst
    assert "b1.xml" in tekst and "€ 12,50" in tekst and "€ -0,50" in tekst
    assert "totaal (2 berichten)" in tekst and "€ 25,00" in tekst and "€ -1,00" in tekst


def test_ten_hoogste_tabelrijen_berichten() -> None:
    tekst = _tekst(TABELRIJEN + 3)
    assert f"b{TABELRIJEN - 1}.xml" in tekst and f"b{TABELRIJEN}.xml" not in tekst
    assert "... en nog 3 berichten" in tekst
