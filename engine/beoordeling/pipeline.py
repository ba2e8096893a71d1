"""The entry points of the assessment: one message (`beoordeel`), messages in order recorded
into the history (`beoordeel_reeks`, per block of `PRESTATIES_PER_BLOK` lines), and lanes
whose rounds go to the backend together (`beoordeel_banen`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Sized
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Protocol, TypeVar

from engine import backends, ir
from engine.backends.basis import Backend
from engine.beoordeling.bericht import beoordeel_samen
from engine.beoordeling.blok import beoordeel_blok, beoordeel_blokken
from engine.geheugen import zonder_gc
from engine.model import Context, Declaratie, DeclaratieBeoordeling, Historie
from engine.verplicht import aangevuld
from engine.werkset import vaste_toewijzingen


def beoordeel(
    regelboek: ir.Regelboek,
    declaratie: Declaratie,
    context: Context,
    historie: Historie,
    backend: str | Backend = backends.STANDAARD,
) -> DeclaratieBeoordeling:
    """Assess one message against the rule book; the history is read, not written. Rules and
    tariffs are selected by the care's date, never by the processing date."""
    uitvoerder = backends.kies(backend)
    return beoordeel_samen(aangevuld(regelboek), [declaratie], context, historie,
                           uitvoerder)[0]


PRESTATIES_PER_BLOK = 1_000_000
"""`beoordeel_reeks` splits its input in blocks of about this many lines; a block is
assessed in rounds (one werkset per round), so a larger block means fewer, larger werksets."""


def beoordeel_reeks(
    regelboek: ir.Regelboek,
    declaraties: Iterable[Declaratie],
    context: Context,
    historie: Historie,
    backend: str | Backend = backends.STANDAARD,
) -> Iterator[DeclaratieBeoordeling]:
    """Assess messages in order, registering each into `historie`: each sees the history of
    the ones before it. A backend that takes several messages per werkset gets a block of
    messages in rounds (`_Blokbeoordeling`): a message is assessed as soon as the earlier
    messages it depends on are final, together with every other such message, so the
    outcome is the same as one by one; the results still come in input order."""
    uitvoerder = backends.kies(backend)
    regelboek = aangevuld(regelboek)
    if not uitvoerder.vermogens.meerdere_berichten:
        for declaratie in declaraties:
            beoordeling = beoordeel(regelboek, declaratie, context, historie, uitvoerder)
            historie.registreer(beoordeling)
            yield beoordeling
        return
    for blok in blokken(declaraties, PRESTATIES_PER_BLOK):
        with zonder_gc(), vaste_toewijzingen(context.toewijzingen):
            klaar = beoordeel_blok(regelboek, blok, context, historie, uitvoerder)
        yield from klaar


class MetPrestaties(Protocol):
    """What `blokken` counts: a message, or the batch's read result (an error counts none)."""

    @property
    def prestaties(self) -> Sized: ...


M = TypeVar("M", bound=MetPrestaties)


def blokken(declaraties: Iterable[M], prestaties: int) -> Iterator[list[M]]:
    """The messages in blocks of about `prestaties` lines (a block ends with the message that
    reaches it), taken lazily: the batch reads its files as the blocks ask for them."""
    blok: list[M] = []
    aantal = 0
    for declaratie in declaraties:
        blok.append(declaratie)
        aantal += len(declaratie.prestaties)
        if aantal >= prestaties:
            yield blok
            blok, aantal = [], 0
    if blok:
        yield blok


@dataclass(frozen=True, slots=True)
class Baan:
    """Messages that see only each other and their own allocations and history: a lane
    (in the CLI, the messages of one gemeente)."""

    declaraties: Sequence[Declaratie]
    context: Context
    historie: Historie


def beoordeel_banen(
    regelboek: ir.Regelboek, banen: Sequence[Baan], backend: str | Backend = backends.STANDAARD
) -> list[Iterator[DeclaratieBeoordeling]]:
    """Per lane exactly what `beoordeel_reeks(regelboek, baan.declaraties, baan.context,
    baan.historie, backend)` gives (and records into its history), but with a backend that
    takes several messages per werkset the rounds of all lanes go to the backend together:
    one call per round, not one per round and lane (a call has a fixed cost of many Polars
    steps). That is safe because a werkset's aggregates never cross messages
    (`engine.backends.basis`), and a lane's werkset is made from its own block and history only.
    With such a backend every lane is assessed when this is called (the CLI hands in one
    block of messages at a time); with another, each lane lazily, message by message."""
    uitvoerder = backends.kies(backend)
    if not uitvoerder.vermogens.meerdere_berichten:
        # one message at a time anyway: each lane lazily, as `beoordeel_reeks` gives it
        return [beoordeel_reeks(regelboek, b.declaraties, b.context, b.historie, uitvoerder)
                for b in banen]
    regelboek = aangevuld(regelboek)
    per_baan = [list(blokken(b.declaraties, PRESTATIES_PER_BLOK)) for b in banen]
    uit: list[list[DeclaratieBeoordeling]] = [[] for _ in banen]
    for k in range(max(map(len, per_baan), default=0)):  # a lane's blocks one after another
        actief = [i for i, eigen in enumerate(per_baan) if k < len(eigen)]
        with zonder_gc(), ExitStack() as vast:
            for i in actief:
                vast.enter_context(vaste_toewijzingen(banen[i].context.toewijzingen))
            klaar = beoordeel_blokken(
                regelboek, [(per_baan[i][k], banen[i].context, banen[i].historie)
                            for i in actief], uitvoerder)
        for i, beoordelingen in zip(actief, klaar, strict=True):
            uit[i].extend(beoordelingen)
    return [iter(lijst) for lijst in uit]
