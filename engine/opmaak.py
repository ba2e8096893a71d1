"""Money and numbers as a Dutch reader writes them: the one formatter of every report.

Pure functions on ints and Fractions that import nothing, at the floor of the engine (next to
the vocabulary `engine.woorden`) because the engine writes the values of a reason with them
and imports no package above it (tests/huis/test_lagen.py). So the engine, the DSL formatter
(literals in a rule file) and the reports of `weergave` (the explanation, the articles in
force, the service's pages through a jinja filter, the coverage report, the CLI summary) all
write the same notation: `€ 1.234,50`, `€ -12,50` (the sign after the euro sign), decimals
with a comma, and dates inside a sentence as '16 maart 2026' (machine fields, JSON values and
the XML of a message stay ISO).
"""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")

GEEN_EINDDATUM = "geen einddatum"
"""An open end date in a sentence: the value is not unknown, the period simply runs on."""


def datum(dag: date) -> str:
    """'16 maart 2026', '1 juli 2026': the day without a leading zero, the month in words."""
    return f"{dag.day} {MAANDEN[dag.month - 1]} {dag.year}"


def tijdstip(moment: datetime) -> str:
    """'16 maart 2026 14:05': a moment (a message received) as a sentence writes it."""
    return f"{datum(moment.date())} {moment:%H:%M}"


def einddatum(dag: date | None) -> str:
    """An end date in a sentence: the date, or 'geen einddatum' when the period is open."""
    return GEEN_EINDDATUM if dag is None else datum(dag)


def geld(centen: Fraction | int) -> str:
    """'€ 76,45', '€ 1.234,00', '€ -12,50'; a fraction of a cent shows four decimals."""
    decimalen = 2 if Fraction(centen).denominator == 1 else 4
    return f"€ {getal(Fraction(centen) / 100, decimalen, duizendtallen=True)}"


def geld_kort(centen: int) -> str:
    """A sum of money as a rule file writes it: '€ 76,45', '€ 100.000', '€ -12' (whole euros
    without cents)."""
    euro, cent = divmod(abs(centen), 100)
    tekst = f"{euro:,}".replace(",", ".") + (f",{cent:02d}" if cent else "")
    return f"€ {'-' if centen < 0 else ''}{tekst}"


def getal(waarde: Fraction, decimalen: int, duizendtallen: bool = False) -> str:
    """`waarde` rounded half away from zero to `decimalen` decimals, with a decimal comma;
    with `duizendtallen` a dot between thousands and every decimal kept ('1.234,50'),
    without it trailing zeros go ('1,5')."""
    schaal = 10**decimalen
    afgerond = rond_half_weg_van_nul(waarde * schaal)
    teken = "-" if afgerond < 0 else ""
    heel, rest = divmod(abs(afgerond), schaal)
    heel_tekst = f"{heel:,}".replace(",", ".") if duizendtallen else str(heel)
    if decimalen == 0:
        return f"{teken}{heel_tekst}"
    rest_tekst = str(rest).rjust(decimalen, "0")
    if not duizendtallen:
        rest_tekst = rest_tekst.rstrip("0") or "0"
    return f"{teken}{heel_tekst},{rest_tekst}"


def decimaal(waarde: Fraction) -> str:
    """A number exactly as written in a rule file: '1,5', '14', '100000' (up to 12 decimals,
    cut off, not rounded, beyond that)."""
    if waarde.denominator == 1:
        return str(waarde.numerator)
    teken = "-" if waarde < 0 else ""
    waarde = abs(waarde)
    heel = waarde.numerator // waarde.denominator
    rest = waarde - heel
    decimalen = ""
    while rest and len(decimalen) < 12:
        rest *= 10
        cijfer = rest.numerator // rest.denominator
        decimalen += str(cijfer)
        rest -= cijfer
    return f"{teken}{heel},{decimalen}"


def rond_half_weg_van_nul(waarde: Fraction) -> int:
    """Round half away from zero ('rekenkundig')."""
    heel = (2 * abs(waarde.numerator) + waarde.denominator) // (2 * waarde.denominator)
    return heel if waarde >= 0 else -heel
