"""Lines on stderr for the person running the batch: a message refused with 0001, allocations
that are not used. Anything that looks like a BSN is masked (an error can quote a value of a
message or a file)."""

from __future__ import annotations

import sys

from engine.bsn import verberg_bsn


def meld(tekst: str) -> None:
    print(verberg_bsn(tekst), file=sys.stderr, flush=True)
