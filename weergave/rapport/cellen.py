"""The notations of a cell, one function per audience, shared by every renderer.

- `lezen`: what a person reads (tekst, html): `€ 1.234,56`, `12,5 %`, `16 maart 2026`;
- `machine`: what a program reads (json): whole cents as int, dates ISO, an integral
  Fraction as int, any other Fraction as a decimal string with a point, rounded half away from
  zero (`engine.opmaak.rond_half_weg_van_nul`) to `DECIMALEN` decimals (exact for every
  fraction whose decimal expansion ends within them);
- `rekenblad`: what a Dutch spreadsheet reads without an import dialog (csv): numbers
  without thousands separators and with a decimal comma (euros for amounts), dates ISO.

A report's value is never changed here, only written."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from engine.opmaak import datum, geld, getal, rond_half_weg_van_nul
from weergave.rapport.model import Cel, Kolom, Rapport, Signaal, Soort, Tabel

DECIMALEN = 4
"""Decimals of a non-integral fraction (an average, a percentage) outside the exact formats."""

TOTAAL = "Totaal"
"""The label of a totals row, in its first empty text column."""

NUMERIEK: frozenset[Soort] = frozenset({"bedrag", "aantal", "procent"})
"""Columns that are numbers: right-aligned in tekst and html, numbers in xlsx."""


def lezen(waarde: Cel, soort: Soort) -> str:
    """The cell as a Dutch reader writes it; an empty cell is ''."""
    if waarde is None:
        return ""
    if soort == "bedrag":
        return geld(_getal(waarde))
    if soort == "procent":
        return f"{getal(_getal(waarde), 1)} %"
    if soort == "aantal":
        breuk = _getal(waarde)
        return getal(breuk, 0 if breuk.denominator == 1 else 2, duizendtallen=True)
    if soort == "datum" and isinstance(waarde, date):
        return datum(waarde)
    return str(waarde)


def machine(waarde: Cel, soort: Soort) -> str | int | None:
    """The cell for json: int cents and counts, ISO dates, strings for the rest."""
    if waarde is None:
        return None
    if soort == "bedrag":
        return centen(waarde)
    if soort in ("aantal", "procent"):
        breuk = _getal(waarde)
        if breuk.denominator == 1:
            return breuk.numerator
        return decimaal_punt(breuk)
    if isinstance(waarde, date):
        return waarde.isoformat()
    return str(waarde)


def rekenblad(waarde: Cel, soort: Soort) -> str:
    """The cell for a Dutch spreadsheet: `1234,56` (euros), `12,5` (percent), ISO dates."""
    if waarde is None:
        return ""
    if soort == "bedrag":
        return decimaal_punt(Fraction(centen(waarde), 100), 2).replace(".", ",")
    if soort in ("aantal", "procent"):
        return str(machine(waarde, soort)).replace(".", ",")
    if isinstance(waarde, date):
        return waarde.isoformat()
    return str(waarde)


def centen(waarde: Cel) -> int:
    """An amount cell: whole cents, or a clear error (the model forbids anything else)."""
    if isinstance(waarde, bool) or not isinstance(waarde, int | Fraction):
        raise TypeError(f"een bedrag is een geheel aantal centen, niet {waarde!r}")
    if Fraction(waarde).denominator != 1:
        raise TypeError(f"een bedrag is een geheel aantal centen, niet {waarde!r}")
    return int(waarde)


def decimaal_punt(breuk: Fraction, decimalen: int = DECIMALEN) -> str:
    """`breuk` rounded half away from zero to `decimalen` decimals, with a point: '-0.0833'."""
    schaal = 10**decimalen
    afgerond = rond_half_weg_van_nul(breuk * schaal)
    heel, rest = divmod(abs(afgerond), schaal)
    teken = "-" if afgerond < 0 else ""
    return f"{teken}{heel}.{str(rest).rjust(decimalen, '0')}" if decimalen else f"{teken}{heel}"


def _getal(waarde: Cel) -> Fraction:
    if isinstance(waarde, bool) or not isinstance(waarde, int | Fraction):
        raise TypeError(f"een getal verwacht, niet {waarde!r}")
    return Fraction(waarde)


def totaalrij(tabel: Tabel) -> tuple[Cel, ...] | None:
    """The totals row with `TOTAAL` in its first empty text column (when it has one)."""
    if tabel.totaal is None:
        return None
    rij = list(tabel.totaal)
    for i, (kolom, waarde) in enumerate(zip(tabel.kolommen, rij, strict=True)):
        if waarde is None and kolom.soort in ("tekst", "code"):
            rij[i] = TOTAAL
            break
    return tuple(rij)


def rijen_met_totaal(tabel: Tabel) -> tuple[tuple[Cel, ...], ...]:
    """The body rows followed by the totals row, if any."""
    totaal = totaalrij(tabel)
    return tabel.rijen + ((totaal,) if totaal is not None else ())


def soorten(kolommen: tuple[Kolom, ...]) -> tuple[Soort, ...]:
    return tuple(k.soort for k in kolommen)


SIGNAALKOLOMMEN = (
    Kolom("code", "Code", "code"), Kolom("artikel", "Artikel", "tekst"),
    Kolom("lid", "Lid", "tekst"), Kolom("regel", "Regel", "tekst"),
    Kolom("aanbieder", "Aanbieder", "code"), Kolom("gemeente", "Gemeente", "code"),
    Kolom("periode", "Periode", "tekst"), Kolom("zin", "Toelichting", "tekst"),
    Kolom("waarden", "Gebruikte waarden", "tekst"),
)


def signalen_tabel(signalen: tuple[Signaal, ...]) -> Tabel:
    """The signals as a table, so every tabular format shows them the way it shows tables."""
    rijen = tuple(
        (s.code, s.artikel, s.lid, s.regel, s.aanbieder, s.gemeente, s.periode, s.zin,
         "; ".join(f"{naam} = {waarde}" for naam, waarde in s.waarden))
        for s in signalen)
    return Tabel("signalen", "Signalen", SIGNAALKOLOMMEN, rijen)


def kop_tabel(rapport: Rapport) -> Tabel:
    """The heading as a two-column table (the xlsx sheet `kop`)."""
    kolommen = (Kolom("gegeven", "Gegeven", "tekst"), Kolom("waarde", "Waarde", "tekst"))
    rijen: tuple[tuple[Cel, ...], ...] = (
        ("Rapport", rapport.titel), ("Regio", rapport.regio), ("Jaar", str(rapport.jaar)))
    vast = {"regio", "jaar"}
    rijen += tuple((label, waarde) for label, waarde in rapport.kop if label.lower() not in vast)
    return Tabel("kop", rapport.titel, kolommen, rijen)


def kopregels(rapport: Rapport) -> tuple[tuple[str, str], ...]:
    """The heading people read: region and year first unless the report names them itself."""
    eigen = {label.lower() for label, _ in rapport.kop}
    vast = tuple((label, waarde) for label, waarde in
                 (("Regio", rapport.regio), ("Jaar", str(rapport.jaar)))
                 if label.lower() not in eigen)
    return vast + rapport.kop


def voor_wie(s: Signaal) -> str:
    """'aanbieder 12345678, gemeente 0193, 2026-K2': whom and when a signal is about."""
    delen = (s.aanbieder and f"aanbieder {s.aanbieder}",
             s.gemeente and f"gemeente {s.gemeente}", s.periode)
    return ", ".join(d for d in delen if d)
