"""The year's money's own errors: one base, so a command or route answers each with its
Dutch sentence (exit code 1, HTTP 422) and never a traceback."""

from __future__ import annotations


class JaarFout(ValueError):
    """The year's money cannot be computed or paid as asked (a Dutch sentence)."""
