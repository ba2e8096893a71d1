"""The floor under every backend: the contract with the pipeline (engine.beoordeling).

No backend imports another; what two of them share lives here (the contract below, the
reference evaluator `referentie` with its functions `functies`). The registry of backends
is `engine.backends`.

The pipeline turns a message, its context and the history into a *werkset*: one Polars
DataFrame row per line to assess. A backend evaluates every rule of the rule book on it and
returns the firings (`Treffer`). What a firing means (rejection, 0233 propagation, totals,
JW325) is the pipeline's business, not the backend's, so every backend stays small and has
exactly one job: decide which rules fire on which rows, with which values.

Werkset columns (dtypes):
- `rij` (Int64): 0..n-1, the row's position; `Treffer.rij` refers to it;
- one column per field of `engine.velden.VELDEN`, named by its `kolom`: tekst -> String,
  datum -> Date, geld and getal -> Int64 (cents / whole units), waarheid -> Boolean;
  null where the value is missing (no allocation, no tariff, ...);
- `afwezigheden` (List(Struct({"van": Date, "tot": Date}))): the absence periods registered
  for the row's (bsn, toewijzingnummer), dates inclusive, possibly empty;
- `bericht` (Int64, added by H3): the row's message, 0 in the werkset of one message. A
  backend whose `Vermogens` say `meerdere_berichten` may be handed a werkset of several
  independent messages (`engine.werkset.maak_werkset_reeks`); its aggregates then never
  cross messages. Other backends only ever get one message per werkset.

Optional abilities are declared in the backend's `vermogens`, never probed: with `beknopt`
the backend offers `evalueer_beknopt(regelboek, werkset)`, like `evalueer` except that a
rule of niveau client/declaratie is reported only on the line(s) with the smallest
ReferentieNummer of each client/message (the firings the pipeline uses for the reason).

A backend must give the same `Treffer`s for the same werkset whatever the row order
(the differential test shuffles), and may not read anything but the werkset and the rule book.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

from engine.ir import Regelboek, Waarde

if TYPE_CHECKING:
    import polars as pl


@dataclass(frozen=True, slots=True)
class Treffer:
    """Rule `regel_id` fired on row `rij`; `waarden` are the rule's `waarden` evaluated there
    (exact: int, Fraction, str, date, bool or None)."""

    rij: int
    regel_id: str
    waarden: tuple[tuple[str, Waarde], ...]


@dataclass(frozen=True, slots=True)
class Vermogens:
    """What a backend can do beyond `evalueer`, declared with it (the registry shows it)."""

    meerdere_berichten: bool = False
    """takes a werkset of several messages at once (`engine.werkset.maak_werkset_reeks`)"""
    beknopt: bool = False
    """offers `evalueer_beknopt` (group-level rules on their first line only)"""


class Backend(Protocol):
    naam: str
    vermogens: Vermogens

    @property
    def functies(self) -> Mapping[str, object]:
        """Its implementation of every built-in function (`engine.functies.FUNCTIES`), by
        name: declared (a class attribute), so a test can name the function it lacks."""
        ...

    def evalueer(self, regelboek: Regelboek, werkset: pl.DataFrame) -> list[Treffer]:
        """All firings of all rules in force on each row's peildatum (column `begindatum`)."""
        ...


class BeknopteBackend(Backend, Protocol):
    """A backend whose `vermogens.beknopt` holds."""

    def evalueer_beknopt(self, regelboek: Regelboek, werkset: pl.DataFrame) -> list[Treffer]:
        ...


def evalueer(
    backend: Backend, regelboek: Regelboek, werkset: pl.DataFrame, beknopt: bool = False
) -> list[Treffer]:
    """`evalueer_beknopt` where asked and declared, else `evalueer`."""
    if beknopt and backend.vermogens.beknopt:
        return cast(BeknopteBackend, backend).evalueer_beknopt(regelboek, werkset)
    return backend.evalueer(regelboek, werkset)
