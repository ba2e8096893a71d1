"""Parse rule text into the AST: lark LALR with positions, then `dsl.transformer`.

Syntax errors become Dutch sentences: lark's `UnexpectedInput.match_examples` matches the
parser state against small examples of typical mistakes (`dsl.syntaxfouten`); anything
else is described from the tokens the parser expected. After an error the parser resumes
at the next statement that starts a line, so one run reports every syntax error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from itertools import takewhile
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from dsl import syntaxfouten
from dsl.fouten import RegelFout, maak_fout
from dsl.lexer import (
    EXTRA_NAMEN,
    LexFoutError,
    RegelLexer,
    TeDiepGenestError,
    onthoud_items,
    tokens,
)
from dsl.nodes import Bestand
from dsl.transformer import bouw

MAX_FOUTEN = 50
WERK_BUDGET = 500_000
"""Characters the parser may lex over all its attempts: after each syntax error it lexes the
whole text again, so a large text with many errors would cost errors × size. The number of
syntax errors looked for is at most WERK_BUDGET // len(tekst) (and MAX_FOUTEN): a 7 kB file
still gets all 50, a 128 kB one (the service's limit) its first 3 and a note that the check
stopped there."""
STARTERS = frozenset({"ARTIKEL", "LID", "REGEL", "PARAMETER", "WAARDE", "TABEL", "WIJZIGT",
                      "VERVANGT", "VERVALT", "CONTRACT"})


@cache
def lark_parser() -> Lark:
    """The LALR parser (built once per process)."""
    grammatica = (Path(__file__).parent / "grammar.lark").read_text(encoding="utf-8")
    return Lark(grammatica, parser="lalr", lexer=RegelLexer, propagate_positions=True,
                maybe_placeholders=False)


def parse_boom(tekst: str, namen: Iterable[str] = ()) -> Tree[Token]:
    """lark's parse tree of `tekst` (raises lark's or the lexer's exceptions)."""
    vorige = EXTRA_NAMEN.set(frozenset(namen))
    try:
        return lark_parser().parse(tekst)
    finally:
        EXTRA_NAMEN.reset(vorige)


def parse(
    tekst: str, bestand: str = "<invoer>", namen: Iterable[str] = ()
) -> tuple[Bestand | None, list[RegelFout]]:
    """The AST of `tekst` and its syntax and literal errors (the AST is None when the
    syntax is wrong). `namen`: names declared in other files of the same rule book."""
    with onthoud_items():
        return _parse(tekst, bestand, frozenset(namen))


def _parse(tekst: str, bestand: str, namen: frozenset[str]
           ) -> tuple[Bestand | None, list[RegelFout]]:
    fouten: list[RegelFout] = []
    werktekst = tekst
    hoogstens = min(MAX_FOUTEN, max(1, WERK_BUDGET // max(len(tekst), 1)))
    while len(fouten) < hoogstens:
        try:
            boom = parse_boom(werktekst, namen)
        except TeDiepGenestError as e:
            fouten.append(maak_fout(bestand, tekst, e.line, e.column, e.bericht, e.suggestie))
            return None, fouten
        except LexFoutError as e:
            fouten.append(maak_fout(bestand, tekst, e.line, e.column, e.bericht, e.suggestie))
            werktekst = _wis_rest_van_line(werktekst, e.line, e.column)
            continue
        except UnexpectedInput as e:
            fouten.append(_syntaxfout(e, werktekst, tekst, bestand, namen))
            hervat = _hervat_positie(werktekst, e, namen)
            if hervat is None:
                return None, fouten
            werktekst = _wis_tot(werktekst, hervat)
            continue
        except RecursionError:
            return None, [_te_diep(bestand, tekst)]
        if fouten:
            return None, fouten
        try:
            return bouw(boom, bestand, tekst)
        except RecursionError:
            return None, [_te_diep(bestand, tekst)]
    return None, [*fouten, _gestopt(bestand, tekst, fouten)]


def _gestopt(bestand: str, tekst: str, fouten: list[RegelFout]) -> RegelFout:
    """The note after the last syntax error looked for, at its place: there may be more."""
    laatste = fouten[-1]
    return maak_fout(bestand, tekst, laatste.line, laatste.column,
                     f"de controle stopt na {len(fouten)} syntaxfouten; verbeter deze en "
                     "controleer de tekst opnieuw")


def _te_diep(bestand: str, tekst: str) -> RegelFout:
    """An expression nested deeper than any person writes: located at its longest line."""
    lines = tekst.splitlines() or [""]
    line = max(range(len(lines)), key=lambda i: len(lines[i])) + 1
    return maak_fout(bestand, tekst, line, 1, "deze uitdrukking is te lang of te diep genest; "
                     "splits haar met 'waarde' in kleinere stukken")


def _syntaxfout(e: UnexpectedInput, werktekst: str, tekst: str, bestand: str,
                namen: frozenset[str]) -> RegelFout:
    line, column = _positie(e, werktekst)
    functie = _onbekende_functie(e, werktekst, namen)
    if functie is not None:
        frase, pos, suggestie = functie
        return maak_fout(bestand, tekst, pos[0], pos[1], f"onbekende functie '{frase}'",
                         suggestie)
    typfout = _typfout(e, werktekst, namen)
    if typfout is not None:
        woord, pos, suggestie = typfout
        return maak_fout(bestand, tekst, pos[0], pos[1],
                         f"'{woord}' is geen woord van de taal", suggestie)
    bericht = syntaxfouten.bericht(e, lambda t: parse_boom(t))
    return maak_fout(bestand, tekst, line, column, bericht)


def _typfout(e: UnexpectedInput, tekst: str, namen: frozenset[str]
             ) -> tuple[str, tuple[int, int], str] | None:
    """A misspelt keyword ('afwijen', 'uitlg') at the start of the error's line or at the
    error itself: the word and 'bedoelde u ...?' from the language's one vocabulary."""
    if not isinstance(e, UnexpectedToken) or e.pos_in_stream is None:
        return None
    fout_op = e.pos_in_stream
    try:
        op_line = [t for t in takewhile(lambda t: (t.start_pos or 0) <= fout_op,
                                        tokens(tekst, namen)) if t.line == e.line]
    except LexFoutError:
        return None
    kandidaten = [t for t in (op_line[:1] + op_line[-1:]) if t.type in ("WORD", "NAAM")]
    for tok in kandidaten:
        woord = str(tok).lower()
        if woord in namen:
            continue
        suggestie = syntaxfouten.sleutelwoord_suggestie(woord)
        if suggestie:
            return str(tok), (tok.line or 1, tok.column or 1), suggestie
    return None


def _onbekende_functie(e: UnexpectedInput, tekst: str, namen: frozenset[str]
                       ) -> tuple[str, tuple[int, int], str | None] | None:
    """'het aantal werkdagen van ...': words ending in 'van' right before the error read as
    a built-in phrase the language does not have."""
    if not isinstance(e, UnexpectedToken) or e.pos_in_stream is None:
        return None
    fout_op = e.pos_in_stream
    try:
        voor = list(takewhile(lambda t: (t.start_pos or 0) < fout_op, tokens(tekst, namen)))
    except LexFoutError:
        return None
    reeks: list[Token] = []
    for tok in reversed(voor):
        if tok.type not in ("WORD", "NAAM"):
            break
        reeks.insert(0, tok)
    if len(reeks) < 2 or str(reeks[-1]).lower() != "van":
        return None
    if len(voor) > len(reeks) and voor[-len(reeks) - 1].type == "ART":
        reeks.insert(0, voor[-len(reeks) - 1])
    frase = " ".join(str(t).lower() for t in reeks)
    return frase, (reeks[0].line or 1, reeks[0].column or 1), syntaxfouten.functie_suggestie(frase)


def _positie(e: UnexpectedInput, tekst: str) -> tuple[int, int]:
    if isinstance(e, UnexpectedEOF) or (
        isinstance(e, UnexpectedToken) and e.token.type == "$END"
    ):
        lines = tekst.rstrip().splitlines() or [""]
        return len(lines), len(lines[-1]) + 1
    return max(e.line, 1), max(e.column, 1)


def _hervat_positie(tekst: str, e: UnexpectedInput, namen: frozenset[str]) -> int | None:
    """start_pos of the next statement keyword that begins a line after the error."""
    if not isinstance(e, UnexpectedToken | UnexpectedCharacters) or e.pos_in_stream is None:
        return None
    vorige_line = -1
    try:
        for tok in tokens(tekst, namen):
            eerste_op_line = tok.line != vorige_line
            vorige_line = tok.line or 0
            if (tok.start_pos or 0) > e.pos_in_stream and eerste_op_line and tok.type in STARTERS:
                return tok.start_pos
    except LexFoutError:
        return None
    return None


def _wis_tot(tekst: str, positie: int) -> str:
    """Blank out everything before `positie`, keeping line breaks (so positions stay)."""
    return re.sub(r"[^\n]", " ", tekst[:positie]) + tekst[positie:]


def _wis_rest_van_line(tekst: str, line: int, column: int) -> str:
    lines = tekst.split("\n")
    tekst_line = lines[line - 1]
    lines[line - 1] = tekst_line[: column - 1] + " " * (len(tekst_line) - column + 1)
    return "\n".join(lines)
