"""HTML pages of the service: rendered by the one environment of `weergave.sjablonen`."""

from __future__ import annotations

from weergave.sjablonen import render

__all__ = ["render"]
