"""A year case file that cannot be read is an error at its file and line, in Dutch."""

from __future__ import annotations

from pathlib import Path

import pytest

from toetsing.fouten import GevalFoutError
from toetsing.jaargeval import laad_jaargevallen


@pytest.mark.parametrize(("tekst", "line", "bericht"), [
    ("- naam: a\n  jaar: 2026\n  grootboek:\n    - [1, '0193', '45', 2026-01, 5]\n", 1,
     "een grootboekrij is [aanbieder, gemeente, productcategorie, zorgmaand, bedrag in "
     "centen, beoordeeld op]"),
    ("- naam: a\n  jaar: 2026\n  grootboek:\n    - [1, '0193', '45', 2026-13, 5, 2026-02-01]\n",
     1, "'2026-13' is geen zorgmaand (JJJJ-MM)"),
    ("- naam: a\n  jaar: 2026\n- naam: b\n  jaar: 2026\n  plafond: []\n", 3,
     "een jaargeval heeft naam en jaar, en verder alleen segmenten, plafonds, grootboek, "
     "betaalruns en verwacht (onbekend: plafond)"),
    ("naam: a\n", 1, "een bestand met jaargevallen is een lijst van gevallen"),
])
def test_fout_met_regel(tmp_path: Path, tekst: str, line: int, bericht: str) -> None:
    pad = tmp_path / "2026.yaml"
    pad.write_text(tekst, encoding="utf-8")
    with pytest.raises(GevalFoutError) as fout:
        laad_jaargevallen(pad)
    assert (fout.value.line, fout.value.bericht) == (line, bericht)
