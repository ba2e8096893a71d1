"""The README demo messages: schema-valid, matching the tariffs, a mix of outcomes."""

from __future__ import annotations

from pathlib import Path

import pytest

from berichten.ijw.jw301 import geldende_toewijzingen, lees_jw301_map
from berichten.ijw.jw323 import lees_jw323
from engine import ir
from engine.beoordeling import beoordeel
from engine.historie import GeheugenHistorie
from engine.model import Context

VERWACHT = {
    "amstelland": {
        "RN001": (),
        "RN002": ("9321",),
        "RN003": (),
        "RN004": ("0611",),
        "RN005": ("0611",),
        "RN006": ("9346",),
    },
    "ijsselland": {
        "RN101": (),
        "RN102": (),
        "RN103": ("0611",),
        "RN104": ("0611",),
        "RN105": ("9338",),
    },
}

CONTRACTEN = Path(__file__).resolve().parents[2] / "contracten"


def _context(map_: Path) -> Context:
    from berichten.aanwezigheid import lees_aanwezigheid

    csv = map_ / "aanwezigheid.csv"
    afwezig = tuple(lees_aanwezigheid(csv)) if csv.exists() else ()
    return Context(geldende_toewijzingen(lees_jw301_map(map_ / "JW301")), afwezig)


@pytest.mark.parametrize("regio", sorted(VERWACHT))
def test_voorbeeldberichten_geven_goedgekeurde_en_afgewezen_regels(
    regio: str, request: pytest.FixtureRequest
) -> None:
    regelboek: ir.Regelboek = request.getfixturevalue(regio)
    map_ = CONTRACTEN / regio / "voorbeeld"
    declaratie = lees_jw323(map_ / "JW323.xml")  # validates against the XSD
    assert declaratie.gemeente in regelboek.gemeenten
    beoordeling = beoordeel(regelboek, declaratie, _context(map_), GeheugenHistorie())
    uitkomst = {u.referentienummer: u.retourcodes for u in beoordeling.uitkomsten}
    assert uitkomst == VERWACHT[regio]


def test_de_gemeente_van_de_voorbeeldberichten_zit_in_een_regio(amstelland: ir.Regelboek) -> None:
    assert "0384" in amstelland.gemeenten
