"""The rule books in force in a running service, one per region, swappable while it runs.

A region is a sub-folder of the contract folder with a `contract.regels`. Each request takes
the `GeladenRegio` in force when it starts and keeps that object: a reload swaps the entry
under a lock, so requests in flight finish on the rule book they started with, and a rule set
with errors never replaces the one in force.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from api.instellingen import REPO
from api.motor import Regelfout, RegelsetFoutError
from berichten.standaard import Standaard
from berichten.wetten import standaarden_van
from engine.ir import Regelboek

log = logging.getLogger("regelwerk.api")

Lader = Callable[[Path, Path | None], Regelboek]


class OnbekendeRegioError(Exception):
    """No region with this name, or no region for this gemeente code."""


class DubbeleGemeenteError(Exception):
    """A gemeente code listed by more than one region: the caller must name the region."""


_GEMEENTEN = re.compile(r"^\s*gemeenten\b([\s\",0-9]*)", re.MULTILINE)


def geclaimde_gemeenten(contract: Path) -> frozenset[str]:
    """The gemeente codes a contract file names, read without the rule language (which has
    just refused the file): a plain look at its `gemeenten` clause; empty when unreadable."""
    try:
        tekst = contract.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    return frozenset(code for gevonden in _GEMEENTEN.findall(tekst)
                     for code in re.findall(r"\d{4}", gevonden))


@dataclass(frozen=True, slots=True)
class GeladenRegio:
    naam: str
    map: Path
    regelboek: Regelboek
    geladen_op: datetime
    vingerafdruk: tuple[tuple[str, int, int], ...] = ()
    standaarden: tuple[Standaard, ...] = ()
    """The standards (laws) the contract covers (`berichten.wetten`), computed on load."""

    @property
    def wetten(self) -> tuple[Standaard, ...]:
        """The standards whose messages this region takes: by its tariffs' categories."""
        return self.standaarden or standaarden_van(self.regelboek)

    def dekt(self, standaard: Standaard) -> bool:
        """Whether the region takes messages of `standaard` (its contract covers the law)."""
        return any(s.naam == standaard.naam for s in self.wetten)


@dataclass(slots=True)
class RegioRegister:
    """Loads every region of `contracten` and hands out the rule book in force."""

    contracten: Path
    standaard: Path | None
    lader: Lader
    _regios: dict[str, GeladenRegio] = field(default_factory=dict)
    _fouten: dict[str, list[Regelfout]] = field(default_factory=dict)
    _geweigerd: dict[str, tuple[tuple[str, int, int], ...]] = field(default_factory=dict)
    _geclaimd: dict[str, frozenset[str]] = field(default_factory=dict)
    """gemeenten named by regions that never loaded (their rule set has errors)"""
    _slot: threading.Lock = field(default_factory=threading.Lock)

    def mappen(self) -> list[Path]:
        """The region folders: every sub-folder with a contract.regels."""
        if not self.contracten.is_dir():
            return []
        return sorted(p.parent for p in self.contracten.glob("*/contract.regels"))

    def laad_alle(self) -> None:
        """Load every region; a region with errors is left out and its errors kept."""
        for map in self.mappen():
            try:
                self.herlaad(map.name)
            except RegelsetFoutError as err:
                log.error("regio %s niet geladen: %d fout(en) in de regelset", map.name,
                          len(err.fouten))

    def herlaad(self, naam: str) -> GeladenRegio:
        """(Re)load one region. On errors the old rule book stays and RegelsetFoutError
        rises; an unknown name raises OnbekendeRegioError."""
        map = self.regio_map(naam)
        afdruk = self.vingerafdruk(map)
        try:
            regelboek = self.lader(map, self.standaard)
        except RegelsetFoutError as err:
            with self._slot:
                self._fouten[naam] = err.fouten
                self._geweigerd[naam] = afdruk
                if naam not in self._regios:
                    self._geclaimd[naam] = geclaimde_gemeenten(map / "contract.regels")
            raise
        nieuw = GeladenRegio(naam, map, regelboek, datetime.now(UTC), afdruk,
                             standaarden_van(regelboek))
        with self._slot:
            self._regios[naam] = nieuw
            self._fouten.pop(naam, None)
            self._geweigerd.pop(naam, None)
            self._geclaimd.pop(naam, None)
        log.info("regio %s geladen, regelset %s", naam, regelboek.hash[:12])
        return nieuw

    def vingerafdruk(self, map: Path) -> tuple[tuple[str, int, int], ...]:
        """(path, mtime, size) of every file the region may read: to notice a change."""
        mappen = [map, self.standaard or REPO / "regels"]
        return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                            for m in mappen for p in m.rglob("*") if p.is_file()))

    def gewijzigd(self) -> list[str]:
        """Regions whose files changed since they were loaded or last refused (and new
        region folders)."""
        uit = []
        for map in self.mappen():
            huidig = self._regios.get(map.name)
            afdruk = self.vingerafdruk(map)
            bekend = {huidig.vingerafdruk if huidig else None, self._geweigerd.get(map.name)}
            if afdruk not in bekend:
                uit.append(map.name)
        return uit

    def regio(self, naam: str) -> GeladenRegio:
        try:
            return self._regios[naam]
        except KeyError:
            raise OnbekendeRegioError(naam) from None

    def met_gemeente(self, gemeente: str) -> list[GeladenRegio]:
        """Every region that lists this gemeente code, by name (none, one, or a few)."""
        return sorted((r for r in self._regios.values() if gemeente in r.regelboek.gemeenten),
                      key=lambda r: r.naam)

    def niet_geladen_met(self, gemeente: str) -> list[str]:
        """Regions that name this gemeente in their contract but never loaded: a message of
        the gemeente may be theirs, so it must not silently go to another region."""
        return sorted(naam for naam, gemeenten in self._geclaimd.items() if gemeente in gemeenten)

    def voor_gemeente(self, gemeente: str) -> GeladenRegio:
        """The region that lists this gemeente code."""
        kandidaten = self.met_gemeente(gemeente)
        if len(kandidaten) > 1:
            raise DubbeleGemeenteError(gemeente)
        if not kandidaten:
            raise OnbekendeRegioError(gemeente)
        return kandidaten[0]

    def regio_map(self, naam: str) -> Path:
        """The folder of region `naam` (loaded or refused), or OnbekendeRegioError."""
        map = self.contracten / naam
        if "/" in naam or naam.startswith(".") or not (map / "contract.regels").is_file():
            raise OnbekendeRegioError(naam)
        return map

    def standaard_map(self) -> Path | None:
        """The standard rule files every region is loaded with (None: the loader finds it
        beside the region's folder); a staged copy of a region is loaded with it too."""
        if self.standaard is not None:
            return self.standaard
        from dsl.loader import zoek_standaard

        return zoek_standaard(self.contracten.resolve())

    def hash_van(self, naam: str) -> str | None:
        """The hash of the region's rule set in force, None when none is."""
        huidig = self._regios.get(naam)
        return huidig.regelboek.hash if huidig else None

    def alle(self) -> list[GeladenRegio]:
        return sorted(self._regios.values(), key=lambda r: r.naam)

    def fouten(self) -> dict[str, list[Regelfout]]:
        """Errors of regions whose last load failed (the old rule book, if any, stays)."""
        return dict(self._fouten)
