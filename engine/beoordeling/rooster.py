"""Which message of a block may go when: the order between messages that read what an earlier
one of the same provider leaves behind (an allocation, a followed ReferentieNummer)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from engine.werkset import Blok, Blokstand


class Rooster:
    """Which message may go when: a message waits for the earlier messages of its provider
    with which it shares an allocation (`_gid`) or a followed ReferentieNummer (the debits
    that credits refer to, or numbers that repeat, and then also the allocations of those
    debits). Those are exactly the messages whose outcome changes what it reads."""

    def __init__(self, blok: Blok, stand: Blokstand) -> None:
        self.wacht = [0] * len(blok.declaraties)
        self.volgers: list[list[int]] = [[] for _ in blok.declaraties]
        for voor, na in _afhankelijkheden(blok, stand):
            self.wacht[na] += 1
            self.volgers[voor].append(na)

    def begin(self) -> list[int]:
        return [b for b, wacht in enumerate(self.wacht) if not wacht]

    def klaar(self, berichten: Iterable[int]) -> list[int]:
        """These messages are final: the messages that no longer wait."""
        vrij = []
        for bericht in berichten:
            for volger in self.volgers[bericht]:
                self.wacht[volger] -= 1
                if not self.wacht[volger]:
                    vrij.append(volger)
        return sorted(vrij)


def _afhankelijkheden(blok: Blok, stand: Blokstand) -> list[tuple[int, int]]:
    """(earlier, later) for consecutive messages that share a key: (key, message) pairs
    packed into one integer and sorted."""
    aantal = len(blok.declaraties)
    paren = blok.frame.select(pl.col("_gid") * aantal + pl.col("_bericht")).to_series()
    extra = _gevolgde_sleutels(blok, stand)
    if extra:
        paren = pl.concat([paren, pl.Series([k * aantal + b for b, k in extra],
                                            dtype=pl.Int64)])
    paren = paren.sort()
    vorige = paren.shift(1)
    # the same key (k), another message (b): p = k * aantal + b
    rand = ((paren // aantal) == (vorige // aantal)) & (paren != vorige)
    randen = pl.DataFrame({"voor": vorige % aantal, "na": paren % aantal}).filter(rand)
    return list(randen.unique().iter_rows())


def _gevolgde_sleutels(blok: Blok, stand: Blokstand) -> list[tuple[int, int]]:
    """(message, key) for followed ReferentieNummers: the number itself (as a key after
    the `_gid`s) for every message that refers to it, and the allocations of the debits
    with that number in earlier messages (and before the block): a credit that clears the
    debit, or a debit that replaces it, changes the open debits on that allocation."""
    per_nummer: dict[tuple[str, str], list[tuple[int, int | None]]] = {}
    for b, declaratie in enumerate(blok.declaraties):
        for _, vorig in blok.credits[b]:
            if vorig:
                per_nummer.setdefault((declaratie.aanbieder, vorig), []).append((b, None))
        for _, nummer, _, gid in blok.gevolgd[b]:
            per_nummer.setdefault((declaratie.aanbieder, nummer), []).append((b, gid))
    vooraf = _vooraf_gids(blok, stand, per_nummer)
    extra: list[tuple[int, int]] = []
    for eigen, (sleutel, leden) in enumerate(per_nummer.items(), blok.toewijzingen):
        if leden[0][0] == leden[-1][0] and sleutel not in vooraf:
            continue  # one message, nothing before it: no order to keep
        eerder = {vooraf[sleutel]} if sleutel in vooraf else set()
        vorige = -1
        for b, van_debet in leden:  # in message order
            if b != vorige:
                extra.append((b, eigen))
                extra.extend((b, g) for g in eerder)
                vorige = b
            if van_debet is not None:
                eerder.add(van_debet)
    return extra


def _vooraf_gids(blok: Blok, stand: Blokstand,
                 per_nummer: dict[tuple[str, str], Any]) -> dict[tuple[str, str], int]:
    """The `_gid` of the history's debit per followed number (when a line of the block has
    its open-debit key)."""
    kids = {sleutel: debet.kid for sleutel, debet in stand.debetten.items()
            if debet.kid >= 0 and sleutel in per_nummer}
    if not kids:
        return {}
    per_kid = dict(blok.frame.select("_kid", "_gid").filter(
        pl.col("_kid").is_in(list(kids.values()))).unique().iter_rows())
    return {sleutel: per_kid[kid] for sleutel, kid in kids.items()}
