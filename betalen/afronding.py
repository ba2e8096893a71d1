"""The named roundings of the year's money (issue 15, "Rounding, exactly").

Three, and only these: an amount half up to the cent (`half_omhoog`); a year amount in
terms, each term unit rounded down and the rest to December (`termijnen`); a split of an
amount over parts by largest remainder, ties to the lower code (`verdeel`). Every result is
whole cents and every split adds up to the cent: that is what the property tests pin.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from engine.opmaak import rond_half_weg_van_nul

MAANDEN = 12
MEI = 5
"""In 13 terms May is paid twice (VNG's model): its term counts as two units."""


def half_omhoog(bedrag: Fraction | int) -> int:
    """An exact amount in cents, rounded half up to the cent; a negative amount mirrors a
    positive one (-2.5 -> -3), so a credit and its debit round alike (the engine's
    `rond_half_weg_van_nul`, named as the issue names it)."""
    return rond_half_weg_van_nul(Fraction(bedrag))


def eenheden(aantal_termijnen: int) -> tuple[int, ...]:
    """Units per month, January first: 12 terms one each; 13 terms May two."""
    if aantal_termijnen == MAANDEN:
        return (1,) * MAANDEN
    if aantal_termijnen == MAANDEN + 1:
        return tuple(2 if maand == MEI else 1 for maand in range(1, MAANDEN + 1))
    raise ValueError(f"het aantal termijnen is 12 of 13, niet {aantal_termijnen}")


def termijnen(jaarbedrag: int, aantal_termijnen: int = MAANDEN, vanaf_maand: int = 1
              ) -> list[int]:
    """`jaarbedrag` (cents, not negative) in monthly terms, January first (12 amounts).

    Only the months from `vanaf_maand` are paid (a herschikking spreads what is left over
    the remaining months); each unit is rounded down to the cent, May's double term is two
    units, and the cents left over go to December."""
    if jaarbedrag < 0:
        raise ValueError(f"een jaarbedrag in termijnen kan niet negatief zijn ({jaarbedrag})")
    per_maand = eenheden(aantal_termijnen)
    open_eenheden = sum(per_maand[vanaf_maand - 1:])
    eenheid = jaarbedrag // open_eenheden
    uit = [0 if maand < vanaf_maand else eenheid * per_maand[maand - 1]
           for maand in range(1, MAANDEN + 1)]
    uit[-1] += jaarbedrag - sum(uit)
    return uit


def verdeel(bedrag: int, gewichten: Mapping[str, Fraction | int]) -> dict[str, int]:
    """`bedrag` split over the codes in proportion to their weights: each part rounded down,
    then the cents left one each to the parts with the largest remainders, ties to the
    lower code. A negative amount is split as its opposite and negated (a deficit is shared
    as a surplus would be). A weight may be negative (own cost with more credits than
    debits) as long as the weights do not sum to zero; the parts add up to `bedrag`
    exactly, since each exact part loses less than a cent to its floor."""
    if bedrag < 0:
        return {code: -deel for code, deel in verdeel(-bedrag, gewichten).items()}
    totaal = sum((Fraction(g) for g in gewichten.values()), Fraction(0))
    if totaal == 0:
        if bedrag == 0:
            return dict.fromkeys(gewichten, 0)
        raise ValueError(f"{bedrag} cent kan niet verdeeld worden: alle gewichten zijn 0")
    exact = {code: bedrag * Fraction(g) / totaal for code, g in gewichten.items()}
    delen = {code: int(w // 1) for code, w in exact.items()}
    rest = bedrag - sum(delen.values())
    volgorde = sorted(exact, key=lambda code: (-(exact[code] - delen[code]), code))
    for code in volgorde[:rest]:
        delen[code] += 1
    return delen
