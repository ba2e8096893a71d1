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
Outcomes are `engine.model.Uitkomsten`: an
approved line's outcome is made when read, reasons are formatted when read.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import accumulate, chain, repeat
from typing import Any

import polars as pl

from batch.geheugen import zonder_gc
from engine import backends, ir
from engine.backends.basis import Backend, Treffer, evalueer
from engine.model import (
    Context,
    Declaratie,
    DeclaratieBeoordeling,
    Goedgekeurd,
    Historie,
    Ontvangstbewijs,
    Prestatie,
    PrestatieUitkomst,
    Reden,
    Uitkomsten,
    goedgekeurd_zonder_opmerking,
)
from engine.verplicht import aangevuld
from engine.waarden import toon_pad, toon_waarde, type_van, vul_uitleg
from engine.werkset import (
    SCHEMA,
    Blok,
    Blokstand,
    Deel,
    Verrekening,
    blokwerkset,
    maak_blok,
    maak_werkset_reeks,
    met_verrekening,
    vaste_toewijzingen,
)

CLIENT_AFGEWEZEN = "0233"


def engine_versie() -> str:
    """The installed version of regelwerk (for the receipt)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("regelwerk")
    except PackageNotFoundError:
        return "0.0.0"


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
    return _beoordeel_samen(aangevuld(regelboek), [declaratie], context, historie,
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
            klaar = _beoordeel_blok(regelboek, blok, context, historie, uitvoerder)
        yield from klaar


def blokken(declaraties: Iterable[Declaratie], prestaties: int) -> Iterator[list[Declaratie]]:
    blok: list[Declaratie] = []
    aantal = 0
    for declaratie in declaraties:
        blok.append(declaratie)
        aantal += len(declaratie.prestaties)
        if aantal >= prestaties:
            yield blok
            blok, aantal = [], 0
    if blok:
        yield blok


# ---------------------------------------------------------------- a block in rounds


def _beoordeel_blok(
    regelboek: ir.Regelboek,
    declaraties: list[Declaratie],
    context: Context,
    historie: Historie,
    backend: Backend,
) -> list[DeclaratieBeoordeling]:
    """Assess a block of messages, then record them into the history (in order)."""
    return _beoordeel_blokken(regelboek, [(declaraties, context, historie)], backend)[0]


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
            klaar = _beoordeel_blokken(
                regelboek, [(per_baan[i][k], banen[i].context, banen[i].historie)
                            for i in actief], uitvoerder)
        for i, beoordelingen in zip(actief, klaar, strict=True):
            uit[i].extend(beoordelingen)
    return [iter(lijst) for lijst in uit]


def _beoordeel_blokken(
    regelboek: ir.Regelboek,
    banen: list[tuple[list[Declaratie], Context, Historie]],
    backend: Backend,
) -> list[list[DeclaratieBeoordeling]]:
    """Assess a block of messages per lane, each lane in its own rounds but every round's
    werksets in one backend call; then record each lane into its history (in order)."""
    beoordelingen = []
    for declaraties, context, historie in banen:
        blok = maak_blok(declaraties, context, historie)
        beoordelingen.append(_Blokbeoordeling(regelboek, blok, Blokstand(blok, historie),
                                              backend))
    while True:
        rondes = [(b, ronde) for b in beoordelingen
                  if (ronde := b.volgende_ronde()) is not None]
        if not rondes:
            break
        groottes = [len(g) for _, (_, g) in rondes]
        werkset = _samen([werkset for _, (werkset, _) in rondes], groottes)
        per_deel = _per_deel(_treffers(backend, regelboek, werkset),
                             [n for _, (_, g) in rondes for n in g])
        for (beoordeling, _), (van, tot) in zip(rondes, itertools.pairwise(
                accumulate(groottes, initial=0)), strict=True):
            beoordeling.verwerk(per_deel[van:tot])
    uit = []
    for beoordeling, (declaraties, _, historie) in zip(beoordelingen, banen, strict=True):
        uitkomsten = beoordeling.uitslag()
        bulk = getattr(historie, "registreer_blok", None)
        if bulk is not None:
            bulk(declaraties, beoordeling.goedgekeurd)
        else:
            for uitkomst in uitkomsten:
                historie.registreer(uitkomst)
        uit.append(uitkomsten)
    return uit


def _samen(werksets: list[pl.DataFrame], delen: list[int]) -> pl.DataFrame:
    """The werksets of several lanes (with `delen` parts each) as one: their parts
    (`bericht`) and rows (`rij`) numbered on, lane after lane."""
    if len(werksets) == 1:
        return werksets[0]
    eerste = accumulate(delen, initial=0)
    samen = pl.concat([w.with_columns(pl.col("bericht") + e)
                       for w, e in zip(werksets, eerste, strict=False)])
    return samen.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("rij"))


class _Blokbeoordeling:
    """A block assessed in rounds, one werkset per round. A message waits for the earlier
    messages of its provider that it shares an allocation or a followed ReferentieNummer
    with (`_Rooster`): what it reads of the history is theirs. A round holds the first pass
    of every message whose predecessors are final and the second pass of the messages
    whose own approved credits change what their debits see (credits before debits); a
    message is final after its first pass, or after its second when it needs one."""

    def __init__(self, regelboek: ir.Regelboek, blok: Blok, stand: Blokstand,
                 backend: Backend) -> None:
        self.regelboek, self.blok, self.stand, self.backend = regelboek, blok, stand, backend
        self.boek = _boek(regelboek)
        self.rooster = _Rooster(blok, stand)
        self.uitslagen: list[DeclaratieBeoordeling | None] = [None] * len(blok.declaraties)
        self.posities: list[pl.Series] = []
        self.goed: list[pl.Series] = []
        self.bewijzen: dict[date, Ontvangstbewijs] = {}
        self._klaar: list[int] | None = None
        self._tweede: list[_Tweede] = []
        self._ronde: pl.DataFrame | None = None

    def beoordeel(self) -> list[DeclaratieBeoordeling]:
        while (ronde := self.volgende_ronde()) is not None:
            werkset, groottes = ronde
            treffers = _treffers(self.backend, self.regelboek, werkset)
            self.verwerk(_per_deel(treffers, groottes))
        return self.uitslag()

    def volgende_ronde(self) -> tuple[pl.DataFrame, list[int]] | None:
        """The werkset of the next round (`SCHEMA` columns, `bericht` numbering its parts)
        and the rows per part; None when every message is final. `verwerk` takes the
        firings of that werkset before the next round is asked for."""
        if self._klaar is None:
            self._klaar = self.rooster.begin()
        if not self._klaar and not self._tweede:
            return None
        delen = ([Deel(b) for b in self._klaar]
                 + [Deel(t.bericht, t.verrekening) for t in self._tweede])
        self._ronde = blokwerkset(self.blok, self.stand, delen)
        begin = self.blok.begin
        return (self._ronde.select(list(SCHEMA)),
                [begin[d.bericht + 1] - begin[d.bericht] for d in delen])

    def verwerk(self, per_deel: list[tuple[list[Treffer], int]]) -> None:
        """The firings of the round's werkset per part, with the part's first row there."""
        klaar, tweede, ronde = self._klaar or [], self._tweede, self._ronde
        assert ronde is not None
        definitief, nieuw = self._eerste_passen(klaar, per_deel)
        for i, (t, (dan, begin)) in enumerate(zip(tweede, per_deel[len(klaar):],
                                                  strict=True), len(klaar)):
            definitief[t.bericht] = (self._samengevoegd(t, dan, begin), i)
        self._tweede = nieuw
        self._klaar = self._maak_af(definitief, ronde)
        self._ronde = None

    def uitslag(self) -> list[DeclaratieBeoordeling]:
        uit = [u for u in self.uitslagen if u is not None]
        assert len(uit) == len(self.uitslagen), "een bericht bleef onbeoordeeld"
        return uit

    def _eerste_passen(
        self, berichten: list[int], per_deel: list[tuple[list[Treffer], int]]
    ) -> tuple[dict[int, tuple[_Indeling, int]], list[_Tweede]]:
        """The messages final after their first pass (with their part), and those whose
        debits need a second."""
        definitief: dict[int, tuple[_Indeling, int]] = {}
        tweede: list[_Tweede] = []
        for i, (b, (treffers, begin)) in enumerate(zip(berichten, per_deel, strict=False)):
            indeling = _Indeling.maak(self.boek, self.blok.declaraties[b].prestaties,
                                      treffers, begin)
            verrekening = self._verrekening(b, indeling)
            if verrekening is None:
                definitief[b] = (indeling, i)
            else:
                tweede.append(_Tweede(b, verrekening, treffers, begin))
        return definitief, tweede

    @property
    def goedgekeurd(self) -> pl.Series:
        """Per line of the block, in order: approved (once every message is final, each
        line was recorded exactly once)."""
        return pl.DataFrame({"p": pl.concat(self.posities), "g": pl.concat(self.goed)}).sort(
            "p")["g"]

    def _verrekening(self, bericht: int, indeling: _Indeling) -> Verrekening | None:
        """The message's approved credits, when they change what its debits see."""
        prestaties = indeling.prestaties
        credits = [prestaties[rij] for rij, _ in self.blok.credits[bericht]
                   if not indeling.afgewezen(rij, prestaties[rij].bsn)]
        if not credits:
            return None
        verrekening = self.stand.verrekening(self.blok.declaraties[bericht], credits)
        return verrekening if _raakt_debetten(verrekening, prestaties) else None

    def _samengevoegd(self, tweede: _Tweede, dan: list[Treffer], begin: int) -> _Indeling:
        """The credits' firings of the first pass and the debits' of the second."""
        prestaties = self.blok.declaraties[tweede.bericht].prestaties
        eerst = tweede.begin
        treffers = [Treffer(t.rij - eerst, t.regel_id, t.waarden) for t in tweede.treffers
                    if prestaties[t.rij - eerst].debet_credit == "C"]
        treffers += [Treffer(t.rij - begin, t.regel_id, t.waarden) for t in dan
                     if prestaties[t.rij - begin].debet_credit == "D"]
        return _Indeling.maak(self.boek, prestaties, treffers, 0)

    def _maak_af(self, definitief: dict[int, tuple[_Indeling, int]],
                 ronde: pl.DataFrame) -> list[int]:
        """Record the final messages of a round (their rows in `ronde`: part `bericht`) and
        make their outcome; the messages that may go next."""
        berichten = sorted(definitief)
        if not berichten:
            return []
        delen = pl.Series([definitief[b][1] for b in berichten], dtype=pl.Int64)
        rijen = ronde.select(
            "bericht", "_pos", "_bericht", "bsn", "is_credit", "_gid", "_kid", "_gevolgd",
            "geleverd_volume", "ingediend_bedrag").filter(pl.col("bericht").is_in(delen.implode()))
        indelingen = {b: indeling for b, (indeling, _) in definitief.items()}
        afgewezen = _afgewezen(rijen, self.blok, indelingen)
        volgorde = sorted(berichten, key=lambda b: definitief[b][1])  # as in `ronde`
        grootte = self.blok.begin
        begin = dict(zip(volgorde, accumulate(
            (grootte[b + 1] - grootte[b] for b in volgorde), initial=0), strict=False))
        self.stand.registreer(rijen, ~afgewezen, begin)
        self.posities.append(rijen["_pos"])
        self.goed.append(~afgewezen)
        teken = pl.when(pl.col("is_credit")).then(-1).otherwise(1)
        totalen = {b: (int(t), int(a)) for b, t, a in rijen.lazy().with_columns(
            afgewezen.alias("_af")).group_by("_bericht").agg(
            pl.when(~pl.col("_af")).then(pl.col("ingediend_bedrag") * teken).sum().alias("t"),
            pl.col("_af").sum().alias("a")).collect(engine="streaming").iter_rows()}
        for bericht in berichten:
            declaratie = self.blok.declaraties[bericht]
            self.uitslagen[bericht] = _beoordeling(
                self.regelboek, declaratie, indelingen[bericht], self._bewijs(declaratie),
                *totalen.get(bericht, (0, 0)))  # a message without lines has no rows
        return self.rooster.klaar(berichten)

    def _bewijs(self, declaratie: Declaratie) -> Ontvangstbewijs:
        bewijs = self.bewijzen.get(declaratie.declaratie_begindatum)
        if bewijs is None:
            bewijs = self.bewijzen[declaratie.declaratie_begindatum] = ontvangstbewijs(
                self.regelboek, declaratie, self.backend.naam)
        return bewijs


def _treffers(backend: Backend, regelboek: ir.Regelboek, werkset: pl.DataFrame
              ) -> list[Treffer]:
    return evalueer(backend, regelboek, werkset, beknopt=True)


def _per_deel(treffers: list[Treffer], groottes: list[int]
              ) -> list[tuple[list[Treffer], int]]:
    """The firings per part (consecutive parts of `groottes` rows each), with each part's
    first row."""
    deel_van = list(chain.from_iterable(map(repeat, range(len(groottes)), groottes)))
    per_deel: list[list[Treffer]] = [[] for _ in groottes]
    for treffer in treffers:
        per_deel[deel_van[treffer.rij]].append(treffer)
    return list(zip(per_deel, accumulate(groottes, initial=0), strict=False))


@dataclass(slots=True)
class _Tweede:
    """A message waiting for the second pass of its debits, with its first pass."""

    bericht: int
    verrekening: Verrekening
    treffers: list[Treffer]
    begin: int
    """the first row of the message in the first pass's werkset"""


def _afgewezen(rijen: pl.DataFrame, blok: Blok, definitief: dict[int, _Indeling]) -> pl.Series:
    """Per row of `rijen`: rejected (its own coded rejection, its client's or its
    declaration's)."""
    eigen = [blok.begin[b] + rij for b, i in definitief.items() for rij in i.gecodeerd]
    heel = [b for b, i in definitief.items() if i.afgewezen_bericht]
    clienten = [(b, bsn) for b, i in definitief.items() for bsn in i.afgewezen_clienten]
    afgewezen = (pl.col("_pos").is_in(pl.Series(eigen, dtype=pl.Int64).implode())
                 | pl.col("_bericht").is_in(pl.Series(heel, dtype=pl.Int32).implode()))
    if clienten:
        paren = pl.DataFrame(clienten, orient="row", schema={
            "_bericht": pl.Int32(), "bsn": pl.String()}).with_columns(pl.lit(True).alias("_c"))
        frame = rijen.join(paren, on=["_bericht", "bsn"], how="left", maintain_order="left")
        return frame.select(afgewezen | pl.col("_c").fill_null(False)).to_series()
    return rijen.select(afgewezen).to_series()


class _Rooster:
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


# ---------------------------------------------------------------- one message at a time


def _beoordeel_samen(
    regelboek: ir.Regelboek,
    declaraties: Sequence[Declaratie],
    context: Context,
    historie: Historie,
    backend: Backend,
) -> list[DeclaratieBeoordeling]:
    """Messages of different providers, each read against the history through `Historie`
    (one werkset per message for a backend that takes one message at a time)."""
    werksets = _werksets(declaraties, context, historie, backend)
    per_bericht = _evalueer(regelboek, werksets, backend)
    herzien: dict[int, Verrekening] = {}
    for k, declaratie in enumerate(declaraties):
        if any(p.debet_credit == "C" for p in declaratie.prestaties):
            verrekening = _verrekening(regelboek, declaratie, historie, per_bericht[k])
            if _raakt_debetten(verrekening, declaratie.prestaties):
                herzien[k] = verrekening
    if herzien:
        opnieuw = _evalueer(regelboek, _herziene_werksets(werksets, declaraties, historie,
                                                          herzien), backend)
        for k, treffers in zip(herzien, opnieuw, strict=True):
            prestaties = declaraties[k].prestaties
            credits = [t for t in per_bericht[k] if prestaties[t.rij].debet_credit == "C"]
            debets = [t for t in treffers if prestaties[t.rij].debet_credit == "D"]
            per_bericht[k] = credits + debets
    boek = _boek(regelboek)
    return [_beoordeling(regelboek, d, _Indeling.maak(boek, d.prestaties, per_bericht[k]),
                         ontvangstbewijs(regelboek, d, backend.naam))
            for k, d in enumerate(declaraties)]


@dataclass(slots=True)
class _Werkset:
    """A werkset and the messages it holds, in order."""

    frame: pl.DataFrame
    declaraties: list[Declaratie]


def _werksets(
    declaraties: Sequence[Declaratie], context: Context, historie: Historie, backend: Backend
) -> list[_Werkset]:
    """One werkset for all messages, or one per message for a backend that wants that."""
    if backend.vermogens.meerdere_berichten:
        return [_Werkset(maak_werkset_reeks(declaraties, context, historie), list(declaraties))]
    return [_Werkset(maak_werkset_reeks([d], context, historie), [d]) for d in declaraties]


def _herziene_werksets(
    werksets: list[_Werkset],
    declaraties: Sequence[Declaratie],
    historie: Historie,
    herzien: dict[int, Verrekening],
) -> list[_Werkset]:
    """The werksets of the messages in `herzien` (by position in `declaraties`, in order),
    with their history columns recomputed after their own approved credits."""
    uit: list[_Werkset] = []
    positie = 0
    for werkset in werksets:
        binnen = {k - positie: v for k, v in herzien.items()
                  if positie <= k < positie + len(werkset.declaraties)}
        positie += len(werkset.declaraties)
        if binnen:
            frame = met_verrekening(werkset.frame, werkset.declaraties, historie, binnen)
            uit.append(_Werkset(frame, [werkset.declaraties[i] for i in sorted(binnen)]))
    return uit


def _evalueer(
    regelboek: ir.Regelboek, werksets: list[_Werkset], backend: Backend
) -> list[list[Treffer]]:
    """The firings per message (over all werksets, in order), `rij` counted per message."""
    per_bericht: list[list[Treffer]] = []
    for werkset in werksets:
        begin = [0]
        for declaratie in werkset.declaraties:
            begin.append(begin[-1] + len(declaratie.prestaties))
        bericht_van = [k for k, d in enumerate(werkset.declaraties) for _ in d.prestaties]
        eigen: list[list[Treffer]] = [[] for _ in werkset.declaraties]
        treffers = evalueer(backend, regelboek, werkset.frame, beknopt=True)
        for treffer in treffers:
            k = bericht_van[treffer.rij]
            lokaal = treffer if begin[k] == 0 else Treffer(
                treffer.rij - begin[k], treffer.regel_id, treffer.waarden)
            eigen[k].append(lokaal)
        per_bericht.extend(eigen)
    return per_bericht


def _verrekening(
    regelboek: ir.Regelboek, declaratie: Declaratie, historie: Historie, treffers: list[Treffer]
) -> Verrekening:
    """What the approved credits of this message change for its debits."""
    indeling = _Indeling.maak(_boek(regelboek), declaratie.prestaties, treffers)
    credits = [
        p for rij, p in enumerate(declaratie.prestaties)
        if p.debet_credit == "C" and not indeling.afgewezen(rij, p.bsn)
    ]
    verrekening = Verrekening()
    vorige = [p.vorig_referentienummer for p in credits if p.vorig_referentienummer]
    debetten = historie.debetten(declaratie.aanbieder, vorige)
    for credit in credits:
        debet = debetten.get(credit.vorig_referentienummer or "")
        if debet is not None and not debet.gecrediteerd:
            verrekening.gecrediteerd.add(debet.referentienummer)
        oud = verrekening.per_toewijzing.get(credit.toewijzingnummer, Goedgekeurd())
        verrekening.per_toewijzing[credit.toewijzingnummer] = Goedgekeurd(
            oud.volume - credit.geleverd_volume, oud.bedrag - credit.ingediend_bedrag
        )
    return verrekening


def _raakt_debetten(verrekening: Verrekening, prestaties: Sequence[Prestatie]) -> bool:
    if not verrekening.gecrediteerd and not verrekening.per_toewijzing:
        return False
    return any(
        p.debet_credit == "D"
        and (bool(verrekening.gecrediteerd) or p.toewijzingnummer in verrekening.per_toewijzing)
        for p in prestaties
    )


# ---------------------------------------------------------------- which line is rejected why


_PRESTATIE, _CLIENT, _DECLARATIE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class _Boek:
    """What the pipeline needs to know of a rule book's rules, by rule id."""

    regels: dict[str, ir.Regel]
    index: dict[str, int]
    afwijzend: frozenset[str]
    """rules that reject"""
    soort: dict[str, tuple[int, bool, bool]]
    """per rule: level (_PRESTATIE, _CLIENT, _DECLARATIE), rejects, rejects with a retourcode
    (a line with only codeless rejections of its own stays approved)"""


_NIVEAUS = {"prestatie": _PRESTATIE, "client": _CLIENT}


def _boek(regelboek: ir.Regelboek) -> _Boek:
    return regelboek.afgeleid.geef("beoordeling.boek", lambda: _maak_boek(regelboek))


def _maak_boek(regelboek: ir.Regelboek) -> _Boek:
    regels = {regel.id: regel for regel in regelboek.regels}
    afwijzend = frozenset(i for i, r in regels.items() if r.soort == "afwijzen")
    soort = {i: (_NIVEAUS.get(r.niveau, _DECLARATIE), i in afwijzend,
                 i in afwijzend and bool(r.retourcode)) for i, r in regels.items()}
    return _Boek(regels, {regel.id: i for i, regel in enumerate(regelboek.regels)},
                 afwijzend, soort)


@dataclass(slots=True)
class _Indeling:
    """The firings of one message sorted by level: per line, per client, for the
    declaration. A firing's line is `treffer.rij - verschuiving`."""

    boek: _Boek
    prestaties: Sequence[Prestatie]
    verschuiving: int
    per_rij: dict[int, list[Treffer]] = field(default_factory=dict)
    per_client: dict[str, list[Treffer]] = field(default_factory=dict)
    declaratie: list[Treffer] = field(default_factory=list)
    afgewezen_rijen: set[int] = field(default_factory=set)
    """lines with a rejecting firing of their own"""
    gecodeerd: set[int] = field(default_factory=set)
    """lines with a rejecting firing of their own that has a retourcode"""
    afgewezen_clienten: set[str] = field(default_factory=set)
    afgewezen_bericht: bool = False

    @staticmethod
    def maak(boek: _Boek, prestaties: Sequence[Prestatie], treffers: Iterable[Treffer],
             verschuiving: int = 0) -> _Indeling:
        indeling = _Indeling(boek, prestaties, verschuiving)
        soorten, aantal = boek.soort, len(prestaties)
        for treffer in treffers:
            soort = soorten.get(treffer.regel_id)
            rij = treffer.rij - verschuiving
            if soort is None or not 0 <= rij < aantal:
                continue
            niveau, afwijzend, gecodeerd = soort
            if niveau == _PRESTATIE:
                indeling.per_rij.setdefault(rij, []).append(treffer)
                if afwijzend:
                    indeling.afgewezen_rijen.add(rij)
                    if gecodeerd:
                        indeling.gecodeerd.add(rij)
            elif niveau == _CLIENT:
                bsn = prestaties[rij].bsn
                indeling.per_client.setdefault(bsn, []).append(treffer)
                if afwijzend:
                    indeling.afgewezen_clienten.add(bsn)
            else:
                indeling.declaratie.append(treffer)
                indeling.afgewezen_bericht |= afwijzend
        return indeling

    def prestatie(self, treffer: Treffer) -> Prestatie:
        return self.prestaties[treffer.rij - self.verschuiving]

    def afwijzend(self, treffers: Iterable[Treffer]) -> list[Treffer]:
        return [t for t in treffers if t.regel_id in self.boek.afwijzend]

    def afgewezen(self, rij: int, bsn: str) -> bool:
        """The line has a rejecting firing, of its own, its client's or the declaration's."""
        return (rij in self.afgewezen_rijen or bsn in self.afgewezen_clienten
                or self.afgewezen_bericht)

    def status_afgewezen(self, rij: int, bsn: str) -> bool:
        """The line's outcome is a rejection (its own needs a retourcode)."""
        return rij in self.gecodeerd or bsn in self.afgewezen_clienten or self.afgewezen_bericht

    def client_codes(self, bsn: str) -> tuple[str, ...]:
        """The codes of the client's rejecting rules, in the rule book's order."""
        regels = {t.regel_id for t in self.afwijzend(self.per_client.get(bsn, ()))}
        volgorde = sorted(regels, key=self.boek.index.__getitem__)
        return tuple(dict.fromkeys(c for c in (self.boek.regels[r].retourcode for r in volgorde)
                                   if c))


# ---------------------------------------------------------------- the outcome


def _beoordeling(
    regelboek: ir.Regelboek,
    declaratie: Declaratie,
    indeling: _Indeling,
    bewijs: Ontvangstbewijs,
    toegekend: int | None = None,
    aantal_afgewezen: int | None = None,
) -> DeclaratieBeoordeling:
    """The assessment of a message from its firings: the group-level parts now, the lines
    when they are read (`engine.model.Uitkomsten`). `toegekend` and `aantal_afgewezen` are
    computed here unless the caller has them."""
    redenen = _Redenen(regelboek, indeling)
    declaratie_redenen = redenen.groep(indeling.afwijzend(indeling.declaratie))
    if toegekend is None or aantal_afgewezen is None:
        toegekend, aantal_afgewezen = _totalen(indeling)
    maker = _Uitkomstmaker(indeling, redenen, tuple(declaratie_redenen))
    uitkomsten = Uitkomsten(declaratie.prestaties, indeling.per_rij, indeling.afgewezen_clienten,
                            indeling.afgewezen_bericht, maker, aantal_afgewezen)
    return DeclaratieBeoordeling(
        declaratie=declaratie,
        retourcodes=_codes(declaratie_redenen),
        redenen=tuple(declaratie_redenen),
        client_retourcodes={bsn: indeling.client_codes(bsn)
                            for bsn in sorted(indeling.afgewezen_clienten)},
        uitkomsten=uitkomsten,
        signalen=_groepsignalen(indeling, redenen),
        totaal_toegekend=toegekend,
        ontvangstbewijs=bewijs,
    )


def _totalen(indeling: _Indeling) -> tuple[int, int]:
    """The approved amount (signed) and the number of rejected lines."""
    toegekend = afgewezen = 0
    for rij, p in enumerate(indeling.prestaties):
        if indeling.status_afgewezen(rij, p.bsn):
            afgewezen += 1
        else:
            toegekend += _getekend(p)
    return toegekend, afgewezen


class _Uitkomstmaker:
    """The outcome of a line with findings (or of a rejected client or declaration), made
    when it is read and kept."""

    def __init__(self, indeling: _Indeling, redenen: _Redenen,
                 declaratie_redenen: tuple[Reden, ...]) -> None:
        self.indeling = indeling
        self.redenen = redenen
        self.declaratie_redenen = declaratie_redenen
        self.gemaakt: dict[int, PrestatieUitkomst] = {}
        self.clienten: dict[str, tuple[Reden, ...]] = {}

    def __call__(self, rij: int) -> PrestatieUitkomst:
        uitkomst = self.gemaakt.get(rij)
        if uitkomst is None:
            uitkomst = self.gemaakt[rij] = self._maak(rij)
        return uitkomst

    def _client(self, bsn: str) -> tuple[Reden, ...]:
        if bsn not in self.indeling.afgewezen_clienten:
            return ()
        redenen = self.clienten.get(bsn)
        if redenen is None:
            lijst = self.indeling.afwijzend(self.indeling.per_client[bsn])
            redenen = self.clienten[bsn] = tuple(self.redenen.groep(lijst))
        return redenen

    def _maak(self, rij: int) -> PrestatieUitkomst:
        prestatie = self.indeling.prestaties[rij]
        client_redenen = self._client(prestatie.bsn)
        eigen = self.indeling.per_rij.get(rij)
        if eigen is None and not self.declaratie_redenen and not client_redenen:
            return goedgekeurd_zonder_opmerking(prestatie)
        eigen = eigen or []
        afwijzing = self.redenen.lijst(self.indeling.afwijzend(eigen))
        signalen = self.redenen.lijst([t for t in eigen
                                       if t.regel_id not in self.indeling.boek.afwijzend])
        codes = list(_codes(afwijzing))
        if self.declaratie_redenen or client_redenen:
            # The line is not assessed when its client or declaration is rejected (0233): its
            # own findings would be codes the provider cannot act on; the group's reason
            # explains.
            codes = [CLIENT_AFGEWEZEN]
            afwijzing = [*client_redenen, *self.declaratie_redenen]
        if not codes:
            return PrestatieUitkomst(prestatie.volgnummer, prestatie.referentienummer,
                                     prestatie.bsn, "goedgekeurd", (), (), tuple(signalen),
                                     _getekend(prestatie))
        return PrestatieUitkomst(prestatie.volgnummer, prestatie.referentienummer, prestatie.bsn,
                                 "afgewezen", tuple(dict.fromkeys(codes)), tuple(afwijzing),
                                 tuple(signalen), 0)


def _getekend(prestatie: Prestatie) -> int:
    """The line's amount, negative for a credit."""
    bedrag = prestatie.ingediend_bedrag
    return bedrag if prestatie.debet_credit == "D" else -bedrag


def _codes(redenen: Iterable[Reden]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.retourcode for r in redenen if r.retourcode))


def _groepsignalen(indeling: _Indeling, redenen: _Redenen) -> tuple[Reden, ...]:
    groepen = [*indeling.per_client.values(), indeling.declaratie]
    afwijzend = indeling.boek.afwijzend
    signalen = [t for lijst in groepen for t in lijst if t.regel_id not in afwijzend]
    per_client: dict[tuple[str, str], list[Treffer]] = {}
    for treffer in signalen:
        sleutel = (treffer.regel_id, indeling.prestatie(treffer).bsn
                   if indeling.boek.regels[treffer.regel_id].niveau == "client" else "")
        per_client.setdefault(sleutel, []).append(treffer)
    return tuple(redenen.groep(lijst)[0] for _, lijst in sorted(per_client.items()))


class _Redenen:
    """Turns firings into `Reden`s: values formatted for people, uitleg filled in."""

    def __init__(self, regelboek: ir.Regelboek, indeling: _Indeling) -> None:
        self.regelboek = regelboek
        self.indeling = indeling

    def reden(self, treffer: Treffer) -> Reden:
        regel = self.indeling.boek.regels[treffer.regel_id]
        typen = _waardetypen(self.regelboek, regel)
        waarden = {
            naam: toon_waarde(waarde, typen.get(naam)) for naam, waarde in treffer.waarden
        }
        return Reden(
            retourcode=regel.retourcode,
            artikel=regel.artikel,
            lid=regel.lid,
            regel=regel.naam,
            regel_id=regel.id,
            uitleg=vul_uitleg(regel.uitleg, waarden),
            waarden=waarden,
            bron=_bron(regel.bron.bestand, regel.bron.line, os.getcwd()),
        )

    def lijst(self, treffers: Iterable[Treffer]) -> list[Reden]:
        """One reason per rule, in the rule book's order."""
        per_regel: dict[str, Treffer] = {}
        for treffer in treffers:
            per_regel.setdefault(treffer.regel_id, treffer)
        volgorde = sorted(per_regel, key=self.indeling.boek.index.__getitem__)
        return [self.reden(per_regel[regel_id]) for regel_id in volgorde]

    def groep(self, treffers: Iterable[Treffer]) -> list[Reden]:
        """Like `lijst`, for a client or declaration: per rule the firing of the line that
        sorts first by ReferentieNummer, so the reason does not depend on the line order."""
        gekozen: dict[str, Treffer] = {}
        for treffer in treffers:
            huidig = gekozen.get(treffer.regel_id)
            if huidig is None or self._sleutel(treffer) < self._sleutel(huidig):
                gekozen[treffer.regel_id] = treffer
        return self.lijst(gekozen.values())

    def _sleutel(self, treffer: Treffer) -> tuple[str, str]:
        return (self.indeling.prestatie(treffer).referentienummer, repr(treffer.waarden))


def _waardetypen(regelboek: ir.Regelboek, regel: ir.Regel) -> dict[str, ir.Type]:
    return regelboek.afgeleid.geef(("beoordeling.waardetypen", regel.id), lambda: {
        naam: type_van(e, regelboek) for naam, e in regel.waarden})


@lru_cache(maxsize=4096)
def _bron(bestand: str, line: int, werkmap: str) -> str:
    """file:line of a rule as `toon_pad` shows it (resolving a path asks the file system:
    once per rule and working directory, not once per reason)."""
    return f"{toon_pad(bestand)}:{line}"


@lru_cache(maxsize=1)
def _versie() -> str:
    return engine_versie()


def ontvangstbewijs(
    regelboek: ir.Regelboek, declaratie: Declaratie, backend: str
) -> Ontvangstbewijs:
    """The receipt: which rule set, which articles in force on the peildatum, which engine."""
    peildatum = declaratie.declaratie_begindatum
    artikelen = tuple(a.nummer for a in regelboek.artikelen if a.geldig.geldt_op(peildatum))
    return Ontvangstbewijs(regelboek.hash, artikelen, peildatum, _versie(), backend)


def technisch_afgewezen(
    regelboek: ir.Regelboek,
    kop: dict[str, str | None],
    fout: str,
    backend: str = backends.STANDAARD,
    vandaag: date | None = None,
) -> DeclaratieBeoordeling:
    """The assessment of a message that failed its schema: nothing assessed, answered with
    0001 (`berichten.ijw.jw325.schrijf_jw325` sees `technische_fout`). `kop` is the best-effort
    header of `berichten.ijw.jw323.kop_uit`; what is missing stays empty."""
    dag = vandaag or date.today()
    dagtekening = _datum_of(kop.get("dagtekening"), dag)
    declaratie = Declaratie(
        aanbieder=kop.get("aanbieder") or "", gemeente=kop.get("gemeente") or "",
        bericht_identificatie=kop.get("identificatie") or "", bericht_dagtekening=dagtekening,
        declaratienummer=kop.get("declaratienummer") or "", declaratie_begindatum=dagtekening,
        declaratie_einddatum=dagtekening, declaratiedagtekening=dagtekening,
        totaal_ingediend=0, prestaties=(),
    )
    bewijs = Ontvangstbewijs(regelboek.hash, (), dagtekening, _versie(), backend)
    return DeclaratieBeoordeling(declaratie, (), (), {}, (), (), 0, bewijs, technische_fout=fout)


def _datum_of(tekst: str | None, anders: date) -> date:
    try:
        return date.fromisoformat(tekst or "")
    except ValueError:
        return anders
