"""Memory helpers for large batches of lines: the engine, the message readers and the batch
application pause the cyclic garbage collector with `zonder_gc` (it sits at the bottom, in the
engine, so every layer may use it)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def zonder_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch is read or assessed: it makes
    millions of small objects that cannot form cycles, and every full collection would walk
    all of them again (at a million lines that cost more than the work itself). The previous
    state is restored."""
    aan = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if aan:
            gc.enable()
