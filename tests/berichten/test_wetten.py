"""Which law a contract covers (`berichten.wetten`): the standards whose product categories
its tariffs price; none priced: iJw, the platform's first standard."""

from __future__ import annotations

from pathlib import Path

import pytest

from berichten.ijw.standaard import IJW_3_2
from berichten.iwmo.standaard import IWMO_3_2
from berichten.wetten import dekt, geen_producten, standaarden_van
from dsl.loader import laad_contract
from engine import ir

CONTRACTEN = Path(__file__).resolve().parents[2] / "contracten"


@pytest.mark.parametrize(("regio", "verwacht"), [
    ("amstelland", ("iJw",)), ("ijsselland", ("iJw",)), ("amstelland_wmo", ("iWmo",)),
])
def test_voorbeeldregios(regio: str, verwacht: tuple[str, ...]) -> None:
    boek = laad_contract(CONTRACTEN / regio)
    assert tuple(s.naam for s in standaarden_van(boek)) == verwacht
    assert dekt(boek, IWMO_3_2) == ("iWmo" in verwacht)


def test_beide_wetten(tmp_path: Path) -> None:
    """Youth tariffs plus one Wmo row: the contract covers both."""
    (tmp_path / "contract.regels").write_text(
        (CONTRACTEN / "amstelland" / "contract.regels").read_text(encoding="utf-8"))
    (tmp_path / "plafonds.csv").write_text(
        (CONTRACTEN / "amstelland" / "plafonds.csv").read_text(encoding="utf-8"))
    (tmp_path / "tarieven.csv").write_text(
        (CONTRACTEN / "amstelland" / "tarieven.csv").read_text(encoding="utf-8")
        + "02,02A01,04,6540,2025-01-01,,ambulant,Begeleiding per uur\n")
    boek = laad_contract(tmp_path)
    assert standaarden_van(boek) == (IJW_3_2, IWMO_3_2)


def test_zonder_tarieven_alleen_ijw() -> None:
    boek = ir.Regelboek("x", "x", ("0384",), (), {}, {}, (), (), (), "0" * 64, ())
    assert standaarden_van(boek) == (IJW_3_2,)
    assert not dekt(boek, IWMO_3_2)


def test_de_zin_noemt_regio_en_wet() -> None:
    assert geen_producten("amstelland", IWMO_3_2).startswith(
        "het contract van regio 'amstelland' kent geen Wmo-producten (de tarieventabel prijst "
        "geen productcategorie van iWmo 3.2)")
    assert "kent geen Jeugdwet-producten" in geen_producten("amstelland_wmo", IJW_3_2)
