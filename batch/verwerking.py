"""The one place where a batch is put together: read -> assess -> record -> write.

`controleer` is the whole run of `regelwerk controleer` (and what the bench measures end to
end): every input read and checked first (`batch.invoer`), then the messages assessed in
input order, in this process or split by lane over workers (`batch.werkers`), each answer
written (`batch.uitvoer`), a summary per message in the `Verslag`. Messages are processed
as a back office receives them: each sees the history of the ones before it in its lane.

For messages already in memory, one at a time: `beoordeel_bericht` (the service, which
records into its database itself) and `beoordeel_en_registreer` (the contract test runner,
recording into a history in memory); `beoordeel_op_volgorde` for a sequence (the bench's
engine measurement)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from batch.beoordelen import Opdracht, beoordeel_en_schrijf
from batch.fasen import Fasen, Voortgang
from batch.fouten import InvoerError
from batch.invoer import Invoer, lees_invoer
from batch.melding import meld
from batch.processen import beeindigd, bij_sigterm
from batch.standaarden import standaard_van_de_batch
from batch.toewijzingen import Inventarisatie
from batch.uitvoer import stammen
from batch.vastlegging import Vastlegging
from batch.verdeling import VerdelingFout, verdeel
from batch.verslag import Berichtuitkomst, Verslag
from batch.werkers import verwerk_parallel
from engine import backends
from engine.backends.basis import Backend
from engine.beoordeling import beoordeel, beoordeel_reeks
from engine.ir import Regelboek
from engine.model import Context, Declaratie, DeclaratieBeoordeling, Historie
from opslag.grootboek import afwezigheidsperioden


def controleer(berichten: list[Path], contract: Path, toewijzingen: Path,
               aanwezigheid: Path | None, uitvoer: Path, formaat: str, backendnaam: str,
               fasen: Fasen, database: str | None = None) -> Verslag:
    """Check JW323 files against a region's contract and write their JW325s (and
    explanations, `formaat` json or tekst) into `uitvoer`. Bad input is an InvoerError
    before anything is assessed; a worker that failed a WerkerError. With `database` (a
    SQLAlchemy URL) the history comes from that store and everything assessed is recorded
    there, in one transaction (`batch.vastlegging`)."""
    vorige = bij_sigterm(beeindigd)  # so that `finally` stops the helper processes
    inventarisatie = Inventarisatie.start(toewijzingen)
    try:
        invoer = lees_invoer(berichten, contract, toewijzingen, aanwezigheid, uitvoer,
                             inventarisatie, fasen)
        if database is None:
            return verwerk(invoer, berichten, uitvoer, formaat, backendnaam, fasen)
        with fasen("database"):
            vastlegging = Vastlegging.open(
                database, contract.resolve().name,
                standaard_van_de_batch(berichten, invoer.regelboek).wet,
                invoer.regelboek.gemeenten, berichten)
            vastlegging.perioden = afwezigheidsperioden(invoer.afwezigheden)
        gelukt = False
        try:
            verslag = verwerk(invoer, berichten, uitvoer, formaat, backendnaam, fasen,
                              vastlegging)
            gelukt = True
        finally:
            with fasen("vastleggen"):
                vastlegging.sluit(gelukt)
        return verslag
    finally:
        inventarisatie.stop()
        bij_sigterm(vorige)


def verwerk(invoer: Invoer, berichten: list[Path], uitvoer: Path, formaat: str,
            backendnaam: str, fasen: Fasen, vastlegging: Vastlegging | None = None
            ) -> Verslag:
    """Assess and write every message, split over workers when that pays; with
    `vastlegging`, recorded in its store."""
    try:
        backend = backends.kies(backendnaam)
    except ImportError:
        raise InvoerError(f"de backend '{backendnaam}' is niet beschikbaar") from None
    verslag = Verslag(uitvoer=uitvoer)
    begin = time.perf_counter()
    opdracht = Opdracht(list(enumerate(berichten)), stammen(berichten), uitvoer, formaat,
                        historien=vastlegging.historien if vastlegging else None)
    vastleggen = vastlegging.leg_vast if vastlegging else None
    with fasen("verdelen"):
        verdeling = verdeel(berichten)
    if verdeling is not None:
        punt = vastlegging.sessie.begin_nested() if vastlegging else None
        try:
            with fasen("werkers"):
                verwerk_parallel(invoer, opdracht, verdeling, backend, verslag, begin,
                                 meten=fasen.aan, vastleggen=vastleggen)
        except VerdelingFout:
            verslag = Verslag(uitvoer=uitvoer)  # a header misread: once more, in one process
            verdeling = None
            if punt is not None:
                punt.rollback()  # what the workers sent is assessed and recorded again
        else:
            if punt is not None:
                punt.commit()
    if verdeling is None:
        with fasen("beoordelen"):
            _verwerk_hier(invoer, opdracht, backend, verslag, begin, vastleggen)
    verslag.seconden = time.perf_counter() - begin
    return verslag


def _verwerk_hier(invoer: Invoer, opdracht: Opdracht, backend: Backend, verslag: Verslag,
                  begin: float,
                  vastleggen: Callable[[DeclaratieBeoordeling], None] | None = None) -> None:
    """Everything in this process, in input order."""
    with Voortgang(len(opdracht.taken)) as voortgang:
        def gemeld(volgnummer: int, uitkomst: Berichtuitkomst, melding: str | None) -> None:
            if melding is not None:
                meld(f"technisch afgewezen ({uitkomst.codes}): {melding}")
                verslag.technisch_afgewezen.append(str(opdracht.taken[volgnummer][1]))
            verslag.uitkomsten.append(uitkomst)
            voortgang.stap(time.perf_counter() - begin)

        beoordeel_en_schrijf(invoer, invoer.banen(), opdracht, backend, gemeld,
                             vastleggen=vastleggen)


# ---------------------------------------------------------------- messages in memory


def beoordeel_bericht(regelboek: Regelboek, declaratie: Declaratie, context: Context,
                      historie: Historie, backend: str | Backend = backends.STANDAARD,
                      ) -> DeclaratieBeoordeling:
    """One message against its allocations and history; the history is read, not written
    (the caller records the assessment where it keeps its history)."""
    return beoordeel(regelboek, declaratie, context, historie, backend)


def beoordeel_en_registreer(regelboek: Regelboek, declaratie: Declaratie, context: Context,
                            historie: Historie, backend: str | Backend = backends.STANDAARD,
                            ) -> DeclaratieBeoordeling:
    """One message, then recorded into `historie`: the next one sees it."""
    beoordeling = beoordeel_bericht(regelboek, declaratie, context, historie, backend)
    historie.registreer(beoordeling)
    return beoordeling


def beoordeel_op_volgorde(regelboek: Regelboek, declaraties: Iterable[Declaratie],
                          context: Context, historie: Historie,
                          backend: str | Backend = backends.STANDAARD,
                          ) -> Iterator[DeclaratieBeoordeling]:
    """Messages in order, each recorded into `historie` (in blocks where the backend
    takes several messages at once: the same outcome as one by one)."""
    return beoordeel_reeks(regelboek, declaraties, context, historie, backend)
