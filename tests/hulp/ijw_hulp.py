"""Helpers for the iJw message tests and every other test that checks a message against its
schema (a uniquely named module on pytest's `pythonpath`, so any test folder can import it,
alone or in a full run)."""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree

from berichten.ijw.standaard import IJW_3_2
from berichten.schema import schema

BERICHTEN = Path(__file__).parents[1] / "berichten" / "berichten"


def fouten_tegen_xsd(xml: bytes, soort: str) -> list[str]:
    """The schema violations of `xml` against the shipped XSD (empty when valid)."""
    doc = etree.parse(io.BytesIO(xml))
    xsd = schema(IJW_3_2, soort)
    if xsd.validate(doc):
        return []
    return [f"{e.line}: {e.message}" for e in xsd.error_log]
