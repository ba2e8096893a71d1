"""The one place where the service calls the rule language, the engine and the renderers.

Imports happen inside the methods: the service module imports without them, and a test can
hand `maak_app` another `Motor` (a stand-in) while a part is still being built. Errors of the
rule language come out as `RegelsetFoutError` with plain `Regelfout` records, so the rest of
`api/` knows nothing of `dsl`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from berichten.ijw.standaard import IJW_3_2
from berichten.standaard import Standaard
from engine.ir import Regelboek
from engine.model import (
    Afwezigheid,
    Context,
    Declaratie,
    DeclaratieBeoordeling,
    Historie,
    Toewijzing,
)


@dataclass(frozen=True, slots=True)
class Regelfout:
    """One error in a rule file, located."""

    bestand: str
    line: int
    column: int
    bericht: str
    suggestie: str | None = None


class RegelsetFoutError(Exception):
    """A rule set that does not compile: every error, located."""

    def __init__(self, fouten: list[Regelfout]) -> None:
        super().__init__(f"{len(fouten)} fout(en) in de regelset")
        self.fouten = fouten


class Motor(Protocol):
    """What the service needs of dsl, the batch application (`batch`: one message in memory,
    its answer and explanation), berichten.ijw and weergave."""

    def laad_contract(self, map: Path, standaard: Path | None) -> Regelboek: ...
    def valideer_tekst(self, tekst: str, bestandsnaam: str) -> list[Regelfout]: ...
    def lees_jw323(self, bron: bytes, standaard: Standaard = IJW_3_2) -> Declaratie: ...
    def kop_uit(self, bron: bytes) -> dict[str, Any]: ...
    def declaratie_uit_json(self, data: Any) -> Declaratie: ...
    def lees_jw301(self, bron: bytes) -> list[Toewijzing]: ...
    def toewijzingen_uit_json(self, data: Any) -> list[Toewijzing]: ...
    def lees_aanwezigheid(self, bron: bytes) -> list[Afwezigheid]: ...
    def beoordeel(self, regelboek: Regelboek, declaratie: Declaratie, context: Context,
                  historie: Historie, backend: str) -> DeclaratieBeoordeling: ...
    def schrijf_jw325(self, beoordeling: DeclaratieBeoordeling, dagtekening: date,
                      identificatie: str, standaard: Standaard = IJW_3_2) -> bytes: ...
    def technisch_afgewezen(self, kop: dict[str, Any], fout: str, dagtekening: date,
                            identificatie: str, standaard: Standaard = IJW_3_2) -> bytes: ...
    def uitleg_document(self, beoordeling: DeclaratieBeoordeling) -> dict[str, Any]: ...
    def artikelen_html(self, regelboek: Regelboek, datum: date) -> str: ...


def _regelfouten(fouten: Any) -> list[Regelfout]:
    return [Regelfout(str(f.bestand), int(f.line), int(f.column), str(f.bericht),
                      getattr(f, "suggestie", None)) for f in fouten]


class EchteMotor:
    """The real parts: dsl.loader, batch.verwerking and batch.uitvoer, berichten.ijw,
    weergave."""

    def laad_contract(self, map: Path, standaard: Path | None) -> Regelboek:
        from dsl.fouten import RegelFoutenError
        from dsl.loader import laad_contract

        try:
            return laad_contract(map, standaard)
        except RegelFoutenError as err:
            raise RegelsetFoutError(_regelfouten(err.fouten)) from None

    def valideer_tekst(self, tekst: str, bestandsnaam: str) -> list[Regelfout]:
        from dsl.loader import valideer_tekst

        return _regelfouten(valideer_tekst(tekst, bestandsnaam))

    def lees_jw323(self, bron: bytes, standaard: Standaard = IJW_3_2) -> Declaratie:
        """A JW323, or the declaration message of `standaard` (WMO323)."""
        from berichten.ijw.jw323 import lees_jw323

        return lees_jw323(bron, standaard=standaard)

    def kop_uit(self, bron: bytes) -> dict[str, Any]:
        from berichten.ijw.jw323 import kop_uit

        return dict(kop_uit(bron))

    def declaratie_uit_json(self, data: Any) -> Declaratie:
        from berichten.ijw.json_vorm import declaratie_uit_json

        return declaratie_uit_json(data)

    def lees_jw301(self, bron: bytes) -> list[Toewijzing]:
        from berichten.ijw.jw301 import lees_jw301

        return list(lees_jw301(bron))

    def toewijzingen_uit_json(self, data: Any) -> list[Toewijzing]:
        from berichten.ijw.json_vorm import toewijzingen_uit_json

        return list(toewijzingen_uit_json(data))

    def lees_aanwezigheid(self, bron: bytes) -> list[Afwezigheid]:
        from berichten.aanwezigheid import lees_aanwezigheid

        return list(lees_aanwezigheid(bron))

    def beoordeel(self, regelboek: Regelboek, declaratie: Declaratie, context: Context,
                  historie: Historie, backend: str) -> DeclaratieBeoordeling:
        from batch.verwerking import beoordeel_bericht

        return beoordeel_bericht(regelboek, declaratie, context, historie, backend)

    def schrijf_jw325(self, beoordeling: DeclaratieBeoordeling, dagtekening: date,
                      identificatie: str, standaard: Standaard = IJW_3_2) -> bytes:
        """The JW325, or the answer message of `standaard` (WMO325)."""
        from batch.uitvoer import antwoord

        return antwoord(beoordeling, dagtekening, identificatie, standaard)

    def technisch_afgewezen(self, kop: dict[str, Any], fout: str, dagtekening: date,
                            identificatie: str, standaard: Standaard = IJW_3_2) -> bytes:
        from berichten.ijw.jw325 import TECHNISCH, technisch_afgewezen

        return technisch_afgewezen(kop, fout, dagtekening, identificatie, (TECHNISCH,),
                                   standaard)

    def uitleg_document(self, beoordeling: DeclaratieBeoordeling) -> dict[str, Any]:
        from batch.uitvoer import uitleg

        return uitleg(beoordeling)

    def artikelen_html(self, regelboek: Regelboek, datum: date) -> str:
        from weergave.document import artikelen_html

        return artikelen_html(regelboek, datum)
