"""Located errors in rule files (and their CSV tables), rendered the way a lawyer reads them.

Every error names `bestand:line:column`, shows the source line with a caret under the
column and, where one exists, a suggestion ("bedoelde u 'geleverd volume'?").
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class RegelFout:
    """One error in a rule file or table: where, what (a Dutch sentence), and a hint."""

    bestand: str
    line: int
    column: int
    bericht: str
    suggestie: str | None = None
    line_tekst: str = ""
    """The source line the error is on (without its newline), for the caret display."""

    def kop(self) -> str:
        """The first line: `bestand:line:column: fout: bericht`."""
        return f"{self.bestand}:{self.line}:{self.column}: fout: {self.bericht}"

    def __str__(self) -> str:
        delen = [self.kop()]
        if self.line_tekst:
            nummer = str(self.line)
            breedte = max(len(nummer), 3)
            tekst = self.line_tekst.replace("\t", " ")
            delen.append(f"{nummer:>{breedte + 1}} | {tekst}")
            delen.append(f"{'':>{breedte + 1}} | {' ' * max(self.column - 1, 0)}^")
        if self.suggestie:
            delen.append(f"  {self.suggestie}")
        return "\n".join(delen)


class RegelFoutenError(Exception):
    """One or more errors in rule files; `fouten` holds all of them, in file order."""

    def __init__(self, fouten: Iterable[RegelFout]) -> None:
        self.fouten: list[RegelFout] = sorted_fouten(fouten)
        super().__init__(render(self.fouten))

    def __str__(self) -> str:
        return render(self.fouten)


def sorted_fouten(fouten: Iterable[RegelFout]) -> list[RegelFout]:
    """Errors in file order, without duplicates (the same error found twice)."""
    uniek = dict.fromkeys(fouten)
    return sorted(uniek, key=lambda f: (f.bestand, f.line, f.column, f.bericht))


def render(fouten: Iterable[RegelFout]) -> str:
    """All errors as text, separated by blank lines."""
    return "\n\n".join(str(f) for f in fouten)


def line_uit(tekst: str, line: int) -> str:
    """The 1-based `line` of `tekst`, or '' when there is no such line."""
    lines = tekst.splitlines()
    if 1 <= line <= len(lines):
        return lines[line - 1]
    return ""


def maak_fout(
    bestand: str, tekst: str, line: int, column: int, bericht: str, suggestie: str | None = None
) -> RegelFout:
    """A `RegelFout` with its source line taken from `tekst`."""
    return RegelFout(bestand, line, column, bericht, suggestie, line_uit(tekst, line))


def leesfout_reden(fout: OSError) -> str:
    """Why a file could not be read, in Dutch (the system's own text is English)."""
    if isinstance(fout, PermissionError):
        return "geen leesrechten"
    if isinstance(fout, IsADirectoryError):
        return "het is een map, geen bestand"
    if isinstance(fout, FileNotFoundError):
        return "het bestaat niet (meer)"
    if fout.errno == errno.EIO:
        return "het opslagmedium gaf een leesfout"
    return f"het besturingssysteem meldt fout {fout.errno}"


def lees_bestand(pad: Path) -> bytes:
    """The bytes of a rule file, or RegelFoutenError naming it (an unreadable file is an
    error in the rule set, not an internal one)."""
    try:
        return pad.read_bytes()
    except OSError as e:
        raise RegelFoutenError([RegelFout(str(pad), 1, 1, f"regelbestand '{pad}' is niet te "
                                          f"lezen: {leesfout_reden(e)}")]) from None
