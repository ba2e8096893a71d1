"""Attendance input: a CSV of absence periods `bsn,toewijzingnummer,van,tot` (dates
inclusive), read into `engine.model.Afwezigheid` with located Dutch errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from engine.ijw.fouten import BerichtFoutError
from engine.model import Afwezigheid

KOLOMMEN = ("bsn", "toewijzingnummer", "van", "tot")


def lees_aanwezigheid(bron: Path | str | bytes) -> list[Afwezigheid]:
    """Absence periods from a CSV file (a Path or a path as str) or its bytes.

    The header `bsn,toewijzingnummer,van,tot` is required; every row has four values, dates
    as JJJJ-MM-DD with van <= tot. Errors read `aanwezigheid.csv:4:2: ...`: line 4, the
    second value (the column is the position of the value in the row).
    """
    naam, tekst = _tekst(bron)
    rijen = csv.reader(io.StringIO(tekst), strict=True)
    try:
        kop = next(rijen, None)
        if kop is None or [k.strip().lower() for k in kop] != list(KOLOMMEN):
            raise BerichtFoutError(
                "de eerste regel moet de kop 'bsn,toewijzingnummer,van,tot' zijn", 1, 1, naam)
        return [_rij(rij, rijen.line_num, naam) for rij in rijen if any(v.strip() for v in rij)]
    except csv.Error:
        raise BerichtFoutError("de CSV is onleesbaar: een aanhalingsteken is niet afgesloten "
                               "of er staat een ongeldig teken", rijen.line_num, None,
                               naam) from None


def schrijf_aanwezigheid(afwezigheden: Iterable[Afwezigheid]) -> str:
    """The CSV text for absence periods (header included)."""
    regels = [",".join(KOLOMMEN)]
    regels.extend(f"{a.bsn},{a.toewijzingnummer},{a.van.isoformat()},{a.tot.isoformat()}"
                  for a in afwezigheden)
    return "\n".join(regels) + "\n"


def _tekst(bron: Path | str | bytes) -> tuple[str, str]:
    if isinstance(bron, bytes):
        naam, data = "aanwezigheid.csv", bron
    else:
        pad = Path(bron)
        naam = pad.name
        try:
            data = pad.read_bytes()
        except OSError as err:
            raise BerichtFoutError(f"het bestand kan niet worden gelezen ({err.strerror})",
                                   bestand=str(pad)) from None
    try:
        return naam, data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise BerichtFoutError("de tekst is geen geldige UTF-8", line, None, naam) from None


def _rij(rij: list[str], line: int, naam: str) -> Afwezigheid:
    if len(rij) != len(KOLOMMEN):
        raise BerichtFoutError(
            f"verwacht 4 waarden (bsn,toewijzingnummer,van,tot), gevonden {len(rij)}",
            line, 1, naam)
    bsn, nummer, van, tot = (v.strip() for v in rij)
    if len(bsn) != 9 or not bsn.isdigit():
        raise BerichtFoutError("het BSN moet uit 9 cijfers bestaan", line, 1, naam)
    if not nummer.isdigit():
        raise BerichtFoutError("het toewijzingnummer moet een geheel getal zijn",
                               line, 2, naam)
    begin, eind = _datum(van, line, 3, naam), _datum(tot, line, 4, naam)
    if eind < begin:
        raise BerichtFoutError(f"'tot' ({tot}) ligt voor 'van' ({van})", line, 4, naam)
    return Afwezigheid(bsn, str(int(nummer)), begin, eind)


def _datum(tekst: str, line: int, column: int, naam: str) -> date:
    try:
        if len(tekst) != 10:
            raise ValueError(tekst)
        return date.fromisoformat(tekst)
    except ValueError:
        raise BerichtFoutError(f"'{tekst}' is geen geldige datum (JJJJ-MM-DD)",
                               line, column, naam) from None
