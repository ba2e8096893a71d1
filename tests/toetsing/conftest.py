"""Fixtures shared by the contract tests: the two example regions, compiled once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsl.loader import laad_contract
from engine import ir

CONTRACTEN = Path(__file__).resolve().parents[2] / "contracten"


@pytest.fixture(scope="module")
def amstelland() -> ir.Regelboek:
    return laad_contract(CONTRACTEN / "amstelland")


@pytest.fixture(scope="module")
def ijsselland() -> ir.Regelboek:
    return laad_contract(CONTRACTEN / "ijsselland")
