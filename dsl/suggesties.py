"""Suggestions for misspelt names: the nearest known name, like a spell checker."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

DREMPEL = 0.8
"""How alike (difflib's ratio, 0..1) a known name must be to be suggested at all."""


def dichtstbij(naam: str, bekend: Iterable[str], drempel: float = DREMPEL) -> str | None:
    """The known name closest to `naam`, or None when nothing is reasonably close; never
    `naam` itself (suggesting the very name typed tells the user nothing)."""
    kandidaten = sorted(set(bekend) - {naam})
    treffers = difflib.get_close_matches(naam, kandidaten, n=1, cutoff=drempel)
    return treffers[0] if treffers else None


def bedoelde_u(naam: str, bekend: Iterable[str], drempel: float = DREMPEL) -> str | None:
    """`bedoelde u '...'?` for the nearest known name, or None."""
    beste = dichtstbij(naam, bekend, drempel)
    return f"bedoelde u '{beste}'?" if beste else None
