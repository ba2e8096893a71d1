"""The checks of a contract's ceiling table `plafonds.csv` (aanbieder,segment,jaar,bedrag)
beyond its columns' types (`dsl.tabellen`): a segment the contract defines, an AGB code or
`gezamenlijk`, a year, and one ceiling per provider, segment and year. Located in the CSV."""

from __future__ import annotations

import re

from dsl.fouten import RegelFout, maak_fout
from dsl.suggesties import bedoelde_u
from dsl.verzameling import Verzameling
from engine.plafond import GEZAMENLIJK, TABEL

KOLOMMEN = ("aanbieder", "segment", "jaar", "bedrag")
AGB = re.compile(r"^\d{8}$")


def plafondfouten(v: Verzameling) -> list[RegelFout]:
    tabel = v.tabellen.get(TABEL)
    if tabel is None:
        return []
    tekst = v.inhoud.get(tabel.bestand, b"").decode("utf-8", "replace")
    namen = [k.naam for k in tabel.kolommen]

    def fout(line: int, kolom: int, bericht: str, suggestie: str | None = None) -> RegelFout:
        return maak_fout(tabel.bestand, tekst, line, kolom, bericht, suggestie)

    if tuple(namen) != KOLOMMEN:
        return [fout(1, 1, "de plafondtabel heeft precies de kolommen "
                     + ",".join(KOLOMMEN) + f", niet {','.join(namen)}")]
    uit: list[RegelFout] = []
    gezien: dict[tuple[str, str, str], int] = {}
    for i, rij in enumerate(tabel.rijen):
        line = i + 2
        aanbieder, segment, jaar = (str(x) for x in rij[:3])
        kolom = len(aanbieder) + 2
        if aanbieder != GEZAMENLIJK and not AGB.match(aanbieder):
            uit.append(fout(line, 1, f"'{aanbieder}' is geen AGB-code (8 cijfers) en niet "
                            f"'{GEZAMENLIJK}'"))
        if segment not in v.segmenten:
            uit.append(fout(line, kolom, f"segment '{segment}' staat niet in het contract",
                            bedoelde_u(segment, list(v.segmenten))
                            or "definieer het: segment NAAM is \"43\", \"44\""))
        if not re.match(r"^\d{4}$", jaar):
            uit.append(fout(line, kolom + len(segment) + 1, f"'{jaar}' is geen jaar"))
        sleutel = (aanbieder, segment, jaar)
        if sleutel in gezien:
            uit.append(fout(line, 1, f"{aanbieder} heeft voor {segment} in {jaar} al een "
                            f"plafond op regel {gezien[sleutel]}"))
        gezien.setdefault(sleutel, line)
    return uit
