"""Backend 'scalar': the reference semantics, row by row; slow and plain, for tests and for
checking the other backends against it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine import ir
from engine.backends.basis import Treffer, Vermogens
from engine.backends.basis.functies import FUNCTIES_PYTHON
from engine.backends.basis.referentie import treffers

if TYPE_CHECKING:
    import polars as pl


class ScalarBackend:
    """Backend 'scalar': the reference evaluator, row by row (for tests and explanations)."""

    naam = "scalar"
    vermogens = Vermogens()
    functies = FUNCTIES_PYTHON

    def evalueer(self, regelboek: ir.Regelboek, werkset: pl.DataFrame) -> list[Treffer]:
        return list(treffers(regelboek, werkset.to_dicts()))
