"""The workbench's files (issue 17): a region's rule files and tables, read with a version,
checked in the region's context, saved as one step with the reload, recorded and undone.

A save never touches the region's folder until the whole region, with the new text, has
loaded from a staged copy; then the file is replaced atomically (`os.replace`) and the region
reloaded. A region with errors is refused with its located errors and the old rule set stays
in force. Each file read carries its version (the sha256 of its bytes); a save against a
stale version is refused with who saved since (optimistic concurrency). Paths are fixed to the
region's folder: relative, no `..`, no hidden parts, no symlinks, only `.regels` and `.csv`.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from api.fouten import DienstFoutError
from api.logboek import Logboek, Opslag
from api.motor import Regelfout, RegelsetFoutError
from api.regios import GeladenRegio, RegioRegister

SOORTEN = {".regels": "regels", ".csv": "tabel"}
"""The only files the workbench reads or writes, and what the page calls them."""

_DEEL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def versie(inhoud: bytes) -> str:
    """A file's version: the sha256 of its bytes ('' for a file that does not exist)."""
    return hashlib.sha256(inhoud).hexdigest() if inhoud else ""


@dataclass(frozen=True, slots=True)
class Bestand:
    pad: str
    soort: str
    grootte: int
    versie: str


@dataclass(frozen=True, slots=True)
class Opgeslagen:
    """What a save did: the file's new version, the rule set before and after, the record."""

    opslag: Opslag
    regio: GeladenRegio
    vorige_hash: str | None


def veilig_pad(map: Path, pad: str) -> Path:
    """`pad` inside the region's folder, or a located Dutch 400/404: relative, plain parts
    (no `..`, nothing hidden), a rule file or table, no symlink on the way."""
    delen = PurePosixPath(pad).parts
    if not pad or "\\" in pad or pad.startswith("/") or not delen \
            or any(not _DEEL.match(d) for d in delen):
        raise DienstFoutError(400, f"ongeldig bestandspad '{pad[:100]}': gebruik een pad "
                                   "binnen de map van de regio, zoals 'contract.regels'",
                              locatie="pad")
    if PurePosixPath(pad).suffix not in SOORTEN:
        raise DienstFoutError(400, f"'{pad[:100]}' is geen regelbestand (.regels) of tabel "
                                   "(.csv): de werkbank bewerkt alleen die", locatie="pad")
    doel = map.joinpath(*delen)
    stap = map
    for deel in delen:
        stap = stap / deel
        if stap.is_symlink():
            raise DienstFoutError(400, f"'{pad}' is een snelkoppeling: de werkbank volgt die "
                                       "niet", locatie="pad")
    if not doel.resolve().is_relative_to(map.resolve()):
        raise DienstFoutError(400, f"'{pad}' ligt buiten de map van de regio", locatie="pad")
    return doel


def bestanden(map: Path) -> list[Bestand]:
    """The region's rule files and tables (symlinks and hidden files left out); the
    contract itself first (the page opens the first file), then the rest by name."""
    uit = []
    for p in sorted(map.rglob("*"), key=lambda p: (p.name != "contract.regels", p)):
        rel = p.relative_to(map).as_posix()
        if p.suffix not in SOORTEN or not p.is_file() or p.is_symlink() \
                or any(d.startswith(".") for d in PurePosixPath(rel).parts):
            continue
        inhoud = p.read_bytes()
        uit.append(Bestand(rel, SOORTEN[p.suffix], len(inhoud), versie(inhoud)))
    return uit


def lees(map: Path, pad: str) -> tuple[str, str]:
    """(text, version) of one file of the region."""
    doel = veilig_pad(map, pad)
    if not doel.is_file():
        raise DienstFoutError(404, f"bestand '{pad}' bestaat niet in deze regio", locatie="pad")
    inhoud = doel.read_bytes()
    try:
        return inhoud.decode("utf-8"), versie(inhoud)
    except UnicodeDecodeError as err:
        raise DienstFoutError(422, f"'{pad}' is geen UTF-8 (byte {err.start}): sla het op als "
                                   "UTF-8", locatie="pad") from None


@contextmanager
def proefmap(map: Path, pad: str, tekst: str) -> Iterator[Path]:
    """A staged copy of the region's folder with `tekst` at `pad`, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="werkbank-") as tmp:
        kopie = Path(tmp) / map.name
        shutil.copytree(map, kopie, symlinks=True)
        doel = kopie.joinpath(*PurePosixPath(pad).parts)
        doel.parent.mkdir(parents=True, exist_ok=True)
        doel.write_text(tekst, encoding="utf-8")
        yield kopie


def _herleid(fouten: list[Regelfout], kopie: Path, map: Path) -> list[Regelfout]:
    """Errors found in the staged copy, named as the region's files (never the temp folder)."""
    def naam(bestand: str) -> str:
        try:
            return (map / Path(bestand).resolve().relative_to(kopie.resolve())).as_posix()
        except ValueError:
            return bestand

    def tekst(s: str | None) -> str | None:
        return None if s is None else s.replace(str(kopie.resolve()), str(map)).replace(
            str(kopie), str(map))

    return [Regelfout(naam(f.bestand), f.line, f.column, tekst(f.bericht) or "",
                      tekst(f.suggestie)) for f in fouten]


class Werkbank:
    """Saves of one service: a lock per region (a save and its reload are one step) and the
    audit trail."""

    def __init__(self, register: RegioRegister, logboek: Logboek) -> None:
        self.register = register
        self.logboek = logboek
        self._sloten: dict[str, threading.Lock] = {}
        self._slot = threading.Lock()

    def map(self, regio: str) -> Path:
        """The region's folder (an unknown region is a 404 by the register's error)."""
        return self.register.regio_map(regio)

    def controleer(self, regio: str, pad: str, tekst: str) -> list[Regelfout]:
        """Every error of the region with `tekst` at `pad` (nothing written)."""
        map = self.map(regio)
        veilig_pad(map, pad)
        with proefmap(map, pad, tekst) as kopie:
            try:
                self.register.lader(kopie, self.register.standaard_map())
            except RegelsetFoutError as err:
                return _herleid(err.fouten, kopie, map)
        return []

    @contextmanager
    def _regioslot(self, regio: str) -> Iterator[None]:
        """One save of the region at a time, across threads and worker processes (`serve
        --workers`): a thread lock, then an exclusive lock on the region's lock file."""
        with self._slot:
            slot = self._sloten.setdefault(regio, threading.Lock())
        self.logboek.map.mkdir(parents=True, exist_ok=True)
        with slot, open(self.logboek.map / f"{regio}.slot", "a") as bestand:
            fcntl.flock(bestand, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(bestand, fcntl.LOCK_UN)

    def sla_op(self, regio: str, pad: str, tekst: str, verwacht: str, wie: str,
               hersteld: int | None = None) -> Opgeslagen:
        """Write `tekst` at `pad` when the file is still at version `verwacht` and the region
        loads with it; record it; reload. Raises 409 (stale), RegelsetFoutError (errors)."""
        map = self.map(regio)
        doel = veilig_pad(map, pad)
        with self._regioslot(regio):
            if not doel.is_file():
                raise DienstFoutError(404, f"bestand '{pad}' bestaat niet in deze regio; de "
                                           "werkbank bewerkt bestaande bestanden",
                                      locatie="pad")
            oud = doel.read_bytes()
            if versie(oud) != verwacht:
                raise DienstFoutError(409, self._al_gewijzigd(regio, pad), locatie="versie")
            if oud == tekst.encode("utf-8"):
                raise DienstFoutError(422, f"niets opgeslagen: de tekst is gelijk aan '{pad}' "
                                           "zoals het er staat", locatie="tekst")
            fouten = self.controleer(regio, pad, tekst)
            if fouten:
                raise RegelsetFoutError(fouten)
            vorige = self.register.hash_van(regio)
            _schrijf_atomair(doel, tekst)
            try:
                geladen = self.register.herlaad(regio)
            except RegelsetFoutError:
                _schrijf_atomair(doel, oud.decode("utf-8", "replace"))
                raise
            opslag = self.logboek.schrijf(regio, pad, oud.decode("utf-8", "replace"), tekst,
                                          wie, hersteld)
            return Opgeslagen(opslag, geladen, vorige)

    def _al_gewijzigd(self, regio: str, pad: str) -> str:
        laatste = self.logboek.laatste(regio, pad)
        door = (f"door {laatste.wie} op {laatste.wanneer:%d-%m-%Y om %H:%M:%S} UTC"
                if laatste else "buiten de werkbank")
        return (f"'{pad}' is gewijzigd sinds u het opende ({door}); uw wijziging is niet "
                "opgeslagen: open het bestand opnieuw en breng uw wijziging daarin aan")

    def herstel(self, regio: str, nummer: int, wie: str) -> Opgeslagen:
        """Undo save `nummer`: a new save of the content before it (itself recorded)."""
        opslag = self.logboek.opslag(regio, nummer)
        doel = veilig_pad(self.map(regio), opslag.bestand)
        huidig = versie(doel.read_bytes()) if doel.is_file() else "-"
        if huidig != versie(opslag.na.encode("utf-8")):
            raise DienstFoutError(409, f"'{opslag.bestand}' is na opslag {nummer} opnieuw "
                                       "gewijzigd; maak eerst de latere opslagen ongedaan",
                                  locatie="nummer")
        return self.sla_op(regio, opslag.bestand, opslag.voor, huidig, wie, hersteld=nummer)


def _schrijf_atomair(doel: Path, tekst: str) -> None:
    """Write beside the file, then replace it in one step: a reader sees old or new."""
    doel.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=doel.parent, prefix=".werkbank-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as uit:
            uit.write(tekst)
        os.replace(tmp, doel)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
