"""The phase, time and memory report of a batch (REGELWERK_FASEN=1), and its progress bar.

Time per phase (wall and CPU), the peak memory of every process, and the most memory the
processes held at once (PSS from /proc: pages a forked worker shares with its parent count
once). The bench reads the same figures (`cpu_seconden`, `piek_mib`, the printed lines)."""

from __future__ import annotations

import os
import re
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.progress import Progress


def cpu_seconden(kinderen: bool = False) -> float:
    """User + system CPU time of this process (all threads), or of its ended children."""
    tijden = os.times()
    if kinderen:
        return tijden.children_user + tijden.children_system
    return tijden.user + tijden.system


def piek_mib(wie: int = resource.RUSAGE_SELF) -> float:
    """Peak RSS of this process (or of its largest ended child) in MiB."""
    return resource.getrusage(wie).ru_maxrss / 1024


class Fasen:
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
        return {"pid": os.getpid(), "berichten": berichten, "fasen": self.tijden,
                "wand": time.perf_counter() - self._begin[0],
                "cpu": time.process_time() - self._begin[1],
                "piek_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}

    def toon(self, werkers: list[dict[str, Any]], samen_kib: int = 0) -> None:
        if not self.aan:
            return
        for regel in self.regels(werkers, samen_kib):
            print(regel, file=sys.stderr, flush=True)

    def regels(self, werkers: list[dict[str, Any]], samen_kib: int = 0) -> list[str]:
        """The report: a line per process, then the totals (every line starts with
        'fasen'; `som_van_pieken` reads them back)."""
        hier = self.verslag(0)
        uit = []
        for wie, v in [("hoofdproces", hier), *((f"werker {w['pid']}", w) for w in werkers)]:
            fasen = ", ".join(f"{n} {t[0]:.2f}/{t[1]:.2f}" for n, t in v["fasen"].items())
            uit.append(f"fasen {wie}: {v['wand']:.2f} s wand, {v['cpu']:.2f} s cpu, piek "
                       f"{v['piek_kib'] / 1024:.0f} MiB; {fasen} (wand/cpu s)")
        som = sum(v["piek_kib"] for v in [hier, *werkers]) / 1024
        kinderen = piek_mib(resource.RUSAGE_CHILDREN)
        uit.append(f"fasen totaal: {1 + len(werkers)} processen, som van de pieken (RSS) "
                   f"{som:.0f} MiB, tegelijk hoogstens (PSS) {samen_kib / 1024:.0f} MiB; "
                   f"grootste hulpproces {kinderen:.0f} MiB")
        return uit


def som_van_pieken(regels: list[str]) -> float:
    """The sum of the peak RSS of a batch's processes (MiB), from its report lines."""
    pieken = [float(m.group(1)) for regel in regels
              if regel.startswith("fasen") and (m := re.search(r"piek (\d+) MiB", regel))]
    return sum(pieken)


class Geheugen:
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
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class Voortgang:
    """A progress bar that appears only when the batch takes longer than a second."""

    def __init__(self, totaal: int) -> None:
        self.totaal = totaal
        self.gedaan = 0
        self._balk: Progress | None = None
        self._taak: object = None

    def __enter__(self) -> Voortgang:
        return self

    def stap(self, verstreken: float) -> None:
        self.gedaan += 1
        if self._balk is None and verstreken > 1.0 and self.gedaan < self.totaal:
            from rich.progress import Progress  # rich only when a batch is slow enough

            self._balk = Progress(transient=True)
            self._balk.start()
            self._taak = self._balk.add_task("berichten controleren", total=self.totaal)
        if self._balk is not None:
            self._balk.update(self._taak, completed=self.gedaan)  # type: ignore[arg-type]

    def __exit__(self, *_: object) -> None:
        if self._balk is not None:
            self._balk.stop()
