"""The coverage report of a region's suite (`regelwerk test --dekking`), in Dutch.

`toetsing.dekking` measures which rules fire and which conditions the cases make true and
false; this module says what is left out, per article and lid, in sentences for a contract
manager.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toetsing.dekking import Dekking

Plek = tuple[str, str | None]
"""(artikel, lid) of a rule."""


def gaten(dekking: Dekking) -> dict[Plek, list[str]]:
    """Per (artikel, lid): the rules and conditions no case exercises, in Dutch."""
    uit: dict[Plek, list[str]] = {}
    for regel in dekking.stille_regels():
        uit.setdefault((regel.artikel, regel.lid), []).append(
            f"regel '{regel.naam}' gaat in geen enkel geval af")
    for atoom, ontbreekt in dekking.halve_atomen():
        plek = "voor elke prestatie" if atoom.in_filter else "als"
        uit.setdefault((atoom.regel.artikel, atoom.regel.lid), []).append(
            f"regel '{atoom.regel.naam}': voorwaarde ({plek}) '{atoom.label}' is in "
            f"geen enkel geval {' en '.join(ontbreekt)}")
    return uit


def verslag(dekking: Dekking) -> list[str]:
    """The lines `regelwerk test --dekking` prints under a region: one when every rule and
    condition is exercised, else the gaps sorted by article and lid."""
    per_plek = gaten(dekking)
    if not per_plek:
        perioderegels = len(dekking.regelboek.perioderegels)
        return [f"  dekking: alle {len(dekking.regelboek.regels)} regels"
                + (f", {perioderegels} perioderegels" if perioderegels else "")
                + f" en {len(dekking.atomen)} voorwaarden worden door een geval geraakt"]
    regels = ["  dekking: niet geraakt door een geval:"]
    for (artikel, lid), meldingen in sorted(per_plek.items(),
                                            key=lambda x: (x[0][0], x[0][1] or "")):
        regels.append(f"    artikel {artikel}" + (f", lid {lid}" if lid else ""))
        regels += [f"      - {melding}" for melding in meldingen]
    return regels
