"""Friendly Dutch messages for syntax errors.

`VOORBEELDEN` teaches the parser's error states by example (lark's `match_examples`): each
message comes with a few wrong snippets that end in the same parser state as the mistake
it describes. Errors no example covers are described from the tokens the parser expected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from dsl.suggesties import bedoelde_u
from dsl.woorden import FRASES, REGEL_BEGIN

_REGEL = 'artikel 1 "a"\n  regel "r"\n'

VOORBEELDEN: dict[str, list[str]] = {
    "verwacht 'als' na de regelsoort (de voorwaarde begint met 'als')": [
        _REGEL + "    afwijzen met retourcode 9346 het bedrag groter is dan 5",
        _REGEL + "    afwijzen met retourcode 9346 bedrag groter is dan 5",
        _REGEL + "    signaleren met code S1 het bedrag groter is dan 5",
    ],
    "verwacht 'met retourcode' en een code na 'afwijzen'": [
        _REGEL + "    afwijzen 9346",
        _REGEL + "    afwijzen als",
        _REGEL + "    afwijzen retourcode 9346",
    ],
    "verwacht een retourcode van 4 tekens na 'met retourcode'": [
        _REGEL + "    afwijzen met retourcode als",
        _REGEL + "    afwijzen met retourcode",
    ],
    "verwacht de naam van de regel tussen aanhalingstekens, zoals regel \"Bedrag klopt\"": [
        'artikel 1 "a"\n  regel bedrag klopt',
        'artikel 1 "a"\n  regel afwijzen',
    ],
    "verwacht de titel van het artikel tussen aanhalingstekens na het nummer": [
        "artikel 43 Facturatie",
        'artikel 43 lid 43.1 "x"',
    ],
    "verwacht het nummer van het artikel, zoals artikel 43 \"Facturatie\"": [
        'artikel "Facturatie"\n',
        "artikel Facturatie",
    ],
    "verwacht de titel van het lid tussen aanhalingstekens na het nummer": [
        'artikel 1 "a"\n  lid 43.1 Facturatie',
    ],
    "verwacht een waarde na 'is', zoals 14 dagen, € 76,45 of \"45A03\"": [
        'artikel 1 "a"\n  parameter x is',
        'artikel 1 "a"\n  parameter x is als',
        'artikel 1 "a"\n  parameter x is regel',
    ],
    "verwacht 'is' na de naam, zoals parameter maximale afwezigheid is 14 dagen": [
        'artikel 1 "a"\n  parameter x 14 dagen',
        'artikel 1 "a"\n  waarde x 14',
        'artikel 1 "a"\n  parameter x',
    ],
    "verwacht een bedrag na '€', zoals € 76,45": [
        'artikel 1 "a"\n  parameter x is € x',
        'artikel 1 "a"\n  parameter x is €',
    ],
    "verwacht een datum (JJJJ-MM-DD) na 'geldig vanaf'": [
        'artikel 1 "a"\n  geldig vanaf 1 januari',
        'artikel 1 "a"\n  geldig vanaf',
        'artikel 1 "a"\n  geldig vanaf x',
    ],
    "verwacht een datum (JJJJ-MM-DD) na 'tot' of 'tot en met'": [
        'artikel 1 "a"\n  geldig vanaf 2020-01-01 tot x',
        'artikel 1 "a"\n  geldig vanaf 2020-01-01 tot en met x',
    ],
    "verwacht een tekst tussen aanhalingstekens na 'uitleg'": [
        'artikel 1 "a"\n  uitleg x',
        'artikel 1 "a"\n  uitleg',
    ],
    "verwacht een tekst tussen aanhalingstekens na 'bron'": [
        'artikel 1 "a"\n  bron x',
        'artikel 1 "a"\n  bron',
    ],
    "verwacht een voorwaarde na 'als'": [
        _REGEL + "    als",
        _REGEL + "    als uitleg",
        _REGEL + "    als groter is dan 5",
    ],
    "de voorwaarde is niet af: verwacht een waarde na de vergelijking": [
        _REGEL + "    als x groter is dan",
        _REGEL + "    als x groter is dan uitleg",
        _REGEL + "    als x gelijk is aan",
    ],
    "verwacht een waarde na 'is' (zoals 'A is 3', 'A is bekend' of 'A is een van \"01\", "
    "\"04\"')": [
        _REGEL + "    als x is\n    uitleg \"u\"",
        _REGEL + "    als x is",
    ],
    "verwacht een waarde na het rekenteken": [
        _REGEL + "    als x plus groter is dan 1",
        _REGEL + "    als x maal",
        _REGEL + "    als x min",
    ],
    "de haakjes sluiten niet: verwacht ')'": [
        _REGEL + "    als (x groter is dan 1",
        _REGEL + "    als (x plus 1 groter is dan 1",
    ],
    "verwacht een voorwaarde na 'en' of 'of'": [
        _REGEL + "    als x groter is dan 1 en",
        _REGEL + "    als x groter is dan 1 of",
        _REGEL + "    als x groter is dan 1 en uitleg",
    ],
    "verwacht 'rekenkundig', 'naar boven' of 'naar beneden' na 'afgerond'": [
        _REGEL + "    als x afgerond groter is dan 1",
        _REGEL + "    als x afgerond",
    ],
    "verwacht ', anders' en een waarde na de voorwaarde van 'indien'": [
        'artikel 1 "a"\n  waarde x is 1 indien y bekend is anders 2',
        'artikel 1 "a"\n  waarde x is 1 indien y bekend is',
    ],
    "verwacht een tabelnaam na 'uit tabel'": [
        'artikel 1 "a"\n  waarde x is het tarief uit tabel',
        'artikel 1 "a"\n  waarde x is het tarief uit tabel "t"',
    ],
    "verwacht 'over de prestaties' na de waarde waarvan de som (of het gemiddelde, "
    "maximum, minimum) genomen wordt": [
        'artikel 1 "a"\n  waarde x is de som van het bedrag',
        'artikel 1 "a"\n  waarde x is de som van het bedrag van dezelfde client',
    ],
    "verwacht de bestandsnaam tussen aanhalingstekens, zoals tabel tarieven uit \"tarieven.csv\"": [
        'artikel 1 "a"\n  tabel tarieven uit tarieven',
        'artikel 1 "a"\n  tabel tarieven uit',
        'artikel 1 "a"\n  tabel tarieven "tarieven.csv"',
    ],
    "verwacht een ':' en de nieuwe waarde, zoals wijzigt parameter x in artikel 43: 21 dagen": [
        "wijzigt parameter x 21 dagen",
        "wijzigt parameter x in artikel 43 21 dagen",
    ],
    "verwacht 'door regel ...' na de naam van de vervangen regel": [
        'vervangt regel "x" regel "y"',
        'vervangt regel "x"',
    ],
    "verwacht de naam van de regel tussen aanhalingstekens": [
        "vervalt regel x",
        "vervangt regel x",
        "vervalt regel",
    ],
}

_OMSCHRIJVING = {
    "ARTIKEL": "'artikel'", "LID": "'lid'", "REGEL": "'regel'", "PARAMETER": "'parameter'",
    "WAARDE": "'waarde'", "TABEL": "'tabel'", "ALS": "'als'", "TOON": "'toon'",
    "UITLEG": "'uitleg'", "BRON": "'bron'", "GELDIG_VANAF": "'geldig vanaf'",
    "AFWIJZEN": "'afwijzen'", "SIGNALEREN": "'signaleren'", "WAARBIJ": "'waarbij'",
    "VOOR_ELKE_PRESTATIE": "'voor elke prestatie'", "IS": "'is'", "STRING":
    "een tekst tussen aanhalingstekens", "NUMBER": "een getal", "DATE": "een datum (JJJJ-MM-DD)",
    "NAAM": "een naam", "WORD": "een naam", "CMP": "een vergelijking (zoals 'groter is dan')",
    "KOMMA": "','", "RPAR": "')'", "LPAR": "'('", "DUBBELEPUNT": "':'", "EURO": "'€'",
    "EN": "'en'", "OF": "'of'", "NIET": "'niet'", "PLUS": "'plus'", "MIN": "'min'",
    "MAAL": "'maal'", "DOOR": "'door'", "ART": "'de' of 'het'", "LOKAAL": "'lokaal'",
    "MET_RETOURCODE": "'met retourcode'", "TOT_EN_MET": "'tot en met'", "TOT": "'tot'",
    "$END": "het einde van het bestand",
}


def functie_suggestie(frase: str) -> str | None:
    """'bedoelde u ...?' for a phrase that looks like a built-in the language lacks."""
    functies = [f for f, soort in FRASES.items()
                if soort in ("FNVAN", "FN1", "FN2", "AGG") and f.startswith(("de ", "het "))]
    return bedoelde_u(frase, functies)


def _sleutelwoorden() -> frozenset[str]:
    """The words a statement or clause begins with ('afwijzen', 'uitleg', 'parameter'),
    taken from the vocabulary (every one is the first word of a keyword phrase) and long
    enough that a near miss means something: a misspelt one makes the line unreadable."""
    eerste = {w for frase in FRASES for w in frase.split()[:1]}
    return frozenset(w for w in REGEL_BEGIN if w in eerste and len(w) >= 4)


SLEUTELWOORDEN = _sleutelwoorden()


def sleutelwoord_suggestie(woord: str) -> str | None:
    """'bedoelde u ...?' for a word that is a near miss of a keyword (never the word itself)."""
    if woord in SLEUTELWOORDEN:
        return None
    return bedoelde_u(woord, SLEUTELWOORDEN, drempel=0.75)


def beschrijf_token(soort: str) -> str:
    """A Dutch description of a token kind."""
    return _OMSCHRIJVING.get(soort, f"'{soort.lower().replace('_', ' ')}'")


def bericht(e: UnexpectedInput, parse_fn: Callable[[str], Any]) -> str:
    """The Dutch sentence for syntax error `e`."""
    if isinstance(e, UnexpectedCharacters):
        return f"onverwacht teken '{e.char}'"
    gevonden = _lark_voorbeeld(e, parse_fn) or _zoek_voorbeeld(e, parse_fn)
    if gevonden:
        return f"{gevonden}; gevonden: {_gevonden(e)}"
    return _uit_verwachting(e)


def _toestand(e: UnexpectedInput) -> tuple[Any, frozenset[str]] | None:
    state = getattr(e, "state", None)
    if state is None or not hasattr(state, "position"):
        return None
    accepts = frozenset(getattr(e, "accepts", None) or getattr(e, "expected", None) or ())
    return state.position, accepts


_INDEX: list[tuple[str, Any, frozenset[str]]] = []


def _index(parse_fn: Callable[[str], Any]) -> list[tuple[str, Any, frozenset[str]]]:
    """(message, parser state, accepted tokens) of every example, computed once.

    Like lark's `match_examples`, but the state is compared without the stack depth, so an
    example also matches after the parser resumed at a later statement."""
    if not _INDEX:
        for label, voorbeelden in VOORBEELDEN.items():
            for voorbeeld in voorbeelden:
                try:
                    parse_fn(voorbeeld)
                except Exception as ut:  # the lexer may refuse an example: it then never matches
                    if not isinstance(ut, UnexpectedInput):
                        continue
                    toestand = _toestand(ut)
                    if toestand is not None:
                        _INDEX.append((label, *toestand))
    return _INDEX


def _lark_voorbeeld(e: UnexpectedInput, parse_fn: Callable[[str], Any]) -> str | None:
    """lark's own `match_examples` (exact parser state, same stack depth)."""

    def parse_zonder_lexfout(tekst: str) -> Any:
        try:
            return parse_fn(tekst)
        except UnexpectedInput:
            raise
        except Exception:  # the lexer refused the example: it simply does not match
            return None

    state = getattr(e, "state", None)
    if state is None:
        return None
    soort = getattr(getattr(e, "token", None), "type", None)
    sleutel = (len(state.state_stack), state.position, _toestand(e), soort)
    if sleutel not in _LARK_CACHE:
        _LARK_CACHE[sleutel] = e.match_examples(parse_zonder_lexfout, VOORBEELDEN,
                                                use_accepts=True)
    return _LARK_CACHE[sleutel]


_LARK_CACHE: dict[object, str | None] = {}
"""match_examples re-parses every example; the answer only depends on the parser state."""


def _zoek_voorbeeld(e: UnexpectedInput, parse_fn: Callable[[str], Any]) -> str | None:
    toestand = _toestand(e)
    if toestand is None:
        return None
    for label, positie, accepts in _index(parse_fn):
        if positie == toestand[0] and accepts == toestand[1]:
            return label
    return None


def _gevonden(e: UnexpectedInput) -> str:
    if isinstance(e, UnexpectedToken):
        if e.token.type == "$END":
            return "het einde van het bestand"
        return f"'{e.token}'"
    if isinstance(e, UnexpectedEOF):
        return "het einde van het bestand"
    return "?"


def _uit_verwachting(e: UnexpectedInput) -> str:
    verwacht: set[str] = set()
    if isinstance(e, UnexpectedToken | UnexpectedEOF):
        verwacht = set(e.expected)
    namen = sorted({beschrijf_token(s) for s in verwacht})
    if isinstance(e, UnexpectedToken) and {"NAAM", "WORD"} <= verwacht and e.token.type not in (
            "$END", "STRING", "NUMBER", "DATE", "EURO", "KOMMA", "LPAR", "RPAR", "DUBBELEPUNT"):
        return (f"verwacht hier een naam, maar '{e.token}' is een vast woord van de taal; "
                "kies een andere naam of zet er iets voor")
    if not namen:
        return f"onverwacht {_gevonden(e)}"
    if len(namen) > 8:
        return f"onverwacht {_gevonden(e)} op deze plaats"
    return f"onverwacht {_gevonden(e)}; verwacht {_opsomming(namen)}"


def _opsomming(namen: list[str]) -> str:
    if len(namen) == 1:
        return namen[0]
    return ", ".join(namen[:-1]) + " of " + namen[-1]
