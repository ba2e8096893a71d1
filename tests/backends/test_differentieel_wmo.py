"""Every backend, one meaning, for a Wmo message too: the published WMO323 (read by the
iJw reader with the iWmo record) against its WMO301 allocations and amstelland's contract
with Wmo tariffs, assessed by each backend and compared line by line with the default."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from berichten.ijw.jw301 import geldende_toewijzingen, lees_jw301
from berichten.ijw.jw323 import lees_jw323
from berichten.iwmo.standaard import IWMO_3_2
from engine import backends, ir
from engine.beoordeling import beoordeel_reeks
from engine.historie import GeheugenHistorie
from engine.model import Context, DeclaratieBeoordeling

REPO = Path(__file__).resolve().parents[2]
IWMO = REPO / "tests" / "berichten" / "berichten"
REGIO = REPO / "contracten" / "amstelland"


@pytest.fixture(scope="module")
def regelboek(tmp_path_factory: pytest.TempPathFactory) -> ir.Regelboek:
    from dsl.loader import laad_contract

    map_ = tmp_path_factory.mktemp("wmo_contract")
    shutil.copy(REGIO / "contract.regels", map_)
    shutil.copy(REGIO / "plafonds.csv", map_)  # the contract names its ceilings (issue 14)
    (map_ / "tarieven.csv").write_text(
        (REGIO / "tarieven.csv").read_text(encoding="utf-8")
        + "01,01A03,04,2900,2023-01-01,,ambulant,Hulp bij het huishouden per uur\n",
        encoding="utf-8")
    return laad_contract(map_)


def _beoordeel(regelboek: ir.Regelboek, backend: str) -> list[DeclaratieBeoordeling]:
    declaratie = lees_jw323(IWMO / "WMO323.xml", standaard=IWMO_3_2)
    context = Context(geldende_toewijzingen(lees_jw301(IWMO / "WMO301.xml")))
    return list(beoordeel_reeks(regelboek, [declaratie], context, GeheugenHistorie(), backend))


def _samenvatting(b: DeclaratieBeoordeling) -> list[Any]:
    return [b.retourcodes, b.totaal_toegekend, sorted(b.client_retourcodes.items()),
            *[(u.referentienummer, u.status, u.retourcodes, u.toegekend_bedrag,
               sorted((r.regel_id, r.retourcode, tuple(sorted(r.waarden.items())))
                      for r in u.redenen)) for u in b.uitkomsten]]


def test_wmo_bericht_geeft_dezelfde_uitkomst(regelboek: ir.Regelboek,
                                             andere_backend: str) -> None:
    standaard = _beoordeel(regelboek, backends.STANDAARD)
    assert standaard[0].uitkomsten  # the message was read and assessed
    assert [_samenvatting(b) for b in _beoordeel(regelboek, andere_backend)] == \
        [_samenvatting(b) for b in standaard]
