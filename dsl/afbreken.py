"""Line breaking for `regelwerk fmt`: long expressions over several lines.

The formatter describes an expression as pieces (`Stuk`): plain text, a `Reeks` (pieces
written one after another) or a `Keten` (a head and parts that each start with an
operator word: 'en X', 'indien C,', 'anders Y', 'plus Z'). `schrijf` keeps everything on
one line while it fits in `BREEDTE` characters; a `Keten` that does not fit puts each part on
its own line, two spaces deeper than the line it started on, and only then breaks inside
its parts (the outermost operator first). Layout carries no meaning in the language, so
the lines read back to the same AST.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

BREEDTE = 100
"""The line width the formatter aims for (a line whose text cannot break may be longer)."""

INSPRINGING = 2


@dataclass(frozen=True, slots=True)
class Reeks:
    """Pieces written one after another, with no space added between them."""

    delen: tuple[Stuk, ...]


@dataclass(frozen=True, slots=True)
class Keten:
    """A head and parts separated by a space, or each part on its own line."""

    kop: Stuk
    vervolg: tuple[Stuk, ...]


Stuk: TypeAlias = str | Reeks | Keten


def vlak(stuk: Stuk) -> str:
    """The piece on one line."""
    if isinstance(stuk, str):
        return stuk
    if isinstance(stuk, Reeks):
        return "".join(vlak(d) for d in stuk.delen)
    return " ".join([vlak(stuk.kop), *(vlak(v) for v in stuk.vervolg)])


def schrijf(begin: str, stuk: Stuk, inspringing: int, breedte: int = BREEDTE) -> list[str]:
    """The lines of `begin` (a statement's indentation and keyword) followed by `stuk`;
    continuation lines start `inspringing` spaces in."""
    lines = [begin]
    _plaats(lines, stuk, inspringing, 0, breedte)
    return lines


def _plaats(lines: list[str], stuk: Stuk, inspringing: int, staart: int,
            breedte: int) -> None:
    """Append `stuk` to the last line, breaking it when it (and the `staart` characters
    that must follow it on the same line) would run past `breedte`."""
    tekst = vlak(stuk)
    if isinstance(stuk, str) or len(lines[-1]) + len(tekst) + staart <= breedte:
        lines[-1] += tekst
    elif isinstance(stuk, Reeks):
        for i, deel in enumerate(stuk.delen):
            _plaats(lines, deel, inspringing, _vast(stuk.delen[i + 1:], staart), breedte)
    else:
        dieper = inspringing + INSPRINGING
        _plaats(lines, stuk.kop, dieper, 0 if stuk.vervolg else staart, breedte)
        for i, deel in enumerate(stuk.vervolg):
            lines.append(" " * inspringing)
            laatste = i == len(stuk.vervolg) - 1
            _plaats(lines, deel, dieper, staart if laatste else 0, breedte)


def _vast(delen: tuple[Stuk, ...], staart: int) -> int:
    """How many characters of `delen` (then of `staart`) must stay on the current line:
    up to the first place where they could break."""
    lengte = 0
    for deel in delen:
        kop, breekbaar = _eerste_regel(deel)
        lengte += kop
        if breekbaar:
            return lengte
    return lengte + staart


def _eerste_regel(stuk: Stuk) -> tuple[int, bool]:
    """The shortest first line of `stuk` and whether it can break at all."""
    if isinstance(stuk, str):
        return len(stuk), False
    if isinstance(stuk, Keten):
        return _eerste_regel(stuk.kop)[0], True
    lengte = 0
    for deel in stuk.delen:
        kop, breekbaar = _eerste_regel(deel)
        lengte += kop
        if breekbaar:
            return lengte, True
    return lengte, False
