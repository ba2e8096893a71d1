"""Every case of both regions also holds on the rete backend (same rules, same outcomes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from toetsing.regio import laad_regio
from toetsing.runner import draai_suite

CONTRACTEN = Path(__file__).resolve().parents[2] / "contracten"


@pytest.mark.parametrize("regio", ["amstelland", "ijsselland"])
def test_alle_gevallen_slagen_ook_met_de_rete_backend(regio: str) -> None:
    suite = laad_regio(CONTRACTEN / regio)
    uitslagen = draai_suite(suite.regelboek, suite.gevallen, backend="rete")
    assert len(uitslagen) > 40
    mislukt = [u.verslag() for u in uitslagen if not u.geslaagd]
    assert not mislukt, "\n\n".join(mislukt)
