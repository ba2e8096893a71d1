"""Fixtures for the report tests: the example regions, and the hand-built assessments of
the sample JW323 that the message tests use too (`tests/berichten/ijw_beoordelingen.py`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dsl.loader import laad_contract
from engine import ir

TESTS = Path(__file__).resolve().parents[1]
CONTRACTEN = TESTS.parent / "contracten"

# the explanation is tested on the same assessments as the JW325: one helper module, found
# here also when tests/weergave runs alone
sys.path.insert(0, str(TESTS / "berichten"))


@pytest.fixture(scope="module")
def amstelland() -> ir.Regelboek:
    return laad_contract(CONTRACTEN / "amstelland")


@pytest.fixture(scope="module")
def ijsselland() -> ir.Regelboek:
    return laad_contract(CONTRACTEN / "ijsselland")
