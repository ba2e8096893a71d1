"""A block of messages in rounds, one werkset per round (several lanes' rounds in one backend
call): a message goes as soon as the messages it depends on are final, which gives the same
outcome as one message after the other; then the block is recorded into the history."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from itertools import accumulate, chain, repeat

import polars as pl

from engine import ir
from engine.backends.basis import Backend, Treffer, evalueer
from engine.beoordeling.bericht import raakt_debetten
from engine.beoordeling.bewijs import ontvangstbewijs
from engine.beoordeling.indeling import Indeling, boek_van
from engine.beoordeling.rooster import Rooster
from engine.beoordeling.uitkomst import maak_beoordeling
from engine.model import Context, Declaratie, DeclaratieBeoordeling, Historie, Ontvangstbewijs
from engine.werkset import SCHEMA, Blok, Blokstand, Deel, Verrekening, blokwerkset, maak_blok


def beoordeel_blok(
    regelboek: ir.Regelboek,
    declaraties: list[Declaratie],
    context: Context,
    historie: Historie,
    backend: Backend,
) -> list[DeclaratieBeoordeling]:
    """Assess a block of messages, then record them into the history (in order)."""
    return beoordeel_blokken(regelboek, [(declaraties, context, historie)], backend)[0]


def beoordeel_blokken(
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
    with (`Rooster`): what it reads of the history is theirs. A round holds the first pass
    of every message whose predecessors are final and the second pass of the messages
    whose own approved credits change what their debits see (credits before debits); a
    message is final after its first pass, or after its second when it needs one."""

    def __init__(self, regelboek: ir.Regelboek, blok: Blok, stand: Blokstand,
                 backend: Backend) -> None:
        self.regelboek, self.blok, self.stand, self.backend = regelboek, blok, stand, backend
        self.boek = boek_van(regelboek)
        self.rooster = Rooster(blok, stand)
        self.uitslagen: list[DeclaratieBeoordeling | None] = [None] * len(blok.declaraties)
        self.posities: list[pl.Series] = []
        self.goed: list[pl.Series] = []
        self.bewijzen: dict[date, Ontvangstbewijs] = {}
        self._klaar: list[int] | None = None
        self._tweede: list[_Tweede] = []
        self._ronde: pl.DataFrame | None = None

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
    ) -> tuple[dict[int, tuple[Indeling, int]], list[_Tweede]]:
        """The messages final after their first pass (with their part), and those whose
        debits need a second."""
        definitief: dict[int, tuple[Indeling, int]] = {}
        tweede: list[_Tweede] = []
        for i, (b, (treffers, begin)) in enumerate(zip(berichten, per_deel, strict=False)):
            indeling = Indeling.maak(self.boek, self.blok.declaraties[b].prestaties,
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

    def _verrekening(self, bericht: int, indeling: Indeling) -> Verrekening | None:
        """The message's approved credits, when they change what its debits see."""
        prestaties = indeling.prestaties
        credits = [prestaties[rij] for rij, _ in self.blok.credits[bericht]
                   if not indeling.afgewezen(rij, prestaties[rij].bsn)]
        if not credits:
            return None
        verrekening = self.stand.verrekening(self.blok.declaraties[bericht], credits)
        return verrekening if raakt_debetten(verrekening, prestaties) else None

    def _samengevoegd(self, tweede: _Tweede, dan: list[Treffer], begin: int) -> Indeling:
        """The credits' firings of the first pass and the debits' of the second."""
        prestaties = self.blok.declaraties[tweede.bericht].prestaties
        eerst = tweede.begin
        treffers = [Treffer(t.rij - eerst, t.regel_id, t.waarden) for t in tweede.treffers
                    if prestaties[t.rij - eerst].debet_credit == "C"]
        treffers += [Treffer(t.rij - begin, t.regel_id, t.waarden) for t in dan
                     if prestaties[t.rij - begin].debet_credit == "D"]
        return Indeling.maak(self.boek, prestaties, treffers, 0)

    def _maak_af(self, definitief: dict[int, tuple[Indeling, int]],
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
            self.uitslagen[bericht] = maak_beoordeling(
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


def _afgewezen(rijen: pl.DataFrame, blok: Blok, definitief: dict[int, Indeling]) -> pl.Series:
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
