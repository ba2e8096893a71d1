"""Which standard a batch is in: every message's root namespace names its standard
(`berichten.herkenning`), the batch answers in it (a WMO323 gets a WMO325), and the
contract must cover that standard's law.

A contract covers a standard when its tariff table prices a product category of that
standard's code list (`berichten.wetten`, shared with the service); see docs/taal.md. A batch whose
messages are of more than one standard, or of a standard the contract does not cover, is
refused before anything is assessed (an InvoerError: exit code, nothing written)."""

from __future__ import annotations

from pathlib import Path

from batch.fouten import InvoerError
from berichten.fouten import BerichtFoutError
from berichten.herkenning import herken_begin
from berichten.ijw.standaard import IJW_3_2
from berichten.standaard import Standaard
from berichten.wetten import dekt
from engine.ir import Regelboek

_BEGIN = 64 * 1024
"""The root element is looked for in the first bytes of a file."""


def standaard_van(pad: Path) -> Standaard:
    """The standard of a message file: iJw for the JSON form (iJw only) and for XML whose
    start cannot be read (its reader reports why). A located BerichtFoutError (with the
    file) for a root namespace of no known standard."""
    if pad.suffix.lower() == ".json":
        return IJW_3_2
    try:
        with open(pad, "rb") as f:
            begin = f.read(_BEGIN)
    except OSError:
        return IJW_3_2
    try:
        gevonden = herken_begin(begin)
    except BerichtFoutError as fout:
        raise BerichtFoutError(fout.bericht, fout.line, fout.column, str(pad)) from None
    return IJW_3_2 if gevonden is None else gevonden[0]


def standaard_van_de_batch(berichten: list[Path], regelboek: Regelboek) -> Standaard:
    """The one standard of the batch's messages (iJw for an empty batch); an InvoerError
    when they mix standards or the contract does not cover theirs. A message with an
    unknown namespace is not counted here: it gets its own located 0001 answer."""
    eerste: dict[str, Path] = {}
    gevonden: dict[str, Standaard] = {}
    for pad in berichten:
        try:
            standaard = standaard_van(pad)
        except BerichtFoutError:
            continue
        eerste.setdefault(standaard.naam, pad)
        gevonden.setdefault(standaard.naam, standaard)
    if len(gevonden) > 1:
        voorbeelden = "; ".join(f"{naam}: {pad}" for naam, pad in eerste.items())
        raise InvoerError(f"de berichten zijn van verschillende standaarden ({voorbeelden}); "
                          "een batch bevat berichten van één standaard")
    standaard = next(iter(gevonden.values()), IJW_3_2)
    if gevonden and not dekt(regelboek, standaard):
        raise InvoerError(
            f"{eerste[standaard.naam]}: een {standaard.naam}-bericht, maar het contract van "
            f"{regelboek.naam} heeft geen {standaard.naam}-deel (de tarieventabel kent geen "
            f"productcategorie van {standaard.naam} {standaard.versie})")
    return standaard

