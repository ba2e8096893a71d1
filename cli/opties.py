"""Options that several commands share, with their choices read from the engine's tables."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from engine import backends

Backendnaam = StrEnum("Backendnaam", {naam: naam for naam in backends.namen()})  # type: ignore[misc]
"""The registered backends (`engine.backends`), as the choices of `--backend`."""

STANDAARD_BACKEND = Backendnaam(backends.STANDAARD)

BackendOptie = Annotated[
    Backendnaam, typer.Option(help=f"de rekenmotor ({backends.omschrijving()})")
]
