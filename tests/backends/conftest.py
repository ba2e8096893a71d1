"""The shared backend suite: a test that takes `backend` runs once per registered backend
(`engine.backends.namen()`), so registering a backend adds it to every such test."""

from __future__ import annotations

import pytest

from engine import backends
from engine.backends.basis import Backend


@pytest.fixture(params=backends.namen(), scope="module")
def backend(request: pytest.FixtureRequest) -> Backend:
    return backends.kies(request.param)


@pytest.fixture(params=[n for n in backends.namen() if n != backends.STANDAARD], scope="module")
def andere_backend(request: pytest.FixtureRequest) -> str:
    """Each registered backend but the default (to compare with the default)."""
    return str(request.param)
