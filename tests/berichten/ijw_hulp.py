"""Helpers for the iJw message tests (a uniquely named module: every test folder has its
own conftest.py, so `from conftest import ...` would be ambiguous in a full run)."""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree

from berichten.schema import Soort, schema

BERICHTEN = Path(__file__).parent / "berichten"


def fouten_tegen_xsd(xml: bytes, soort: Soort) -> list[str]:
    """The schema violations of `xml` against the shipped XSD (empty when valid)."""
    doc = etree.parse(io.BytesIO(xml))
    xsd = schema(soort)
    if xsd.validate(doc):
        return []
    return [f"{e.line}: {e.message}" for e in xsd.error_log]
