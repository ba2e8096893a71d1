"""Attendance input: a CSV of absence periods `bsn,toewijzingnummer,van,tot` (dates
inclusive), read into `engine.model.Afwezigheid` with located Dutch errors.

`afwezigheid` is the one check of a period, whatever form it came in (this CSV, the
service's JSON): a BSN of nine ASCII digits that passes the elfproef, a ToewijzingNummer
of ASCII digits within the standard's LDT_Nummer (normalised as the JW301 reader does:
`074` is allocation 74), and `tot` not before `van`. Only ASCII digits: `str.isdigit`
also accepts Arabic-Indic and other digits, which `int` would silently convert."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from berichten.fouten import BerichtFoutError
from engine.bsn import elfproef, verberg_bsn
from engine.model import Afwezigheid

KOLOMMEN = ("bsn", "toewijzingnummer", "van", "tot")

_NUMMER_CIJFERS = 9
"""LDT_Nummer (a ToewijzingNummer): an integer from 0 to 999999999."""


class AfwezigheidFoutError(ValueError):
    """An absence period that is not valid: which field (one of `KOLOMMEN`) and why, in
    Dutch, without the BSN."""

    def __init__(self, veld: str, bericht: str) -> None:
        super().__init__(bericht)
        self.veld, self.bericht = veld, bericht


def afwezigheid(bsn: str, toewijzingnummer: str, van: date, tot: date) -> Afwezigheid:
    """The absence period, checked (see the module); raises AfwezigheidFoutError."""
    if len(bsn) != 9 or not _ascii_cijfers(bsn):
        raise AfwezigheidFoutError("bsn", "het BSN moet uit 9 cijfers (0-9) bestaan")
    if not elfproef(bsn):
        raise AfwezigheidFoutError("bsn", "het BSN voldoet niet aan de elfproef")
    if not _ascii_cijfers(toewijzingnummer) or len(toewijzingnummer.lstrip("0")) > \
            _NUMMER_CIJFERS:
        raise AfwezigheidFoutError(
            "toewijzingnummer", "het toewijzingnummer moet een geheel getal zijn van "
            f"hoogstens {_NUMMER_CIJFERS} cijfers (0-9)")
    if tot < van:
        raise AfwezigheidFoutError(
            "tot", f"'tot' ({tot.isoformat()}) ligt voor 'van' ({van.isoformat()})")
    return Afwezigheid(bsn, str(int(toewijzingnummer)), van, tot)


def _ascii_cijfers(tekst: str) -> bool:
    return tekst.isascii() and tekst.isdigit()


def lees_aanwezigheid(bron: Path | str | bytes) -> list[Afwezigheid]:
    """Absence periods from a CSV file (a Path or a path as str) or its bytes.

    The header `bsn,toewijzingnummer,van,tot` is required; every row has four values, dates
    as JJJJ-MM-DD, checked by `afwezigheid`. Errors read `aanwezigheid.csv:4:2: ...`: line
    4, the second value (the column is the position of the value in the row); never with
    the BSN.
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
    rijen = [",".join(KOLOMMEN)]
    rijen.extend(f"{a.bsn},{a.toewijzingnummer},{a.van.isoformat()},{a.tot.isoformat()}"
                  for a in afwezigheden)
    return "\n".join(rijen) + "\n"


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
    begin, eind = _datum(van, line, 3, naam), _datum(tot, line, 4, naam)
    try:
        return afwezigheid(bsn, nummer, begin, eind)
    except AfwezigheidFoutError as fout:
        raise BerichtFoutError(fout.bericht, line, KOLOMMEN.index(fout.veld) + 1,
                               naam) from None


def _datum(tekst: str, line: int, column: int, naam: str) -> date:
    try:
        if len(tekst) != 10 or not tekst.isascii():
            raise ValueError(tekst)
        return date.fromisoformat(tekst)
    except ValueError:
        raise BerichtFoutError(f"'{verberg_bsn(tekst[:40])}' is geen geldige datum "
                               "(JJJJ-MM-DD)", line, column, naam) from None
