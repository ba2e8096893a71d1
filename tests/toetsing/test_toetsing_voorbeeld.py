"""The README demo messages: schema-valid, matching the tariffs, a mix of outcomes; each
region's in its own standard (amstelland_wmo: WMO301 and WMO323)."""

from __future__ import annotations

from pathlib import Path

import pytest

from berichten.herkenning import STANDAARDEN
from berichten.ijw.jw301 import geldende_toewijzingen, lees_jw301_map
from berichten.ijw.jw323 import lees_jw323
from berichten.standaard import Standaard
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
    "amstelland_wmo": {
        "WRN001": (),
        "WRN002": ("0611",),
        "WRN003": (),
        "WRN004": ("9346",),
        "WRN005": ("9338",),
    },
}

CONTRACTEN = Path(__file__).resolve().parents[2] / "contracten"


def _standaard(map_: Path) -> Standaard:
    """The example's standard: the one whose allocation folder (JW301, WMO301) it has."""
    return next(s for s in STANDAARDEN if (map_ / s.met_rol("toewijzing").naam).is_dir())


def _context(map_: Path) -> Context:
    from berichten.aanwezigheid import lees_aanwezigheid

    csv = map_ / "aanwezigheid.csv"
    afwezig = tuple(lees_aanwezigheid(csv)) if csv.exists() else ()
    toewijzingen = map_ / _standaard(map_).met_rol("toewijzing").naam
    return Context(geldende_toewijzingen(lees_jw301_map(toewijzingen)), afwezig)


@pytest.mark.parametrize("regio", sorted(VERWACHT))
def test_voorbeeldberichten_geven_goedgekeurde_en_afgewezen_regels(
    regio: str, request: pytest.FixtureRequest
) -> None:
    regelboek: ir.Regelboek = request.getfixturevalue(regio)
    map_ = CONTRACTEN / regio / "voorbeeld"
    standaard = _standaard(map_)
    bestand = map_ / f"{standaard.met_rol('declaratie').naam}.xml"
    declaratie = lees_jw323(bestand, standaard=standaard)  # validates against the XSD
    assert declaratie.gemeente in regelboek.gemeenten
    beoordeling = beoordeel(regelboek, declaratie, _context(map_), GeheugenHistorie())
    uitkomst = {u.referentienummer: u.retourcodes for u in beoordeling.uitkomsten}
    assert uitkomst == VERWACHT[regio]


def test_de_gemeente_van_de_voorbeeldberichten_zit_in_een_regio(amstelland: ir.Regelboek) -> None:
    assert "0384" in amstelland.gemeenten


def test_elke_voorbeeldregio_heeft_verwachte_uitkomsten() -> None:
    assert {p.parent.name for p in CONTRACTEN.glob("*/voorbeeld")} == set(VERWACHT)
