"""`zonder_gc` for the batch application; it lives in `engine.geheugen` (the engine may import
no batch module, and uses it too). Kept here while the batch modules move (issue 12)."""

from __future__ import annotations

from engine.geheugen import zonder_gc

__all__ = ["zonder_gc"]
