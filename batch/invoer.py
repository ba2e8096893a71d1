"""The first step of a batch: read and check every input before anything is assessed.

The contract (the region's rule book), the aanwezigheid CSV, the allocations
(`batch.toewijzingen`) and the output folder; a message itself is read later, block by
block (`lees_bericht`). Bad input is an InvoerError that names the path."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from batch.fasen import Fasen
from batch.fouten import InvoerError
from batch.melding import meld
from batch.standaarden import standaard_van, standaard_van_de_batch
from batch.toewijzing_cache import Toewijzingen
from batch.toewijzingen import Inventarisatie, lees_toewijzingen
from berichten.aanwezigheid import lees_aanwezigheid
from berichten.fouten import BerichtFoutError
from berichten.ijw.json_vorm import JsonFoutError, declaratie_uit_json, lees_json
from berichten.ijw.jw323 import lees_jw323
from berichten.standaard import Standaard
from dsl.fouten import RegelFoutenError
from dsl.loader import laad_contract
from engine.geheugen import zonder_gc
from engine.ir import Regelboek
from engine.model import Afwezigheid, Context, Declaratie


@dataclass(slots=True)
class Invoer:
    regelboek: Regelboek
    toewijzingen: Toewijzingen
    afwezigheden: tuple[Afwezigheid, ...]

    def banen(self, aanbieders: set[str] | None = None) -> dict[str, Context]:
        """Per gemeente of the region its own Context: the allocations of that gemeente
        only. All providers', or (for a worker) only those of its providers: the werkset
        uses an allocation only for a line of its own provider. Allocations of gemeenten
        outside the region are in no lane."""
        geldend = (self.toewijzingen.alle() if aanbieders is None
                   else self.toewijzingen.van(aanbieders))
        return {gemeente: Context(geldend.get(gemeente, {}), self.afwezigheden)
                for gemeente in self.regelboek.gemeenten}


def lees_invoer(
    berichten: list[Path], contract: Path, toewijzingen: Path, aanwezigheid: Path | None,
    uitvoer: Path, inventarisatie: Inventarisatie, fasen: Fasen,
) -> Invoer:
    for pad in berichten:
        if not pad.is_file():
            raise InvoerError(f"{pad}: het bericht bestaat niet (of is geen bestand)")
    if uitvoer.exists() and not uitvoer.is_dir():
        raise InvoerError(f"{uitvoer}: de uitvoer moet een map zijn")
    with fasen("contract"):
        regelboek = lees_contract(contract)
    standaard_van_de_batch(berichten, regelboek)  # one standard, covered by the contract
    with fasen("aanwezigheid"):
        afwezigheden = _lees_aanwezigheid(aanwezigheid)
    # a quarter of a million files make millions of objects without cycles: no collections
    with fasen("toewijzingen"), zonder_gc():
        geldend = lees_toewijzingen(toewijzingen, inventarisatie)
    _meld_buiten_regio(regelboek, geldend)
    _maak_uitvoer(uitvoer)  # the last check: bad input before it leaves no folder behind
    return Invoer(regelboek, geldend, afwezigheden)


def _meld_buiten_regio(regelboek: Regelboek, geldend: Toewijzingen) -> None:
    """Say how many allocations belong to gemeenten outside the region (they are not
    used): a count per gemeente code, nothing of their content."""
    buiten = {g: n for g, n in sorted(geldend.aantallen().items())
              if g not in regelboek.gemeenten}
    if buiten:
        per_gemeente = ", ".join(f"{g}: {n}" for g, n in buiten.items())
        meld(f"let op: {sum(buiten.values())} toewijzing(en) van gemeenten buiten regio "
             f"{regionaam(regelboek)} worden niet gebruikt ({per_gemeente})")


def regionaam(regelboek: Regelboek) -> str:
    return regelboek.regio or regelboek.naam


def _maak_uitvoer(uitvoer: Path) -> None:
    """The output folder, made and tried before anything is assessed (a file made and
    removed again): one that cannot be written is bad input, named."""
    try:
        uitvoer.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=uitvoer, prefix=".regelwerk-"):
            pass
    except OSError as fout:
        raise InvoerError(f"{uitvoer}: de uitvoermap kan niet worden gemaakt of beschreven "
                          f"({fout.strerror or type(fout).__name__})") from None


def lees_contract(map_: Path) -> Regelboek:
    if not (map_ / "contract.regels").is_file():
        raise InvoerError(f"{map_}: geen regiomap (contract.regels ontbreekt)")
    try:
        return laad_contract(map_)
    except RegelFoutenError as fout:
        raise InvoerError(f"het contract bevat fouten:\n{fout}") from None


def _lees_aanwezigheid(pad: Path | None) -> tuple[Afwezigheid, ...]:
    if pad is None:
        return ()
    if not pad.is_file():
        raise InvoerError(f"{pad}: de aanwezigheidsregistratie bestaat niet")
    try:
        return tuple(lees_aanwezigheid(pad))
    except BerichtFoutError as fout:
        raise InvoerError(f"aanwezigheid onleesbaar: {fout.locatie_tekst()}") from None


def lees_bericht(pad: Path, standaard: Standaard | None = None) -> Declaratie:
    """A JW323 from its file, XML or JSON (by the suffix), or the declaration message of
    the standard its namespace names (WMO323; `standaard` when the caller read it already);
    BerichtFoutError when it cannot be read."""
    if pad.suffix.lower() == ".json":
        try:  # the same bounds as the service: depth, number length, forbidden characters
            data = lees_json(pad.read_bytes())
        except JsonFoutError as fout:
            plek = f" ({fout.pad})" if fout.pad else ""
            raise BerichtFoutError(fout.bericht + plek, fout.line, fout.column,
                                   bestand=str(pad)) from None
        return declaratie_uit_json(data)
    return lees_jw323(pad, standaard=standaard or standaard_van(pad))
