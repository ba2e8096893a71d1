"""The contract between the pipeline (engine.beoordeling) and the two backends.

The pipeline turns a message, its context and the history into a *werkset*: one Polars
DataFrame row per line to assess. A backend evaluates every rule of the rule book on it and
returns the firings (`Treffer`). What a firing means (rejection, 0233 propagation, totals,
JW325) is the pipeline's business, not the backend's, so both backends stay small and have
exactly one job: decide which rules fire on which rows, with which values.

Werkset columns (dtypes):
- `rij` (Int64): 0..n-1, the row's position; `Treffer.rij` refers to it;
- one column per field of `engine.velden.VELDEN`, named by its `kolom`: tekst -> String,
  datum -> Date, geld and getal -> Int64 (cents / whole units), waarheid -> Boolean;
  null where the value is missing (no allocation, no tariff, ...);
- `afwezigheden` (List(Struct({"van": Date, "tot": Date}))): the absence periods registered
  for the row's (bsn, toewijzingnummer), dates inclusive, possibly empty;
- `bericht` (Int64, added by H3): the row's message, 0 in the werkset of one message. A
  backend with `meerdere_berichten = True` (the vectorized one) may be handed a werkset of
  several independent messages (`engine.werkset.maak_werkset_reeks`); its aggregates then
  never cross messages. Other backends only ever get one message per werkset.

Optional (added by H3): a backend may offer `evalueer_beknopt(regelboek, werkset)`, like
`evalueer` except that a rule of niveau client/declaratie is reported only on the line(s)
with the smallest ReferentieNummer of each client/message (the firings the pipeline uses
for the reason); `engine.beoordeling` calls it when present.

A backend must give the same `Treffer`s for the same werkset whatever the row order
(the differential test shuffles), and may not read anything but the werkset and the rule book.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

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


class Backend(Protocol):
    naam: str

    def evalueer(self, regelboek: Regelboek, werkset: pl.DataFrame) -> list[Treffer]:
        """All firings of all rules in force on each row's peildatum (column `begindatum`)."""
        ...


def kies_backend(naam: str) -> Backend:
    """The backend by its CLI/API name: 'vectorized' (default) or 'rete'."""
    if naam == "vectorized":
        from engine.vectorized import VectorizedBackend

        return VectorizedBackend()
    if naam == "rete":
        from engine.rete import ReteBackend

        return ReteBackend()
    raise ValueError(f"onbekende backend '{naam}': kies 'vectorized' of 'rete'")
