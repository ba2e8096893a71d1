"""A validated on-disk cache of a JW301 folder's parsed allocations.

A back office keeps its allocations: a region's folder holds a JW301 per client (a quarter
of a million files for a month of a million lines), and parsing all of them on every run
would be most of the run. So the parsed versions are kept in `$XDG_CACHE_HOME/regelwerk/`
(else `~/.cache/regelwerk/`), one file per folder, keyed by the folder's absolute path.

The cache is used only while it matches the folder exactly: every `*.xml` file's name, size
and mtime_ns as recorded (the `Inventaris`), made by the same reader code (a digest of the
reading modules and the XSDs) and intact (SHA-256 over its contents). Files that changed,
appeared or disappeared are read again and the rest is taken from the cache; a file
modified less than `ONZEKER_NS` before the cache was written is never trusted (a file
system's clock is coarse: a second write within the same tick can keep the mtime). A cache
that is missing, damaged or made by other code is ignored and rebuilt; writing it is best
effort. The parsing stays in `berichten.ijw.jw301.lees_jw301`, the choice of the version in
force in `geldende_toewijzingen`.

The versions in force are stored per provider, so a process that assesses the messages of
some providers loads only their allocations (`Toewijzingen.van`). No polars here: a process
that forks workers must not start polars' thread pool before it forks.

The cache holds personal data (a BSN per allocation), like the JW301 files it comes from.
It keeps them in plaintext on purpose: the rules compare a line's BSN with its
allocation's and the explanation shows it, so a hashed BSN would have to be hashed in the
engine too, and an encrypted one would need a key kept next to the cache. Instead it is
treated as the personal data it is: the folder is made (and kept) 0700, every file 0600,
it is read back with an unpickler that makes no objects but dates and times, and
`wis()` (`regelwerk cache wis`) removes it, e.g. when a client's data must go or the
machine changes hands.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import io
import json
import os
import pickle
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import berichten
from berichten.ijw.jw301 import geldend_per_gemeente, verborgen
from engine.model import Toewijzing

FORMAAT = 3
"""Bumped when the layout of the cache file, or what this module puts in it, changes."""

CACHE_VANAF = 1000
"""Folders with fewer `*.xml` files are read without a cache (reading them is quick)."""

ONZEKER_NS = 2_000_000_000
"""A file modified this recently when the cache is written is read again next time."""

_MAGIE = b"regelwerk-toewijzingen\n"
_VELDEN = tuple(f.name for f in dataclasses.fields(Toewijzing))


@dataclass(frozen=True, slots=True)
class Kolommen:
    """Versions read from files as columns: how many each file holds (in the order the
    files were asked for) and one list per field of Toewijzing, file after file, each in
    document order. The cache is built from these without making an object per version."""

    aantallen: list[int]
    kolommen: list[list[Any]]


Lezer = Callable[[list[str]], "list[list[Toewijzing]] | Kolommen"]
"""Reads JW301 files (given as paths): every version per file, in document order, as
objects per file or as `Kolommen` (raises BerichtFoutError)."""


@dataclass(frozen=True, slots=True)
class Inventaris:
    """A folder's `*.xml` files, sorted by name, with size and mtime_ns (-1: unknown), and
    a digest of the three (what a cache is checked against)."""

    namen: list[str]
    groottes: list[int]
    tijden: list[int]
    vingerafdruk: str

    @classmethod
    def van(cls, namen: list[str], groottes: list[int], tijden: list[int]) -> Inventaris:
        regels = "".join(f"{n}\0{g}\0{t}\n" for n, g, t in zip(namen, groottes, tijden,
                                                                 strict=True))
        digest = hashlib.sha256(regels.encode("utf-8", "surrogateescape")).hexdigest()
        return cls(namen, groottes, tijden, digest)


def inventariseer(map_: Path) -> Inventaris:
    """Every `*.xml` in the folder, sorted by name; not hidden files (`.*`, which includes
    macOS's AppleDouble `._*.xml`: metadata, not messages)."""
    namen = sorted(e.name for e in os.scandir(map_)
                   if e.name.endswith(".xml") and not verborgen(e.name))
    groottes, tijden = [], []
    fd = os.open(map_, os.O_RDONLY)
    try:
        for naam in namen:
            try:
                s = os.stat(naam, dir_fd=fd)
            except OSError:
                groottes.append(-1)
                tijden.append(-1)
                continue
            groottes.append(s.st_size)
            tijden.append(s.st_mtime_ns)
    finally:
        os.close(fd)
    return Inventaris.van(namen, groottes, tijden)


def cache_map() -> Path:
    """`$XDG_CACHE_HOME/regelwerk`, or `~/.cache/regelwerk` (the XDG base directory spec)."""
    basis = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(basis) if os.path.isabs(basis) else Path.home() / ".cache") / "regelwerk"


def cache_bestand(map_: Path) -> Path:
    """The cache file of a JW301 folder, named after its absolute path."""
    sleutel = hashlib.sha256(str(map_.absolute()).encode("utf-8", "surrogateescape"))
    return cache_map() / f"toewijzingen-{sleutel.hexdigest()[:32]}.bin"


PerGemeente = dict[str, dict[str, Toewijzing]]
"""Allocations in force per gemeente, then per ToewijzingNummer (`geldend_per_gemeente`)."""


class Toewijzingen:
    """The allocations in force of a folder (as `geldend_per_gemeente` gives them), all or
    those of some providers."""

    def alle(self) -> PerGemeente:
        raise NotImplementedError

    def van(self, aanbieders: Iterable[str]) -> PerGemeente:
        """Only the allocations of these providers (same order)."""
        raise NotImplementedError

    def aantallen(self) -> dict[str, int]:
        """How many allocations are in force per gemeente (cheap: without making them)."""
        raise NotImplementedError


class _InGeheugen(Toewijzingen):
    def __init__(self, geldend: PerGemeente) -> None:
        self._geldend = geldend

    def alle(self) -> PerGemeente:
        return self._geldend

    def van(self, aanbieders: Iterable[str]) -> PerGemeente:
        welke = set(aanbieders)
        uit = {g: {n: t for n, t in eigen.items() if t.aanbieder in welke}
               for g, eigen in self._geldend.items()}
        return {g: eigen for g, eigen in uit.items() if eigen}

    def aantallen(self) -> dict[str, int]:
        return {g: len(eigen) for g, eigen in self._geldend.items()}


def in_geheugen(geldend: PerGemeente) -> Toewijzingen:
    """Allocations already read (e.g. from one JW301 file)."""
    return _InGeheugen(geldend)


def laad(map_: Path, lezer: Lezer, *, inventaris: Inventaris | None = None,
         vanaf: int = CACHE_VANAF) -> Toewijzingen:
    """The allocations in force over every `*.xml` of the folder (what
    `geldend_per_gemeente(lees_jw301_map(map_))` gives), from the cache when it is valid;
    else read (only the files that changed since the cache was made) and cached.

    `inventaris` may be taken beforehand, e.g. by another process while this one loads the
    contract; it must describe the folder as it is now. Raises what `lezer` raises."""
    inventaris = inventaris if inventaris is not None else inventariseer(map_)
    if len(inventaris.namen) < vanaf:
        gelezen = _als_kolommen(lezer(_paden(map_, inventaris.namen)))
        return _InGeheugen(geldend_per_gemeente(_toewijzingen(gelezen.kolommen)))
    bestand = cache_bestand(map_)
    cache = _Cache.lees(bestand, map_)
    if cache is not None and cache.inventaris == inventaris.vingerafdruk:
        return cache
    return _bouw(map_, lezer, inventaris, cache)


def uit_cache(map_: Path, inventaris: Inventaris, *,
              vanaf: int = CACHE_VANAF) -> Toewijzingen | None:
    """The allocations from a valid cache of the folder (as `laad` would give them), or
    None when `laad` has to read files. Reads no JW301."""
    if len(inventaris.namen) < vanaf:
        return None
    cache = _Cache.lees(cache_bestand(map_), map_)
    return cache if cache is not None and cache.inventaris == inventaris.vingerafdruk else None


def _bouw(map_: Path, lezer: Lezer, inventaris: Inventaris,
          cache: _Cache | None) -> Toewijzingen:
    """Read the files the cache lacks, and write the cache anew. Columns all the way: at a
    quarter of a million files an object per version (made here, then taken apart again
    for the file) cost seconds."""
    bestand = cache_bestand(map_)
    rijen, bewaard = cache.bewaard(inventaris) if cache is not None else (_Rijen.leeg(), set())
    del cache
    te_lezen = [naam for naam in inventaris.namen if naam not in bewaard]
    gelezen = _als_kolommen(lezer(_paden(map_, te_lezen)))
    index = {naam: b for b, naam in enumerate(inventaris.namen)}
    rijen.voeg_toe(gelezen, [index[n] for n in te_lezen], gesorteerd=not bewaard)
    geldend = rijen.geldend()
    try:
        data = _bytes(map_, inventaris, rijen, geldend)
    except (pickle.PickleError, ValueError, TypeError):
        # a value the cache cannot keep exactly: no cache
        return _InGeheugen(rijen.als_dict(geldend))
    _schrijf(bestand, data)
    # Also when it could not be written: a process that needs only some providers loads
    # just theirs, and a forked worker shares these bytes instead of copying objects.
    nieuw = _Cache.uit(data, map_)
    return nieuw if nieuw is not None else _InGeheugen(rijen.als_dict(geldend))


def _paden(map_: Path, namen: list[str]) -> list[str]:
    """The files' paths as text: cheap to make and to send to another process."""
    return [os.path.join(map_, naam) for naam in namen]


def _als_kolommen(gelezen: list[list[Toewijzing]] | Kolommen) -> Kolommen:
    if isinstance(gelezen, Kolommen):
        return gelezen
    return Kolommen([len(v) for v in gelezen], als_kolommen([v for vs in gelezen for v in vs]))


_NUMMER, _DATUM, _TIJD, _AANBIEDER, _GEMEENTE = (_VELDEN.index(v) for v in (
    "toewijzingnummer", "toewijzingsdatum", "toewijzingstijd", "aanbieder", "gemeente"))


@dataclass(slots=True)
class _Rijen:
    """Every version of a folder as columns, with per version its file (index in the
    inventory) and rank within that file; `volgorde`: the versions in document order over
    the files sorted by name (None: they are in that order)."""

    kolommen: list[list[Any]]
    bestanden: list[int]
    rangen: list[int]
    volgorde: list[int] | None = None

    @classmethod
    def leeg(cls) -> _Rijen:
        return cls([[] for _ in _VELDEN], [], [])

    def voeg_toe(self, gelezen: Kolommen, bestanden: list[int], gesorteerd: bool) -> None:
        """Add the versions of files read (`bestanden`: their indexes, in the order read)."""
        for kolom, nieuw in zip(self.kolommen, gelezen.kolommen, strict=True):
            kolom.extend(nieuw)
        for b, aantal in zip(bestanden, gelezen.aantallen, strict=True):
            self.bestanden.extend(repeat(b, aantal))
            self.rangen.extend(range(aantal))
        if not gesorteerd:
            sleutel = [b * 2**32 + r for b, r in zip(self.bestanden, self.rangen, strict=True)]
            self.volgorde = sorted(range(len(sleutel)), key=sleutel.__getitem__)

    def op_volgorde(self) -> Iterable[int]:
        return self.volgorde if self.volgorde is not None else range(len(self.bestanden))

    def geldend(self) -> dict[tuple[str, str], int]:
        """Per gemeente and ToewijzingNummer the row of its version in force
        (`geldend_per_gemeente`: the latest Toewijzingsdatum + Toewijzingstijd, on a tie
        the later one)."""
        nummers, datums, tijden, gemeenten = (self.kolommen[k] for k in (
            _NUMMER, _DATUM, _TIJD, _GEMEENTE))
        geldend: dict[tuple[str, str], int] = {}
        for i in self.op_volgorde():
            sleutel = (gemeenten[i], nummers[i])
            huidig = geldend.get(sleutel)
            if huidig is None or (datums[i], tijden[i]) >= (datums[huidig], tijden[huidig]):
                geldend[sleutel] = i
        return geldend

    def kies(self, rijen: list[int]) -> list[list[Any]]:
        """The columns of these rows (an itemgetter gathers in C: twice as fast)."""
        if len(rijen) < 2:
            return [[kolom[i] for i in rijen] for kolom in self.kolommen]
        pak = itemgetter(*rijen)
        return [list(pak(kolom)) for kolom in self.kolommen]

    def als_dict(self, geldend: dict[tuple[str, str], int]) -> PerGemeente:
        return _per_gemeente(_toewijzingen(self.kies(list(geldend.values()))))


def _per_gemeente(versies: Iterable[Toewijzing]) -> PerGemeente:
    """Versions in force (one per gemeente and number), grouped by gemeente in order."""
    uit: PerGemeente = {}
    for v in versies:
        uit.setdefault(v.gemeente, {})[v.toewijzingnummer] = v
    return uit


# ---------------------------------------------------------------- the file
#
# _MAGIE, one line of JSON (the header), then pickled blocks: per provider its versions in
# force, then one block with the other versions and the inventory. A block of versions is
# (columns in the order of Toewijzing's fields, position in the dict of versions in force
# (-1 when not in force), index of the file, rank within the file).


@cache
def _code_vingerafdruk() -> str:
    """What decides what the reader makes of a JW301: the code of the berichten package
    (the reader and the generic parts it uses) and the XSDs, the fields of Toewijzing, and the
    layout of the cache. Any change there, and every cache is read anew once."""
    velden = [(f.name, str(f.type)) for f in dataclasses.fields(Toewijzing)]
    h = hashlib.sha256(f"{FORMAAT} {velden}".encode())
    map_ = Path(berichten.__file__).parent
    for pad in sorted([*map_.rglob("*.py"), *map_.rglob("*.xsd")]):
        h.update(pad.relative_to(map_).as_posix().encode() + b"\0" + pad.read_bytes())
    return h.hexdigest()


class _Cache(Toewijzingen):
    """A cache file whose header and checksum are valid; blocks are unpickled on demand."""

    def __init__(self, kop: dict[str, Any], data: bytes, begin: int, map_: Path) -> None:
        self.inventaris: str = kop["inventaris"]
        self._aantallen: dict[str, int] = kop["gemeenten"]
        self._blokken: dict[str | None, tuple[int, int]] = {
            naam: (begin, lengte) for naam, begin, lengte in kop["blokken"]}
        self._data = data
        self._map = map_
        self._inhoud = memoryview(data)[begin:]

    def __reduce__(self) -> tuple[Any, ...]:
        # to another process as its bytes (checked again there)
        return (_Cache.uit, (self._data, self._map))

    @classmethod
    def lees(cls, bestand: Path, map_: Path) -> _Cache | None:
        """The cache of the folder, or None when it is missing, damaged, or made by other
        code or for another folder."""
        try:
            with open(bestand, "rb") as f:
                data = f.read()
        except OSError:
            return None
        return cls.uit(data, map_)

    @classmethod
    def uit(cls, data: bytes, map_: Path) -> _Cache | None:
        try:
            if not data.startswith(_MAGIE):
                return None
            einde = data.index(b"\n", len(_MAGIE))
            kop = json.loads(data[len(_MAGIE):einde])
            if (kop["formaat"] != FORMAAT or kop["code"] != _code_vingerafdruk()
                    or kop["map"] != str(map_.absolute())
                    or hashlib.sha256(memoryview(data)[einde + 1:]).hexdigest()
                    != kop["sha256"]):
                return None
            return cls(kop, data, einde + 1, map_)
        except (ValueError, KeyError, TypeError):
            return None

    def alle(self) -> PerGemeente:
        return self.van(naam for naam in self._blokken if naam is not None)

    def aantallen(self) -> dict[str, int]:
        return dict(self._aantallen)

    def van(self, aanbieders: Iterable[str]) -> PerGemeente:
        posities: list[int] = []
        versies: list[Toewijzing] = []
        for naam in sorted(set(aanbieders) & self._blokken.keys() - {None}):
            kolommen, positie = self._blok(naam)[:2]
            posities.extend(positie)
            versies.extend(_toewijzingen(kolommen))
        volgorde = sorted(range(len(posities)), key=posities.__getitem__)  # merges sorted runs
        return _per_gemeente(versies[i] for i in volgorde)

    def bewaard(self, inventaris: Inventaris) -> tuple[_Rijen, set[str]]:
        """The versions of every file that is unchanged since the cache was written (with
        their index in `inventaris`), and the names of those files."""
        namen, groottes, tijden = self._blok(None)[4]
        nu = {n: (b, g, t) for b, (n, g, t) in enumerate(zip(
            inventaris.namen, inventaris.groottes, inventaris.tijden, strict=True))}
        geldig: dict[int, int] = {}
        for oud, (naam, g, t) in enumerate(zip(namen, groottes, tijden, strict=True)):
            huidig = nu.get(naam)
            if t >= 0 and huidig is not None and huidig[1:] == (g, t):
                geldig[oud] = huidig[0]
        rijen = _Rijen.leeg()
        for naam in self._blokken:
            kolommen, _, bestanden, rangen = self._blok(naam)[:4]
            houden = [j for j, b in enumerate(bestanden) if b in geldig]
            for kolom, oud in zip(rijen.kolommen, kolommen, strict=True):
                kolom.extend([oud[j] for j in houden])
            rijen.bestanden.extend([geldig[bestanden[j]] for j in houden])
            rijen.rangen.extend([rangen[j] for j in houden])
        return rijen, {namen[oud] for oud in geldig}

    def _blok(self, naam: str | None) -> Any:
        begin, lengte = self._blokken[naam]
        return _Unpickler(io.BytesIO(self._inhoud[begin:begin + lengte])).load()


class _Unpickler(pickle.Unpickler):
    """Makes lists, tuples, strings, numbers, dates and times; nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in ("date", "time"):
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} hoort niet in de cache")


def als_kolommen(versies: Sequence[Toewijzing]) -> list[list[Any]]:
    """The versions as one list per field of Toewijzing, equal values as one object: a
    compact form to send between processes (see `uit_kolommen`); the cache keeps the
    sharing, so it pickles each distinct value once."""
    return [_gedeeld([getattr(v, veld) for v in versies]) for veld in _VELDEN]


def uit_kolommen(kolommen: Sequence[list[Any]]) -> list[Toewijzing]:
    """The versions of `als_kolommen` (or `gedecodeerd`) as objects again."""
    return _toewijzingen(kolommen)


def gecodeerd(rijen: Sequence[tuple[Any, ...]]) -> list[Any]:
    """Versions (tuples of their fields) as columns to send to another process: a field
    whose values repeat as its distinct values and a code per version (`gedecodeerd`)."""
    uit: list[Any] = []
    kolommen = zip(*rijen, strict=True) if rijen else ([] for _ in _VELDEN)
    for veld, kolom in zip(_VELDEN, map(list, kolommen), strict=True):
        if veld not in _HERHAALD:
            uit.append(kolom)
            continue
        codes: dict[Any, int] = {}
        nummers = [codes.setdefault(w, len(codes)) for w in kolom]
        uit.append((list(codes), nummers))
    return uit


def gedecodeerd(kolommen: Sequence[Any], gedeeld: dict[Any, Any]) -> list[list[Any]]:
    """The columns of `gecodeerd`, with equal values of different calls (`gedeeld`, kept
    over the calls) as one object too: the cache pickles each once (smaller, faster to
    write and to load; a date or time costs pickle a call). Only the distinct values meet
    `gedeeld`; the codes become values in C (itemgetter)."""
    uit: list[list[Any]] = []
    for veld, kolom in zip(_VELDEN, kolommen, strict=True):
        if veld in _HERHAALD:
            waarden, nummers = kolom
            waarden = [gedeeld.setdefault(w, w) for w in waarden]
            kolom = (list(itemgetter(*nummers)(waarden)) if len(nummers) > 1
                     else [waarden[n] for n in nummers])
        uit.append(kolom)
    return uit


_HERHAALD = frozenset(_VELDEN) - {"toewijzingnummer", "bsn", "volume", "budget"}
"""The fields whose values repeat across many allocations (worth sharing in the cache)."""


_EENVOUDIG = frozenset({str, int, type(None), datetime.date, datetime.time})


def _alleen_eenvoudig(kolommen: list[list[Any]]) -> None:
    """Raise ValueError unless every value is of a kind the cache restores exactly (and
    `_Unpickler` makes): str, int, None, date, time without a time zone."""
    for kolom in kolommen:
        soorten = set(map(type, kolom))
        if not soorten <= _EENVOUDIG:
            raise ValueError(f"de cache kan {soorten - _EENVOUDIG} niet exact bewaren")
        if datetime.time in soorten and any(
                t.tzinfo is not None for t in kolom if type(t) is datetime.time):
            raise ValueError("de cache bewaart geen tijd met tijdzone")


def _gedeeld(waarden: list[Any], gezien: dict[Any, Any] | None = None) -> list[Any]:
    """Equal values as one object, so a pickle holds each distinct value once (a column
    of gemeenten, eenheden or dates has few): smaller, and much faster to load."""
    gezien = {} if gezien is None else gezien
    return [gezien.setdefault(w, w) for w in waarden]


_ZETTERS = tuple(getattr(Toewijzing, veld).__set__ for veld in _VELDEN)


def _toewijzingen(kolommen: Sequence[list[Any]]) -> list[Toewijzing]:
    """Toewijzing objects from their columns, a field at a time (the slots' own setters, in
    C): what `Toewijzing(*rij)` makes, at a fraction of the cost. Safe because Toewijzing's
    __init__ only assigns its fields (checked in the tests)."""
    objecten = list(map(object.__new__, repeat(Toewijzing, len(kolommen[0]))))
    for zet, kolom in zip(_ZETTERS, kolommen, strict=True):
        deque(map(zet, objecten, kolom), maxlen=0)
    return objecten


def _schrijf(bestand: Path, data: bytes) -> None:
    """Write the cache (best effort: a cache that cannot be written is no error)."""
    tijdelijk: Path | None = None
    try:
        bestand.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(bestand.parent, 0o700)  # also a folder made earlier by something else
        with tempfile.NamedTemporaryFile(dir=bestand.parent, prefix=".toewijzingen-",
                                         delete=False) as f:
            tijdelijk = Path(f.name)  # made with mode 0600
            f.write(data)
        os.replace(tijdelijk, bestand)  # atomic: a reader sees the old or the new cache
    except OSError:
        if tijdelijk is not None:
            with contextlib.suppress(OSError):
                tijdelijk.unlink()


def wis() -> int:
    """Remove every allocation cache of this user (and any half-written one); how many
    files were removed. A file that cannot be removed raises OSError."""
    map_ = cache_map()
    if not map_.is_dir():
        return 0
    weg = 0
    for pad in sorted(map_.iterdir()):
        if pad.name.startswith(("toewijzingen-", ".toewijzingen-")) and pad.is_file():
            pad.unlink()
            weg += 1
    return weg


def _bytes(map_: Path, inventaris: Inventaris, rijen: _Rijen,
           geldend: dict[tuple[str, str], int]) -> bytes:
    positie = [-1] * len(rijen.bestanden)
    groepen: dict[str | None, list[int]] = {None: []}
    aanbieders = rijen.kolommen[_AANBIEDER]
    for p, i in enumerate(geldend.values()):  # in dict order: loading then only merges
        positie[i] = p
        groepen.setdefault(aanbieders[i], []).append(i)
    groepen[None] = [i for i in rijen.op_volgorde() if positie[i] < 0]
    grens = time.time_ns() - ONZEKER_NS
    tijden = [t if t <= grens else -1 for t in inventaris.tijden]
    _alleen_eenvoudig(rijen.kolommen)
    blokken: list[tuple[str | None, bytes]] = []
    for naam, leden in groepen.items():
        blok: tuple[Any, ...] = (rijen.kies(leden), [positie[i] for i in leden],
                                 [rijen.bestanden[i] for i in leden],
                                 [rijen.rangen[i] for i in leden])
        if naam is None:
            blok += ((inventaris.namen, inventaris.groottes, tijden),)
        blokken.append((naam, pickle.dumps(blok, protocol=pickle.HIGHEST_PROTOCOL)))
    inhoud = b"".join(data for _, data in blokken)
    index, begin = [], 0
    for naam, data in blokken:
        index.append((naam, begin, len(data)))
        begin += len(data)
    kop = {"formaat": FORMAAT, "code": _code_vingerafdruk(), "map": str(map_.absolute()),
           "inventaris": Inventaris.van(inventaris.namen, inventaris.groottes,
                                        tijden).vingerafdruk,
           "blokken": index, "gemeenten": _aantallen(geldend),
           "sha256": hashlib.sha256(inhoud).hexdigest()}
    return _MAGIE + json.dumps(kop).encode() + b"\n" + inhoud


def _aantallen(geldend: dict[tuple[str, str], int]) -> dict[str, int]:
    aantallen: dict[str, int] = {}
    for gemeente, _ in geldend:
        aantallen[gemeente] = aantallen.get(gemeente, 0) + 1
    return aantallen
