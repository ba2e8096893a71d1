"""A region's cases run for the workbench (as `regelwerk test [--dekking]`), as JSON: per case
passed or not with the readable report of expected against actual, and the coverage (rules no
case makes fire, conditions a case leaves untried)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api.fouten import DienstFoutError


def toets(map_: Path, dekking: bool) -> dict[str, Any]:
    from dsl.fouten import RegelFoutenError
    from toetsing.fouten import GevalFoutError
    from toetsing.regio import laad_regio, toets_regio

    try:
        uitslag = toets_regio(laad_regio(map_), dekking=dekking)
    except (RegelFoutenError, GevalFoutError) as err:
        raise DienstFoutError(422, f"de gevallen zijn niet te draaien: {err}") from None
    uit: dict[str, Any] = {
        "geslaagd": uitslag.geslaagd,
        "gevallen": [{"naam": u.geval.naam, "plek": _relatief(u.geval.plek, map_),
                      "geslaagd": u.geslaagd,
                      "verslag": None if u.geslaagd else _relatief(u.verslag(), map_)}
                     for u in uitslag.uitslagen],
        "dekking": None,
    }
    if uitslag.dekking is not None:
        uit["dekking"] = {
            "stille_regels": [{"regel": r.naam, "artikel": r.artikel, "lid": r.lid}
                              for r in uitslag.dekking.stille_regels()],
            "halve_voorwaarden": [{"regel": a.regel.naam, "voorwaarde": a.label,
                                   "nooit": list(nooit)}
                                  for a, nooit in uitslag.dekking.halve_atomen()],
        }
    return uit


def _relatief(tekst: str, map_: Path) -> str:
    """Case files named within the region, never by the server's folders."""
    return str(tekst).replace(f"{map_.resolve()}/", "").replace(f"{map_}/", "")
