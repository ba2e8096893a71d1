"""The csv format, for finance staff who open it in Dutch Excel with a double click.

Dutch Excel reads a file without an import dialog when it is separated by `;`, writes decimals
with a comma and starts with a UTF-8 byte order mark (without the BOM it takes the file for
Windows-1252 and mangles 'cliënt' and '€'). So: `;`, CRLF line ends, BOM, amounts in euros
with a decimal comma and no thousands separator or euro sign (`1234,56`, a number to Excel),
percentages in percent (`12,5`), other fractions to four decimals, dates ISO (`2026-03-31`,
which Excel reads as a date), codes as written.

One table and no signals: plain CSV (a header row of the columns' `naam`, the rows, the
totals row). Otherwise one section per table and a last one for the signals: a row with the
table's `naam` alone, the header, the rows, the totals, an empty row. A program splits the
sections on the empty rows."""

from __future__ import annotations

import csv
import io
from typing import Any

from weergave.rapport.cellen import rekenblad, rijen_met_totaal, signalen_tabel
from weergave.rapport.model import Rapport, Tabel

BOM = "\ufeff"


def render(rapport: Rapport) -> bytes:
    tabellen = tabellen_van(rapport)
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";", lineterminator="\r\n")
    if len(tabellen) == 1:
        _tabel(schrijver, tabellen[0])
    else:
        for tabel in tabellen:
            schrijver.writerow([tabel.naam])
            _tabel(schrijver, tabel)
            schrijver.writerow([])
    return (BOM + uit.getvalue()).encode()


def tabellen_van(rapport: Rapport) -> tuple[Tabel, ...]:
    """The report's tables, then its signals as a table when there are any."""
    signalen = (signalen_tabel(rapport.signalen),) if rapport.signalen else ()
    return rapport.tabellen + signalen


def _tabel(schrijver: Any, tabel: Tabel) -> None:
    schrijver.writerow([k.naam for k in tabel.kolommen])
    for rij in rijen_met_totaal(tabel):
        schrijver.writerow(rekenblad(w, k.soort) for k, w in zip(tabel.kolommen, rij,
                                                                strict=True))
