"""What the workbench's editor knows of the rule language, from the language's one vocabulary
(`dsl.woorden`, `engine.woorden`, `engine.velden`) and the region's rule book: the page
highlights and completes from this answer and keeps no list of its own. And the one-click fix
of an error whose suggestion names the word meant ('bedoelde u ...?')."""

from __future__ import annotations

import re
from typing import Any

from engine.ir import Regelboek

_FUNCTIEKLASSEN = frozenset({"FNVAN", "FNIN", "FN1", "FN2", "AGG"})


def woorden(regelboek: Regelboek | None) -> dict[str, list[str]]:
    """Keywords, functions, fields, units, and the region's parameters and rule names."""
    from dsl import woorden as taal
    from engine.velden import PER_NAAM

    trefwoorden = sorted(f for f, soort in taal.FRASES.items() if soort not in _FUNCTIEKLASSEN)
    functies = sorted(f for f, soort in taal.FRASES.items() if soort in _FUNCTIEKLASSEN)
    return {
        "trefwoorden": trefwoorden,
        "functies": functies,
        "velden": sorted(PER_NAAM),
        "eenheden": sorted(w for w in taal.EENHEDEN if w),
        "parameters": sorted(regelboek.parameters) if regelboek else [],
        "regels": sorted({r.naam for r in regelboek.regels}) if regelboek else [],
    }


_BEDOELDE = re.compile(r"bedoelde u '([^']+)'\?")


def herstelling(tekst: str, line: int, column: int, suggestie: str | None
                ) -> dict[str, Any] | None:
    """The edit that applies the suggestion at (line, column), 1-based: replace `van`..`tot`
    (offsets into `tekst`) by `door`. The words replaced are as many as the suggestion has
    (a misspelt 'geleverd volum' is two words); inside quotes, the quoted name. None when
    there is no word to put in, or it is already there."""
    gevonden = _BEDOELDE.search(suggestie or "")
    regels = tekst.split("\n")
    if not gevonden or not 1 <= line <= len(regels):
        return None
    door = gevonden.group(1)
    begin = sum(len(r) + 1 for r in regels[:line - 1]) + max(column - 1, 0)
    rest = tekst[begin:tekst.find("\n", begin) if "\n" in tekst[begin:] else len(tekst)]
    oud = _oud_woord(rest, len(door.split()))
    if not oud or oud.strip('"') == door:
        return None
    if oud.startswith('"'):
        return {"van": begin + 1, "tot": begin + len(oud) - 1, "door": door}
    return {"van": begin, "tot": begin + len(oud), "door": door}


def _oud_woord(rest: str, woorden_: int) -> str:
    """The text at the error: a quoted name, or the first `woorden_` words."""
    if rest.startswith('"'):
        eind = rest.find('"', 1)
        return rest[:eind + 1] if eind > 0 else ""
    gevonden = re.match(r"[\w.-]+(?:[ \t]+[\w.-]+){" + str(woorden_ - 1) + "}", rest)
    return gevonden.group(0) if gevonden else ""
