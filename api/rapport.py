"""Answering with a report: the `?formaat=` query parameter and `rapport_antwoord`.

Every report endpoint (`/v1/regios/{regio}/jaren/{jaar}/...`) takes `formaat: FormaatQuery`
(json by default) and returns `rapport_antwoord(rapport, formaat)`: the bytes with their
media type and a Content-Disposition naming the file (`{soort}-{regio}-{jaar}.{ext}`):
`attachment` for csv and xlsx (a download), `inline` for json, tekst and html. An unknown
format is the service's Dutch 422."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from weergave.rapport import MEDIATYPE, Formaat, bestandsnaam, render
from weergave.rapport.model import Rapport

DOWNLOAD = frozenset({Formaat.csv, Formaat.xlsx})

FormaatQuery = Annotated[Formaat, Query(
    description="tekst, json (standaard), csv (Nederlandse Excel: ';', decimale komma), "
                "xlsx of html")]


def rapport_antwoord(rapport: Rapport, formaat: Formaat = Formaat.json) -> Response:
    aard = "attachment" if formaat in DOWNLOAD else "inline"
    return Response(
        content=render(rapport, formaat), media_type=MEDIATYPE[formaat],
        headers={"Content-Disposition":
                 f'{aard}; filename="{bestandsnaam(rapport, formaat)}"'})
