"""Suggestions for misspelt names: the nearest known name, like a spell checker."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def dichtstbij(naam: str, bekend: Iterable[str]) -> str | None:
    """The known name closest to `naam`, or None when nothing is reasonably close."""
    kandidaten = sorted(set(bekend))
    treffers = difflib.get_close_matches(naam, kandidaten, n=1, cutoff=0.6)
    return treffers[0] if treffers else None


def bedoelde_u(naam: str, bekend: Iterable[str]) -> str | None:
    """`bedoelde u '...'?` for the nearest known name, or None."""
    beste = dichtstbij(naam, bekend)
    return f"bedoelde u '{beste}'?" if beste else None
