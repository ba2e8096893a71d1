"""The summary table that `regelwerk controleer` prints after a batch: one row per message
(at most `TABELRIJEN`), then the totals, money in the notation of `engine.opmaak`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from rich.table import Table

from engine.opmaak import geld

TABELRIJEN = 40
"""At most this many messages get their own row in the summary table."""

_KOPPEN = ("bericht", "declaratie", "prestaties", "afgewezen", "ingediend", "toegekend",
           "retourcodes")


class Berichtuitkomst(Protocol):
    """What the table shows of one message (the batch's per-message record)."""

    bestand: str
    declaratienummer: str
    prestaties: int
    afgewezen: int
    ingediend: int
    toegekend: int
    codes: str


def samenvatting(uitkomsten: Sequence[Berichtuitkomst], seconden: float, uitvoer: Path) -> Table:
    """The table for a console of 140 columns (the caller prints it)."""
    tabel = Table(title=f"Gecontroleerd in {seconden:.1f} s; uitvoer in {uitvoer}")
    for kop in _KOPPEN:
        tabel.add_column(kop, justify="right" if kop in ("prestaties", "afgewezen") else "left")
    for u in uitkomsten[:TABELRIJEN]:
        tabel.add_row(u.bestand, u.declaratienummer, str(u.prestaties), str(u.afgewezen),
                      geld(u.ingediend), geld(u.toegekend), u.codes)
    if len(uitkomsten) > TABELRIJEN:
        tabel.add_row(f"... en nog {len(uitkomsten) - TABELRIJEN} berichten", "", "", "",
                      "", "", "")
    tabel.add_section()
    tabel.add_row(f"totaal ({len(uitkomsten)} berichten)", "",
                  str(sum(u.prestaties for u in uitkomsten)),
                  str(sum(u.afgewezen for u in uitkomsten)),
                  geld(sum(u.ingediend for u in uitkomsten)),
                  geld(sum(u.toegekend for u in uitkomsten)), "")
    return tabel
