"""`regelwerk controleer`: check JW323 messages against a region's contract, write JW325s.

    regelwerk controleer --contract contracten/<regio> --toewijzingen <JW301.xml of map>
        [--aanwezigheid <csv>] <JW323.xml>... [--uitvoer <map>] [--formaat json|xml|tekst]
        [--backend vectorized|rete]

Messages are processed in the order given, as a back office receives them: each sees the
history of the ones before it. Per message `<naam>.JW325.xml` is written, plus the
explanation (`<naam>.uitleg.json`, or `.uitleg.txt` with --formaat tekst; none with xml).
A message that fails its schema gets a 0001 answer and a Dutch message; the exit code is
then 2. Bad input (a missing file, a rule file with errors, unreadable allocations) stops
before anything is assessed, with exit code 1. Never a traceback; a BSN is never printed.
"""

from __future__ import annotations

import gc
import json
import os
import time
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rich.progress import Progress

    from engine.backend import Backend
    from engine.ijw.fouten import BerichtFoutError
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


class Backendnaam(StrEnum):
    vectorized = "vectorized"
    rete = "rete"


class InvoerError(Exception):
    """Input that stops the run before anything is assessed (Dutch, located)."""


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
    backend: Annotated[Backendnaam, typer.Option(help="de rekenmotor")] = Backendnaam.vectorized,
) -> None:
    """Controleer JW323-declaraties tegen het contract van een regio en schrijf de JW325."""
    try:
        invoer = _lees_invoer(berichten, contract, toewijzingen, aanwezigheid, uitvoer)
        verslag = _verwerk(invoer, berichten, uitvoer, formaat.value, backend.value)
    except InvoerError as fout:
        typer.echo(f"fout: {fout}", err=True)
        raise typer.Exit(1) from None
    except Exception as fout:  # a defect must still not end in a traceback
        typer.echo(f"interne fout ({type(fout).__name__}); er is niets (meer) verwerkt. "
                   "Meld dit met de gebruikte bestanden.", err=True)
        raise typer.Exit(3) from None
    _toon_samenvatting(verslag)
    if verslag.technisch_afgewezen:
        raise typer.Exit(2)


# ---------------------------------------------------------------- reading the inputs


@dataclass(slots=True)
class _Invoer:
    regelboek: Regelboek
    context: Context


def _lees_invoer(
    berichten: list[Path], contract: Path, toewijzingen: Path, aanwezigheid: Path | None,
    uitvoer: Path,
) -> _Invoer:
    for pad in berichten:
        if not pad.is_file():
            raise InvoerError(f"{pad}: het bericht bestaat niet (of is geen bestand)")
    if uitvoer.exists() and not uitvoer.is_dir():
        raise InvoerError(f"{uitvoer}: de uitvoer moet een map zijn")
    regelboek = _lees_contract(contract)
    from engine.model import Context

    return _Invoer(regelboek, Context(_lees_toewijzingen(toewijzingen),
                                      _lees_aanwezigheid(aanwezigheid)))


def _lees_contract(map_: Path) -> Regelboek:
    from dsl.fouten import RegelFoutenError
    from dsl.loader import laad_contract

    if not (map_ / "contract.regels").is_file():
        raise InvoerError(f"{map_}: geen regiomap (contract.regels ontbreekt)")
    try:
        return laad_contract(map_)
    except RegelFoutenError as fout:
        raise InvoerError(f"het contract bevat fouten:\n{fout}") from None


def _lees_toewijzingen(pad: Path) -> dict[str, Toewijzing]:
    from engine.ijw.fouten import BerichtFoutError
    from engine.ijw.jw301 import geldende_toewijzingen, lees_jw301_map

    if not pad.exists():
        raise InvoerError(f"{pad}: de toewijzingen bestaan niet")
    try:
        if pad.is_dir():
            return geldende_toewijzingen(_lees_jw301_parallel(sorted(pad.glob("*.xml"))))
        return geldende_toewijzingen(lees_jw301_map(pad))
    except BerichtFoutError as fout:
        raise InvoerError(f"toewijzing onleesbaar: {fout.locatie_tekst()}") from None


def _lees_jw301_parallel(bestanden: list[Path]) -> list[Toewijzing]:
    """Every version of every file, in file order. A region has a JW301 per client (a
    month of a million lines: a quarter of a million files), so many files are read by one
    process per core."""
    from engine.ijw.jw301 import lees_jw301

    if len(bestanden) < 2000 or (os.cpu_count() or 1) < 2:
        return [v for pad in bestanden for v in lees_jw301(pad)]
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        delen = pool.map(_lees_jw301_lijst, bestanden, chunksize=500)
    return [v for deel in delen for v in deel]


def _lees_jw301_lijst(pad: Path) -> list[Toewijzing]:
    from engine.ijw.jw301 import lees_jw301

    return lees_jw301(pad)


def _lees_aanwezigheid(pad: Path | None) -> tuple[Afwezigheid, ...]:
    from engine.aanwezigheid import lees_aanwezigheid
    from engine.ijw.fouten import BerichtFoutError

    if pad is None:
        return ()
    if not pad.is_file():
        raise InvoerError(f"{pad}: de aanwezigheidsregistratie bestaat niet")
    try:
        return tuple(lees_aanwezigheid(pad))
    except BerichtFoutError as fout:
        raise InvoerError(f"aanwezigheid onleesbaar: {fout.locatie_tekst()}") from None


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


def _verwerk(
    invoer: _Invoer, berichten: list[Path], uitvoer: Path, formaat: str, backendnaam: str
) -> _Verslag:
    from engine.backend import kies_backend
    from engine.batch import zonder_gc
    from engine.historie import GeheugenHistorie

    try:
        backend = kies_backend(backendnaam)
    except ImportError:
        raise InvoerError(f"de backend '{backendnaam}' is niet beschikbaar") from None
    uitvoer.mkdir(parents=True, exist_ok=True)
    historie = GeheugenHistorie()
    verslag = _Verslag(uitvoer=uitvoer)
    begin = time.perf_counter()
    stammen = _stammen(berichten)
    with _Voortgang(len(berichten)) as voortgang, zonder_gc():
        for blok in _blokken(berichten):
            for volgnummer, pad, beoordeling in _beoordeel_blok(invoer, blok, historie, backend,
                                                                verslag):
                _schrijf(beoordeling, uitvoer / stammen[volgnummer], formaat, volgnummer)
                verslag.regels.append(_samenvatting(pad, beoordeling))
                voortgang.stap(time.perf_counter() - begin)
            gc.collect()
    verslag.seconden = time.perf_counter() - begin
    return verslag


_Gelezen = tuple[int, Path, "Declaratie | BerichtFoutError"]


def _blokken(berichten: list[Path]) -> Iterator[list[_Gelezen]]:
    """The messages read in blocks of about `REGELS_PER_BLOK` lines (or a read error)."""
    from engine.beoordeling import REGELS_PER_BLOK
    from engine.ijw.fouten import BerichtFoutError

    blok: list[_Gelezen] = []
    regels = 0
    for volgnummer, pad in enumerate(berichten):
        try:
            gelezen: Declaratie | BerichtFoutError = _lees_bericht(pad)
        except BerichtFoutError as fout:
            gelezen = fout
        blok.append((volgnummer, pad, gelezen))
        regels += len(getattr(gelezen, "prestaties", ()))
        if regels >= REGELS_PER_BLOK:
            yield blok
            blok, regels = [], 0
    if blok:
        yield blok


def _beoordeel_blok(
    invoer: _Invoer, blok: list[_Gelezen], historie: Historie, backend: Backend,
    verslag: _Verslag,
) -> Iterator[tuple[int, Path, DeclaratieBeoordeling]]:
    """Assess a block in order (each message sees the ones before it); a message that could
    not be read gets its 0001 assessment in its place."""
    from engine.beoordeling import beoordeel_reeks, technisch_afgewezen
    from engine.ijw.jw323 import kop_uit
    from engine.model import Declaratie

    geldig = [gelezen for _, _, gelezen in blok if isinstance(gelezen, Declaratie)]
    beoordelingen = beoordeel_reeks(invoer.regelboek, geldig, invoer.context, historie, backend)
    for volgnummer, pad, gelezen in blok:
        if isinstance(gelezen, Declaratie):
            yield volgnummer, pad, next(beoordelingen)
            continue
        melding = gelezen.locatie_tekst() if gelezen.bestand else f"{pad}:{gelezen.locatie_tekst()}"
        typer.echo(f"technisch afgewezen (0001): {melding}", err=True)
        verslag.technisch_afgewezen.append(str(pad))
        kop = kop_uit(pad) if pad.suffix.lower() == ".xml" else {}
        yield volgnummer, pad, technisch_afgewezen(invoer.regelboek, kop, melding, backend.naam)


def _lees_bericht(pad: Path) -> Declaratie:
    from engine.ijw.fouten import BerichtFoutError

    if pad.suffix.lower() == ".json":
        from engine.ijw.json_vorm import declaratie_uit_json

        try:
            data = json.loads(pad.read_bytes())
        except (ValueError, UnicodeDecodeError) as fout:
            raise BerichtFoutError(f"geen geldige JSON ({fout})", bestand=str(pad)) from None
        return declaratie_uit_json(data)
    from engine.ijw.jw323 import lees_jw323

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
    from engine.ijw.jw325 import schrijf_jw325
    from engine.ijw.uitleg import uitleg_document, uitleg_tekst

    identificatie = f"RW{volgnummer:010d}"
    stam.with_name(f"{stam.name}.JW325.xml").write_bytes(
        schrijf_jw325(beoordeling, date.today(), identificatie)
    )
    if formaat == "json":
        # dumps (the C encoder in one go) is several times faster than dump to a file
        tekst = json.dumps(uitleg_document(beoordeling), ensure_ascii=False)
        stam.with_name(f"{stam.name}.uitleg.json").write_text(tekst, encoding="utf-8")
    elif formaat == "tekst":
        tekst = uitleg_tekst(beoordeling)
        stam.with_name(f"{stam.name}.uitleg.txt").write_text(tekst, encoding="utf-8")


def _samenvatting(pad: Path, b: DeclaratieBeoordeling) -> _Regel:
    from engine.ijw.jw325 import declaratie_codes

    afgewezen = sum(1 for u in b.uitkomsten if u.status == "afgewezen")
    codes = "0001" if b.technische_fout is not None else ", ".join(declaratie_codes(b))
    return _Regel(pad.name, b.declaratie.declaratienummer, len(b.uitkomsten), afgewezen,
                  b.declaratie.totaal_ingediend, b.totaal_toegekend, codes)


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
