"""A reason's `bron` never reveals where the service is installed."""

from __future__ import annotations

from pathlib import Path

from berichten.ijw.jw323 import lees_jw323
from dsl.loader import laad_contract
from engine.beoordeling import beoordeel
from engine.historie import GeheugenHistorie
from engine.model import Context

REPO = Path(__file__).resolve().parents[2]


def test_bron_is_relatief_ook_bij_een_absoluut_pad() -> None:
    regelboek = laad_contract(REPO / "contracten" / "amstelland")  # absolute, like the service
    declaratie = lees_jw323(REPO / "contracten" / "amstelland" / "voorbeeld" / "JW323.xml")
    uitkomst = beoordeel(regelboek, declaratie, Context(), GeheugenHistorie())
    bronnen = [r.bron for u in uitkomst.uitkomsten for r in u.redenen]
    assert bronnen, "het voorbeeld heeft afgewezen prestaties"
    for bron in bronnen:
        assert not bron.startswith("/"), bron
        assert bron.split(":")[0].endswith(".regels"), bron
