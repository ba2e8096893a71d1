"""A large batch over worker processes: one forked worker per part of the split
(`batch.verdeling`); each reads, assesses and writes its own messages in order
(`batch.beoordelen`) and reports each summary; this process collects them in input order.
The outputs are the same bytes as when one process does everything."""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, cast

from batch.beoordelen import Opdracht, beoordeel_en_schrijf
from batch.fasen import Fasen, Geheugen, Voortgang
from batch.fouten import InvoerError, WerkerError
from batch.invoer import Invoer
from batch.melding import meld
from batch.processen import als_hulpproces, foutnaam, signalen_uitgesteld, spoel, stuur
from batch.verdeling import Verdeling, VerdelingFout
from batch.verslag import Berichtuitkomst, Verslag
from engine.backends.basis import Backend
from engine.geheugen import zonder_gc
from engine.model import DeclaratieBeoordeling
from opslag.historie import Registratie, registratie

Vastlegger = Callable[[DeclaratieBeoordeling | Registratie], None]
"""records an assessed message, or the registration a worker made of one"""

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess


def verwerk_parallel(invoer: Invoer, opdracht: Opdracht, verdeling: Verdeling,
                     backend: Backend, verslag: Verslag, begin: float,
                     meten: bool = False,
                     vastleggen: Vastlegger | None = None
                     ) -> None:
    """One worker process per part; the summaries and 0001 messages in input order."""
    context = multiprocessing.get_context("fork")
    werkers: list[tuple[BaseProcess, Connection]] = []
    spoel()
    gc.collect()
    gc.freeze()  # what the workers inherit stays shared: no collection there touches it
    try:
        for deel in verdeling.delen:
            ontvanger, zender = context.Pipe(duplex=False)
            eigen = Opdracht([opdracht.taken[i] for i in deel], opdracht.stammen,
                             opdracht.uitvoer, opdracht.formaat, verdeling.sleutels,
                             ouder=os.getpid(), historien=opdracht.historien,
                             vastleggen=vastleggen is not None)
            werker = context.Process(target=werk, args=(invoer, eigen, backend, zender),
                                     daemon=True)
            with signalen_uitgesteld():
                werker.start()
            zender.close()  # so the parent sees the end of the pipe when the worker dies
            werkers.append((werker, ontvanger))
        meter = Geheugen([os.getpid(), *(w.pid for w, _ in werkers if w.pid)]) if meten \
            else None
        with zonder_gc():
            _verzamel([verbinding for _, verbinding in werkers], opdracht, verslag, begin,
                      meter, vastleggen)
        if meter is not None:
            verslag.samen_piek_kib = meter.piek_kib
    finally:
        gc.unfreeze()
        for proces, verbinding in werkers:
            if proces.is_alive():
                proces.terminate()
            proces.join()
            verbinding.close()


def _verzamel(verbindingen: list[Connection], opdracht: Opdracht, verslag: Verslag,
              begin: float, meter: Geheugen | None = None,
              vastleggen: Vastlegger | None = None) -> None:
    uitkomsten: list[Berichtuitkomst | None] = [None] * len(opdracht.taken)
    meldingen: dict[int, str] = {}
    open_ = list(verbindingen)
    with Voortgang(len(opdracht.taken)) as voortgang:
        while open_:
            if meter is not None:
                meter.meet()
            for klaar in wait(open_, timeout=None if meter is None else Geheugen.STAP):
                verbinding = cast("Connection", klaar)
                if _ontvang(verbinding, uitkomsten, meldingen, verslag, vastleggen):
                    open_.remove(verbinding)
                else:
                    voortgang.stap(time.perf_counter() - begin)
    if any(uitkomst is None for uitkomst in uitkomsten):
        raise WerkerError("een werkproces heeft niet alle berichten verwerkt")
    verslag.uitkomsten = [uitkomst for uitkomst in uitkomsten if uitkomst is not None]
    for volgnummer in sorted(meldingen):  # after all: a rerun in one process repeats none
        meld(f"technisch afgewezen ({verslag.uitkomsten[volgnummer].codes}): "
             f"{meldingen[volgnummer]}")
        verslag.technisch_afgewezen.append(str(opdracht.taken[volgnummer][1]))


def _ontvang(verbinding: Connection, uitkomsten: list[Berichtuitkomst | None],
             meldingen: dict[int, str], verslag: Verslag,
             vastleggen: Vastlegger | None = None) -> bool:
    """Handle one report of a worker; True when that worker is done."""
    try:
        bericht = verbinding.recv()
    except (EOFError, OSError):
        raise WerkerError("een werkproces is onverwacht gestopt") from None
    soort = bericht[0]
    if soort == "vastleggen" and vastleggen is not None:
        vastleggen(bericht[1])
        return False
    if soort == "bericht":
        _, volgnummer, uitkomst, melding = bericht
        uitkomsten[volgnummer] = uitkomst
        if melding is not None:
            meldingen[volgnummer] = melding
        return False
    if soort == "klaar":
        verslag.processen.append(bericht[1])
        return True
    if soort == "verdeling":
        raise VerdelingFout(bericht[1])
    if soort == "invoer":
        raise InvoerError(bericht[1])
    raise WerkerError(f"een werkproces stopte met een interne fout ({bericht[1]})")


def werk(invoer: Invoer, opdracht: Opdracht, backend: Backend, zender: Connection) -> None:
    """A worker: its own messages in order, with its own history. It reports each message
    to the parent and ends with its phases and peak memory; never a traceback."""
    meting = Fasen(aan=True)
    als_hulpproces(opdracht.ouder)
    try:
        kop = opdracht.sleutels or []
        eigen = {s[1] for s in (kop[i] for i, _ in opdracht.taken) if s is not None}
        # a quarter of a million allocation objects, no cycles: without collections, which
        # would walk (and, forked, copy) the parent's whole heap again and again
        with meting("toewijzingen"), zonder_gc():
            banen = invoer.banen(eigen)

        def meld_ouder(volgnummer: int, uitkomst: Berichtuitkomst, melding: str | None) -> None:
            zender.send(("bericht", volgnummer, uitkomst, melding))

        def vastleggen(beoordeling: DeclaratieBeoordeling) -> None:
            if beoordeling.technische_fout is None:  # a refused message is not recorded
                with meting("registratie"):
                    gemaakt = registratie(beoordeling)
                zender.send(("vastleggen", gemaakt))

        beoordeel_en_schrijf(invoer, banen, opdracht, backend, meld_ouder, meting,
                             vastleggen if opdracht.vastleggen else None)
        zender.send(("klaar", meting.verslag(len(opdracht.taken))))
    except VerdelingFout as fout:
        stuur(zender, ("verdeling", str(fout)))
    except InvoerError as fout:  # a file that could not be written: named by the parent
        stuur(zender, ("invoer", str(fout)))
    except BaseException as fout:  # reported by the parent, in Dutch, with exit code 3
        stuur(zender, ("fout", foutnaam(fout)))
    finally:
        zender.close()
