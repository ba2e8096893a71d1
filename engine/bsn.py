"""The burgerservicenummer: its check (elfproef), and masking it in text meant for people
(error messages, stderr, the comment of a 0001 JW325), shared by the service and the CLI."""

from __future__ import annotations

import re
from operator import mul

_BSN = re.compile(r"(?<!\d)\d{9}(?!\d)")


def verberg_bsn(tekst: str) -> str:
    """Mask anything that looks like a BSN (nine digits in a row, of any script: Python's
    \\d also matches Arabic-Indic and other digits) as `*********`."""
    return _BSN.sub("*********", tekst)


_GEWICHTEN = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def elfproef(bsn: str) -> bool:
    """True when `bsn` is 9 digits whose weighted sum (9..2, and -1 for the last digit) is a
    multiple of 11; all zeros is not a BSN. Never logs or echoes the number."""
    if len(bsn) != 9 or not bsn.isascii() or not bsn.isdigit():
        return False
    # on the ASCII codes (C-level): every digit's code is 48 more than its value, and the
    # weights add up to 43
    som: int = sum(map(mul, _GEWICHTEN, bsn.encode())) - 48 * 43
    return som % 11 == 0 and som != 0


def controlecijfer(eerste_acht: str) -> str | None:
    """The ninth digit that makes `eerste_acht` + digit pass the elfproef, or None when no
    digit does (the generator then skips that number)."""
    som = sum(g * int(c) for g, c in zip(_GEWICHTEN[:8], eerste_acht, strict=True))
    cijfer = som % 11
    return None if cijfer == 10 or som == 0 else str(cijfer)
