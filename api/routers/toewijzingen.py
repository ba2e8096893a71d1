"""JW301 and WMO301 allocations and absence periods in."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from api.berichten import vorm_van
from api.deps import DienstDep, SleutelDep
from api.schemas import (
    AanwezigheidAntwoord,
    AanwezigheidIn,
    Fout,
    ToewijzingenAntwoord,
    ToewijzingenIn,
    body_schema,
)
from api.verwerking import verwerk_aanwezigheid, verwerk_toewijzingen

router = APIRouter(prefix="/v1", tags=["toewijzingen"])

RegioParam = Annotated[str | None, Query(max_length=100, description="regio; standaard volgt "
                                                                     "die uit de gemeentecode")]
_FOUTEN: dict[int | str, dict[str, Any]] = {
    401: {"model": Fout}, 403: {"model": Fout}, 404: {"model": Fout}, 413: {"model": Fout},
    422: {"model": Fout},
}
_JW301 = {"requestBody": {"required": True, "content": {
    "application/xml": {"schema": {"type": "string", "description":
                                   "een JW301-bericht (iJw 3.2) of WMO301-bericht (iWmo 3.2); "
                                   "de standaard volgt uit de naamruimte"}},
    "application/json": {"schema": body_schema(ToewijzingenIn)},
}}}
_AANWEZIGHEID = {"requestBody": {"required": True, "content": {
    "text/csv": {"schema": {"type": "string",
                            "description": "CSV met kop bsn,toewijzingnummer,van,tot"}},
    "application/json": {"schema": body_schema(AanwezigheidIn)},
}}}


@router.post("/toewijzingen", response_model=ToewijzingenAntwoord, responses=_FOUTEN,
             openapi_extra=_JW301)
async def dien_toewijzingen_in(request: Request, d: DienstDep, wie: SleutelDep,
                               regio: RegioParam = None) -> ToewijzingenAntwoord:
    """Sla toewijzingen op (JW301 of WMO301; JSON is de vorm van de JW301); elke versie
    (Toewijzingsdatum + -tijd) blijft bewaard. Het bericht gaat naar de regio van zijn gemeente
    (Afzender) die zijn wet dekt: een JW301 naar een regio met Jeugdwet-producten, een WMO301
    naar een regio met Wmo-producten."""
    body = await request.body()
    vorm = vorm_van(body, request.headers.get("content-type"))
    naam, versies, nieuw = await run_in_threadpool(verwerk_toewijzingen, d, body, vorm, regio,
                                                   wie)
    return ToewijzingenAntwoord(regio=naam, ontvangen=len(versies), nieuw=nieuw,
                                toewijzingnummers=sorted({t.toewijzingnummer for t in versies}))


@router.post("/aanwezigheid", response_model=AanwezigheidAntwoord, responses=_FOUTEN,
             openapi_extra=_AANWEZIGHEID)
async def dien_aanwezigheid_in(request: Request, d: DienstDep, wie: SleutelDep,
                               regio: RegioParam = None) -> AanwezigheidAntwoord:
    """Sla afwezigheidsperioden op (CSV of JSON); een bekende periode telt niet dubbel."""
    body = await request.body()
    is_json = vorm_van(body, request.headers.get("content-type")) == "json" \
        and not request.headers.get("content-type", "").startswith("text/csv")
    naam, ontvangen, nieuw = await run_in_threadpool(verwerk_aanwezigheid, d, body, is_json,
                                                     regio, wie)
    return AanwezigheidAntwoord(regio=naam, ontvangen=ontvangen, nieuw=nieuw)
