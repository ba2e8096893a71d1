"""The xlsx format (openpyxl): a sheet for the heading, one per table, one for the signals.

Amounts are numbers in euros with a euro number format: the cell gets `Decimal(cents) / 100`,
an exact decimal, written as its digits (no float arithmetic). Percentages are numbers with a
% format (Fraction(25, 2) percent is the cell value 0.125), dates are dates, counts numbers,
codes text (a leading zero kept). The header row is bold and frozen, the columns have widths,
a totals row is bold."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from weergave.rapport.cellen import (
    DECIMALEN,
    centen,
    decimaal_punt,
    kop_tabel,
    lezen,
    signalen_tabel,
    totaalrij,
)
from weergave.rapport.model import Cel, Kolom, Rapport, Soort, Tabel

EURO = '"€" #,##0.00;"€" -#,##0.00'
PROCENT = "0.0%"
DATUM = "dd-mm-yyyy"
AANTAL = "#,##0.##"
NOTATIE: dict[Soort, str] = {"bedrag": EURO, "procent": PROCENT, "datum": DATUM,
                             "aantal": AANTAL, "tekst": "General", "code": "@"}

VET = Font(bold=True)
MAX_BREEDTE = 60


def render(rapport: Rapport) -> bytes:
    boek = Workbook()
    kop = boek.active
    assert kop is not None  # a new workbook has its first sheet
    _vul(kop, kop_tabel(rapport))
    for tabel in rapport.tabellen:
        _vul(boek.create_sheet(), tabel)
    _vul(boek.create_sheet(), signalen_tabel(rapport.signalen))
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()


def bladnaam(naam: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return "".join("_" if t in "[]:*?/\\" else t for t in naam)[:31]


def _vul(blad: Worksheet, tabel: Tabel) -> None:
    blad.title = bladnaam(tabel.naam)
    blad.append([k.kop for k in tabel.kolommen])
    for cel in blad[1]:
        cel.font = VET
    blad.freeze_panes = "A2"
    for rij in tabel.rijen:
        _rij(blad, tabel.kolommen, rij)
    totaal = totaalrij(tabel)
    if totaal is not None:
        _rij(blad, tabel.kolommen, totaal, vet=True)
    for i, kolom in enumerate(tabel.kolommen, start=1):
        blad.column_dimensions[get_column_letter(i)].width = _breedte(tabel, i - 1, kolom)


def _rij(blad: Worksheet, kolommen: tuple[Kolom, ...], rij: tuple[Cel, ...],
         vet: bool = False) -> None:
    blad.append([waarde(w, k.soort) for k, w in zip(kolommen, rij, strict=True)])
    for cel, kolom in zip(blad[blad.max_row], kolommen, strict=True):
        cel.number_format = NOTATIE[kolom.soort]
        if vet:
            cel.font = VET


def waarde(w: Cel, soort: Soort) -> str | int | Decimal | date | None:
    """The cell's value: exact decimals for amounts and fractions, never a float."""
    if w is None:
        return None
    if soort == "bedrag":
        return Decimal(centen(w)) / 100
    if soort in ("aantal", "procent") and isinstance(w, int | Fraction):
        breuk = Fraction(w) / (100 if soort == "procent" else 1)
        if breuk.denominator == 1:
            return breuk.numerator
        return Decimal(decimaal_punt(breuk, DECIMALEN + 2))
    if isinstance(w, date):
        return w
    return str(w)


def _breedte(tabel: Tabel, index: int, kolom: Kolom) -> int:
    """Wide enough for the header and the widest value as a reader writes it."""
    rijen = (*tabel.rijen, *(() if tabel.totaal is None else (tabel.totaal,)))
    langste = max([len(kolom.kop), *(len(lezen(r[index], kolom.soort)) for r in rijen)])
    return min(langste + 2, MAX_BREEDTE)
