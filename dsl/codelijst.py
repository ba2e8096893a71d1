"""The retourcodes a rule may return: the code list (WJ001) of every standard a rule book
can answer in. The national rules serve iJw and iWmo regions alike, so a code must be in the
list of each; a code outside it would pass every check here and then fail the schema of the
JW325/WMO325 written with it (issue 16)."""

from __future__ import annotations

from functools import cache

from berichten.herkenning import STANDAARDEN


@cache
def ontbreekt_in(code: str) -> tuple[str, ...]:
    """The standards ("iJw 3.2") whose retourcode list lacks `code`; empty when all have it."""
    return tuple(f"{s.naam} {s.versie}" for s in STANDAARDEN if code not in s.retourcode_lijst())


@cache
def alle_codes() -> frozenset[str]:
    """The codes every standard knows (the ones a rule may return)."""
    lijsten = [s.retourcode_lijst() for s in STANDAARDEN]
    return frozenset.intersection(*lijsten) if lijsten else frozenset()


def dichtstbij(code: str, aantal: int = 3) -> list[str]:
    """The existing codes nearest to `code`: by number for digits (9999 -> 9415, 9414, ...),
    else those sharing the most leading characters; the lawyer looks them up in WJ001."""
    bekend = sorted(alle_codes())
    if code.isdigit():
        cijfers = [c for c in bekend if c.isdigit()]
        return sorted(sorted(cijfers, key=lambda c: (abs(int(c) - int(code)), c))[:aantal])

    def gedeeld(c: str) -> int:
        return next((i for i, (a, b) in enumerate(zip(c, code, strict=False)) if a != b),
                    min(len(c), len(code)))

    return sorted(sorted(bekend, key=lambda c: (-gedeeld(c), c))[:aantal])
