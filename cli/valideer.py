"""Placeholder: the 'valideer' command group is being written (see docs/taal.md, issues 2-5)."""

from __future__ import annotations

import typer


def registreer(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
