"""The assessment pipeline: a JW323 message in, a `DeclaratieBeoordeling` out.

    werkset (engine.werkset) -> backend.evalueer (which rules fire where) -> outcome

Credits are processed before debits: the credits are decided first, and when approved
credits of the message clear earlier debits or lower the approved volume of an allocation,
the debits are assessed again on a werkset that knows it. Rules at client or declaration
level reject the whole client (its lines get 0233) or declaration (every line gets 0233).
A line is approved or rejected whole; every incoming line gets an outcome, in input order.
The decision for a line depends only on the message, the context and the history, never
on the order of clients or lines in the file. `beoordeel` does not record into the history;
`beoordeel_reeks` does, message by message.

Fail closed. A line is approved only when every mandatory check had a version in force for
its care date and said yes: a rule that is not in force on a date says nothing, and saying
nothing must never mean approving. The national iJw checks have no lower bound (they describe
the message, not a contract year); a date outside the contract's period, or in a gap between
the versions of a rejecting rule (or of a standard rule over the contract period), is closed
by rules that `engine.verplicht.aangevuld` adds to the rule book before any backend sees it,
so the vectorized backend, the rete backend and the scalar reference decide it alike. A line
without a contract tariff is rejected by the national 0611 rule, which applies on every date.

`beoordeel_reeks` with a backend that takes several messages per werkset works per block
of messages, columnar: the lines of the whole block are made into one frame once
(`engine.werkset.maak_blok`), the history as the block's messages see it is kept in
`engine.werkset.Blokstand`, and the messages are assessed in rounds (`_Blokbeoordeling`):
a message goes as soon as the earlier messages it depends on are final, which gives the
same outcome as one message after the other. `beoordeel_banen` does that for several lanes
(messages with their own allocations and history, e.g. one gemeente each) at once: each
lane in its own rounds, every round's werksets of all lanes in one backend call.
Outcomes are `engine.model.Uitkomsten`: an approved line's outcome is made when read,
reasons are formatted when read.

    pipeline   the entry points: `beoordeel`, `beoordeel_reeks`, `beoordeel_banen`
    blok       a block in rounds (`_Blokbeoordeling`)
    rooster    which message of a block may go when
    bericht    one message at a time, against a `Historie`
    indeling   which line is rejected why
    uitkomst   the outcome: reasons, codes, each line's `PrestatieUitkomst`
    bewijs     the receipt, and the answer to a message that failed its schema
"""

from engine.beoordeling.bewijs import technisch_afgewezen
from engine.beoordeling.pipeline import (
    PRESTATIES_PER_BLOK,
    Baan,
    beoordeel,
    beoordeel_banen,
    beoordeel_reeks,
    blokken,
)

__all__ = [
    "PRESTATIES_PER_BLOK", "Baan", "beoordeel", "beoordeel_banen", "beoordeel_reeks",
    "blokken", "technisch_afgewezen",
]
