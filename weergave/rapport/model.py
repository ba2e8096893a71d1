"""The report model: what every period and money report is, before it has a format.

A report is a heading (region, year, period and what it was computed under), tables of typed
cells and the signals that came with it. The cells carry exact values (whole cents, exact
fractions, dates): a renderer chooses the notation (Dutch in tekst and html, plain numbers in
json, csv and xlsx), never the value. Where an issue fixes a report's JSON keys (the year's
money: `voorschotten`, `vaststelling`, `verevening`), the report carries that document in
`document` and the json renderer writes it as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, Literal

Soort = Literal["tekst", "code", "bedrag", "aantal", "procent", "datum"]
"""What a column holds, which fixes its notation:
- tekst, code: a string (a code such as an AGB or gemeente code stays text, leading zeros kept);
- bedrag: whole euro cents (int), signed;
- aantal: an int or an exact Fraction (an average number of clients);
- procent: an exact Fraction in percent (Fraction(4, 5) is 0.8 %, not 80 %);
- datum: a `datetime.date`."""

Cel = str | int | Fraction | date | None
"""One value; None is an empty cell ("not applicable", e.g. a percentage without days)."""


@dataclass(frozen=True, slots=True)
class Kolom:
    """A column: `naam` is the key in json and the header in csv (snake_case Dutch),
    `kop` the header people read (tekst, html, xlsx)."""

    naam: str
    kop: str
    soort: Soort


@dataclass(frozen=True, slots=True)
class Tabel:
    """A table of a report; `totaal` is an optional last row of totals (same columns)."""

    naam: str
    titel: str
    kolommen: tuple[Kolom, ...]
    rijen: tuple[tuple[Cel, ...], ...]
    totaal: tuple[Cel, ...] | None = None
    toelichting: str = ""


@dataclass(frozen=True, slots=True)
class Signaal:
    """A finding that comes with a report (a norm exceeded, a ceiling reached): the code or
    kind, where it is written (article, lid, rule), for whom and when, the values used, and
    the Dutch sentence a provider or an alderman reads."""

    code: str
    artikel: str
    lid: str
    regel: str
    zin: str
    aanbieder: str = ""
    gemeente: str = ""
    periode: str = ""
    waarden: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Rapport:
    """A whole report. `soort` names it (kwartaal, verantwoording, voorschotten, ...) and
    is the file name stem of a download; `kop` is the heading as (label, value) pairs in
    reading order (regio, jaar, kwartaal, peildatum, regelset, ...)."""

    soort: str
    titel: str
    regio: str
    jaar: int
    kop: tuple[tuple[str, str], ...] = ()
    tabellen: tuple[Tabel, ...] = ()
    signalen: tuple[Signaal, ...] = ()
    document: Mapping[str, Any] | None = field(default=None)
