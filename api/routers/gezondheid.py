"""Liveness: is the database reachable with its schema, which rule sets are in force.

503 when the database cannot be reached or lacks the service's tables, so a load balancer
takes the instance out. A caller without a valid key (when keys are configured) learns only
up or down; the details (rule sets, their errors) are for back offices, and name rule files
relative to the contracts or standard folder, never by their absolute path on the server."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Request, Security
from fastapi.responses import JSONResponse

from api.deps import _API_SLEUTEL, DienstDep
from api.dienst import Dienst
from api.fouten import regelfouten_json, serverpaden
from api.schemas import Fout, GeladenRegelset, Gezondheid
from api.toegang import ToegangError
from opslag.database import database_soort, ontbrekende_kolommen, ontbrekende_tabellen

log = logging.getLogger("regelwerk.api")
router = APIRouter(prefix="/v1", tags=["gezondheid"])

OK = "ok"
ONBEREIKBAAR = "database onbereikbaar"
ZONDER_SCHEMA = "databaseschema ontbreekt"


def _database_status(d: Dienst) -> str:
    try:
        ontbreekt = ontbrekende_tabellen(d.engine) or ontbrekende_kolommen(d.engine)
    except Exception as err:  # the answer says so; no details (they could hold a URL)
        log.error("gezondheid: database onbereikbaar (%s)", type(err).__name__)
        return ONBEREIKBAAR
    if ontbreekt:
        log.error("gezondheid: tabellen ontbreken: %s", ", ".join(ontbreekt))
        return ZONDER_SCHEMA
    return OK


def _mag_details_zien(request: Request, d: Dienst, sleutel: str | None) -> bool:
    host = request.client.host if request.client else None
    try:
        d.toegang.wie(sleutel, host)
    except ToegangError:
        return False
    return True


@router.get("/gezondheid", response_model=Gezondheid, response_model_exclude_none=True,
            responses={503: {"model": Gezondheid, "description": "de database is niet "
                             "bereikbaar of haar schema ontbreekt"}, 401: {"model": Fout}})
def gezondheid(request: Request, d: DienstDep,
               x_api_key: Annotated[str | None, Security(_API_SLEUTEL)] = None) -> JSONResponse:
    """Leeft de dienst en werkt de database (503 als niet). Met een geldige sleutel ook welke
    regelsets zijn geladen (met hun hash) en de fouten van regio's die niet laadden."""
    status = _database_status(d)
    code = 200 if status == OK else 503
    if not _mag_details_zien(request, d, x_api_key):
        return JSONResponse(Gezondheid(status=status).model_dump(exclude_none=True),
                            status_code=code)
    wortels = serverpaden(d)
    antwoord = Gezondheid(
        status=status, database=database_soort(d.engine), open=d.toegang.open,
        regelsets=[GeladenRegelset(regio=r.naam, regelset_hash=r.regelboek.hash,
                                   geladen_op=r.geladen_op) for r in d.register.alle()],
        niet_geladen={naam: regelfouten_json(f, wortels)
                      for naam, f in d.register.fouten().items()})
    return JSONResponse(antwoord.model_dump(mode="json", exclude_none=True), status_code=code)
