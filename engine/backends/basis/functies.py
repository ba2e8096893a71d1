"""Every built-in function of `engine.functies.FUNCTIES` in plain Python: the reference.

Each implementation takes the evaluated arguments (exact values: int, Fraction, date, str,
bool or None) and the row's absence periods. Dates are inclusive on both ends. An empty
argument gives an empty result, except `bekend` and `vroegste`/`laatste` (where an empty
date does not count). A count of days, months or characters that arrives as a fraction is
rounded down, as in the vectorized backend.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from fractions import Fraction

from engine.bsn import elfproef as bsn_elfproef
from engine.ir import Waarde

Periode = tuple[date, date]
"""An absence period (van, tot), both inclusive."""

Implementatie = Callable[[Sequence[Waarde], Sequence[Periode]], Waarde]


class FunctieArgumentError(TypeError):
    """A built-in got an argument of the wrong kind (a compiler defect, not user input)."""


def _datum(waarde: Waarde) -> date:
    if not isinstance(waarde, date):
        raise FunctieArgumentError(f"datum verwacht, kreeg {waarde!r}")
    return waarde


def _heel(waarde: Waarde) -> int:
    """A whole number; a fraction rounds down."""
    if isinstance(waarde, bool) or not isinstance(waarde, int | Fraction):
        raise FunctieArgumentError(f"getal verwacht, kreeg {waarde!r}")
    return math.floor(waarde)


def normaal(waarde: int | Fraction) -> int | Fraction:
    """A fraction that is whole becomes an int, so equal values look equal."""
    if isinstance(waarde, Fraction) and waarde.denominator == 1:
        return int(waarde)
    return waarde


# ---------------------------------------------------------------- periods


def dagen(a: date, b: date) -> int:
    return max(0, (b - a).days + 1)


def _maandag(d: date) -> date:
    return d - timedelta(days=d.isoweekday() - 1)


def isoweken(a: date, b: date) -> int:
    """ISO weeks (Monday to Sunday) that touch a..b."""
    if b < a:
        return 0
    return (_maandag(b) - _maandag(a)).days // 7 + 1


def zondagen(a: date, b: date) -> int:
    """Sundays in a..b. Ordinal 7 (0001-01-07) is a Sunday, so Sundays are multiples of 7."""
    if b < a:
        return 0
    return b.toordinal() // 7 - (a.toordinal() - 1) // 7


def maanden(a: date, b: date) -> int:
    if b < a:
        return 0
    return (b.year * 12 + b.month) - (a.year * 12 + a.month) + 1


def plus_maanden(d: date, aantal: int) -> date:
    """Calendar months later; a day past the end of the new month becomes its last day."""
    index = d.year * 12 + d.month - 1 + aantal
    jaar, maand = divmod(index, 12)
    laatste = calendar.monthrange(jaar, maand + 1)[1]
    return date(jaar, maand + 1, min(d.day, laatste))


def laatste_dag_van_maand(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


# ---------------------------------------------------------------- absences


def samengevoegd(perioden: Sequence[Periode]) -> list[Periode]:
    """Merge periods that overlap or touch into consecutive absences ('aaneengesloten')."""
    uit: list[Periode] = []
    for van, tot in sorted(p for p in perioden if p[0] <= p[1]):
        if uit and van <= uit[-1][1] + timedelta(days=1):
            uit[-1] = (uit[-1][0], max(uit[-1][1], tot))
        else:
            uit.append((van, tot))
    return uit


def _overlap(van: date, tot: date, a: date, b: date) -> int:
    return dagen(max(van, a), min(tot, b))


def afwezige_dagen(a: date, b: date, perioden: Sequence[Periode]) -> int:
    """Days in a..b on which the client is absent (overlapping periods count once)."""
    return sum(_overlap(van, tot, a, b) for van, tot in samengevoegd(perioden))


def vergoede_afwezige_dagen(
    a: date, b: date, grens: int, maximum: int, perioden: Sequence[Periode]
) -> int:
    """Of each consecutive absence longer than `grens` days, its first `maximum` days,
    counted where they fall in a..b."""
    totaal = 0
    for van, tot in samengevoegd(perioden):
        if (tot - van).days + 1 > grens:
            totaal += _overlap(van, min(tot, van + timedelta(days=maximum - 1)), a, b)
    return totaal


# ---------------------------------------------------------------- numbers and texts


def uren_uit_minuten(minuten: int | Fraction) -> int:
    """Whole hours: a rest under 30 minutes down, 30 or more up, at least 1 hour."""
    uren = math.floor(Fraction(minuten) / 60)
    rest = Fraction(minuten) - 60 * uren
    return max(uren + 1 if rest >= 30 else uren, 1)


def _kies(kleinste: bool) -> Implementatie:
    def implementatie(args: Sequence[Waarde], _: Sequence[Periode]) -> Waarde:
        a, b = args
        if a is None or b is None:
            return None
        eerste = a <= b if kleinste else a >= b  # type: ignore[operator]
        return a if eerste else b

    return implementatie


def _datums(kies: Callable[[date, date], date]) -> Implementatie:
    """vroegste / laatste: an empty date does not count."""

    def implementatie(args: Sequence[Waarde], _: Sequence[Periode]) -> Waarde:
        bekend = [_datum(a) for a in args if a is not None]
        if not bekend:
            return None
        return kies(bekend[0], bekend[-1])

    return implementatie


def _leeg_wordt_leeg(functie: Callable[..., Waarde]) -> Implementatie:
    """Wrap a function of the values only: any empty argument gives an empty result."""

    def implementatie(args: Sequence[Waarde], _: Sequence[Periode]) -> Waarde:
        if any(a is None for a in args):
            return None
        return functie(*args)

    return implementatie


def _met_afwezigheid(functie: Callable[..., int]) -> Implementatie:
    def implementatie(args: Sequence[Waarde], perioden: Sequence[Periode]) -> Waarde:
        if any(a is None for a in args):
            return None
        a, b = _datum(args[0]), _datum(args[1])
        return functie(a, b, *(_heel(x) for x in args[2:]), perioden)

    return implementatie


def _elfproef(bsn: Waarde) -> bool:
    return isinstance(bsn, str) and bsn_elfproef(bsn)


def _eerste_tekens(tekst: Waarde, n: Waarde) -> str:
    return str(tekst)[: max(0, _heel(n))]


FUNCTIES_PYTHON: dict[str, Implementatie] = {
    "dagen": _leeg_wordt_leeg(lambda a, b: dagen(_datum(a), _datum(b))),
    "isoweken": _leeg_wordt_leeg(lambda a, b: isoweken(_datum(a), _datum(b))),
    "zondagen": _leeg_wordt_leeg(lambda a, b: zondagen(_datum(a), _datum(b))),
    "maanden": _leeg_wordt_leeg(lambda a, b: maanden(_datum(a), _datum(b))),
    "weekdag": _leeg_wordt_leeg(lambda a: _datum(a).isoweekday()),
    "maand": _leeg_wordt_leeg(lambda a: _datum(a).month),
    "kwartaal": _leeg_wordt_leeg(lambda a: (_datum(a).month - 1) // 3 + 1),
    "jaar": _leeg_wordt_leeg(lambda a: _datum(a).year),
    "isoweek": _leeg_wordt_leeg(lambda a: _datum(a).isocalendar().week),
    "eerste_dag_van_maand": _leeg_wordt_leeg(lambda a: _datum(a).replace(day=1)),
    "laatste_dag_van_maand": _leeg_wordt_leeg(lambda a: laatste_dag_van_maand(_datum(a))),
    "plus_dagen": _leeg_wordt_leeg(lambda a, n: _datum(a) + timedelta(days=_heel(n))),
    "plus_maanden": _leeg_wordt_leeg(lambda a, n: plus_maanden(_datum(a), _heel(n))),
    "vroegste": _datums(min),
    "laatste": _datums(max),
    "kleinste": _kies(kleinste=True),
    "grootste": _kies(kleinste=False),
    "bekend": lambda args, _: args[0] is not None,
    "elfproef": _leeg_wordt_leeg(_elfproef),
    "begint_met": _leeg_wordt_leeg(lambda a, b: str(a).startswith(str(b))),
    "eerste_tekens": _leeg_wordt_leeg(_eerste_tekens),
    "afwezige_dagen": _met_afwezigheid(afwezige_dagen),
    "vergoede_afwezige_dagen": _met_afwezigheid(vergoede_afwezige_dagen),
    "uren_uit_minuten": _leeg_wordt_leeg(lambda m: uren_uit_minuten(m)),
    "centen": _leeg_wordt_leeg(lambda x: x),
}
"""Name -> implementation; a test checks that every entry of FUNCTIES has one."""
