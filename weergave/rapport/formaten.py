"""The formats of a report: one entry point (`render`), its media type and its file name.

Every command (`--formaat`) and endpoint (`?formaat=`) offers the same five formats through
this module, so a new format is added here once."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from weergave.rapport import naar_csv, naar_html, naar_json, naar_tekst, naar_xlsx
from weergave.rapport.model import Rapport


class Formaat(StrEnum):
    tekst = "tekst"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


MEDIATYPE: dict[Formaat, str] = {
    Formaat.tekst: "text/plain; charset=utf-8",
    Formaat.json: "application/json",
    Formaat.csv: "text/csv; charset=utf-8",
    Formaat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Formaat.html: "text/html; charset=utf-8",
}

EXTENSIE: dict[Formaat, str] = {
    Formaat.tekst: "txt", Formaat.json: "json", Formaat.csv: "csv", Formaat.xlsx: "xlsx",
    Formaat.html: "html",
}

BINAIR = frozenset({Formaat.xlsx})
"""Formats a terminal cannot show: the CLI writes them to a file."""

_RENDERERS: dict[Formaat, Callable[[Rapport], bytes]] = {
    Formaat.tekst: naar_tekst.render, Formaat.json: naar_json.render,
    Formaat.csv: naar_csv.render, Formaat.xlsx: naar_xlsx.render,
    Formaat.html: naar_html.render,
}


def render(rapport: Rapport, formaat: Formaat | str) -> bytes:
    """The report in `formaat` (one of `Formaat`), as the bytes of a file or an answer."""
    return _RENDERERS[Formaat(formaat)](rapport)


def bestandsnaam(rapport: Rapport, formaat: Formaat | str) -> str:
    """`{soort}-{regio}-{jaar}.{ext}`, e.g. `kwartaal-ijsselland-2026.xlsx`; only safe
    characters (a region is a folder name, but a name never carries a path)."""
    stam = f"{rapport.soort}-{rapport.regio}-{rapport.jaar}"
    veilig = "".join(t if t.isalnum() or t in "-_" else "_" for t in stam)
    return f"{veilig}.{EXTENSIE[Formaat(formaat)]}"
