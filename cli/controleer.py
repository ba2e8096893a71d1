"""`regelwerk controleer`: check JW323 messages against a region's contract, write JW325s.

    regelwerk controleer --contract contracten/<regio> --toewijzingen <JW301.xml of map>
        [--aanwezigheid <csv>] <JW323.xml>... [--uitvoer <map>] [--formaat json|xml|tekst]
        [--backend <naam>]   (the names of engine.backends)

Messages are processed in the order given, as a back office receives them: each sees the
history of the ones before it. Per message `<naam>.JW325.xml` is written, plus the
explanation (`<naam>.uitleg.json`, or `.uitleg.txt` with --formaat tekst; none with xml).
A message that fails its schema gets a 0001 answer and a Dutch message; the exit code is
then 2. Bad input (a missing file, a rule file with errors, unreadable allocations, an output
folder that cannot be written) stops before anything is assessed, with exit code 1 and the
path named. Never a traceback; a BSN is never printed, nor written in an error text of a file.

Every gemeente in its own lane: a ToewijzingNummer is unique within a gemeente only, so
a message (its gemeente: the JW323's Ontvanger) is matched with the allocations of its own
gemeente (a JW301's Afzender) and sees the history of its own gemeente and provider. A
message whose gemeente is not one of the contract's is not this region's: it is refused
with 0001 and a located message, not assessed. Allocations of gemeenten outside the region
are not used (their count is said on stderr).

How the work is spread: lanes of different (gemeente, provider) are independent. A large
batch is split by gemeente and provider (read from each file's header) over one worker
process per core; each reads, assesses and writes its own
messages in the given order, and this process collects the summaries. The outputs are the
same bytes as when one process does everything (which it does for small batches). A
folder of allocations is kept parsed in a cache (`batch.toewijzing_cache`); the
folder is listed by a helper process while the contract loads.

For measurements and tests (not options, as they change nothing in the outcome):
`REGELWERK_FASEN=1` prints the time per phase and the peak memory per process on stderr;
`REGELWERK_WERKERS=1` keeps everything in one process, `=n` splits over n workers whatever
the size of the batch.
"""

from __future__ import annotations

import gc
import json
import os
import re
import signal
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from cli.opties import STANDAARD_BACKEND, BackendOptie

if TYPE_CHECKING:
    from collections.abc import Iterator
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from rich.progress import Progress

    from batch.toewijzing_cache import Inventaris, Kolommen, Toewijzingen
    from berichten.fouten import BerichtFoutError
    from engine.backends.basis import Backend
    from engine.ir import Regelboek
    from engine.model import (
        Afwezigheid,
        Context,
        Declaratie,
        DeclaratieBeoordeling,
        Historie,
        Toewijzing,
    )


class Formaat(StrEnum):
    json = "json"
    xml = "xml"
    tekst = "tekst"


class InvoerError(Exception):
    """Input that stops the run before anything is assessed (Dutch, located)."""


class WerkerError(Exception):
    """A worker process ended without finishing its messages (Dutch)."""


def registreer(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("controleer")(controleer)


def controleer(
    berichten: Annotated[list[Path], typer.Argument(help="JW323-berichten (XML of JSON), "
                                                      "in de volgorde van ontvangst")],
    contract: Annotated[Path, typer.Option(help="de regiomap, bijv. contracten/amstelland")],
    toewijzingen: Annotated[Path, typer.Option(help="een JW301-bestand of een map ervan")],
    aanwezigheid: Annotated[Path | None, typer.Option(help="CSV bsn,toewijzingnummer,van,tot")]
    = None,
    uitvoer: Annotated[Path, typer.Option(help="map voor JW325 en uitleg")] = Path("uitvoer"),
    formaat: Annotated[Formaat, typer.Option(help="vorm van de uitleg")] = Formaat.json,
    backend: BackendOptie = STANDAARD_BACKEND,
) -> None:
    """Controleer JW323-declaraties tegen het contract van een regio en schrijf de JW325."""
    fasen = _Fasen()
    vorige = _bij_sigterm(_beeindigd)  # so that `finally` stops the helper processes
    inventarisatie = _Inventarisatie.start(toewijzingen)
    try:
        invoer = _lees_invoer(berichten, contract, toewijzingen, aanwezigheid, uitvoer,
                              inventarisatie, fasen)
        verslag = _verwerk(invoer, berichten, uitvoer, formaat.value, backend.value, fasen)
    except InvoerError as fout:
        _meld(f"fout: {fout}")
        raise typer.Exit(1) from None
    except WerkerError as fout:
        _meld(f"fout: {fout}; de uitvoer is onvolledig. Meld dit met de gebruikte "
              "bestanden.")
        raise typer.Exit(3) from None
    except Exception as fout:  # a defect must still not end in a traceback
        typer.echo(f"interne fout ({type(fout).__name__}); er is niets (meer) verwerkt. "
                   "Meld dit met de gebruikte bestanden.", err=True)
        raise typer.Exit(3) from None
    finally:
        inventarisatie.stop()
        _bij_sigterm(vorige)
    _toon_samenvatting(verslag)
    fasen.toon(verslag.processen, verslag.samen_piek_kib)
    if verslag.technisch_afgewezen:
        raise typer.Exit(2)


def _meld(tekst: str) -> None:
    """A line on stderr, with anything that looks like a BSN masked (an error can quote a
    value of a message or a file)."""
    from engine.bsn import verberg_bsn

    typer.echo(verberg_bsn(tekst), err=True)


# ---------------------------------------------------------------- reading the inputs


@dataclass(slots=True)
class _Invoer:
    regelboek: Regelboek
    toewijzingen: Toewijzingen
    afwezigheden: tuple[Afwezigheid, ...]

    def banen(self, aanbieders: set[str] | None = None) -> dict[str, Context]:
        """Per gemeente of the region its own Context: the allocations of that gemeente
        only. All providers', or (for a worker) only those of its providers: the werkset
        uses an allocation only for a line of its own provider. Allocations of gemeenten
        outside the region are in no lane."""
        from engine.model import Context

        geldend = (self.toewijzingen.alle() if aanbieders is None
                   else self.toewijzingen.van(aanbieders))
        return {gemeente: Context(geldend.get(gemeente, {}), self.afwezigheden)
                for gemeente in self.regelboek.gemeenten}


def _lees_invoer(
    berichten: list[Path], contract: Path, toewijzingen: Path, aanwezigheid: Path | None,
    uitvoer: Path, inventarisatie: _Inventarisatie, fasen: _Fasen,
) -> _Invoer:
    from batch.geheugen import zonder_gc

    for pad in berichten:
        if not pad.is_file():
            raise InvoerError(f"{pad}: het bericht bestaat niet (of is geen bestand)")
    if uitvoer.exists() and not uitvoer.is_dir():
        raise InvoerError(f"{uitvoer}: de uitvoer moet een map zijn")
    with fasen("contract"):
        regelboek = _lees_contract(contract)
    with fasen("aanwezigheid"):
        afwezigheden = _lees_aanwezigheid(aanwezigheid)
    # a quarter of a million files make millions of objects without cycles: no collections
    with fasen("toewijzingen"), zonder_gc():
        geldend = _lees_toewijzingen(toewijzingen, inventarisatie)
    _meld_buiten_regio(regelboek, geldend)
    _maak_uitvoer(uitvoer)  # the last check: bad input before it leaves no folder behind
    return _Invoer(regelboek, geldend, afwezigheden)


def _meld_buiten_regio(regelboek: Regelboek, geldend: Toewijzingen) -> None:
    """Say how many allocations belong to gemeenten outside the region (they are not
    used): a count per gemeente code, nothing of their content."""
    buiten = {g: n for g, n in sorted(geldend.aantallen().items())
              if g not in regelboek.gemeenten}
    if buiten:
        per_gemeente = ", ".join(f"{g}: {n}" for g, n in buiten.items())
        _meld(f"let op: {sum(buiten.values())} toewijzing(en) van gemeenten buiten regio "
              f"{_regionaam(regelboek)} worden niet gebruikt ({per_gemeente})")


def _regionaam(regelboek: Regelboek) -> str:
    return regelboek.regio or regelboek.naam


def _maak_uitvoer(uitvoer: Path) -> None:
    """The output folder, made and tried before anything is assessed (a file made and
    removed again): one that cannot be written is bad input, named."""
    import tempfile

    try:
        uitvoer.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=uitvoer, prefix=".regelwerk-"):
            pass
    except OSError as fout:
        raise InvoerError(f"{uitvoer}: de uitvoermap kan niet worden gemaakt of beschreven "
                          f"({fout.strerror or type(fout).__name__})") from None


def _lees_contract(map_: Path) -> Regelboek:
    from dsl.fouten import RegelFoutenError
    from dsl.loader import laad_contract

    if not (map_ / "contract.regels").is_file():
        raise InvoerError(f"{map_}: geen regiomap (contract.regels ontbreekt)")
    try:
        return laad_contract(map_)
    except RegelFoutenError as fout:
        raise InvoerError(f"het contract bevat fouten:\n{fout}") from None


def _lees_toewijzingen(pad: Path, inventarisatie: _Inventarisatie) -> Toewijzingen:
    from batch import toewijzing_cache
    from berichten.fouten import BerichtFoutError
    from berichten.ijw.jw301 import geldend_per_gemeente, lees_jw301

    if not pad.exists():
        raise InvoerError(f"{pad}: de toewijzingen bestaan niet")
    try:
        if not pad.is_dir():
            return toewijzing_cache.in_geheugen(geldend_per_gemeente(lees_jw301(pad)))
        inventaris = inventarisatie.resultaat() or toewijzing_cache.inventariseer(pad)
        if len(inventaris.namen) < toewijzing_cache.CACHE_VANAF:
            return toewijzing_cache.laad(pad, _lees_jw301_kolommen, inventaris=inventaris)
        warm = toewijzing_cache.uit_cache(pad, inventaris)
        if warm is not None:
            return warm
        return _apart(toewijzing_cache.laad, pad, _lees_jw301_kolommen, inventaris)
    except BerichtFoutError as fout:
        raise InvoerError(f"toewijzing onleesbaar: {fout.locatie_tekst()}") from None
    except ToewijzingFoutenError as fouten:
        raise InvoerError(fouten.tekst()) from None
    except OSError as fout:  # e.g. a folder that may not be listed
        raise InvoerError(f"{pad}: de toewijzingen kunnen niet worden gelezen "
                          f"({fout.strerror or type(fout).__name__})") from None


class ToewijzingFoutenError(Exception):
    """JW301 files that cannot be read: every one of them is read and named in one run
    (in file order), so a back office fixes them all at once."""

    TONEN = 20
    """At most this many are shown; the rest is counted."""

    def __init__(self, meldingen: list[str]) -> None:
        super().__init__(f"{len(meldingen)} onleesbare toewijzingen")
        self.meldingen = meldingen

    def tekst(self) -> str:
        if len(self.meldingen) == 1:
            return f"toewijzing onleesbaar: {self.meldingen[0]}"
        regels = [f"toewijzing onleesbaar in {len(self.meldingen)} bestanden:",
                  *(f"  {m}" for m in self.meldingen[:self.TONEN])]
        if len(self.meldingen) > self.TONEN:
            regels.append(f"  ... en nog {len(self.meldingen) - self.TONEN} bestanden")
        return "\n".join(regels)


def _apart(laad: Callable[..., Toewijzingen], map_: Path, lezer: object,
           inventaris: Inventaris) -> Toewijzingen:
    """`laad` (reading the files the cache lacks) in a helper process: the memory it needs
    (every version of a quarter of a million files, as columns) goes back to the system when
    it ends, instead of staying with this process while the workers run. Its result comes
    back as the cache's bytes; an unreadable allocation as the same BerichtFoutError."""
    from berichten.fouten import BerichtFoutError

    if not _fork_mogelijk():
        return laad(map_, lezer, inventaris=inventaris)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    ontvanger, zender = context.Pipe(duplex=False)
    _spoel()
    proces = context.Process(target=_laad_apart, args=(laad, map_, lezer, inventaris, zender,
                                                       os.getpid()))
    with _signalen_uitgesteld():
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
    if uitkomst[0] == "bericht":
        raise BerichtFoutError(*uitkomst[1:])
    if uitkomst[0] == "fouten":
        raise ToewijzingFoutenError(uitkomst[1])
    if uitkomst[0] == "fout":
        raise WerkerError(f"het proces dat de toewijzingen las stopte met een interne fout "
                          f"({uitkomst[1]})")
    toewijzingen: Toewijzingen | None = uitkomst[1]
    return toewijzingen if toewijzingen is not None else laad(map_, lezer, inventaris=inventaris)


def _laad_apart(laad: Callable[..., Toewijzingen], map_: Path, lezer: object,
                inventaris: Inventaris, zender: Connection, ouder: int) -> None:
    from berichten.fouten import BerichtFoutError

    _als_hulpproces(ouder)
    try:
        uitkomst: tuple[Any, ...] = ("ok", laad(map_, lezer, inventaris=inventaris))
    except BerichtFoutError as fout:
        uitkomst = ("bericht", fout.bericht, fout.line, fout.column, fout.bestand)
    except ToewijzingFoutenError as fouten:
        uitkomst = ("fouten", fouten.meldingen)
    except Exception as fout:  # reported by the parent (exit code 3), never a traceback
        uitkomst = ("fout", _foutnaam(fout))
    with suppress(OSError, ValueError):
        zender.send(uitkomst)
    zender.close()


def _lees_jw301_parallel(bestanden: list[Path]) -> list[Toewijzing]:
    """Every version of every file, in file order."""
    from batch.toewijzing_cache import uit_kolommen

    return uit_kolommen(_lees_jw301_kolommen(list(map(str, bestanden))).kolommen)


def _lees_jw301_kolommen(paden: list[str]) -> Kolommen:
    """Every version per file, in file order, as columns. A region has a JW301 per client
    (a month of a million lines: a quarter of a million files), so many files are read by
    one process per core; they send their versions back as columns (far cheaper to pickle
    than objects, and what the cache is built from). Every file is read: the ones that
    cannot be are named together (ToewijzingFoutenError)."""
    from batch.toewijzing_cache import Kolommen, als_kolommen, gedecodeerd

    kernen = _kernen()
    if len(paden) < 2000 or kernen < 2:
        aantallen, kolommen, fouten = _lees_jw301_stuk(paden)
        if fouten:
            raise ToewijzingFoutenError(fouten)
        return Kolommen(aantallen, gedecodeerd(kolommen, {}))
    import multiprocessing

    stukken = [paden[i:i + _JW301_PER_STUK] for i in range(0, len(paden), _JW301_PER_STUK)]
    gelezen = Kolommen([], als_kolommen([]))
    gedeeld: dict[Any, Any] = {}  # equal values as one object: the cache is then compact
    alle_fouten: list[str] = []
    with _signalen_uitgesteld():
        pool = multiprocessing.get_context("fork").Pool(
            kernen, initializer=_als_hulpproces, initargs=(os.getpid(),))
    with pool:
        for aantallen, kolommen, fouten in pool.imap(_lees_jw301_stuk, stukken):
            alle_fouten.extend(fouten)
            if alle_fouten:  # no result will be made: only the errors still count
                continue
            gelezen.aantallen.extend(aantallen)
            for kolom, nieuw in zip(gelezen.kolommen, gedecodeerd(kolommen, gedeeld),
                                    strict=True):
                kolom.extend(nieuw)
    if alle_fouten:
        raise ToewijzingFoutenError(alle_fouten)
    return gelezen


_JW301_PER_STUK = 500


def _lees_jw301_stuk(paden: list[str]) -> tuple[list[int], list[Any], list[str]]:
    """The versions of these files as coded columns, and the located error of every file
    that cannot be read (its versions left out)."""
    from batch.toewijzing_cache import gecodeerd
    from berichten.fouten import BerichtFoutError
    from berichten.ijw.jw301 import lees_jw301_rijen

    per_bestand: list[list[tuple[Any, ...]]] = []
    fouten: list[str] = []
    for pad in paden:
        try:
            per_bestand.append(lees_jw301_rijen(Path(pad)))
        except BerichtFoutError as fout:
            fouten.append(fout.locatie_tekst() if fout.bestand
                          else f"{pad}: {fout.locatie_tekst()}")
            per_bestand.append([])
    return ([len(v) for v in per_bestand], gecodeerd([r for rs in per_bestand for r in rs]),
            fouten)


def _lees_aanwezigheid(pad: Path | None) -> tuple[Afwezigheid, ...]:
    from berichten.aanwezigheid import lees_aanwezigheid
    from berichten.fouten import BerichtFoutError

    if pad is None:
        return ()
    if not pad.is_file():
        raise InvoerError(f"{pad}: de aanwezigheidsregistratie bestaat niet")
    try:
        return tuple(lees_aanwezigheid(pad))
    except BerichtFoutError as fout:
        raise InvoerError(f"aanwezigheid onleesbaar: {fout.locatie_tekst()}") from None


class _Inventarisatie:
    """Lists a folder of allocations (name, size, mtime of every file: what its cache is
    checked against) in a helper process, while this one loads the contract: at a quarter
    of a million files that takes seconds of system calls."""

    def __init__(self, proces: BaseProcess | None, verbinding: Connection | None) -> None:
        self._proces = proces
        self._verbinding = verbinding

    @classmethod
    def start(cls, map_: Path) -> _Inventarisatie:
        if not map_.is_dir() or not _fork_mogelijk():
            return cls(None, None)
        import multiprocessing

        context = multiprocessing.get_context("fork")
        ontvanger, zender = context.Pipe(duplex=False)
        _spoel()
        proces = context.Process(target=_inventariseer, args=(map_, zender, os.getpid()),
                                 daemon=True)
        with _signalen_uitgesteld():
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
    from batch.toewijzing_cache import inventariseer

    _als_hulpproces(ouder)
    try:
        zender.send(inventariseer(map_))
    except Exception:  # the parent lists the folder itself; never a traceback here
        zender.send(None)
    finally:
        zender.close()


# ---------------------------------------------------------------- processing


@dataclass(slots=True)
class _Regel:
    bestand: str
    declaratienummer: str
    regels: int
    afgewezen: int
    ingediend: int
    toegekend: int
    codes: str


@dataclass(slots=True)
class _Verslag:
    regels: list[_Regel] = field(default_factory=list)
    technisch_afgewezen: list[str] = field(default_factory=list)
    uitvoer: Path = Path()
    seconden: float = 0.0
    processen: list[dict[str, Any]] = field(default_factory=list)
    """per worker process: its phases and peak memory (for REGELWERK_FASEN)"""
    samen_piek_kib: int = 0
    """the most memory this process and its workers held at once (PSS: a page that two
    processes share counts half in each), sampled while the workers ran"""


_Melder = Callable[[int, "_Regel", "str | None"], None]
"""Told per message, in the order of its process: volgnummer, summary, 0001 message."""


@dataclass(frozen=True, slots=True)
class _Opdracht:
    """What a process assesses: (volgnummer, file) in input order, and where it writes."""

    taken: list[tuple[int, Path]]
    stammen: list[str]
    uitvoer: Path
    formaat: str
    sleutels: list[_Baan | None] | None = None
    """per volgnummer the (gemeente, provider) read from the header, checked against the
    message"""
    ouder: int = 0
    """the process a worker reports to"""


def _verwerk(
    invoer: _Invoer, berichten: list[Path], uitvoer: Path, formaat: str, backendnaam: str,
    fasen: _Fasen,
) -> _Verslag:
    from engine import backends

    try:
        backend = backends.kies(backendnaam)
    except ImportError:
        raise InvoerError(f"de backend '{backendnaam}' is niet beschikbaar") from None
    verslag = _Verslag(uitvoer=uitvoer)
    begin = time.perf_counter()
    opdracht = _Opdracht(list(enumerate(berichten)), _stammen(berichten), uitvoer, formaat)
    with fasen("verdelen"):
        verdeling = _verdeel(berichten)
    if verdeling is not None:
        try:
            with fasen("werkers"):
                _verwerk_parallel(invoer, opdracht, verdeling, backend, verslag, begin,
                                  meten=fasen.aan)
        except _VerdelingFout:
            verslag = _Verslag(uitvoer=uitvoer)  # a header misread: once more, in one process
            verdeling = None
    if verdeling is None:
        with fasen("beoordelen"):
            _verwerk_hier(invoer, opdracht, backend, verslag, begin)
    verslag.seconden = time.perf_counter() - begin
    return verslag


def _verwerk_hier(invoer: _Invoer, opdracht: _Opdracht, backend: Backend, verslag: _Verslag,
                  begin: float) -> None:
    """Everything in this process, in input order."""
    with _Voortgang(len(opdracht.taken)) as voortgang:
        def meld(volgnummer: int, regel: _Regel, melding: str | None) -> None:
            if melding is not None:
                _meld(f"technisch afgewezen (0001): {melding}")
                verslag.technisch_afgewezen.append(str(opdracht.taken[volgnummer][1]))
            verslag.regels.append(regel)
            voortgang.stap(time.perf_counter() - begin)

        _beoordeel_en_schrijf(invoer, invoer.banen(), opdracht, backend, meld)


def _beoordeel_en_schrijf(invoer: _Invoer, banen: dict[str, Context], opdracht: _Opdracht,
                          backend: Backend, meld: _Melder,
                          meting: _Fasen | None = None) -> None:
    """Read, assess and write the messages of `opdracht` in order, with a fresh history
    per gemeente (`banen`: the Context of each gemeente of the region)."""
    from batch.geheugen import zonder_gc

    meting = meting if meting is not None else _Fasen(aan=False)
    historien: dict[str, Historie] = {}
    with zonder_gc():
        for blok in _blokken(opdracht, meting):
            uitkomsten = _beoordeel_blok(invoer, banen, blok, historien, backend)
            while True:
                with meting("beoordelen"):
                    uitkomst = next(uitkomsten, None)
                if uitkomst is None:
                    break
                volgnummer, pad, beoordeling, melding = uitkomst
                with meting("schrijven"):
                    _schrijf(beoordeling, opdracht.uitvoer / opdracht.stammen[volgnummer],
                             opdracht.formaat, volgnummer)
                meld(volgnummer, _samenvatting(pad, beoordeling), melding)
            gc.collect()


_Gelezen = tuple[int, Path, "Declaratie | BerichtFoutError"]


class _VerdelingFout(Exception):
    """A message's provider is not the one its header was read as (the split is unsafe)."""


def _blokken(opdracht: _Opdracht, meting: _Fasen) -> Iterator[list[_Gelezen]]:
    """The messages read in blocks of about `PRESTATIES_PER_BLOK` lines (or a read error)."""
    from berichten.fouten import BerichtFoutError
    from engine.beoordeling import PRESTATIES_PER_BLOK
    from engine.model import Declaratie

    blok: list[_Gelezen] = []
    regels = 0
    for volgnummer, pad in opdracht.taken:
        try:
            with meting("lezen"):
                gelezen: Declaratie | BerichtFoutError = _lees_bericht(pad)
        except BerichtFoutError as fout:
            gelezen = fout
        if (opdracht.sleutels is not None and isinstance(gelezen, Declaratie)
                and (gelezen.gemeente, gelezen.aanbieder) != opdracht.sleutels[volgnummer]):
            raise _VerdelingFout(str(pad))
        blok.append((volgnummer, pad, gelezen))
        regels += len(getattr(gelezen, "prestaties", ()))
        if regels >= PRESTATIES_PER_BLOK:
            yield blok
            blok, regels = [], 0
    if blok:
        yield blok


def _beoordeel_blok(
    invoer: _Invoer, banen: dict[str, Context], blok: list[_Gelezen],
    historien: dict[str, Historie], backend: Backend,
) -> Iterator[tuple[int, Path, DeclaratieBeoordeling, str | None]]:
    """Assess a block in order, every gemeente in its own lane: its messages see its
    allocations and the messages of that gemeente before them (the history is per provider
    within it); the lanes' rounds go to the backend together (`beoordeel_banen`), so more
    gemeenten do not mean more backend calls. A message that could not be read, or is of a
    gemeente outside the region, gets its 0001 assessment in its place, with the message to
    show (BSNs masked: it goes to stderr and into the JW325)."""
    from berichten.ijw.jw323 import kop_uit
    from engine.beoordeling import Baan, beoordeel_banen, technisch_afgewezen
    from engine.bsn import verberg_bsn
    from engine.historie import GeheugenHistorie
    from engine.model import Declaratie

    per_baan: dict[str, list[Declaratie]] = {}
    for _, _, gelezen in blok:
        if isinstance(gelezen, Declaratie) and gelezen.gemeente in banen:
            per_baan.setdefault(gelezen.gemeente, []).append(gelezen)
    beoordelingen: dict[str, Iterator[DeclaratieBeoordeling]] = {}
    for volgnummer, pad, gelezen in blok:
        if isinstance(gelezen, Declaratie):
            if gelezen.gemeente in per_baan:
                if not beoordelingen:  # every lane at once, when the first is asked for
                    gemeenten = list(per_baan)
                    uitkomsten = beoordeel_banen(invoer.regelboek, [
                        Baan(per_baan[g], banen[g], historien.setdefault(g, GeheugenHistorie()))
                        for g in gemeenten], backend)
                    beoordelingen = dict(zip(gemeenten, uitkomsten, strict=True))
                yield volgnummer, pad, next(beoordelingen[gelezen.gemeente]), None
                continue
            melding = verberg_bsn(_buiten_regio(pad, gelezen, invoer.regelboek))
            kop = _kop_van(gelezen)
        else:
            melding = verberg_bsn(gelezen.locatie_tekst() if gelezen.bestand
                                  else f"{pad}:{gelezen.locatie_tekst()}")
            kop = kop_uit(pad) if pad.suffix.lower() == ".xml" else {}
        yield (volgnummer, pad,
               technisch_afgewezen(invoer.regelboek, kop, melding, backend.naam), melding)


def _buiten_regio(pad: Path, declaratie: Declaratie, regelboek: Regelboek) -> str:
    """Why a message of a gemeente outside the region is refused, located at its
    Header/Ontvanger (line and column in an XML file, the field in JSON)."""
    if pad.suffix.lower() == ".json":
        plek = f"{pad}: gemeente"
    else:
        positie = _positie(pad, _ONTVANGER)
        plek = f"{pad}:{positie[0]}:{positie[1]}" if positie else str(pad)
    return (f"{plek}: de gemeente {declaratie.gemeente} (Ontvanger) hoort niet bij regio "
            f"{_regionaam(regelboek)} (gemeenten {', '.join(regelboek.gemeenten)}); het "
            "bericht is niet voor deze regio en is niet beoordeeld")


def _kop_van(declaratie: Declaratie) -> dict[str, str | None]:
    """The header of a message that was read, as `technisch_afgewezen` takes it."""
    return {"aanbieder": declaratie.aanbieder, "gemeente": declaratie.gemeente,
            "identificatie": declaratie.bericht_identificatie,
            "dagtekening": declaratie.bericht_dagtekening.isoformat(),
            "declaratienummer": declaratie.declaratienummer}


def _lees_bericht(pad: Path) -> Declaratie:
    from berichten.fouten import BerichtFoutError

    if pad.suffix.lower() == ".json":
        from berichten.ijw.json_vorm import JsonFoutError, declaratie_uit_json, lees_json

        try:  # the same bounds as the service: depth, number length, forbidden characters
            data = lees_json(pad.read_bytes())
        except JsonFoutError as fout:
            plek = f" ({fout.pad})" if fout.pad else ""
            raise BerichtFoutError(fout.bericht + plek, fout.line, fout.column,
                                   bestand=str(pad)) from None
        return declaratie_uit_json(data)
    from berichten.ijw.jw323 import lees_jw323

    return lees_jw323(pad)


def _stammen(berichten: list[Path]) -> list[str]:
    """Output names per message: the file's stem, numbered when two files share one."""
    gezien: dict[str, int] = {}
    stammen = []
    for pad in berichten:
        gezien[pad.stem] = gezien.get(pad.stem, 0) + 1
        stammen.append(pad.stem if gezien[pad.stem] == 1 else f"{pad.stem}-{gezien[pad.stem]}")
    return stammen


def _schrijf(
    beoordeling: DeclaratieBeoordeling, stam: Path, formaat: str, volgnummer: int
) -> None:
    from berichten.ijw.jw325 import schrijf_jw325
    from weergave.uitleg import uitleg_document, uitleg_tekst

    identificatie = f"RW{volgnummer:010d}"
    doel = stam.with_name(f"{stam.name}.JW325.xml")
    try:
        doel.write_bytes(schrijf_jw325(beoordeling, date.today(), identificatie))
        if formaat == "json":
            doel = stam.with_name(f"{stam.name}.uitleg.json")
            doel.write_text(_JSON.encode(uitleg_document(beoordeling)), encoding="utf-8")
        elif formaat == "tekst":
            doel = stam.with_name(f"{stam.name}.uitleg.txt")
            doel.write_text(uitleg_tekst(beoordeling), encoding="utf-8")
    except OSError as fout:  # e.g. the disk full half-way: named, exit code 1
        raise InvoerError(f"{doel}: kan niet worden geschreven "
                          f"({fout.strerror or type(fout).__name__}); de uitvoer is "
                          "onvolledig") from None


_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False)
"""The explanation as JSON text: the C encoder in one go (several times faster than `dump`
to a file); the document is a fresh tree, so the check for cycles is wasted work."""


def _samenvatting(pad: Path, b: DeclaratieBeoordeling) -> _Regel:
    from berichten.ijw.jw325 import declaratie_codes

    afgewezen = getattr(b.uitkomsten, "aantal_afgewezen", None)  # without making them all
    if afgewezen is None:
        afgewezen = sum(1 for u in b.uitkomsten if u.status == "afgewezen")
    codes = "0001" if b.technische_fout is not None else ", ".join(declaratie_codes(b))
    return _Regel(pad.name, b.declaratie.declaratienummer, len(b.uitkomsten), afgewezen,
                  b.declaratie.totaal_ingediend, b.totaal_toegekend, codes)


# ---------------------------------------------------------------- in parallel

PARALLEL_VANAF = 4_000_000
"""Batches of fewer bytes of messages are assessed in this process: starting workers and
assessing in two smaller waves costs more than it saves."""


def _kernen() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _gevraagde_werkers() -> int | None:
    """REGELWERK_WERKERS=n (for tests and measurements): 1 is one process, n > 1 that many
    workers whatever the size of the batch; unset (or not a number) is automatic."""
    try:
        return max(1, int(os.environ.get("REGELWERK_WERKERS", "")))
    except ValueError:
        return None


def _fork_mogelijk() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and _kernen() >= 2


def _fork_veilig() -> bool:
    """Whether a forked child can use polars: not after polars started its thread pool (or
    its async runtime) here, as the child would wait forever for threads it does not have.
    Linux names threads in /proc; elsewhere we do not fork."""
    try:
        taken = os.listdir("/proc/self/task")
        namen = [Path(f"/proc/self/task/{t}/comm").read_text().strip() for t in taken]
    except OSError:
        return False
    return not any(n.startswith("tokio") or n.removeprefix("polars-").isdigit()
                   for n in namen)


_Baan = tuple[str, str]
"""(gemeente, provider): the history a message sees is that of its lane."""


@dataclass(frozen=True, slots=True)
class _Verdeling:
    delen: list[list[int]]
    """volgnummers per worker"""
    sleutels: list[_Baan | None]
    """per volgnummer the (gemeente, provider) read from its header"""


def _verdeel(berichten: list[Path]) -> _Verdeling | None:
    """Every lane's messages (a gemeente and a provider) with one worker, the workers
    balanced by bytes; or None when one process is better: a small batch, one core, one
    lane."""
    gevraagd = _gevraagde_werkers()
    if gevraagd == 1 or not _fork_mogelijk() or not _fork_veilig():
        return None
    groottes = [pad.stat().st_size for pad in berichten]
    if gevraagd is None and sum(groottes) < PARALLEL_VANAF:
        return None
    sleutels = [_baan_van(pad) for pad in berichten]
    per_baan: dict[_Baan | None, list[int]] = {}
    for volgnummer, sleutel in enumerate(sleutels):
        per_baan.setdefault(sleutel, []).append(volgnummer)
    werkers = min(gevraagd or _kernen(), len(per_baan))
    if werkers < 2:
        return None
    delen: list[list[int]] = [[] for _ in range(werkers)]
    gewicht = [0] * werkers
    onbekend = per_baan.pop(None, [])  # headers that cannot be read: the first worker
    delen[0].extend(onbekend)
    gewicht[0] += sum(groottes[i] for i in onbekend)
    for volgnummers in sorted(per_baan.values(),
                              key=lambda v: -sum(groottes[i] for i in v)):
        minste = gewicht.index(min(gewicht))
        delen[minste].extend(volgnummers)
        gewicht[minste] += sum(groottes[i] for i in volgnummers)
    return _Verdeling([sorted(deel) for deel in delen], sleutels)


def _baan_van(pad: Path) -> _Baan | None:
    """The message's gemeente (Header/Ontvanger) and provider (Header/Afzender) read from
    its first bytes, as the reader will see them; None when they cannot be told (the reader
    will then refuse the message, and if not, the worker notices that they differ)."""
    try:
        if pad.suffix.lower() == ".json":
            data = json.loads(pad.read_bytes())
            if not isinstance(data, dict):
                return None
            gemeente, aanbieder = data.get("gemeente"), data.get("aanbieder")
        else:
            with open(pad, "rb") as f:
                kop = f.read(8192)
            gemeente, aanbieder = _kopwaarde(kop, _ONTVANGER), _kopwaarde(kop, _AFZENDER)
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    if isinstance(gemeente, str) and isinstance(aanbieder, str):
        return gemeente, aanbieder
    return None


_AFZENDER = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Afzender>([^<&]*)</")
_ONTVANGER = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Ontvanger>([^<&]*)</")


def _kopwaarde(kop: bytes, patroon: re.Pattern[bytes]) -> str | None:
    """A header field from the raw start of the file: cheap, and good enough to split by,
    as every worker checks each message it reads against it."""
    gevonden = patroon.search(kop)
    return gevonden.group(1).decode("utf-8", "replace") if gevonden else None


def _positie(pad: Path, patroon: re.Pattern[bytes]) -> tuple[int, int] | None:
    """Line and column (1-based) of a header field in the file's first bytes."""
    try:
        with open(pad, "rb") as f:
            kop = f.read(8192)
    except OSError:
        return None
    gevonden = patroon.search(kop)
    if gevonden is None:
        return None
    voor = kop[:gevonden.start()]
    return voor.count(b"\n") + 1, gevonden.start() - (voor.rfind(b"\n") + 1) + 1


def _verwerk_parallel(invoer: _Invoer, opdracht: _Opdracht, verdeling: _Verdeling,
                      backend: Backend, verslag: _Verslag, begin: float,
                      meten: bool = False) -> None:
    """One worker process per part; the summaries and 0001 messages in input order."""
    import multiprocessing

    from batch.geheugen import zonder_gc

    context = multiprocessing.get_context("fork")
    werkers: list[tuple[BaseProcess, Connection]] = []
    _spoel()
    gc.collect()
    gc.freeze()  # what the workers inherit stays shared: no collection there touches it
    try:
        for deel in verdeling.delen:
            ontvanger, zender = context.Pipe(duplex=False)
            eigen = _Opdracht([opdracht.taken[i] for i in deel], opdracht.stammen,
                              opdracht.uitvoer, opdracht.formaat, verdeling.sleutels,
                              ouder=os.getpid())
            werker = context.Process(target=_werker, args=(invoer, eigen, backend, zender),
                                     daemon=True)
            with _signalen_uitgesteld():
                werker.start()
            zender.close()  # so the parent sees the end of the pipe when the worker dies
            werkers.append((werker, ontvanger))
        meter = _Geheugen([os.getpid(), *(w.pid for w, _ in werkers if w.pid)]) if meten \
            else None
        with zonder_gc():
            _verzamel([verbinding for _, verbinding in werkers], opdracht, verslag, begin,
                      meter)
        if meter is not None:
            verslag.samen_piek_kib = meter.piek_kib
    finally:
        gc.unfreeze()
        for proces, verbinding in werkers:
            if proces.is_alive():
                proces.terminate()
            proces.join()
            verbinding.close()


def _beeindigd(signum: int, _: object) -> None:
    raise SystemExit(128 + signum)


def _bij_sigterm(handler: Any) -> Any:
    """Install a SIGTERM handler; the previous one (None where signals cannot be set)."""
    try:
        return signal.signal(signal.SIGTERM, handler)
    except (ValueError, TypeError):  # not the main thread, or no previous handler to restore
        return None


def _verzamel(verbindingen: list[Connection], opdracht: _Opdracht, verslag: _Verslag,
              begin: float, meter: _Geheugen | None = None) -> None:
    from multiprocessing.connection import wait

    regels: list[_Regel | None] = [None] * len(opdracht.taken)
    meldingen: dict[int, str] = {}
    open_ = list(verbindingen)
    with _Voortgang(len(opdracht.taken)) as voortgang:
        while open_:
            if meter is not None:
                meter.meet()
            for klaar in wait(open_, timeout=None if meter is None else _Geheugen.STAP):
                verbinding = cast("Connection", klaar)
                if _ontvang(verbinding, regels, meldingen, verslag):
                    open_.remove(verbinding)
                else:
                    voortgang.stap(time.perf_counter() - begin)
    if any(regel is None for regel in regels):
        raise WerkerError("een werkproces heeft niet alle berichten verwerkt")
    verslag.regels = [regel for regel in regels if regel is not None]
    for volgnummer in sorted(meldingen):  # after all: a rerun in one process repeats none
        _meld(f"technisch afgewezen (0001): {meldingen[volgnummer]}")
        verslag.technisch_afgewezen.append(str(opdracht.taken[volgnummer][1]))


def _ontvang(verbinding: Connection, regels: list[_Regel | None], meldingen: dict[int, str],
             verslag: _Verslag) -> bool:
    """Handle one report of a worker; True when that worker is done."""
    try:
        bericht = verbinding.recv()
    except (EOFError, OSError):
        raise WerkerError("een werkproces is onverwacht gestopt") from None
    soort = bericht[0]
    if soort == "bericht":
        _, volgnummer, regel, melding = bericht
        regels[volgnummer] = regel
        if melding is not None:
            meldingen[volgnummer] = melding
        return False
    if soort == "klaar":
        verslag.processen.append(bericht[1])
        return True
    if soort == "verdeling":
        raise _VerdelingFout(bericht[1])
    if soort == "invoer":
        raise InvoerError(bericht[1])
    raise WerkerError(f"een werkproces stopte met een interne fout ({bericht[1]})")


def _werker(invoer: _Invoer, opdracht: _Opdracht, backend: Backend,
            zender: Connection) -> None:
    """A worker: its own messages in order, with its own history. It reports each message
    to the parent and ends with its phases and peak memory; never a traceback."""
    from batch.geheugen import zonder_gc

    meting = _Fasen(aan=True)
    _als_hulpproces(opdracht.ouder)
    try:
        kop = opdracht.sleutels or []
        eigen = {s[1] for s in (kop[i] for i, _ in opdracht.taken) if s is not None}
        # a quarter of a million allocation objects, no cycles: without collections, which
        # would walk (and, forked, copy) the parent's whole heap again and again
        with meting("toewijzingen"), zonder_gc():
            banen = invoer.banen(eigen)

        def meld(volgnummer: int, regel: _Regel, melding: str | None) -> None:
            zender.send(("bericht", volgnummer, regel, melding))

        _beoordeel_en_schrijf(invoer, banen, opdracht, backend, meld, meting)
        zender.send(("klaar", meting.verslag(len(opdracht.taken))))
    except _VerdelingFout as fout:
        _stuur(zender, ("verdeling", str(fout)))
    except InvoerError as fout:  # a file that could not be written: named by the parent
        _stuur(zender, ("invoer", str(fout)))
    except BaseException as fout:  # reported by the parent, in Dutch, with exit code 3
        _stuur(zender, ("fout", _foutnaam(fout)))
    finally:
        zender.close()


_UITGESTELD = {signal.SIGTERM, signal.SIGINT}


@contextmanager
def _signalen_uitgesteld() -> Iterator[None]:
    """Around forking a helper: SIGTERM and SIGINT wait (blocked, which the child inherits)
    until the child has its own handlers (`_als_hulpproces` unblocks them). Otherwise a
    signal that comes before that, say the parent stopping a helper it no longer needs,
    runs the parent's handler in the child in the middle of Python's after-fork work, and
    the child prints a traceback."""
    try:
        vorige = signal.pthread_sigmask(signal.SIG_BLOCK, _UITGESTELD)
    except (AttributeError, OSError, ValueError):  # no such call here: as before
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, vorige)


def _als_hulpproces(ouder: int) -> None:
    """Start of a forked helper process: the parent's signal handlers are not its own (the
    parent stops a helper with SIGTERM and waits for it: it must simply end; Ctrl-C reaches
    the whole group, the parent handles it), and it must not outlive the parent (killed,
    say): Linux can send it a signal then. Elsewhere it ends at its next report to the
    gone parent."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    with suppress(AttributeError, OSError, ValueError):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _UITGESTELD)  # see _signalen_uitgesteld
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != ouder:  # the parent died before the signal was asked for
        os._exit(1)


def _foutnaam(fout: BaseException) -> str:
    """The kind of error, and with REGELWERK_FASEN=1 where it was raised (file and line:
    never a value, so never a BSN)."""
    naam = type(fout).__name__
    if os.environ.get("REGELWERK_FASEN") == "1" and fout.__traceback__ is not None:
        import traceback

        plek = traceback.extract_tb(fout.__traceback__)[-1]
        naam += f" in {Path(plek.filename).name}:{plek.lineno}"
    return naam


def _stuur(zender: Connection, bericht: tuple[str, str]) -> None:
    with suppress(OSError, ValueError):  # the parent is gone: nobody to tell
        zender.send(bericht)


def _spoel() -> None:
    """Flush before forking, so a child does not write this process's buffered output."""
    sys.stdout.flush()
    sys.stderr.flush()


# ---------------------------------------------------------------- measuring


class _Fasen:
    """Wall and CPU seconds per phase, printed on stderr when REGELWERK_FASEN=1 (no
    content of any message, so never a BSN)."""

    def __init__(self, aan: bool | None = None) -> None:
        self.aan = os.environ.get("REGELWERK_FASEN") == "1" if aan is None else aan
        self.tijden: dict[str, list[float]] = {}
        self._begin = (time.perf_counter(), time.process_time())

    @contextmanager
    def __call__(self, naam: str) -> Iterator[None]:
        if not self.aan:
            yield
            return
        wand, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            tijd = self.tijden.setdefault(naam, [0.0, 0.0])
            tijd[0] += time.perf_counter() - wand
            tijd[1] += time.process_time() - cpu

    def verslag(self, berichten: int) -> dict[str, Any]:
        import resource

        return {"pid": os.getpid(), "berichten": berichten, "fasen": self.tijden,
                "wand": time.perf_counter() - self._begin[0],
                "cpu": time.process_time() - self._begin[1],
                "piek_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}

    def toon(self, werkers: list[dict[str, Any]], samen_kib: int = 0) -> None:
        if not self.aan:
            return
        hier = self.verslag(0)
        for wie, v in [("hoofdproces", hier), *((f"werker {w['pid']}", w) for w in werkers)]:
            fasen = ", ".join(f"{n} {t[0]:.2f}/{t[1]:.2f}" for n, t in v["fasen"].items())
            typer.echo(f"fasen {wie}: {v['wand']:.2f} s wand, {v['cpu']:.2f} s cpu, piek "
                       f"{v['piek_kib'] / 1024:.0f} MiB; {fasen} (wand/cpu s)", err=True)
        import resource

        som = sum(v["piek_kib"] for v in [hier, *werkers]) / 1024
        kinderen = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        typer.echo(f"fasen totaal: {1 + len(werkers)} processen, som van de pieken (RSS) "
                   f"{som:.0f} MiB, tegelijk hoogstens (PSS) {samen_kib / 1024:.0f} MiB; "
                   f"grootste hulpproces {kinderen:.0f} MiB", err=True)


class _Geheugen:
    """Samples the memory of a group of processes (Linux: PSS from /proc), so that pages a
    forked worker shares with its parent count once, not once per process. PSS is costly
    to read (the kernel walks every page), so it is read only when the cheap RSS total
    reaches a new high, at most every two seconds."""

    STAP = 0.2
    """seconds between looks at the RSS total"""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.piek_kib = 0
        self._rss_piek = 0
        self._vorige = 0.0

    def meet(self) -> None:
        rss = sum(map(_rss_kib, self.pids))
        if rss <= self._rss_piek or time.perf_counter() - self._vorige < 2.0:
            return
        self._rss_piek = rss
        self._vorige = time.perf_counter()
        self.piek_kib = max(self.piek_kib, sum(map(_pss_kib, self.pids)))


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, ValueError, IndexError):
        return 0


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for regel in f:
                if regel.startswith(b"Pss:"):
                    return int(regel.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


# ---------------------------------------------------------------- showing


class _Voortgang:
    """A progress bar that appears only when the batch takes longer than a second."""

    def __init__(self, totaal: int) -> None:
        self.totaal = totaal
        self.gedaan = 0
        self._balk: Progress | None = None
        self._taak: object = None

    def __enter__(self) -> _Voortgang:
        return self

    def stap(self, verstreken: float) -> None:
        self.gedaan += 1
        if self._balk is None and verstreken > 1.0 and self.gedaan < self.totaal:
            from rich.progress import Progress

            self._balk = Progress(transient=True)
            self._balk.start()
            self._taak = self._balk.add_task("berichten controleren", total=self.totaal)
        if self._balk is not None:
            self._balk.update(self._taak, completed=self.gedaan)  # type: ignore[arg-type]

    def __exit__(self, *_: object) -> None:
        if self._balk is not None:
            self._balk.stop()


def _toon_samenvatting(verslag: _Verslag) -> None:
    from rich.console import Console
    from rich.table import Table

    from engine.waarden import toon_geld

    tabel = Table(title=f"Gecontroleerd in {verslag.seconden:.1f} s; uitvoer in {verslag.uitvoer}")
    for kop in ("bericht", "declaratie", "prestaties", "afgewezen", "ingediend", "toegekend",
                "retourcodes"):
        tabel.add_column(kop, justify="right" if kop in ("prestaties", "afgewezen") else "left")
    for r in verslag.regels[:_TABELREGELS]:
        tabel.add_row(r.bestand, r.declaratienummer, str(r.regels), str(r.afgewezen),
                      toon_geld(r.ingediend), toon_geld(r.toegekend), r.codes)
    if len(verslag.regels) > _TABELREGELS:
        tabel.add_row(f"... en nog {len(verslag.regels) - _TABELREGELS} berichten", "", "", "",
                      "", "", "")
    regels = verslag.regels
    tabel.add_section()
    tabel.add_row(f"totaal ({len(regels)} berichten)", "", str(sum(r.regels for r in regels)),
                  str(sum(r.afgewezen for r in regels)),
                  toon_geld(sum(r.ingediend for r in regels)),
                  toon_geld(sum(r.toegekend for r in regels)), "")
    Console(width=140).print(tabel)


_TABELREGELS = 40
"""At most this many messages get their own row in the summary table."""
