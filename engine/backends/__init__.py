"""The backends, by name: each evaluates every rule of a rule book on a werkset.

A backend is a subpackage (`vectorized`, `rete`, `scalar`) with a `backend` module holding
its class; what they share is the floor `engine.backends.basis` (the contract with the
pipeline, the reference evaluator), and no backend imports another. Adding one means a
subpackage and one line in `_BACKENDS`: the CLI's and the service's choices, the defaults
and the shared test suite (tests/backends) read this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.backends.basis import Backend, Vermogens

STANDAARD = "vectorized"
"""The backend used when none is named."""


# Each backend is imported when it is first chosen: listing the names (a CLI's --help)
# loads neither Polars nor durable-rules.
def _vectorized() -> type[Backend]:
    from engine.backends.vectorized.backend import VectorizedBackend

    return VectorizedBackend


def _rete() -> type[Backend]:
    from engine.backends.rete.backend import ReteBackend

    return ReteBackend


def _scalar() -> type[Backend]:
    from engine.backends.scalar.backend import ScalarBackend

    return ScalarBackend


@dataclass(frozen=True, slots=True)
class Inschrijving:
    """One registered backend: its name, a line for `--help`, and its class (loaded when
    first asked for), which declares its `vermogens`."""

    naam: str
    omschrijving: str
    klasse: Callable[[], type[Backend]]

    @property
    def vermogens(self) -> Vermogens:
        return self.klasse().vermogens

    def maak(self) -> Backend:
        return self.klasse()()


_BACKENDS: dict[str, Inschrijving] = {
    b.naam: b for b in (
        Inschrijving("vectorized", "Polars, alle regels over de hele werkset tegelijk (snel)",
                     _vectorized),
        Inschrijving("rete", "durable-rules, per cliënt", _rete),
        Inschrijving("scalar", "de referentie: regel voor regel, traag", _scalar),
    )
}


class OnbekendeBackendError(ValueError):
    """A backend name that is not registered."""


def namen() -> tuple[str, ...]:
    """Every registered backend's name, the default first."""
    return (STANDAARD, *(n for n in _BACKENDS if n != STANDAARD))


def inschrijving(naam: str) -> Inschrijving:
    """The registered backend `naam`; an unknown name is refused with the known ones."""
    gevonden = _BACKENDS.get(naam)
    if gevonden is None:
        raise OnbekendeBackendError(
            f"onbekende backend '{naam}': kies uit {', '.join(namen())}")
    return gevonden


def kies(naam: str | Backend = STANDAARD) -> Backend:
    """A fresh backend by its CLI/API name (a backend object is returned as it is)."""
    return inschrijving(naam).maak() if isinstance(naam, str) else naam


def omschrijving() -> str:
    """One line per backend for a `--backend` help text."""
    return "; ".join(f"{b.naam}: {b.omschrijving}" for b in _BACKENDS.values())
