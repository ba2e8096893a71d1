"""The middle of a batch, in one process: its messages read in blocks, each block assessed
with every gemeente in its own lane, each answer written and summarised, in input order.

The blocks are the engine's (`engine.beoordeling.blokken`, of `PRESTATIES_PER_BLOK`
lines): a message is read when its block asks for it, a message that cannot be read counts
no lines and gets its 0001 answer in its place, and so does a message the message-level
checks refuse (`berichten.weigering`: 0001, 8848 or 9056 in the JW325's header)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from batch.fasen import Fasen
from batch.invoer import Invoer, lees_bericht, regionaam
from batch.standaarden import standaard_van
from batch.uitvoer import schrijf
from batch.verdeling import Baan, VerdelingFout, ontvanger_positie
from batch.verslag import Berichtuitkomst, berichtuitkomst
from berichten.fouten import BerichtFoutError
from berichten.ijw.jw323 import kop_uit
from berichten.ijw.standaard import IJW_3_2
from berichten.standaard import Standaard
from berichten.weigering import Weigering, weigering
from engine.backends.basis import Backend
from engine.beoordeling import Baan as Rijbaan
from engine.beoordeling import beoordeel_banen, blokken, pipeline, technisch_afgewezen
from engine.bsn import verberg_bsn
from engine.geheugen import zonder_gc
from engine.historie import GeheugenHistorie
from engine.ir import Regelboek
from engine.model import Context, Declaratie, DeclaratieBeoordeling, Historie, Prestatie

Melder = Callable[[int, Berichtuitkomst, "str | None"], None]
"""Told per message, in the order of its process: volgnummer, summary, 0001 message."""


@dataclass(frozen=True, slots=True)
class Opdracht:
    """What a process assesses: (volgnummer, file) in input order, and where it writes."""

    taken: list[tuple[int, Path]]
    stammen: list[str]
    uitvoer: Path
    formaat: str
    sleutels: list[Baan | None] | None = None
    """per volgnummer the (gemeente, provider) read from the header, checked against the
    message"""
    ouder: int = 0
    """the process a worker reports to"""
    historien: dict[str, GeheugenHistorie] | None = None
    """per gemeente the history to start from (`controleer --database`: the store's);
    None: an empty one"""
    vastleggen: bool = False
    """a worker sends each assessed message to its parent, which records it"""


@dataclass(frozen=True, slots=True)
class Gelezen:
    """A message as read: the declaration, or why it could not be read."""

    volgnummer: int
    pad: Path
    bericht: Declaratie | BerichtFoutError

    @property
    def prestaties(self) -> tuple[Prestatie, ...]:
        return self.bericht.prestaties if isinstance(self.bericht, Declaratie) else ()


def beoordeel_en_schrijf(invoer: Invoer, banen: dict[str, Context], opdracht: Opdracht,
                         backend: Backend, meld: Melder, meting: Fasen | None = None,
                         vastleggen: Callable[[DeclaratieBeoordeling], None] | None = None
                         ) -> None:
    """Read, assess and write the messages of `opdracht` in order, with a history per
    gemeente (`banen`: the Context of each gemeente of the region): fresh, or the one
    `opdracht.historien` starts from. `vastleggen` is told every assessed message."""
    meting = meting if meting is not None else Fasen(aan=False)
    historien: dict[str, Historie] = dict(opdracht.historien or {})
    antwoordstandaard: dict[int, Standaard] = {}
    gelezen = _gelezen(opdracht, meting, antwoordstandaard)
    with zonder_gc():
        # read at call time: tests make the blocks small (monkeypatch)
        for blok in blokken(gelezen, pipeline.PRESTATIES_PER_BLOK):
            uitkomsten = _beoordeel_blok(invoer, banen, blok, historien, backend)
            while True:
                with meting("beoordelen"):
                    uitkomst = next(uitkomsten, None)
                if uitkomst is None:
                    break
                volgnummer, pad, beoordeling, melding = uitkomst
                with meting("schrijven"):
                    schrijf(beoordeling, opdracht.uitvoer / opdracht.stammen[volgnummer],
                            opdracht.formaat, volgnummer, antwoordstandaard.pop(volgnummer))
                if vastleggen is not None:
                    with meting("vastleggen"):
                        vastleggen(beoordeling)
                meld(volgnummer, berichtuitkomst(pad, beoordeling), melding)
            gc.collect()


def _gelezen(opdracht: Opdracht, meting: Fasen, standaarden: dict[int, Standaard]
             ) -> Iterator[Gelezen]:
    """The messages read one by one (or a read error), each checked against the lane its
    header was split by; `standaarden` gets the standard each is answered in (its head is
    read once, here)."""
    for volgnummer, pad in opdracht.taken:
        standaard = IJW_3_2
        try:
            with meting("lezen"):
                standaard = standaard_van(pad)
                bericht: Declaratie | BerichtFoutError = lees_bericht(pad, standaard)
        except BerichtFoutError as fout:
            bericht = fout
        if (opdracht.sleutels is not None and isinstance(bericht, Declaratie)
                and (bericht.gemeente, bericht.aanbieder) != opdracht.sleutels[volgnummer]):
            raise VerdelingFout(str(pad))
        standaarden[volgnummer] = standaard
        yield Gelezen(volgnummer, pad, bericht)


def _beoordeel_blok(
    invoer: Invoer, banen: dict[str, Context], blok: list[Gelezen],
    historien: dict[str, Historie], backend: Backend,
) -> Iterator[tuple[int, Path, DeclaratieBeoordeling, str | None]]:
    """Assess a block in order, every gemeente in its own lane: its messages see its
    allocations and the messages of that gemeente before them (the history is per provider
    within it); the lanes' rounds go to the backend together (`beoordeel_banen`), so more
    gemeenten do not mean more backend calls. A message that could not be read, or is of a
    gemeente outside the region, gets its 0001 assessment in its place, with the message to
    show (BSNs masked: it goes to stderr and into the JW325). A message refused as a whole
    by the message-level checks (`berichten.weigering`, OP286) gets its code in the same
    way: it is left out of the lanes, so nothing of it is assessed or recorded."""
    per_baan: dict[str, list[Declaratie]] = {}
    weigeringen: dict[int, Weigering] = {}
    vandaag = date.today()
    for g in blok:
        if isinstance(g.bericht, Declaratie) and g.bericht.gemeente in banen:
            historie = historien.setdefault(g.bericht.gemeente, GeheugenHistorie())
            weigering = weigering_van(g.bericht, historie, vandaag)
            if weigering is not None:
                weigeringen[g.volgnummer] = weigering
                continue
            per_baan.setdefault(g.bericht.gemeente, []).append(g.bericht)
    beoordelingen: dict[str, Iterator[DeclaratieBeoordeling]] = {}
    for g in blok:
        bericht = g.bericht
        weigering = weigeringen.get(g.volgnummer)
        if weigering is not None and isinstance(bericht, Declaratie):
            melding = verberg_bsn(f"{g.pad}: {weigering.melding()}")
            yield (g.volgnummer, g.pad,
                   technisch_afgewezen(invoer.regelboek, _kop_van(bericht), melding,
                                       backend.naam, retourcodes=(weigering.retourcode,)),
                   melding)
            continue
        if isinstance(bericht, Declaratie) and bericht.gemeente in per_baan:
            if not beoordelingen:  # every lane at once, when the first is asked for
                beoordelingen = _beoordeel_banen(invoer.regelboek, per_baan, banen,
                                                 historien, backend)
            yield g.volgnummer, g.pad, next(beoordelingen[bericht.gemeente]), None
            continue
        kop, melding = _weigering(g, invoer.regelboek)
        yield (g.volgnummer, g.pad,
               technisch_afgewezen(invoer.regelboek, kop, melding, backend.naam), melding)


def weigering_van(declaratie: Declaratie, historie: Historie, vandaag: date
                  ) -> Weigering | None:
    """The message-level checks of one message (once per message): TR056 asks the lane's
    history (one per gemeente: so per sender and receiving gemeente), which then knows the
    identification of a message that passes (before the block is recorded, so a later
    message of the same block sees it). The contract test runner uses it too."""
    bekend = isinstance(historie, GeheugenHistorie) and historie.bekende_identificatie(
        declaratie.aanbieder, declaratie.bericht_identificatie)
    uitkomst = weigering(declaratie, vandaag, bekend)
    if uitkomst is None and isinstance(historie, GeheugenHistorie):
        historie.ken_identificatie(declaratie.aanbieder, declaratie.bericht_identificatie)
    return uitkomst


def _beoordeel_banen(regelboek: Regelboek, per_baan: dict[str, list[Declaratie]],
                     banen: dict[str, Context], historien: dict[str, Historie],
                     backend: Backend) -> dict[str, Iterator[DeclaratieBeoordeling]]:
    gemeenten = list(per_baan)
    uitkomsten = beoordeel_banen(regelboek, [
        Rijbaan(per_baan[g], banen[g], historien.setdefault(g, GeheugenHistorie()))
        for g in gemeenten], backend)
    return dict(zip(gemeenten, uitkomsten, strict=True))


def _weigering(g: Gelezen, regelboek: Regelboek) -> tuple[dict[str, str | None], str]:
    """The header and the (masked) message of a 0001 answer: a message that could not be
    read, or of a gemeente outside the region."""
    if isinstance(g.bericht, Declaratie):
        return _kop_van(g.bericht), verberg_bsn(_buiten_regio(g.pad, g.bericht, regelboek))
    fout = g.bericht
    melding = verberg_bsn(fout.locatie_tekst() if fout.bestand
                          else f"{g.pad}:{fout.locatie_tekst()}")
    return (kop_uit(g.pad) if g.pad.suffix.lower() == ".xml" else {}), melding


def _buiten_regio(pad: Path, declaratie: Declaratie, regelboek: Regelboek) -> str:
    """Why a message of a gemeente outside the region is refused, located at its
    Header/Ontvanger (line and column in an XML file, the field in JSON)."""
    if pad.suffix.lower() == ".json":
        plek = f"{pad}: gemeente"
    else:
        positie = ontvanger_positie(pad)
        plek = f"{pad}:{positie[0]}:{positie[1]}" if positie else str(pad)
    return (f"{plek}: de gemeente {declaratie.gemeente} (Ontvanger) hoort niet bij regio "
            f"{regionaam(regelboek)} (gemeenten {', '.join(regelboek.gemeenten)}); het "
            "bericht is niet voor deze regio en is niet beoordeeld")


def _kop_van(declaratie: Declaratie) -> dict[str, str | None]:
    """The header of a message that was read, as `technisch_afgewezen` takes it."""
    return {"aanbieder": declaratie.aanbieder, "gemeente": declaratie.gemeente,
            "identificatie": declaratie.bericht_identificatie,
            "dagtekening": declaratie.bericht_dagtekening.isoformat(),
            "declaratienummer": declaratie.declaratienummer}
