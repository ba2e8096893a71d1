"""The AST of a rule file: frozen dataclasses, each with its source position.

Positions (`pos`) do not take part in equality, so two parses of the same statements in a
different layout compare equal (the formatter's round-trip test relies on that). Names are
stored lower-case without their article; the article is kept for the formatter only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Literal, TypeAlias


@dataclass(frozen=True, slots=True)
class Pos:
    """1-based line and column where a node starts."""

    line: int
    column: int


GEEN_POS = Pos(0, 0)


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Naam:
    """A reference to a field, parameter, waarde or local value by its phrase."""

    naam: str
    lidwoord: str | None = field(default=None, compare=False)
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Getal:
    waarde: Fraction
    eenheid: str | None
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Geld:
    centen: int
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Tekst:
    waarde: str
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Datum:
    waarde: date
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Waarheid:
    waarde: bool
    pos: Pos = field(default=GEEN_POS, compare=False)


Rekenop = Literal["plus", "min", "maal", "gedeeld door"]


@dataclass(frozen=True, slots=True)
class Rekensom:
    op: Rekenop
    links: Expr
    rechts: Expr
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Vergelijking:
    """`links op rechts`; op is one of < <= > >= == != (dates: eerder/later)."""

    op: str
    links: Expr
    rechts: Expr
    vorm: str = field(default="", compare=False)
    """The phrase as written ('groter is dan', 'eerder is dan'), which the formatter keeps."""
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Lijsttest:
    expr: Expr
    waarden: tuple[Expr, ...]
    negatief: bool
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Bekendtest:
    """`A is bekend` (negatief False) / `A is niet bekend` (negatief True)."""

    expr: Expr
    negatief: bool
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Bestaat:
    """`er is een toewijzing` / `er is geen toewijzing`."""

    negatief: bool
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Logisch:
    op: Literal["en", "of"]
    delen: tuple[Expr, ...]
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Niet:
    expr: Expr
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Indien:
    """`dan indien voorwaarde, anders anders`."""

    dan: Expr
    voorwaarde: Expr
    anders: Expr
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Afronding:
    """`expr afgerond modus [op stap eenheid | op hele eenheid]`."""

    expr: Expr
    modus: str
    stap: Fraction | None = None
    stap_eenheid: str | None = None
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Aanroep:
    """A built-in function; `vorm` says how it was written where that matters for layout
    ('productperiode'/'toewijzingsperiode' for `in de ...`, '' otherwise)."""

    functie: str
    args: tuple[Expr, ...]
    vorm: str = ""
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Opzoeking:
    """`kolom uit tabel tabel bij ...`; a key with `waarde` None means `bij deze <kolom>`."""

    kolom: str
    tabel: str
    sleutels: tuple[tuple[str, Expr | None], ...]
    op: Expr | None = None
    lidwoord: str | None = field(default=None, compare=False)
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Aggregaat:
    functie: str
    expr: Expr | None
    groepen: tuple[str, ...]
    periode: str | None
    filter: Expr | None
    pos: Pos = field(default=GEEN_POS, compare=False)


Expr: TypeAlias = (
    Naam | Getal | Geld | Tekst | Datum | Waarheid | Rekensom | Vergelijking | Lijsttest
    | Bekendtest | Bestaat | Logisch | Niet | Indien | Afronding | Aanroep | Opzoeking | Aggregaat
)
Literal_: TypeAlias = Getal | Geld | Tekst | Datum | Waarheid

# ---------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class Geldig:
    vanaf: date
    tot: date | None = None
    tot_en_met: bool = False
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Parameter:
    naam: str
    waarde: Literal_
    geldig: Geldig | None = None
    uitleg: str | None = None
    bron: str | None = None
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Waarde:
    naam: str
    expr: Expr
    geldig: Geldig | None = None
    uitleg: str | None = None
    bron: str | None = None
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Tabel:
    naam: str
    bestand: str
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Definitie:
    """`waarbij naam is expr`: a value local to one rule."""

    naam: str
    expr: Expr
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Regel:
    naam: str
    lokaal: bool
    soort: Literal["afwijzen", "signaleren"] | None
    niveau: Literal["prestatie", "client", "declaratie"]
    code: str | None
    filter: Expr | None
    voorwaarde: Expr | None
    toon: tuple[Expr, ...]
    uitleg: str | None
    waarbij: tuple[Definitie, ...]
    bron: str | None
    geldig: Geldig | None
    heeft_filter: bool = False
    """`voor elke prestatie` without a condition was written."""
    filter_woord: str = field(default="met", compare=False)
    """'met' or 'waarvoor', as written after `voor elke prestatie`."""
    pos: Pos = field(default=GEEN_POS, compare=False)
    code_pos: Pos = field(default=GEEN_POS, compare=False)
    """Where the retourcode stands, for an error about the code itself."""


Item: TypeAlias = Parameter | Waarde | Tabel | Regel


@dataclass(frozen=True, slots=True)
class Lid:
    nummer: str
    titel: str
    lokaal: bool
    bron: str | None
    uitleg: str | None
    geldig: Geldig | None
    items: tuple[Item, ...]
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Artikel:
    nummer: str
    titel: str
    lokaal: bool
    bron: str | None
    uitleg: str | None
    geldig: Geldig | None
    items: tuple[Item, ...]
    """Items before the first lid."""
    leden: tuple[Lid, ...]
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Contract:
    naam: str
    regio: str | None
    gemeenten: tuple[str, ...]
    istandaard: bool
    artikelen: tuple[str, ...]
    bron: str | None
    uitleg: str | None
    geldig: Geldig | None
    tabellen: tuple[Tabel, ...]
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Wijzigt:
    naam: str
    artikel: str | None
    waarde: Literal_
    geldig: Geldig | None
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Vervangt:
    soort: Literal["regel", "waarde"]
    naam: str
    nieuw: Regel | Waarde
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class Vervalt:
    naam: str
    pos: Pos = field(default=GEEN_POS, compare=False)


@dataclass(frozen=True, slots=True)
class WijzigtUitleg:
    """`wijzigt uitleg in artikel 43.4: "..."` / `... in regel "NAAM": "..."`: the region
    rewrites a text, so the rendering never contradicts a parameter it changed."""

    soort: Literal["artikel", "regel"]
    naam: str
    """The artikel or lid number (43, 43.4), or the rule's name."""
    tekst: str
    pos: Pos = field(default=GEEN_POS, compare=False)


Wijziging: TypeAlias = Wijzigt | Vervangt | Vervalt | WijzigtUitleg


@dataclass(frozen=True, slots=True)
class Bestand:
    """One parsed rule file."""

    naam: str
    contract: Contract | None
    artikelen: tuple[Artikel, ...]
    wijzigingen: tuple[Wijziging, ...]
    pos: Pos = field(default=GEEN_POS, compare=False)
