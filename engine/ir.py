"""The engine's intermediate representation: what `dsl.compiler` produces and both backends run.

Everything here is immutable and free of lark, Polars and durable-rules, so a compiled
`Regelboek` can be cached, hashed, shipped to another process and rendered for a lawyer.

Semantics in short (docs/taal.md says it in Dutch):
- A `Regel` is evaluated once per Prestatie (declaration line) whose care date (the
  ProductPeriode's begindatum, `peildatum`) lies in the rule's `geldig` interval and for
  which `filter` (if any) holds. When `voorwaarde` is true the rule *fires*: an `afwijzen`
  rule rejects the line with its retourcode, a `signaleren` rule adds a signal.
- `niveau` "client" / "declaratie": the rule is still evaluated per line; it fires for the
  whole client / declaration when it fires for any of its lines.
- Values are exact: numbers are `fractions.Fraction` (or int) in the scalar evaluator and
  integer numerator/denominator (or Int64 cents) in the vectorized one; money is in euro
  cents. Only `Afronding` turns a fraction into a whole number. Never float.
- Units stay as written in the rule text. Every expression has the type the checker gave
  it (`Regelboek.typen`, written by `dsl.compiler`; a `Constante` carries its own), and the
  backends read it, never infer it: where uur meets minuut in +, -, comparisons and `Als`,
  the uur side counts in minutes; a procent factor in a product scales by 1/100. The
  compiler converts only the divisor of a division.
- A missing value (no allocation, empty Einddatum, lookup without a row) is `None`.
  Arithmetic with `None` gives `None`; a comparison with `None` is false (so a rule never
  fires on a value it does not have); `Functie("bekend", x)` tests for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, Literal, TypeAlias, TypeVar, cast

# ---------------------------------------------------------------- provenance and validity


@dataclass(frozen=True, slots=True)
class Bron:
    """Where something was written: file, 1-based line and column."""

    bestand: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.bestand}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Geldigheid:
    """Half-open validity [vanaf, tot); None means unbounded on that side."""

    vanaf: date | None = None
    tot: date | None = None

    def geldt_op(self, peildatum: date) -> bool:
        if self.vanaf is not None and peildatum < self.vanaf:
            return False
        return self.tot is None or peildatum < self.tot

    def overlapt(self, ander: Geldigheid) -> bool:
        begin_voor_eind = ander.tot is None or self.vanaf is None or self.vanaf < ander.tot
        eind_na_begin = self.tot is None or ander.vanaf is None or ander.vanaf < self.tot
        return begin_voor_eind and eind_na_begin


ALTIJD = Geldigheid()

Herkomst = Literal["standaard", "regio", "lokaal"]
"""standaard: from regels/; regio: a standard item the region changed or replaced;
lokaal: a rule the region added (marked `lokaal` in its file)."""

# ---------------------------------------------------------------- types and units

Soort = Literal["getal", "geld", "datum", "tekst", "waarheid", "*"]
"""'*' only appears in function signatures (engine.functies): any soort."""

EENHEDEN = (
    "minuut",
    "uur",
    "dagdeel",
    "etmaal",
    "dag",
    "week",
    "maand",
    "stuk",
    "procent",
    "prestatie",  # "in de eenheid van de prestatie": GeleverdVolume, Omvang.Volume
)
"""Units of a `getal`. None = a bare number. Money is its own soort ("geld", in cents).
Conversions the checks allow: uur = 60 minuut. Nothing else converts implicitly."""


@dataclass(frozen=True, slots=True)
class Type:
    soort: Soort
    eenheid: str | None = None

    def __str__(self) -> str:
        if self.soort == "getal" and self.eenheid:
            return f"getal in {self.eenheid}"
        return self.soort


GELD = Type("geld")
DATUM = Type("datum")
TEKST = Type("tekst")
WAARHEID = Type("waarheid")
GETAL = Type("getal")

# ---------------------------------------------------------------- expressions

Waarde: TypeAlias = int | Fraction | str | date | bool | None


@dataclass(frozen=True, slots=True)
class Constante:
    waarde: Waarde
    type: Type


@dataclass(frozen=True, slots=True)
class Veld:
    """A column of the line under assessment; names are those of `engine.velden.VELDEN`."""

    naam: str


@dataclass(frozen=True, slots=True)
class Parameter:
    """A contract parameter; its value is the version in force on the line's peildatum."""

    naam: str


@dataclass(frozen=True, slots=True)
class Verwijzing:
    """The value of a `Berekening` (a computed value) of the same Regelboek."""

    naam: str


Rekenteken = Literal["+", "-", "*", "/"]


@dataclass(frozen=True, slots=True)
class Rekensom:
    op: Rekenteken
    links: Expr
    rechts: Expr


Afrondingsmodus = Literal["naar_boven", "naar_beneden", "rekenkundig"]
"""naar_boven = ceiling, naar_beneden = floor, rekenkundig = half away from zero."""


@dataclass(frozen=True, slots=True)
class Afronding:
    """Round `expr` to a whole multiple of `stap` (in the expression's own unit)."""

    expr: Expr
    modus: Afrondingsmodus
    stap: Fraction = Fraction(1)


Vergelijkingsteken = Literal["<", "<=", ">", ">=", "==", "!="]


@dataclass(frozen=True, slots=True)
class Vergelijking:
    op: Vergelijkingsteken
    links: Expr
    rechts: Expr


@dataclass(frozen=True, slots=True)
class InLijst:
    expr: Expr
    waarden: tuple[Expr, ...]
    negatief: bool = False


@dataclass(frozen=True, slots=True)
class En:
    delen: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Of:
    delen: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Niet:
    expr: Expr


@dataclass(frozen=True, slots=True)
class Als:
    """`dan` when `voorwaarde` holds, else `anders` (a conditional value)."""

    voorwaarde: Expr
    dan: Expr
    anders: Expr


@dataclass(frozen=True, slots=True)
class Functie:
    """A built-in function; the catalogue with signatures is `engine.functies.FUNCTIES`."""

    naam: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Opzoeking:
    """`kolom` of the row of `tabel` whose `sleutels` columns equal the given expressions and
    whose validity (geldig_vanaf / geldig_tot, if the table has them) holds on `peildatum`.
    No such row: None. More than one: the checks reject the table up front (overlap)."""

    tabel: str
    kolom: str
    sleutels: tuple[tuple[str, Expr], ...]
    peildatum: Expr = field(default_factory=lambda: Veld("begindatum"))


Aggregatiefunctie = Literal["som", "aantal", "gemiddelde", "maximum", "minimum"]
Periode = Literal["maand", "isoweek", "kwartaal", "jaar", "geheel"]


@dataclass(frozen=True, slots=True)
class Aggregaat:
    """`functie` of `expr` over the lines of this message that share the values of the `groep`
    columns with this line and (unless periode is "geheel") fall in the same period of their
    begindatum, restricted to lines where `filter` holds. `aantal` counts lines (expr None).
    Only debit lines of the message take part unless the filter says otherwise."""

    functie: Aggregatiefunctie
    expr: Expr | None
    groep: tuple[str, ...]
    periode: Periode = "geheel"
    filter: Expr | None = None


Expr: TypeAlias = (
    Constante
    | Veld
    | Parameter
    | Verwijzing
    | Rekensom
    | Afronding
    | Vergelijking
    | InLijst
    | En
    | Of
    | Niet
    | Als
    | Functie
    | Opzoeking
    | Aggregaat
)

# ---------------------------------------------------------------- rule book items

RegelSoort = Literal["afwijzen", "signaleren"]
Niveau = Literal["prestatie", "client", "declaratie"]


@dataclass(frozen=True, slots=True)
class Regel:
    id: str
    """Stable identifier: '<artikel>[.<lid>]/<naam>', unique in a Regelboek."""
    naam: str
    soort: RegelSoort
    niveau: Niveau
    retourcode: str | None
    artikel: str
    lid: str | None
    voorwaarde: Expr
    filter: Expr | None
    uitleg: str
    """Dutch sentence for the provider; `{naam}` placeholders name entries of `waarden`."""
    waarden: tuple[tuple[str, Expr], ...]
    """The values the decision compared, reported with every firing (name, expression)."""
    geldig: Geldigheid
    herkomst: Herkomst
    bron: Bron
    dekking: tuple[tuple[str, Expr], ...] = ()
    """The rule's conditions by readable label (each atom of filter and voorwaarde), for
    the coverage report of `regelwerk test --dekking`."""
    uitleg_bron: Bron | None = None
    """Where the region rewrote the uitleg (`wijzigt uitleg in regel`); None: as written."""


@dataclass(frozen=True, slots=True)
class Berekening:
    """A named computed value ('waarde ... is ...'); versions of one name have disjoint
    validity. Ordered in a Regelboek so that each only refers to earlier ones."""

    naam: str
    expr: Expr
    type: Type
    geldig: Geldigheid
    artikel: str | None
    lid: str | None
    herkomst: Herkomst
    bron: Bron


@dataclass(frozen=True, slots=True)
class ParameterWaarde:
    naam: str
    waarde: Constante
    geldig: Geldigheid
    artikel: str | None
    lid: str | None
    herkomst: Herkomst
    bron: Bron


@dataclass(frozen=True, slots=True)
class Kolom:
    naam: str
    type: Type


@dataclass(frozen=True, slots=True)
class Tabel:
    """A table read from a CSV file (e.g. tarieven.csv). Rows hold typed values; a table
    with geldig_vanaf/geldig_tot columns has a `Geldigheid` per row."""

    naam: str
    kolommen: tuple[Kolom, ...]
    rijen: tuple[tuple[Waarde, ...], ...]
    geldigheid: tuple[Geldigheid, ...]
    herkomst: Herkomst
    bron: Bron
    bestand: str


@dataclass(frozen=True, slots=True)
class Lid:
    nummer: str
    titel: str
    uitleg: str
    herkomst: Herkomst
    bron: Bron
    uitleg_bron: Bron | None = None
    """Where the region rewrote the text (`wijzigt uitleg`); None: the text as written."""


@dataclass(frozen=True, slots=True)
class Artikel:
    nummer: str
    titel: str
    bronvermelding: str | None
    uitleg: str
    geldig: Geldigheid
    leden: tuple[Lid, ...]
    herkomst: Herkomst
    bron: Bron
    uitleg_bron: Bron | None = None
    """Where the region rewrote the text (`wijzigt uitleg`); None: the text as written."""


@dataclass(frozen=True, slots=True)
class Wijziging:
    """What a region changed relative to the standard, for `regelwerk verschil`."""

    soort: Literal["wijzigt", "vervangt", "vervalt", "voegt_toe"]
    onderwerp: str
    omschrijving: str
    bron: Bron
    geldig: Geldigheid = ALTIJD
    """When the change holds (a changed parameter's period, a local article's, a replacing
    rule's); ALTIJD when the change says nothing (it holds with the contract)."""


T = TypeVar("T")


class Afgeleid:
    """What is worked out from a rule book once and kept with it (a backend's compiled plan,
    table indexes, the rule book with the compulsory rules added): a slot per key, filled on
    first use. Not part of the rule book's value: not compared, not carried over by
    `dataclasses.replace` (a changed book works it out again), not pickled (another process
    works it out itself; a compiled plan may hold native handles)."""

    __slots__ = ("_slot", "_slots")

    def __init__(self) -> None:
        self._slots: dict[Hashable, object] = {}
        self._slot = threading.RLock()

    def geef(self, sleutel: Hashable, maak: Callable[[], T]) -> T:
        """The value under `sleutel`, made by `maak()` the first time (once, across threads)."""
        try:
            return cast(T, self._slots[sleutel])
        except KeyError:
            pass
        with self._slot:
            if sleutel not in self._slots:
                self._slots[sleutel] = maak()
            return cast(T, self._slots[sleutel])

    def vind(self, sleutel: Hashable) -> Any:
        """The value under `sleutel`, or None when nothing was made yet."""
        return self._slots.get(sleutel)

    def zet(self, sleutel: Hashable, waarde: object) -> None:
        with self._slot:
            self._slots[sleutel] = waarde

    def __reduce__(self) -> tuple[type[Afgeleid], tuple[()]]:
        return (Afgeleid, ())

    def __deepcopy__(self, _: object) -> Afgeleid:
        return Afgeleid()


@dataclass(frozen=True, slots=True)
class Regelboek:
    """One region's compiled rule book (or the standard set alone)."""

    naam: str
    regio: str | None
    gemeenten: tuple[str, ...]
    artikelen: tuple[Artikel, ...]
    parameters: Mapping[str, tuple[ParameterWaarde, ...]]
    tabellen: Mapping[str, Tabel]
    berekeningen: tuple[Berekening, ...]
    regels: tuple[Regel, ...]
    wijzigingen: tuple[Wijziging, ...]
    hash: str
    """sha256 over the contents of every file it was compiled from."""
    bestanden: tuple[str, ...]
    looptijd: Geldigheid = ALTIJD
    """The contract's period (`geldig vanaf` on the `contract` header); debit lines with a
    care date outside it are rejected (engine.verplicht). ALTIJD for the standard alone (a
    contract from rule files always has one: dsl.regio refuses a contract without it)."""
    looptijd_bron: Bron | None = None
    """Where the period was written (the contract header)."""
    typen: Mapping[Expr, Type] = field(default_factory=dict, repr=False)
    """The type of every expression of the book (but constants), as the checker worked it
    out (`dsl.compiler`); keyed by the expression's value, so it travels with the book. A
    rule book built by hand as IR gets its types from `dsl.irtypen.getypt`."""
    afgeleid: Afgeleid = field(default_factory=Afgeleid, init=False, compare=False, repr=False)
    """Derived data, worked out once per rule book (see `Afgeleid`)."""

    def type(self, expr: Expr) -> Type:
        """The type the checker gave `expr` (a constant carries its own)."""
        if isinstance(expr, Constante):
            return expr.type
        try:
            return self.typen[expr]
        except KeyError:
            raise KeyError(f"regelboek '{self.naam}' kent het type van {expr!r} niet (een "
                           "regelboek uit de hand: dsl.irtypen.getypt)") from None

    def regel(self, regel_id: str) -> Regel:
        for regel in self.regels:
            if regel.id == regel_id:
                return regel
        raise KeyError(regel_id)
