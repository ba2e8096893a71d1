"""The provider's explanation in plain Dutch, from the golden data in uitleg_zinnen.yaml:
dates in words, 'geen einddatum' for an open end, a line named 'prestatie 2' (a 'regel' is
a rule), contract rules with an honest code."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine import ir
from engine.waarden import toon_waarde
from toetsing.gevallen import laad_gevallen
from toetsing.regio import laad_regelboek
from toetsing.runner import draai_geval
from weergave.uitleg import uitleg_tekst

_DATA = yaml.safe_load((Path(__file__).with_name("uitleg_zinnen.yaml")).read_text("utf-8"))
_CONTRACTEN = Path(__file__).resolve().parents[2] / "contracten"


@pytest.mark.parametrize("geval", _DATA["waarden"], ids=lambda g: str(g["tekst"]))
def test_waarde_in_een_zin(geval: dict[str, Any]) -> None:
    waarde = geval["waarde"]
    assert waarde is None or isinstance(waarde, date)
    assert toon_waarde(waarde, ir.Type(geval["type"]), geval.get("naam", "")) == geval["tekst"]


@pytest.mark.parametrize("geval", _DATA["gevallen"], ids=lambda g: str(g["geval"]))
def test_uitleg_van_een_geval(geval: dict[str, Any]) -> None:
    map_ = _CONTRACTEN / geval["regio"]
    regelboek = laad_regelboek(map_)
    gevallen = laad_gevallen(map_ / "gevallen" / geval["bestand"], regelboek.gemeenten[0])
    (gekozen,) = [g for g in gevallen if g.naam == geval["geval"]]
    uitslag = draai_geval(regelboek, gekozen)
    assert uitslag.fout is None and not uitslag.verschillen, str(uitslag)
    teksten = [uitleg_tekst(b) for b in uitslag.beoordelingen]
    for regel in geval["tekst"]:
        assert any(regel in t for t in teksten), f"{regel!r} niet in:\n" + "\n".join(teksten)
    for fout in geval.get("niet", []):
        assert not any(fout in t for t in teksten), f"{fout!r} staat in de uitleg"
