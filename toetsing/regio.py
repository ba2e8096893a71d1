"""A region's suite: its compiled Regelboek and its cases, as the CLI and pytest use them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine import ir
from toetsing.gevallen import Geval, laad_map


@dataclass(frozen=True, slots=True)
class Regiosuite:
    map: Path
    regelboek: ir.Regelboek
    gevallen: tuple[Geval, ...]


def laad_regelboek(map_: Path) -> ir.Regelboek:
    """The region's compiled rule book (dsl.loader caches it by content hash)."""
    from dsl.loader import laad_contract

    return laad_contract(map_)


def laad_regio(map_: Path) -> Regiosuite:
    """Rule book and cases of `contracten/<regio>`; errors as the loaders raise them."""
    regelboek = laad_regelboek(map_)
    gemeente = regelboek.gemeenten[0] if regelboek.gemeenten else "0000"
    return Regiosuite(map_, regelboek, tuple(laad_map(map_, gemeente)))


def regiomappen(wortel: Path) -> list[Path]:
    """Every folder under `wortel` with a contract.regels (or `wortel` itself)."""
    if (wortel / "contract.regels").is_file():
        return [wortel]
    return sorted(p.parent for p in wortel.glob("*/contract.regels"))
