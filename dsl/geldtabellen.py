"""The year's money tables (issue 15): `ramingen.csv`, `inwoners.csv`, `verdeelsleutels.csv`.

Each has fixed columns, checked like the tariff table's, and a key that may occur once:
an estimate per provider, gemeente, year and `geldig_vanaf` (a later `geldig_vanaf` is a
herschikking, not an overlap: the estimate's date says from when it changes the advance,
so the generic validity-overlap check does not apply to it), inhabitants per gemeente and
year, a share per key, gemeente and year. Every error is located at file:line:column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction

from engine import ir

KOLOMMEN: dict[str, tuple[str, ...]] = {
    "ramingen": ("aanbieder", "gemeente", "jaar", "bedrag", "geldig_vanaf"),
    "inwoners": ("gemeente", "jaar", "inwoners"),
    "verdeelsleutels": ("sleutel", "gemeente", "jaar", "aandeel"),
    "betaalmodellen": ("aanbieder", "betaalmodel"),
    "functies": ("aanbieder", "gemeente", "jaar", "bedrag"),
    "populatie": ("aanbieder", "gemeente", "jaar", "bedrag"),
}
SLEUTELS: dict[str, tuple[str, ...]] = {
    "ramingen": ("aanbieder", "gemeente", "jaar", "geldig_vanaf"),
    "inwoners": ("gemeente", "jaar"),
    "verdeelsleutels": ("sleutel", "gemeente", "jaar"),
    "betaalmodellen": ("aanbieder",),
    "functies": ("aanbieder", "gemeente", "jaar"),
    "populatie": ("aanbieder", "gemeente", "jaar"),
}
VERPLICHT = frozenset({"aanbieder", "gemeente", "jaar", "bedrag", "geldig_vanaf", "inwoners",
                       "sleutel", "aandeel", "betaalmodel"})
BETAALMODELLEN = ("pxq", "voorschot", "functie", "populatie")
"""pxq: approved lines paid the month after; the others pay terms and let declarations
build production against them (docs/taal.md §10)."""

Melder = Callable[[int, int, str], None]
"""Reports an error at (line, column, Dutch sentence)."""


def eigen_tabel(naam: str) -> bool:
    """Whether `naam` is one of the year's money tables (its own checks, no overlap check)."""
    return naam in KOLOMMEN


def kop_fout(naam: str, kolommen: list[str]) -> str | None:
    """Why the header of a money table is wrong, or None."""
    verwacht = KOLOMMEN.get(naam)
    if verwacht is None or tuple(kolommen) == verwacht:
        return None
    return (f"de tabel {naam} heeft precies de kolommen {','.join(verwacht)}; gevonden: "
            f"{','.join(kolommen)}")


def controleer_rijen(naam: str, kolommen: list[str],
                     rijen: list[tuple[tuple[ir.Waarde, ...], int]],
                     posities: Callable[[int], list[int]], fout: Melder) -> None:
    """Every error in the rows of a money table: an empty required cell, a year that is not
    four digits, inhabitants or a share that is not a positive whole number / not negative,
    and a key given twice (naming the first line)."""
    if naam not in KOLOMMEN:
        return
    gezien: dict[tuple[ir.Waarde, ...], int] = {}
    for cellen, line in rijen:
        rij = dict(zip(kolommen, cellen, strict=True))
        kolom_van = posities(line)

        def melding(kolom: str, zin: str, _line: int = line, _pos: list[int] = kolom_van
                    ) -> None:
            fout(_line, _pos[min(kolommen.index(kolom), len(_pos) - 1)], zin)

        _cellen_goed(rij, melding)
        sleutel = tuple(rij[k] for k in SLEUTELS[naam])
        if None in sleutel:
            continue
        if sleutel in gezien:
            fout(line, 1, f"deze rij ({', '.join(str(s) for s in sleutel)}) staat al op "
                 f"regel {gezien[sleutel]}; een {_enkelvoud(naam)} mag maar één keer voorkomen")
        else:
            gezien[sleutel] = line


def _enkelvoud(naam: str) -> str:
    return {"ramingen": "raming per aanbieder, gemeente, jaar en datum",
            "inwoners": "aantal inwoners per gemeente en jaar",
            "verdeelsleutels": "aandeel per sleutel, gemeente en jaar",
            "betaalmodellen": "betaalmodel per aanbieder",
            "functies": "functiebedrag per aanbieder, gemeente en jaar",
            "populatie": "bedrag per inwoner per aanbieder, gemeente en jaar"}[naam]


def _cellen_goed(rij: dict[str, ir.Waarde], melding: Callable[[str, str], None]) -> None:
    for kolom, waarde in rij.items():
        if waarde is None and kolom in VERPLICHT:
            melding(kolom, f"kolom '{kolom}' mag niet leeg zijn")
    jaar = rij.get("jaar")
    if isinstance(jaar, str) and not re.fullmatch(r"\d{4}", jaar):
        melding("jaar", f"'{jaar}' in kolom 'jaar' is geen jaartal (vier cijfers, bijvoorbeeld "
                "2026)")
    inwoners = rij.get("inwoners")
    if inwoners is not None and (not isinstance(inwoners, int) or inwoners <= 0):
        melding("inwoners", f"'{inwoners}' in kolom 'inwoners' is geen positief heel getal")
    aandeel = rij.get("aandeel")
    if isinstance(aandeel, int | Fraction) and aandeel < 0:
        melding("aandeel", f"'{aandeel}' in kolom 'aandeel' is negatief: een aandeel kan niet "
                "negatief zijn")
    model = rij.get("betaalmodel")
    if isinstance(model, str) and model not in BETAALMODELLEN:
        melding("betaalmodel", f"betaalmodel '{model}' bestaat niet; kies uit "
                f"{', '.join(BETAALMODELLEN)}")
    gemeente = rij.get("gemeente")
    if isinstance(gemeente, str) and not re.fullmatch(r"\d{4}", gemeente):
        melding("gemeente", f"'{gemeente}' in kolom 'gemeente' is geen gemeentecode (vier "
                "cijfers, bijvoorbeeld 0193)")
