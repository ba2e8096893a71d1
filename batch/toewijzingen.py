"""The allocations of a batch: a JW301 file, or a folder of them kept parsed in a cache.

A region has a JW301 per client (a month of a million lines: a quarter of a million files).
The folder is listed by a helper process while the contract loads (`Inventarisatie`); the
files the cache lacks are read by one process per core (`lees_jw301_kolommen`), and that
reading itself runs in a helper process (`apart`) so its memory goes back to the system
before the workers start. Every file is read: the ones that cannot be are named together
(`ToewijzingFoutenError`)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from batch import toewijzing_cache
from batch.fouten import InvoerError, ToewijzingFoutenError, WerkerError
from batch.processen import (
    als_hulpproces,
    fork_mogelijk,
    foutnaam,
    kernen,
    signalen_uitgesteld,
    spoel,
)
from batch.toewijzing_cache import Inventaris, Kolommen, Toewijzingen
from berichten.fouten import BerichtFoutError
from berichten.ijw.jw301 import geldend_per_gemeente, lees_jw301, lees_jw301_rijen

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from engine.model import Toewijzing


def lees_toewijzingen(pad: Path, inventarisatie: Inventarisatie) -> Toewijzingen:
    """The allocations in force per gemeente, from a file or a folder (with its cache);
    unreadable input as an InvoerError that names it."""
    if not pad.exists():
        raise InvoerError(f"{pad}: de toewijzingen bestaan niet")
    try:
        if not pad.is_dir():
            return toewijzing_cache.in_geheugen(geldend_per_gemeente(lees_jw301(pad)))
        inventaris = inventarisatie.resultaat() or toewijzing_cache.inventariseer(pad)
        if len(inventaris.namen) < toewijzing_cache.CACHE_VANAF:
            return toewijzing_cache.laad(pad, lees_jw301_kolommen, inventaris=inventaris)
        warm = toewijzing_cache.uit_cache(pad, inventaris)
        if warm is not None:
            return warm
        return apart(toewijzing_cache.laad, pad, lees_jw301_kolommen, inventaris)
    except BerichtFoutError as fout:
        raise InvoerError(f"toewijzing onleesbaar: {fout.locatie_tekst()}") from None
    except ToewijzingFoutenError as fouten:
        raise InvoerError(fouten.tekst()) from None
    except OSError as fout:  # e.g. a folder that may not be listed
        raise InvoerError(f"{pad}: de toewijzingen kunnen niet worden gelezen "
                          f"({fout.strerror or type(fout).__name__})") from None


def apart(laad: Callable[..., Toewijzingen], map_: Path, lezer: object,
          inventaris: Inventaris) -> Toewijzingen:
    """`laad` (reading the files the cache lacks) in a helper process: the memory it needs
    (every version of a quarter of a million files, as columns) goes back to the system when
    it ends, instead of staying with this process while the workers run. Its result comes
    back as the cache's bytes; an unreadable allocation as the same BerichtFoutError."""
    if not fork_mogelijk():
        return laad(map_, lezer, inventaris=inventaris)
    context = multiprocessing.get_context("fork")
    ontvanger, zender = context.Pipe(duplex=False)
    spoel()
    proces = context.Process(target=_laad_apart, args=(laad, map_, lezer, inventaris, zender,
                                                       os.getpid()))
    with signalen_uitgesteld():
        proces.start()
    zender.close()
    try:
        uitkomst = ontvanger.recv()
    except (EOFError, OSError):
        raise WerkerError("het proces dat de toewijzingen las is onverwacht gestopt") from None
    finally:
        if proces.is_alive():
            proces.terminate()
        proces.join()
        ontvanger.close()
    toewijzingen = _uitgepakt(uitkomst)
    return toewijzingen if toewijzingen is not None else laad(map_, lezer,
                                                              inventaris=inventaris)


def _uitgepakt(uitkomst: tuple[Any, ...]) -> Toewijzingen | None:
    """The helper's answer: the allocations, or its error raised here."""
    if uitkomst[0] == "bericht":
        raise BerichtFoutError(*uitkomst[1:])
    if uitkomst[0] == "fouten":
        raise ToewijzingFoutenError(uitkomst[1])
    if uitkomst[0] == "fout":
        raise WerkerError(f"het proces dat de toewijzingen las stopte met een interne fout "
                          f"({uitkomst[1]})")
    toewijzingen: Toewijzingen | None = uitkomst[1]
    return toewijzingen


def _laad_apart(laad: Callable[..., Toewijzingen], map_: Path, lezer: object,
                inventaris: Inventaris, zender: Connection, ouder: int) -> None:
    als_hulpproces(ouder)
    try:
        uitkomst: tuple[Any, ...] = ("ok", laad(map_, lezer, inventaris=inventaris))
    except BerichtFoutError as fout:
        uitkomst = ("bericht", fout.bericht, fout.line, fout.column, fout.bestand)
    except ToewijzingFoutenError as fouten:
        uitkomst = ("fouten", fouten.meldingen)
    except Exception as fout:  # reported by the parent (exit code 3), never a traceback
        uitkomst = ("fout", foutnaam(fout))
    with suppress(OSError, ValueError):
        zender.send(uitkomst)
    zender.close()


def lees_jw301_parallel(bestanden: list[Path]) -> list[Toewijzing]:
    """Every version of every file, in file order."""
    return toewijzing_cache.uit_kolommen(lees_jw301_kolommen(list(map(str, bestanden))).kolommen)


def lees_jw301_kolommen(paden: list[str]) -> Kolommen:
    """Every version per file, in file order, as columns. Many files are read by one
    process per core; they send their versions back as columns (far cheaper to pickle
    than objects, and what the cache is built from)."""
    if len(paden) < 2000 or kernen() < 2:
        aantallen, kolommen, fouten = _lees_jw301_stuk(paden)
        if fouten:
            raise ToewijzingFoutenError(fouten)
        return Kolommen(aantallen, toewijzing_cache.gedecodeerd(kolommen, {}))
    stukken = [paden[i:i + _JW301_PER_STUK] for i in range(0, len(paden), _JW301_PER_STUK)]
    gelezen = Kolommen([], toewijzing_cache.als_kolommen([]))
    gedeeld: dict[Any, Any] = {}  # equal values as one object: the cache is then compact
    alle_fouten: list[str] = []
    with signalen_uitgesteld():
        pool = multiprocessing.get_context("fork").Pool(
            kernen(), initializer=als_hulpproces, initargs=(os.getpid(),))
    with pool:
        for aantallen, kolommen, fouten in pool.imap(_lees_jw301_stuk, stukken):
            alle_fouten.extend(fouten)
            if alle_fouten:  # no result will be made: only the errors still count
                continue
            gelezen.aantallen.extend(aantallen)
            for kolom, nieuw in zip(gelezen.kolommen,
                                    toewijzing_cache.gedecodeerd(kolommen, gedeeld),
                                    strict=True):
                kolom.extend(nieuw)
    if alle_fouten:
        raise ToewijzingFoutenError(alle_fouten)
    return gelezen


_JW301_PER_STUK = 500


def _lees_jw301_stuk(paden: list[str]) -> tuple[list[int], list[Any], list[str]]:
    """The versions of these files as coded columns, and the located error of every file
    that cannot be read (its versions left out)."""
    per_bestand: list[list[tuple[Any, ...]]] = []
    fouten: list[str] = []
    for pad in paden:
        try:
            per_bestand.append(lees_jw301_rijen(Path(pad)))
        except BerichtFoutError as fout:
            fouten.append(fout.locatie_tekst() if fout.bestand
                          else f"{pad}: {fout.locatie_tekst()}")
            per_bestand.append([])
    rijen = [r for rs in per_bestand for r in rs]
    return [len(v) for v in per_bestand], toewijzing_cache.gecodeerd(rijen), fouten


class Inventarisatie:
    """Lists a folder of allocations (name, size, mtime of every file: what its cache is
    checked against) in a helper process, while this one loads the contract: at a quarter
    of a million files that takes seconds of system calls."""

    def __init__(self, proces: BaseProcess | None, verbinding: Connection | None) -> None:
        self._proces = proces
        self._verbinding = verbinding

    @classmethod
    def start(cls, map_: Path) -> Inventarisatie:
        if not map_.is_dir() or not fork_mogelijk():
            return cls(None, None)
        context = multiprocessing.get_context("fork")
        ontvanger, zender = context.Pipe(duplex=False)
        spoel()
        proces = context.Process(target=_inventariseer, args=(map_, zender, os.getpid()),
                                 daemon=True)
        with signalen_uitgesteld():
            proces.start()
        zender.close()
        return cls(proces, ontvanger)

    def resultaat(self) -> Inventaris | None:
        """The listing, or None when the helper failed (the caller then lists itself)."""
        if self._verbinding is None:
            return None
        try:
            uitkomst: Inventaris | None = self._verbinding.recv()
        except (EOFError, OSError):
            uitkomst = None
        self.stop()
        return uitkomst

    def stop(self) -> None:
        if self._verbinding is not None:
            self._verbinding.close()
            self._verbinding = None
        if self._proces is not None:
            if self._proces.is_alive():
                self._proces.terminate()
            self._proces.join()
            self._proces = None


def _inventariseer(map_: Path, zender: Connection, ouder: int) -> None:
    als_hulpproces(ouder)
    try:
        zender.send(toewijzing_cache.inventariseer(map_))
    except Exception:  # the parent lists the folder itself; never a traceback here
        zender.send(None)
    finally:
        zender.close()
