"""How a batch is split over worker processes: by lane (a gemeente and a provider), read
from each message's header bytes, the workers balanced by bytes.

Lanes of different (gemeente, provider) are independent: a message sees only the history of
its own lane. A small batch, one core or one lane stays in one process."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from batch.processen import fork_mogelijk, fork_veilig, gevraagde_werkers, kernen

PARALLEL_VANAF = 4_000_000
"""Batches of fewer bytes of messages are assessed in this process: starting workers and
assessing in two smaller waves costs more than it saves."""

Baan = tuple[str, str]
"""(gemeente, provider): the history a message sees is that of its lane."""


@dataclass(frozen=True, slots=True)
class Verdeling:
    delen: list[list[int]]
    """volgnummers per worker"""
    sleutels: list[Baan | None]
    """per volgnummer the (gemeente, provider) read from its header"""


class VerdelingFout(Exception):
    """A message's provider is not the one its header was read as (the split is unsafe)."""


def verdeel(berichten: list[Path]) -> Verdeling | None:
    """Every lane's messages (a gemeente and a provider) with one worker, the workers
    balanced by bytes; or None when one process is better: a small batch, one core, one
    lane."""
    gevraagd = gevraagde_werkers()
    if gevraagd == 1 or not fork_mogelijk() or not fork_veilig():
        return None
    groottes = [pad.stat().st_size for pad in berichten]
    if gevraagd is None and sum(groottes) < PARALLEL_VANAF:
        return None
    sleutels = [baan_van(pad) for pad in berichten]
    per_baan: dict[Baan | None, list[int]] = {}
    for volgnummer, sleutel in enumerate(sleutels):
        per_baan.setdefault(sleutel, []).append(volgnummer)
    werkers = min(gevraagd or kernen(), len(per_baan))
    if werkers < 2:
        return None
    return Verdeling(_gewogen(per_baan, groottes, werkers), sleutels)


def _gewogen(per_baan: dict[Baan | None, list[int]], groottes: list[int],
             werkers: int) -> list[list[int]]:
    """The lanes over the workers, the largest first to the lightest worker."""
    delen: list[list[int]] = [[] for _ in range(werkers)]
    gewicht = [0] * werkers
    onbekend = per_baan.pop(None, [])  # headers that cannot be read: the first worker
    delen[0].extend(onbekend)
    gewicht[0] += sum(groottes[i] for i in onbekend)
    for volgnummers in sorted(per_baan.values(),
                              key=lambda v: -sum(groottes[i] for i in v)):
        minste = gewicht.index(min(gewicht))
        delen[minste].extend(volgnummers)
        gewicht[minste] += sum(groottes[i] for i in volgnummers)
    return [sorted(deel) for deel in delen]


def baan_van(pad: Path) -> Baan | None:
    """The message's gemeente (Header/Ontvanger) and provider (Header/Afzender) read from
    its first bytes, as the reader will see them; None when they cannot be told (the reader
    will then refuse the message, and if not, the worker notices that they differ)."""
    try:
        if pad.suffix.lower() == ".json":
            data = json.loads(pad.read_bytes())
            if not isinstance(data, dict):
                return None
            gemeente, aanbieder = data.get("gemeente"), data.get("aanbieder")
        else:
            with open(pad, "rb") as f:
                kop = f.read(8192)
            gemeente, aanbieder = _kopwaarde(kop, _ONTVANGER), _kopwaarde(kop, _AFZENDER)
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    if isinstance(gemeente, str) and isinstance(aanbieder, str):
        return gemeente, aanbieder
    return None


_AFZENDER = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Afzender>([^<&]*)</")
_ONTVANGER = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Ontvanger>([^<&]*)</")


def _kopwaarde(kop: bytes, patroon: re.Pattern[bytes]) -> str | None:
    """A header field from the raw start of the file: cheap, and good enough to split by,
    as every worker checks each message it reads against it."""
    gevonden = patroon.search(kop)
    return gevonden.group(1).decode("utf-8", "replace") if gevonden else None


def ontvanger_positie(pad: Path) -> tuple[int, int] | None:
    """Line and column (1-based) of Header/Ontvanger in the file's first bytes."""
    try:
        with open(pad, "rb") as f:
            kop = f.read(8192)
    except OSError:
        return None
    gevonden = _ONTVANGER.search(kop)
    if gevonden is None:
        return None
    voor = kop[:gevonden.start()]
    return voor.count(b"\n") + 1, gevonden.start() - (voor.rfind(b"\n") + 1) + 1
