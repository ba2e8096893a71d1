"""Fixtures for the iJw message tests."""

from __future__ import annotations

import pytest
from ijw_hulp import BERICHTEN


@pytest.fixture
def jw323_bytes() -> bytes:
    return (BERICHTEN / "JW323.xml").read_bytes()


@pytest.fixture
def jw301_bytes() -> bytes:
    return (BERICHTEN / "JW301.xml").read_bytes()
