"""A region's suite: its compiled Regelboek and its cases, as the CLI and pytest use them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine import backends, ir
from toetsing.dekking import Dekking, meet_dekking
from toetsing.gevallen import Geval, laad_map
from toetsing.runner import GevalUitslag, draai_suite


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


@dataclass(frozen=True, slots=True)
class Regiotoets:
    """A region's suite run: every case's outcome, and the coverage when it was asked for."""

    uitslagen: list[GevalUitslag]
    dekking: Dekking | None

    @property
    def mislukt(self) -> list[GevalUitslag]:
        return [u for u in self.uitslagen if not u.geslaagd]

    @property
    def geslaagd(self) -> bool:
        """Every case passed, there was at least one, and (when asked) every rule and
        condition is touched by a case."""
        gedekt = self.dekking is None or self.dekking.volledig()
        return bool(self.uitslagen) and not self.mislukt and gedekt


def toets_regio(suite: Regiosuite, backend: str = backends.STANDAARD,
                dekking: bool = False) -> Regiotoets:
    """Run the region's cases (`regelwerk test`), with their coverage when `dekking`."""
    uitslagen = draai_suite(suite.regelboek, suite.gevallen, backend, werksets=dekking)
    gemeten = meet_dekking(suite.regelboek, uitslagen) if dekking else None
    return Regiotoets(uitslagen, gemeten)
