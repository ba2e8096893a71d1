"""The Dutch vocabulary of regelwerk, each phrase defined once: units, functions, aggregates,
groups and periods, comparisons, arithmetic and rounding.

Pure data at the floor of the engine (next to the catalogues `engine.functies` and
`engine.velden`, whose field names are the vocabulary of fields), so every reader can use it
without importing another: the lexer and the transformer (`dsl.woorden` builds its phrase
table from it), the formatter (`dsl.formatter` writes the canonical phrases), the renderer
(`weergave.expressies` writes IR as Dutch) and `engine.waarden` (a value with its unit).
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.ir import Aggregatiefunctie, Periode, Vergelijkingsteken

# ---------------------------------------------------------------- units


@dataclass(frozen=True, slots=True)
class Eenheid:
    """The words of a unit. Dutch keeps a unit of measure singular after a number ('3 uur',
    '5 procent') but counts other units in the plural ('5 minuten'); the plural noun is what
    the unit is called in general ('afgerond op hele uren')."""

    woord: str
    """after the number 1, and the unit's name: 'uur'"""
    na_getal: str
    """after any other number: '3 uur', '90 minuten'"""
    meervoud: str
    """the plural noun: 'hele uren', 'hele minuten'"""


def _e(woord: str, na_getal: str, meervoud: str | None = None) -> Eenheid:
    return Eenheid(woord, na_getal, meervoud or na_getal)


EENHEDEN: dict[str, Eenheid] = {
    "minuut": _e("minuut", "minuten"),
    "uur": _e("uur", "uur", "uren"),
    "dagdeel": _e("dagdeel", "dagdelen"),
    "etmaal": _e("etmaal", "etmalen"),
    "dag": _e("dag", "dagen"),
    "week": _e("week", "weken"),
    "maand": _e("maand", "maanden"),
    "stuk": _e("stuk", "stuks"),
    "procent": _e("procent", "procent", "procenten"),
    "prestatie": _e("prestatie", "prestaties"),
}
"""Every unit of `engine.ir.EENHEDEN`."""

GELDEENHEDEN: dict[str, Eenheid] = {
    "euro": _e("euro", "euro's"),
    "cent": _e("cent", "centen"),
}
"""Money is a soort of its own (in cents), but a rounding step names it like a unit
('afgerond naar boven op hele centen')."""

# ---------------------------------------------------------------- functions


@dataclass(frozen=True, slots=True)
class Functiezin:
    """How a built-in function of `engine.functies` reads: `zin` with its arguments numbered
    ('de weekdag van {0}'); `synoniemen`: other heads a rule file may write for it."""

    zin: str
    synoniemen: tuple[str, ...] = ()

    @property
    def lidwoord(self) -> str:
        """'de' or 'het' when the phrase starts with one, else ''."""
        eerste = self.zin.split(" ", 1)[0]
        return eerste if eerste in ("de", "het") else ""

    @property
    def kop(self) -> str:
        """The words before the first argument, without the article: 'weekdag van'."""
        kop = self.zin.split("{", 1)[0].strip()
        return kop.removeprefix(f"{self.lidwoord} ") if self.lidwoord else kop


def _periode(kop: str, *synoniemen: str, staart: str = "") -> Functiezin:
    return Functiezin(f"het {kop} van {{0}} tot en met {{1}}{staart}", synoniemen)


FUNCTIEZINNEN: dict[str, Functiezin] = {
    "dagen": _periode("aantal dagen", "aantal kalenderdagen"),
    "isoweken": _periode("aantal iso-weken", "aantal isoweken"),
    "zondagen": _periode("aantal zondagen"),
    "maanden": _periode("aantal maanden"),
    "afwezige_dagen": _periode("aantal afwezige dagen"),
    "vergoede_afwezige_dagen": _periode(
        "aantal vergoede afwezige dagen",
        staart=" bij afwezigheid langer dan {2} tot ten hoogste {3}"),
    "weekdag": Functiezin("de weekdag van {0}"),
    "maand": Functiezin("de maand van {0}"),
    "kwartaal": Functiezin("het kwartaal van {0}"),
    "jaar": Functiezin("het jaar van {0}"),
    "isoweek": Functiezin("de isoweek van {0}"),
    "eerste_dag_van_maand": Functiezin("de eerste dag van de maand van {0}"),
    "laatste_dag_van_maand": Functiezin("de laatste dag van de maand van {0}"),
    "plus_dagen": Functiezin("{0} plus {1}"),
    "plus_maanden": Functiezin("{0} plus {1}"),
    "vroegste": Functiezin("de vroegste van {0} en {1}"),
    "laatste": Functiezin("de laatste van {0} en {1}"),
    "kleinste": Functiezin("de kleinste van {0} en {1}"),
    "grootste": Functiezin("de grootste van {0} en {1}"),
    "bekend": Functiezin("{0} is bekend"),
    "elfproef": Functiezin("{0} voldoet aan de elfproef"),
    "begint_met": Functiezin("{0} begint met {1}"),
    "eerste_tekens": Functiezin("de eerste {1} tekens van {0}"),
    "uren_uit_minuten": Functiezin("{0} in hele uren"),
    "centen": Functiezin("{0}"),
}
"""Every function of `engine.functies.FUNCTIES` (which refuses one without a phrase)."""

# Keys below are the IR's names (engine.ir: Aggregatiefunctie, Periode, Vergelijkingsteken,
# Rekenteken, Afrondingsmodus), typed as str so the AST's plain strings look them up too.

NIET_ZINNEN = {
    "bekend": "{0} is niet bekend",
    "elfproef": "{0} voldoet niet aan de elfproef",
}
"""The negation of a test, where Dutch puts 'niet' inside the phrase."""

PERIODEN = {
    "in de productperiode": "productperiode",
    "in de toewijzingsperiode": "toewijzingsperiode",
}
"""'het aantal dagen in de productperiode': the period a period function counts."""

# ---------------------------------------------------------------- aggregates

AGGREGATEN: dict[str, str] = {
    "som": "de som van",
    "gemiddelde": "het gemiddelde van",
    "maximum": "het maximum van",
    "minimum": "het minimum van",
    "aantal": "het aantal prestaties",
}
"""The canonical phrase of each aggregate ('het aantal prestaties' has no expression)."""

AGGREGAAT_SYNONIEMEN: dict[str, Aggregatiefunctie] = {"het totaal van": "som"}

OVER_PRESTATIES = "over de prestaties"

GROEPEN = {
    "client": "van dezelfde client",
    "toewijzing": "van dezelfde toewijzing",
    "aanbieder": "van dezelfde aanbieder",
    "declaratie": "van dezelfde declaratie",
    "referentienummer": "met hetzelfde referentienummer",
}
"""The canonical phrase of each group of `engine.velden.GROEPEN`."""

GROEP_SYNONIEMEN = {"van dezelfde cliënt": "client"}

PERIODE_GROEPEN: dict[str, str] = {
    "maand": "in dezelfde maand",
    "isoweek": "in dezelfde week",
    "kwartaal": "in hetzelfde kwartaal",
    "jaar": "in hetzelfde jaar",
}
"""The canonical phrase of each period of an aggregate ('geheel' has none)."""

PERIODE_GROEP_SYNONIEMEN: dict[str, Periode] = {
    "in dezelfde isoweek": "isoweek",
    "in dezelfde iso-week": "isoweek",
}

# ---------------------------------------------------------------- tests and operators

LIJSTEN = {"is een van": False, "is één van": False, "een van": False, "is geen van": True,
           "geen van": True}
"""Phrase of a list test -> negatief ('is geen van')."""

LIJST_FRASE = {False: "is een van", True: "is geen van"}

BEKEND = {
    "bekend is": False, "is bekend": False, "is niet leeg": False, "niet leeg is": False,
    "is niet bekend": True, "niet bekend is": True, "leeg is": True, "is leeg": True,
    "onbekend is": True, "is onbekend": True,
}
"""Phrase -> negatief (True: tests that the value is missing); the canonical ones are the
`bekend` entries of FUNCTIEZINNEN and NIET_ZINNEN."""

VERGELIJKINGEN: dict[str, Vergelijkingsteken] = {
    "groter is dan": ">", "is groter dan": ">", "groter dan": ">",
    "meer is dan": ">", "is meer dan": ">", "meer dan": ">",
    "kleiner is dan": "<", "is kleiner dan": "<", "kleiner dan": "<",
    "minder is dan": "<", "is minder dan": "<", "minder dan": "<",
    "gelijk is aan": "==", "is gelijk aan": "==", "gelijk aan": "==",
    "niet gelijk is aan": "!=", "is niet gelijk aan": "!=", "niet gelijk aan": "!=",
    "ongelijk is aan": "!=", "is ongelijk aan": "!=", "ongelijk aan": "!=",
    "eerder is dan": "<", "is eerder dan": "<", "eerder dan": "<",
    "later is dan": ">", "is later dan": ">", "later dan": ">",
    "is ten hoogste": "<=", "is ten minste": ">=",
}
"""Every phrase of a comparison a rule file may write."""

VERGELIJKING_BIJZIN: dict[str, str] = {
    ">": "groter is dan", "<": "kleiner is dan", "<=": "is ten hoogste",
    ">=": "is ten minste", "==": "gelijk is aan", "!=": "niet gelijk is aan",
}
"""The formatter's phrase: a rule's condition is a subordinate clause ('als X groter is dan Y')."""

VERGELIJKING_ZIN: dict[str, str] = {
    ">": "is groter dan", "<": "is kleiner dan", "<=": "is ten hoogste",
    ">=": "is ten minste", "==": "is gelijk aan", "!=": "is niet gelijk aan",
}
"""The renderer's phrase, a condition standing on its own ('X is groter dan Y')."""

REKENWOORDEN: dict[str, str] = {"+": "plus", "-": "min", "*": "maal", "/": "gedeeld door"}

AFRONDINGEN: dict[str, str] = {
    "rekenkundig": "rekenkundig", "naar_boven": "naar boven", "naar_beneden": "naar beneden",
}
"""The phrase after 'afgerond' of each rounding mode."""
