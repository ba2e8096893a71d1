"""The vocabulary of the rule language: every keyword phrase and the terminal it becomes.

Data, not code: the lexer builds its phrase trie from `FRASES`, the transformer reads a
token's text back through the small tables below (which comparison, which function, ...),
and the formatter writes the canonical phrase of each. Variants with and without article
are generated, so "het aantal dagen van" and "aantal dagen van" both work.
"""

from __future__ import annotations

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
    "de": "ART",
    "het": "ART",
    "en": "EN",
    "of": "OF",
    "niet": "NIET",
    "plus": "PLUS",
    "min": "MIN",
    "maal": "MAAL",
    "gedeeld door": "GEDEELD_DOOR",
    "indien": "INDIEN",
    "anders": "ANDERS",
    "afgerond": "AFGEROND",
    "rekenkundig": "MODUS",
    "naar boven": "MODUS",
    "naar beneden": "MODUS",
    "op": "OP",
    "hele": "HELE",
    "in hele uren": "IN_HELE_UREN",
    "waar": "WAAR",
    "onwaar": "ONWAAR",
    "ten hoogste": "TEN",
    "ten minste": "TEN",
    "voor": "VOOR",
    "na": "NA",
    "ligt": "LIGT",
    "begint met": "BEGINT_MET",
    "voldoet aan de elfproef": "ELFPROEF",
    "voldoet niet aan de elfproef": "ELFPROEF",
    "er is geen toewijzing": "BESTAAT",
    "er is een toewijzing": "BESTAAT",
    "uit tabel": "UIT_TABEL",
    "bij": "BIJ",
    "deze": "DEZE",
    "over de prestaties": "OVER_PRESTATIES",
    "over alle prestaties": "OVER_PRESTATIES",
    "het aantal prestaties": "AANTAL_PRESTATIES",
    "aantal prestaties": "AANTAL_PRESTATIES",
    "de eerste": "EERSTE",
    "tekens van": "TEKENS_VAN",
    "bij afwezigheid langer dan": "BIJ_AFWEZIGHEID",
    "tot ten hoogste": "TOT_TEN_HOOGSTE",
}

VERGELIJKINGEN: dict[str, Vergelijkingsteken] = {
    "groter is dan": ">",
    "is groter dan": ">",
    "groter dan": ">",
    "meer is dan": ">",
    "is meer dan": ">",
    "meer dan": ">",
    "kleiner is dan": "<",
    "is kleiner dan": "<",
    "kleiner dan": "<",
    "minder is dan": "<",
    "is minder dan": "<",
    "minder dan": "<",
    "gelijk is aan": "==",
    "is gelijk aan": "==",
    "gelijk aan": "==",
    "niet gelijk is aan": "!=",
    "is niet gelijk aan": "!=",
    "niet gelijk aan": "!=",
    "ongelijk is aan": "!=",
    "is ongelijk aan": "!=",
    "ongelijk aan": "!=",
    "eerder is dan": "<",
    "is eerder dan": "<",
    "eerder dan": "<",
    "later is dan": ">",
    "is later dan": ">",
    "later dan": ">",
    "is ten hoogste": "<=",
    "is ten minste": ">=",
}
TEN: dict[str, Vergelijkingsteken] = {"ten hoogste": "<=", "ten minste": ">="}

LIJSTEN = {"is een van": False, "is één van": False, "een van": False, "is geen van": True,
           "geen van": True}
BEKEND = {
    "bekend is": False, "is bekend": False, "is niet leeg": False, "niet leeg is": False,
    "is niet bekend": True, "niet bekend is": True, "leeg is": True, "is leeg": True,
    "onbekend is": True, "is onbekend": True,
}
"""Phrase -> negatief (True: tests that the value is missing)."""

MODI: dict[str, Afrondingsmodus] = {
    "rekenkundig": "rekenkundig", "naar boven": "naar_boven", "naar beneden": "naar_beneden",
}

_PERIODE_FUNCTIES = {
    "aantal dagen": "dagen",
    "aantal kalenderdagen": "dagen",
    "aantal iso-weken": "isoweken",
    "aantal isoweken": "isoweken",
    "aantal zondagen": "zondagen",
    "aantal maanden": "maanden",
    "aantal afwezige dagen": "afwezige_dagen",
    "aantal vergoede afwezige dagen": "vergoede_afwezige_dagen",
}
PERIODEN = {
    "in de productperiode": "productperiode",
    "in de toewijzingsperiode": "toewijzingsperiode",
}

FUNCTIES_1 = {
    "weekdag van": "weekdag",
    "maand van": "maand",
    "kwartaal van": "kwartaal",
    "jaar van": "jaar",
    "isoweek van": "isoweek",
    "eerste dag van de maand van": "eerste_dag_van_maand",
    "laatste dag van de maand van": "laatste_dag_van_maand",
}
FUNCTIES_2 = {
    "vroegste van": "vroegste",
    "laatste van": "laatste",
    "kleinste van": "kleinste",
    "grootste van": "grootste",
}
AGGREGATEN: dict[str, Aggregatiefunctie] = {
    "som van": "som",
    "totaal van": "som",
    "gemiddelde van": "gemiddelde",
    "maximum van": "maximum",
    "minimum van": "minimum",
}
GROEPEN = {
    "van dezelfde toewijzing": "toewijzing",
    "van dezelfde client": "client",
    "van dezelfde cliënt": "client",
    "van dezelfde aanbieder": "aanbieder",
    "van dezelfde declaratie": "declaratie",
    "met hetzelfde referentienummer": "referentienummer",
}
PERIODE_GROEPEN: dict[str, Periode] = {
    "in dezelfde maand": "maand",
    "in dezelfde week": "isoweek",
    "in dezelfde isoweek": "isoweek",
    "in dezelfde iso-week": "isoweek",
    "in hetzelfde kwartaal": "kwartaal",
    "in hetzelfde jaar": "jaar",
}

LIDWOORD = {
    "dagen": "het", "isoweken": "het", "zondagen": "het", "maanden": "het",
    "afwezige_dagen": "het", "vergoede_afwezige_dagen": "het", "weekdag": "de", "maand": "de",
    "kwartaal": "het", "jaar": "het", "isoweek": "de", "eerste_dag_van_maand": "de",
    "laatste_dag_van_maand": "de", "vroegste": "de", "laatste": "de", "kleinste": "de",
    "grootste": "de", "som": "de", "gemiddelde": "het", "maximum": "het", "minimum": "het",
}
"""The article the formatter writes before a built-in phrase."""


def _met_lidwoord(frase: str, lidwoord: str) -> list[str]:
    return [frase, f"{lidwoord} {frase}"]


def _frases() -> dict[str, str]:
    uit = dict(_ENKEL)
    for frase in [*VERGELIJKINGEN]:
        uit[frase] = "CMP"
    for frase in LIJSTEN:
        uit[frase] = "LIJST"
    for frase in BEKEND:
        uit[frase] = "BEKEND"
    for frase, naam in _PERIODE_FUNCTIES.items():
        for variant in _met_lidwoord(frase, "het"):
            uit[f"{variant} van"] = "FNVAN"
            for periode in PERIODEN:
                uit[f"{variant} {periode}"] = "FNIN"
        del naam
    for frase in FUNCTIES_1:
        for variant in _met_lidwoord(frase, LIDWOORD[FUNCTIES_1[frase]]):
            uit[variant] = "FN1"
    for frase in FUNCTIES_2:
        for variant in _met_lidwoord(frase, "de"):
            uit[variant] = "FN2"
    for frase in AGGREGATEN:
        lidwoord = "het" if frase.startswith("totaal") else LIDWOORD[AGGREGATEN[frase]]
        for variant in _met_lidwoord(frase, lidwoord):
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


PERIODE_FRASE = {naam: frase for frase, naam in _PERIODE_FUNCTIES.items()}
PERIODE_FRASE["dagen"] = "aantal dagen"
PERIODE_FRASE["isoweken"] = "aantal iso-weken"
FUNCTIE_1_FRASE = {naam: frase for frase, naam in FUNCTIES_1.items()}
FUNCTIE_2_FRASE = {naam: frase for frase, naam in FUNCTIES_2.items()}
AGGREGAAT_FRASE = {"som": "som van", "gemiddelde": "gemiddelde van", "maximum": "maximum van",
                   "minimum": "minimum van"}
GROEP_FRASE = {naam: frase for frase, naam in GROEPEN.items() if "cliënt" not in frase}
PERIODE_GROEP_FRASE = {"maand": "in dezelfde maand", "isoweek": "in dezelfde week",
                       "kwartaal": "in hetzelfde kwartaal", "jaar": "in hetzelfde jaar"}

CLAUSULE_WOORDEN = frozenset({
    "waarbij", "als", "toon", "uitleg", "bron", "regel", "waarde", "parameter", "artikel",
    "lid", "afwijzen", "signaleren", "tabel", "contract", "wijzigt",
    "vervangt", "vervalt",
})
"""Words that start a clause; the name scanner uses them to know where `waarbij` ends."""

EENHEDEN = {
    "minuut": "minuut", "minuten": "minuut", "uur": "uur", "uren": "uur",
    "dagdeel": "dagdeel", "dagdelen": "dagdeel", "etmaal": "etmaal", "etmalen": "etmaal",
    "dag": "dag", "dagen": "dag", "week": "week", "weken": "week", "maand": "maand",
    "maanden": "maand", "stuk": "stuk", "stuks": "stuk", "procent": "procent",
    "prestatie": "prestatie", "prestaties": "prestatie",
}
"""Unit words (singular and plural) -> the unit of `engine.ir.EENHEDEN`."""

MEERVOUD = {
    "minuut": "minuten", "uur": "uur", "dagdeel": "dagdelen", "etmaal": "etmalen",
    "dag": "dagen", "week": "weken", "maand": "maanden", "stuk": "stuks", "procent": "procent",
    "prestatie": "prestaties",
}
"""Unit -> the word the formatter writes after any number but 1."""
