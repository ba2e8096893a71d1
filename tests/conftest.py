"""Fixtures shared by the test folders: the two example regions, compiled once per module
(the contract runner's tests and the report tests use them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsl.loader import laad_contract
from engine import ir

CONTRACTEN = Path(__file__).resolve().parents[1] / "contracten"


@pytest.fixture(scope="module")
def amstelland() -> ir.Regelboek:
    return laad_contract(CONTRACTEN / "amstelland")


@pytest.fixture(scope="module")
def ijsselland() -> ir.Regelboek:
    return laad_contract(CONTRACTEN / "ijsselland")


@pytest.fixture(scope="module")
def amstelland_wmo() -> ir.Regelboek:
    return laad_contract(CONTRACTEN / "amstelland_wmo")
