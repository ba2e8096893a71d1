"""The vocabulary of the rule language: every keyword phrase and the terminal it becomes.

Data, not code: the phrases themselves are defined once in `engine.woorden` (shared with
the renderer and the engine); this module adds the grammar's keywords and says which
terminal each phrase becomes. The lexer builds its phrase trie from `FRASES`, the
transformer reads a token's text back through the small tables below (which comparison,
which function, ...), and the formatter writes the canonical phrase of each. Variants with
and without article are generated, so "het aantal dagen van" and "aantal dagen van" both work.
"""

from __future__ import annotations

from typing import cast

from engine import woorden as taal
from engine.ir import Afrondingsmodus, Aggregatiefunctie, Periode, Vergelijkingsteken

_ENKEL = {
    "artikel": "ARTIKEL",
    "artikelen": "ARTIKELEN",
    "lid": "LID",
    "bron": "BRON",
    "uitleg": "UITLEG",
    "tot": "TOT",
    "tot en met": "TOT_EN_MET",
    "geldig vanaf": "GELDIG_VANAF",
    "parameter": "PARAMETER",
    "waarde": "WAARDE",
    "is": "IS",
    "tabel": "TABEL",
    "uit": "UIT",
    "regel": "REGEL",
    "lokaal": "LOKAAL",
    "afwijzen": "AFWIJZEN",
    "afwijzen client": "AFWIJZEN",
    "afwijzen cliënt": "AFWIJZEN",
    "afwijzen declaratie": "AFWIJZEN",
    "signaleren": "SIGNALEREN",
    "signaleren client": "SIGNALEREN",
    "signaleren cliënt": "SIGNALEREN",
    "signaleren declaratie": "SIGNALEREN",
    "met retourcode": "MET_RETOURCODE",
    "met code": "MET_CODE",
    "voor elke prestatie": "VOOR_ELKE_PRESTATIE",
    "met": "MET",
    "waarvoor": "WAARVOOR",
    "als": "ALS",
    "toon": "TOON",
    "waarbij": "WAARBIJ",
    "contract": "CONTRACT",
    "regio": "REGIO",
    "gemeenten": "GEMEENTEN",
    "gebruikt": "GEBRUIKT",
    "istandaard": "ISTANDAARD",
    "wijzigt": "WIJZIGT",
    "vervangt": "VERVANGT",
    "vervalt": "VERVALT",
    "door": "DOOR",
    "in artikel": "IN_ARTIKEL",
    "in regel": "IN_REGEL",
    "de": "ART",
    "het": "ART",
    "en": "EN",
    "of": "OF",
    "niet": "NIET",
    "indien": "INDIEN",
    "anders": "ANDERS",
    "afgerond": "AFGEROND",
    "op": "OP",
    "hele": "HELE",
    "waar": "WAAR",
    "onwaar": "ONWAAR",
    "ten hoogste": "TEN",
    "ten minste": "TEN",
    "voor": "VOOR",
    "na": "NA",
    "ligt": "LIGT",
    "er is geen toewijzing": "BESTAAT",
    "er is een toewijzing": "BESTAAT",
    "uit tabel": "UIT_TABEL",
    "bij": "BIJ",
    "deze": "DEZE",
    "over alle prestaties": "OVER_PRESTATIES",
    "de eerste": "EERSTE",
    "tekens van": "TEKENS_VAN",
    "bij afwezigheid langer dan": "BIJ_AFWEZIGHEID",
    "tot ten hoogste": "TOT_TEN_HOOGSTE",
}

VERGELIJKINGEN = taal.VERGELIJKINGEN
TEN: dict[str, Vergelijkingsteken] = {"ten hoogste": "<=", "ten minste": ">="}

LIJSTEN = taal.LIJSTEN
BEKEND = taal.BEKEND
"""Phrase -> negatief (True: tests that the value is missing)."""

MODI = {frase: cast(Afrondingsmodus, modus) for modus, frase in taal.AFRONDINGEN.items()}

# Which built-in functions the grammar writes in which form (their words: engine.woorden)
_PERIODE_NAMEN = ("dagen", "isoweken", "zondagen", "maanden", "afwezige_dagen",
                  "vergoede_afwezige_dagen")
_FN1_NAMEN = ("weekdag", "maand", "kwartaal", "jaar", "isoweek", "eerste_dag_van_maand",
              "laatste_dag_van_maand")
_FN2_NAMEN = ("vroegste", "laatste", "kleinste", "grootste")

PERIODE_FRASE = {naam: taal.FUNCTIEZINNEN[naam].kop.removesuffix(" van")
                 for naam in _PERIODE_NAMEN}
"""'dagen' -> 'aantal dagen': the canonical head of a period function."""
_PERIODE_FUNCTIES = {frase: naam for naam in _PERIODE_NAMEN
                     for frase in (PERIODE_FRASE[naam], *taal.FUNCTIEZINNEN[naam].synoniemen)}
PERIODEN = taal.PERIODEN

FUNCTIE_1_FRASE = {naam: taal.FUNCTIEZINNEN[naam].kop for naam in _FN1_NAMEN}
FUNCTIE_2_FRASE = {naam: taal.FUNCTIEZINNEN[naam].kop for naam in _FN2_NAMEN}
FUNCTIES_1 = {frase: naam for naam, frase in FUNCTIE_1_FRASE.items()}
FUNCTIES_2 = {frase: naam for naam, frase in FUNCTIE_2_FRASE.items()}


def _kop(frase: str) -> tuple[str, str]:
    """('de', 'som van') for 'de som van'."""
    lidwoord, _, kop = frase.partition(" ")
    return lidwoord, kop


_AGGREGAAT_FRASEN = {**{frase: f for f, frase in taal.AGGREGATEN.items() if f != "aantal"},
                     **taal.AGGREGAAT_SYNONIEMEN}
AGGREGATEN = {_kop(frase)[1]: cast(Aggregatiefunctie, f) for frase, f in _AGGREGAAT_FRASEN.items()}
AGGREGAAT_FRASE = {f: _kop(frase)[1] for f, frase in taal.AGGREGATEN.items() if f != "aantal"}
_AGGREGAAT_LIDWOORD = {kop: lidwoord for lidwoord, kop in map(_kop, _AGGREGAAT_FRASEN)}
"""'som van' -> 'de', 'totaal van' -> 'het'."""

GROEP_FRASE = taal.GROEPEN
GROEPEN = {**{frase: g for g, frase in taal.GROEPEN.items()}, **taal.GROEP_SYNONIEMEN}
PERIODE_GROEP_FRASE = taal.PERIODE_GROEPEN
PERIODE_GROEPEN: dict[str, Periode] = {
    **{frase: cast(Periode, p) for p, frase in taal.PERIODE_GROEPEN.items()},
    **taal.PERIODE_GROEP_SYNONIEMEN}

LIDWOORD = {
    **{naam: taal.FUNCTIEZINNEN[naam].lidwoord
       for naam in (*_PERIODE_NAMEN, *_FN1_NAMEN, *_FN2_NAMEN)},
    **{f: _kop(frase)[0] for f, frase in taal.AGGREGATEN.items() if f != "aantal"},
}
"""The article the formatter writes before a built-in phrase."""


def _staart(zin: str) -> str:
    """'voldoet aan de elfproef' of '{0} voldoet aan de elfproef': the words after the
    first argument, up to the next."""
    return zin.removeprefix("{0} ").split(" {", 1)[0]


def _uit_de_zinnen() -> dict[str, str]:
    """Keywords that are words of a phrase of `engine.woorden`."""
    zinnen = taal.FUNCTIEZINNEN
    uit = {woord: woord.upper().replace(" ", "_") for woord in taal.REKENWOORDEN.values()}
    uit |= dict.fromkeys(MODI, "MODUS")
    uit[_staart(zinnen["uren_uit_minuten"].zin)] = "IN_HELE_UREN"
    uit[_staart(zinnen["begint_met"].zin)] = "BEGINT_MET"
    uit[_staart(zinnen["elfproef"].zin)] = "ELFPROEF"
    uit[_staart(taal.NIET_ZINNEN["elfproef"])] = "ELFPROEF"
    uit[taal.OVER_PRESTATIES] = "OVER_PRESTATIES"
    for variant in _met_lidwoord(*reversed(_kop(taal.AGGREGATEN["aantal"]))):
        uit[variant] = "AANTAL_PRESTATIES"
    return uit


def _met_lidwoord(frase: str, lidwoord: str) -> list[str]:
    return [frase, f"{lidwoord} {frase}"]


def _frases() -> dict[str, str]:
    uit = dict(_ENKEL)
    uit.update(_uit_de_zinnen())
    for frase in [*VERGELIJKINGEN]:
        uit[frase] = "CMP"
    for frase in LIJSTEN:
        uit[frase] = "LIJST"
    for frase in BEKEND:
        uit[frase] = "BEKEND"
    for frase in _PERIODE_FUNCTIES:
        for variant in _met_lidwoord(frase, "het"):
            uit[f"{variant} van"] = "FNVAN"
            for periode in PERIODEN:
                uit[f"{variant} {periode}"] = "FNIN"
    for frase in FUNCTIES_1:
        for variant in _met_lidwoord(frase, LIDWOORD[FUNCTIES_1[frase]]):
            uit[variant] = "FN1"
    for frase in FUNCTIES_2:
        for variant in _met_lidwoord(frase, "de"):
            uit[variant] = "FN2"
    for frase in AGGREGATEN:
        for variant in _met_lidwoord(frase, _AGGREGAAT_LIDWOORD[frase]):
            uit[variant] = "AGG"
    for frase in GROEPEN:
        uit[frase] = "GROEP"
    for frase in PERIODE_GROEPEN:
        uit[frase] = "PERIODE"
    return uit


FRASES: dict[str, str] = _frases()


def periode_functie(frase: str) -> tuple[str, str | None]:
    """('dagen', 'productperiode') for 'het aantal dagen in de productperiode'."""
    woorden = frase.split()
    if woorden[0] == "het":
        woorden = woorden[1:]
    tekst = " ".join(woorden)
    for periode_frase, periode in PERIODEN.items():
        if tekst.endswith(" " + periode_frase):
            return _PERIODE_FUNCTIES[tekst[: -len(periode_frase) - 1]], periode
    return _PERIODE_FUNCTIES[tekst.removesuffix(" van")], None


def zonder_lidwoord(frase: str) -> str:
    """The phrase without a leading 'de'/'het'."""
    eerste, _, rest = frase.partition(" ")
    return rest if eerste in ("de", "het") and rest else frase


CLAUSULE_WOORDEN = frozenset({
    "waarbij", "als", "toon", "uitleg", "bron", "regel", "waarde", "parameter", "artikel",
    "lid", "afwijzen", "signaleren", "tabel", "contract", "wijzigt",
    "vervangt", "vervalt",
})
"""Words that start a clause; the name scanner uses them to know where `waarbij` ends."""

REGEL_BEGIN = CLAUSULE_WOORDEN | {"geldig", "gebruikt", "regio", "gemeenten", "voor", "lokaal"}
"""Words a line of a rule file may begin with (a misspelling of one gets 'bedoelde u')."""

EENHEDEN = {woord: eenheid for eenheid, e in taal.EENHEDEN.items()
            for woord in (e.woord, e.na_getal, e.meervoud)}
"""Unit words (singular and plural) -> the unit of `engine.ir.EENHEDEN`."""
