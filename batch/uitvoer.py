"""The last step of a batch: the answer to a message (JW325) and its explanation, as bytes
for the service and as files for the command line (`<stam>.JW325.xml`, or `.WMO325.xml`
for an iWmo message, `<stam>.uitleg.json` or `.uitleg.txt`)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from batch.fouten import InvoerError
from berichten.ijw.jw325 import schrijf_jw325
from berichten.ijw.standaard import IJW_3_2
from berichten.standaard import Standaard
from engine.model import DeclaratieBeoordeling
from weergave.uitleg import uitleg_document, uitleg_tekst


def antwoord(beoordeling: DeclaratieBeoordeling, dagtekening: date,
             identificatie: str, standaard: Standaard = IJW_3_2) -> bytes:
    """The JW325 of an assessed message (the WMO325 when `standaard` is iWmo)."""
    return schrijf_jw325(beoordeling, dagtekening, identificatie, standaard)


def uitleg(beoordeling: DeclaratieBeoordeling) -> dict[str, Any]:
    """The explanation document of an assessed message."""
    return uitleg_document(beoordeling)


def stammen(berichten: list[Path]) -> list[str]:
    """Output names per message: the file's stem, numbered when two files share one."""
    gezien: dict[str, int] = {}
    uit = []
    for pad in berichten:
        gezien[pad.stem] = gezien.get(pad.stem, 0) + 1
        uit.append(pad.stem if gezien[pad.stem] == 1 else f"{pad.stem}-{gezien[pad.stem]}")
    return uit


def schrijf(beoordeling: DeclaratieBeoordeling, stam: Path, formaat: str,
            volgnummer: int, standaard: Standaard = IJW_3_2) -> None:
    """The files of one message (the answer named by its kind: `.JW325.xml`,
    `.WMO325.xml`); a file that cannot be written is an InvoerError."""
    identificatie = f"RW{volgnummer:010d}"
    doel = stam.with_name(f"{stam.name}.{standaard.met_rol('retour').naam}.xml")
    try:
        doel.write_bytes(antwoord(beoordeling, date.today(), identificatie, standaard))
        if formaat == "json":
            doel = stam.with_name(f"{stam.name}.uitleg.json")
            doel.write_text(_JSON.encode(uitleg(beoordeling)), encoding="utf-8")
        elif formaat == "tekst":
            doel = stam.with_name(f"{stam.name}.uitleg.txt")
            doel.write_text(uitleg_tekst(beoordeling), encoding="utf-8")
    except OSError as fout:  # e.g. the disk full half-way: named, exit code 1
        raise InvoerError(f"{doel}: kan niet worden geschreven "
                          f"({fout.strerror or type(fout).__name__}); de uitvoer is "
                          "onvolledig") from None


_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False)
"""The explanation as JSON text: the C encoder in one go (several times faster than `dump`
to a file); the document is a fresh tree, so the check for cycles is wasted work."""
