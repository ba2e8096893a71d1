"""The tokenizer of the rule language, used by lark as a custom lexer.

Names in the language are phrases of ordinary words ("einddatum van de toewijzing",
"eerder goedgekeurd volume") that may contain words which elsewhere have a grammatical
role ("van", "eerder", "bekend"). A context-free lexer cannot tell them apart, so this one
works in two steps: it cuts the text into raw words, numbers, texts and signs, and then
groups consecutive words by the longest known phrase: a keyword phrase ("groter is dan",
"tot en met", "de som van") or a known name (a field of `engine.velden`, a parameter or
waarde declared in this file or in the rule book it belongs to). Words that form neither
become WORD tokens; the parser joins them into a name and the checks report it if unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from lark import Token
from lark.common import LexerConf
from lark.lexer import Lexer

from dsl import woorden
from engine.periode import GROOTBOEK_NAMEN, PERIODE_NAMEN
from engine.velden import PER_NAAM

EXTRA_NAMEN: ContextVar[frozenset[str]] = ContextVar("EXTRA_NAMEN", default=frozenset())
"""Names known from other files of the same rule book (set by `dsl.parser.parse`)."""

LIDWOORDEN = frozenset({"de", "het"})


class LexFoutError(Exception):
    """A character or literal the language does not know, with its position."""

    def __init__(self, bericht: str, line: int, column: int, suggestie: str | None = None
                 ) -> None:
        super().__init__(bericht)
        self.bericht = bericht
        self.line = line
        self.column = column
        self.suggestie = suggestie


MAX_DIEPTE = 32
"""Parentheses nested deeper than this are refused while lexing: no person writes them, and
the LALR parser and the tree walkers would spend memory and time in proportion to them."""


class TeDiepGenestError(LexFoutError):
    """Parentheses nested deeper than `MAX_DIEPTE`, at the '(' that goes over: the parser stops
    here instead of resuming (every later line would still be inside the nesting)."""


_TEKENS = {
    ">": "schrijf 'groter is dan'", "<": "schrijf 'kleiner is dan'",
    "=": "schrijf 'gelijk is aan' (of 'is')", "!": "schrijf 'niet gelijk is aan'",
    "+": "schrijf 'plus'", "*": "schrijf 'maal'", "/": "schrijf 'gedeeld door'",
    "-": "schrijf 'min'; een bedrag schrijft u als € 5 of € 5,25",
    "'": "een tekst staat tussen dubbele aanhalingstekens: \"45A03\"",
    ".": "een decimaal getal schrijft u met een komma: 1,5",
}


@dataclass(frozen=True, slots=True)
class Ruw:
    """A raw lexical item before phrases are grouped."""

    soort: str  # WORD, NUMBER, DATE, STRING, or a punctuation terminal
    tekst: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


_PATRONEN = [
    ("COMMENT", r"#[^\n]*"),
    ("WS", r"[ \t\r\f\v]+"),
    ("NL", r"\n"),
    ("TRIPLE", r'"""(?:.|\n)*?"""'),
    ("STRING", r'"[^"\n]*"'),
    ("DATE", r"\d{4}-\d{2}-\d{2}(?![\w-])"),
    ("NUMBER", r"\d+(?:[.,]\d+)*(?![\w-])"),
    ("CODEWOORD", r"\d+[^\W_][\w-]*"),
    ("WORD", r"[^\W\d_][\w'-]*(?<!-)"),
    ("EURO", r"€"),
    ("LPAR", r"\("),
    ("RPAR", r"\)"),
    ("KOMMA", r","),
    ("DUBBELEPUNT", r":"),
]
_REGEX = re.compile("|".join(f"(?P<{naam}>{patroon})" for naam, patroon in _PATRONEN))


def ruwe_items(tekst: str) -> Iterator[Ruw]:
    """Cut `tekst` into raw items; raises LexFoutError on an unknown character and
    TeDiepGenestError at the first '(' nested deeper than MAX_DIEPTE."""
    pos, line, line_start, diepte = 0, 1, 0, 0
    while pos < len(tekst):
        m = _REGEX.match(tekst, pos)
        if m is None:
            _onbekend_teken(tekst, pos, line, pos - line_start + 1)
            break
        soort, stuk = m.lastgroup or "", m.group()
        column = pos - line_start + 1
        nieuwe_lines = stuk.count("\n")
        end_line = line + nieuwe_lines
        end_column = (len(stuk) - stuk.rfind("\n")) if nieuwe_lines else column + len(stuk)
        if soort == "CODEWOORD":
            soort = "WORD"
        elif soort == "LPAR":
            diepte += 1
            if diepte > MAX_DIEPTE:
                raise TeDiepGenestError(
                    f"de haakjes zijn hier dieper genest dan {MAX_DIEPTE} niveaus; splits de "
                    "uitdrukking met 'waarde' in kleinere stukken", line, column)
        elif soort == "RPAR":
            diepte = max(diepte - 1, 0)
        if soort not in ("WS", "NL", "COMMENT"):
            if soort == "TRIPLE":
                soort = "STRING"
            yield Ruw(soort, stuk, pos, m.end(), line, column, end_line, end_column)
        if nieuwe_lines:
            line_start = pos + stuk.rfind("\n") + 1
        line = end_line
        pos = m.end()


def _onbekend_teken(tekst: str, pos: int, line: int, column: int) -> None:
    teken = tekst[pos]
    if teken == '"':
        raise LexFoutError("deze tekst tussen aanhalingstekens wordt niet afgesloten", line, column)
    if teken.isdigit():
        raise LexFoutError(f"onbekend getal of datum '{_woord_op(tekst, pos)}'", line, column)
    raise LexFoutError(f"onbekend teken '{teken}'", line, column, _TEKENS.get(teken))


def _woord_op(tekst: str, pos: int) -> str:
    m = re.compile(r"[^\s(),:]+").match(tekst, pos)
    return m.group() if m else tekst[pos]


def commentaren(tekst: str) -> list[tuple[int, int, str]]:
    """(line, column, text) of every `#` comment, for the formatter."""
    uit: list[tuple[int, int, str]] = []
    for item_line, item_col, soort, stuk in _alle_items(tekst):
        if soort == "COMMENT":
            uit.append((item_line, item_col, stuk))
    return uit


def _alle_items(tekst: str) -> Iterator[tuple[int, int, str, str]]:
    pos, line, line_start = 0, 1, 0
    while pos < len(tekst):
        m = _REGEX.match(tekst, pos)
        if m is None:
            return
        stuk = m.group()
        yield line, pos - line_start + 1, m.lastgroup or "", stuk
        if "\n" in stuk:
            line += stuk.count("\n")
            line_start = pos + stuk.rfind("\n") + 1
        pos = m.end()


# ---------------------------------------------------------------- declared names


def _is_woord(item: Ruw, *woordenlijst: str) -> bool:
    return item.soort == "WORD" and item.tekst.lower() in woordenlijst


def gedeclareerde_namen(items: list[Ruw]) -> set[str]:
    """Names this text declares: after `parameter`, `waarde`, `waarbij` (and its commas),
    up to `is` (or `:`/`in artikel`/`door` in a contract's changes)."""
    namen: set[str] = set()
    in_waarbij = False
    for i, item in enumerate(items):
        if item.soort == "WORD" and item.tekst.lower() in woorden.CLAUSULE_WOORDEN:
            in_waarbij = item.tekst.lower() == "waarbij"
        start = _is_woord(item, "parameter", "waarde", "waarbij") or (
            in_waarbij and item.soort == "KOMMA"
        )
        if start:
            naam = _naam_vanaf(items, i + 1)
            if naam:
                namen.add(naam)
    return namen


def _naam_vanaf(items: list[Ruw], i: int) -> str | None:
    gevonden: list[str] = []
    for item in items[i : i + 12]:
        if item.soort != "WORD":
            return " ".join(gevonden) if gevonden and item.soort == "DUBBELEPUNT" else None
        woord = item.tekst.lower()
        if woord in ("is", "door") or (woord == "in" and gevonden):
            return " ".join(gevonden) or None
        if not (woord in LIDWOORDEN and not gevonden):
            gevonden.append(woord)
    return None


# ---------------------------------------------------------------- phrase grouping


class _Trie:
    """Word-sequence trie: the longest phrase starting at a position."""

    def __init__(self) -> None:
        self.kinderen: dict[str, _Trie] = {}
        self.soort: str | None = None

    def voeg_toe(self, woorden_: Iterable[str], soort: str) -> None:
        knoop = self
        for woord in woorden_:
            knoop = knoop.kinderen.setdefault(woord, _Trie())
        if knoop.soort is None:
            knoop.soort = soort

    def langste(self, woorden_: list[str], i: int) -> tuple[int, str | None]:
        knoop, lengte, soort = self, 0, None
        for j in range(i, len(woorden_)):
            volgende = knoop.kinderen.get(woorden_[j])
            if volgende is None:
                break
            knoop = volgende
            if knoop.soort is not None:
                lengte, soort = j - i + 1, knoop.soort
        return lengte, soort


def _sleutelwoord_trie() -> _Trie:
    trie = _Trie()
    for frase, soort in woorden.FRASES.items():
        trie.voeg_toe(frase.split(), soort)
    return trie


_SLEUTELWOORDEN = _sleutelwoord_trie()
_VELDNAMEN = frozenset(PER_NAAM) | frozenset(PERIODE_NAMEN) | frozenset(GROOTBOEK_NAMEN)


def _namen_trie(namen: Iterable[str]) -> _Trie:
    trie = _Trie()
    for naam in namen:
        trie.voeg_toe(naam.split(), "NAAM")
    return trie


_GELEZEN: ContextVar[dict[tuple[str, frozenset[str]], tuple[list[Ruw], _Trie]] | None] = \
    ContextVar("_GELEZEN", default=None)
"""While `onthoud_items` is active: the raw items and name trie per (text, names), so the
parser's error recovery, which looks at the same text up to three times per error, cuts it
into items once."""


_ONTHOUD_VANAF = 4096
"""Shorter texts are cut anew each time: the error messages parse small examples in
between, which must not push the large text out."""


@contextmanager
def onthoud_items() -> Iterator[None]:
    """Within the block, `tokens` reuses the raw items of a text it has already cut."""
    vorige = _GELEZEN.set({})
    try:
        yield
    finally:
        _GELEZEN.reset(vorige)


def _items_en_namen(tekst: str, extra_namen: Iterable[str]) -> tuple[list[Ruw], _Trie]:
    geheugen = _GELEZEN.get()
    sleutel = (tekst, frozenset(extra_namen))
    if geheugen is not None and sleutel in geheugen:
        return geheugen[sleutel]
    items = list(ruwe_items(tekst))
    namen = _namen_trie(_VELDNAMEN | gedeclareerde_namen(items) | sleutel[1])
    if geheugen is not None and len(tekst) >= _ONTHOUD_VANAF:
        geheugen.clear()  # one text at a time: the recovery blanks it out step by step
        geheugen[sleutel] = (items, namen)
    return items, namen


def tokens(tekst: str, extra_namen: Iterable[str] = ()) -> Iterator[Token]:
    """The token stream of `tekst` for the LALR parser."""
    items, namen = _items_en_namen(tekst, extra_namen)
    i = 0
    while i < len(items):
        if items[i].soort != "WORD":
            yield _token(items[i].soort, items[i].tekst, items[i], items[i])
            i += 1
            continue
        j = _einde_woorden(items, i)
        yield from _groepeer(items[i:j], namen)
        i = j


def _einde_woorden(items: list[Ruw], i: int) -> int:
    while i < len(items) and items[i].soort == "WORD":
        i += 1
    return i


def _groepeer(reeks: list[Ruw], namen: _Trie) -> Iterator[Token]:
    """Group a run of words into keyword, name and WORD tokens, longest phrase first."""
    kleine = [w.tekst.lower() for w in reeks]
    i = 0
    while i < len(reeks):
        k_len, k_soort = _SLEUTELWOORDEN.langste(kleine, i)
        n_len, _ = namen.langste(kleine, i)
        a_len = 0
        if kleine[i] in LIDWOORDEN:
            a_len, _ = namen.langste(kleine, i + 1)
            a_len = a_len + 1 if a_len else 0
        if a_len > max(k_len, n_len):
            yield _token("ART", kleine[i], reeks[i], reeks[i])
            i += 1
            continue
        if n_len > k_len:
            yield _token("NAAM", " ".join(kleine[i : i + n_len]), reeks[i], reeks[i + n_len - 1])
            i += n_len
        elif k_soort is not None:
            yield _token(k_soort, " ".join(kleine[i : i + k_len]), reeks[i], reeks[i + k_len - 1])
            i += k_len
        else:
            yield _token("WORD", reeks[i].tekst, reeks[i], reeks[i])
            i += 1


def _token(soort: str, waarde: str, eerste: Ruw, laatste: Ruw) -> Token:
    return Token(
        soort,
        waarde,
        start_pos=eerste.start,
        line=eerste.line,
        column=eerste.column,
        end_line=laatste.end_line,
        end_column=laatste.end_column,
        end_pos=laatste.end,
    )


class RegelLexer(Lexer):
    """lark's hook: lexes the text given to `Lark.parse` with the names of `EXTRA_NAMEN`."""

    def __init__(self, lexer_conf: LexerConf) -> None:
        self.lexer_conf = lexer_conf

    def lex(self, data: str) -> Iterator[Token]:  # type: ignore[override]
        return tokens(data, EXTRA_NAMEN.get())
