"""The werkset: one Polars row per line of a message, with its allocation and its history.

Columns are exactly those documented in `engine.backends.basis` (`rij`, every field of
`engine.velden.VELDEN`, `afwezigheden`). An allocation is linked by ToewijzingNummer and only
when it is for the provider of the message. History comes from `Historie` in bulk lookups.
`Verrekening` lets the pipeline hand in the approved credits of this message itself, so a
debit is checked after the credits of its own message (credits are processed first).

    kolommen     the columns, their dtypes, day numbers
    context      allocations and absences as frames (cached per context)
    bericht      the werkset of one message, or of several independent ones (`maak_werkset`)
    blok         a block of messages as one frame, built once (`maak_blok`)
    blokstand    the history as the block's messages see it while it is assessed
    blokwerkset  the werkset of one round of a block (`blokwerkset`)
"""

from engine.werkset.bericht import Verrekening, maak_werkset, maak_werkset_reeks, met_verrekening
from engine.werkset.blok import Blok, maak_blok
from engine.werkset.blokstand import Blokstand
from engine.werkset.blokwerkset import BLOKKOLOMMEN, Deel, blokwerkset
from engine.werkset.context import toewijzing_frame, vaste_toewijzingen
from engine.werkset.kolommen import AFWEZIGHEID_TYPE, SCHEMA

__all__ = [
    "AFWEZIGHEID_TYPE", "BLOKKOLOMMEN", "SCHEMA", "Blok", "Blokstand", "Deel", "Verrekening",
    "blokwerkset", "maak_blok", "maak_werkset", "maak_werkset_reeks", "met_verrekening",
    "toewijzing_frame", "vaste_toewijzingen",
]
