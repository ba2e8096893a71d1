"""The short, lawyer-friendly values of a case file, turned into domain values.

Money: a whole number is euro cents (`7645`), a text is euros (`"€ 76,45"`, `"76,45"`).
Codes: `04`, `"04"` and the words below all mean eenheid 04. Dates: ISO (`2026-03-01`);
a month is `2026-03`.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

EENHEDEN = {
    "minuut": "01",
    "minuten": "01",
    "uur": "04",
    "uren": "04",
    "etmaal": "14",
    "etmalen": "14",
    "dagdeel": "16",
    "dagdelen": "16",
    "profiel": "82",
    "output": "82",
    "euro": "83",
    "euro's": "83",
    "stuk": "84",
    "stuks": "84",
}
FREQUENTIES = {"per dag": "1", "per week": "2", "per maand": "4", "totaal": "6"}


class WaardeFoutError(ValueError):
    """A value in a case file that does not mean anything; the caller adds the location."""


def code(waarde: Any, breedte: int = 2) -> str:
    """A code such as an eenheid: YAML may have read `04` as the number 4."""
    if isinstance(waarde, bool):
        raise WaardeFoutError(f"verwacht een code, niet {waarde!r}")
    if isinstance(waarde, int):
        return str(waarde).zfill(breedte)
    return str(waarde).strip()


def eenheid(waarde: Any) -> str:
    tekst = code(waarde)
    return EENHEDEN.get(tekst.lower(), tekst)


def frequentie(waarde: Any) -> str:
    tekst = code(waarde, 1)
    return FREQUENTIES.get(tekst.lower(), tekst)


def bsn(waarde: Any) -> str:
    return code(waarde, 9)


def geheel(waarde: Any) -> int:
    """A whole number (a volume): `95`, not `95,5` or `veel`."""
    if isinstance(waarde, bool) or not isinstance(waarde, int | str):
        raise WaardeFoutError(f"'{waarde}' is geen heel getal")
    try:
        return int(waarde)
    except ValueError:
        raise WaardeFoutError(f"'{waarde}' is geen heel getal") from None


def geld(waarde: Any) -> int:
    """Euro cents from `7645` (cents) or `"€ 76,45"` / `"76,45"` (euros)."""
    if isinstance(waarde, bool):
        raise WaardeFoutError(f"verwacht een bedrag, niet {waarde!r}")
    if isinstance(waarde, int):
        return waarde
    tekst = str(waarde).replace("€", "").replace(" ", "").replace(".", "").replace(",", ".")
    try:
        euro = Decimal(tekst)
    except InvalidOperation:
        uitleg = "schrijf 7645 in centen of '€ 76,45'"
        raise WaardeFoutError(f"'{waarde}' is geen bedrag ({uitleg})") from None
    centen = euro * 100
    if centen != centen.to_integral_value():
        raise WaardeFoutError(f"'{waarde}' heeft meer dan twee decimalen")
    return int(centen)


def datum(waarde: Any) -> date:
    if isinstance(waarde, date):
        return waarde
    try:
        return date.fromisoformat(str(waarde))
    except ValueError:
        raise WaardeFoutError(f"'{waarde}' is geen datum (schrijf 2026-03-01)") from None


_MAAND = re.compile(r"^(\d{4})-(\d{2})$")


def maand(waarde: Any) -> tuple[date, date]:
    """The first and last day of a month written as `2026-03`."""
    gevonden = _MAAND.match(str(waarde).strip())
    if gevonden is None:
        raise WaardeFoutError(f"'{waarde}' is geen maand (schrijf 2026-03)")
    jaar, nummer = int(gevonden.group(1)), int(gevonden.group(2))
    if not 1 <= nummer <= 12:
        raise WaardeFoutError(f"'{waarde}' is geen maand (schrijf 2026-03)")
    volgende = date(jaar + nummer // 12, nummer % 12 + 1, 1)
    return date(jaar, nummer, 1), date.fromordinal(volgende.toordinal() - 1)


def codes(waarde: Any) -> frozenset[str]:
    """A list of retourcodes (or one), normalised to 4 characters."""
    if waarde is None:
        return frozenset()
    lijst = waarde if isinstance(waarde, list) else [waarde]
    return frozenset(code(c, 4) for c in lijst)
