"""What a batch reports: per message a summary (`Berichtuitkomst`), the messages refused with
0001, and the phases and memory of its processes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from berichten.ijw.jw325 import declaratie_codes
from engine.model import DeclaratieBeoordeling


@dataclass(slots=True)
class Berichtuitkomst:
    """One message's summary: its lines, how many were refused, the amounts (cents) and
    the return codes of the declaration."""

    bestand: str
    declaratienummer: str
    prestaties: int
    afgewezen: int
    ingediend: int
    toegekend: int
    codes: str


@dataclass(slots=True)
class Verslag:
    uitkomsten: list[Berichtuitkomst] = field(default_factory=list)
    technisch_afgewezen: list[str] = field(default_factory=list)
    uitvoer: Path = Path()
    seconden: float = 0.0
    processen: list[dict[str, Any]] = field(default_factory=list)
    """per worker process: its phases and peak memory (for REGELWERK_FASEN)"""
    samen_piek_kib: int = 0
    """the most memory this process and its workers held at once (PSS: a page that two
    processes share counts half in each), sampled while the workers ran"""


def berichtuitkomst(pad: Path, b: DeclaratieBeoordeling) -> Berichtuitkomst:
    afgewezen = getattr(b.uitkomsten, "aantal_afgewezen", None)  # without making them all
    if afgewezen is None:
        afgewezen = sum(1 for u in b.uitkomsten if u.status == "afgewezen")
    codes = (", ".join(b.retourcodes) or "0001") if b.technische_fout is not None \
        else ", ".join(declaratie_codes(b))
    return Berichtuitkomst(pad.name, b.declaratie.declaratienummer, len(b.uitkomsten),
                           afgewezen, b.declaratie.totaal_ingediend, b.totaal_toegekend, codes)
