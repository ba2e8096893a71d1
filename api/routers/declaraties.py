"""JW323 or WMO323 in, the JW325 or WMO325 (the message's own standard) or the explanation
out; stored declarations and their explanation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.berichten import vorm_van, wil_html, wil_xml
from api.deps import DienstDep, SleutelDep
from api.dienst import Dienst
from api.fouten import DienstFoutError
from api.schemas import (
    BeoordelingAntwoord,
    DeclaratieIn,
    DeclaratiePublic,
    Fout,
    PrestatiePublic,
    UitlegDocument,
    body_schema,
)
from api.sjablonen import render
from api.toegang import Sleutel
from api.verwerking import Antwoord, verwerk_declaratie
from opslag import opslag
from opslag.database import lees_transactie
from opslag.tabellen import DeclaratieRij, PrestatieRij

router = APIRouter(prefix="/v1/declaraties", tags=["declaraties"])

XML = "application/xml"
Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_-]+$",
                         description="id van de opgeslagen declaratie (uit Location of "
                                     "declaratie_id van het antwoord)")]
RegioParam = Annotated[str | None, Query(
    max_length=100, description="regio; standaard volgt die uit de gemeentecode (Ontvanger) en "
                                "de wet van het bericht (JW323: een regio met Jeugdwet-producten, "
                                "WMO323: een regio met Wmo-producten). Een genoemde regio moet "
                                "de gemeente en de wet van het bericht hebben, anders 422")]
Accept = Annotated[str | None, Header()]

_FOUTEN: dict[int | str, dict[str, Any]] = {
    401: {"model": Fout}, 403: {"model": Fout}, 404: {"model": Fout}, 413: {"model": Fout},
    422: {"model": Fout},
}
_BERICHT = {"requestBody": {"required": True, "content": {
    XML: {"schema": {"type": "string", "description":
                     "een JW323-bericht (iJw 3.2) of WMO323-bericht (iWmo 3.2); de standaard "
                     "volgt uit de naamruimte van het berichtelement"}},
    "application/json": {"schema": body_schema(DeclaratieIn)},
}}}

_WEIGERING = (
    "JW325 of WMO325 (XML, in de standaard van het bericht) of de uitleg (JSON). Het hele "
    "bericht wordt geweigerd (OP286) bij een technische fout: niet volgens zijn XSD (0001), "
    "een BSN zonder elfproef (CS002, 0001), een periode of bedrag tegen CS100, CS325, CS337 "
    "of CS340 (0001), een dagtekening na vandaag (TR135, 8848), of een identificatie die deze "
    "afzender al aan deze gemeente stuurde (TR056, 9056). Dan draagt het antwoord de "
    "retourcode in de kop en geen prestaties, wordt niets beoordeeld of opgeslagen (geen "
    "Location, declaratie_id null) en zegt technische_fout welk element waar faalde, zonder "
    "BSN. Het herstelde bericht mag dezelfde nummers hebben.")


@router.post("", response_model=BeoordelingAntwoord, openapi_extra=_BERICHT,
             responses={**_FOUTEN, 200: {"content": {XML: {}}, "description": _WEIGERING},
                        422: {"model": Fout, "description":
                              "XML dat niet goed gevormd is (regel en kolom), een naamruimte "
                              "die geen declaratiebericht van iJw 3.2 of iWmo 3.2 is (de "
                              "gevonden en de ondersteunde naamruimten), een ander bericht "
                              "dan een declaratie, of een regio zonder de wet van het bericht "
                              "(locatie 'regio')"}})
async def dien_declaratie_in(request: Request, d: DienstDep, wie: SleutelDep,
                             regio: RegioParam = None, accept: Accept = None) -> Response:
    """Beoordeel een declaratie (JW323 of WMO323), sla haar op en geef het antwoord (JW325 of
    WMO325). De standaard volgt uit de naamruimte; het bericht gaat naar de regio van zijn
    gemeente die zijn wet dekt. JSON is de vorm van de JW323."""
    body = await request.body()
    vorm = vorm_van(body, request.headers.get("content-type"))
    antwoord = await run_in_threadpool(verwerk_declaratie, d, body, vorm, regio, wie)
    kop = {"Location": f"/v1/declaraties/{antwoord.rij.publiek_id}"} if antwoord.rij else {}
    if wil_xml(accept, vorm):
        return Response(antwoord.jw325, media_type=XML, headers=kop)
    return JSONResponse(_als_json(antwoord), headers=kop)


def _als_json(a: Antwoord) -> dict[str, Any]:
    """The answer as JSON; the engine's explanation goes out as the engine wrote it."""
    antwoord = BeoordelingAntwoord(
        declaratie_id=a.rij.publiek_id if a.rij else None, regio=a.regio,
        regelset_hash=a.rij.regelset_hash if a.rij else None, opnieuw_ingediend=a.opnieuw,
        technische_fout=a.technische_fout, standaard=f"{a.standaard.naam} {a.standaard.versie}")
    return {**antwoord.model_dump(mode="json"), "uitleg": a.uitleg or None}


def _lees(d: Dienst, wie: Sleutel, declaratie_id: str
          ) -> tuple[DeclaratieRij, list[PrestatieRij]]:
    # Only the caller's regions are searched: another region's declaration answers exactly
    # like one that does not exist (same status, same body), so ids reveal nothing.
    with lees_transactie(d.engine) as sessie:
        rij = opslag.declaratie(sessie, declaratie_id, wie.regios)
        if rij is None or rij.id is None:
            raise DienstFoutError(404, "er is geen declaratie met dit id")
        return rij, opslag.prestaties(sessie, rij.id)


def _publiek(rij: DeclaratieRij, prestaties: list[PrestatieRij]) -> DeclaratiePublic:
    return DeclaratiePublic.model_validate({
        **rij.model_dump(exclude={"jw325", "uitleg", "inhoud_sleutel", "publiek_id"}),
        "id": rij.publiek_id,
        "retourcodes": [c for c in rij.retourcodes.split(",") if c],
        "prestaties": [PrestatiePublic.model_validate(p.model_dump(exclude={"bsn"}))
                       for p in prestaties]})


@router.get("/{declaratie_id}", response_model=DeclaratiePublic,
            responses={**_FOUTEN, 200: {"content": {XML: {}}}})
async def lees_declaratie(declaratie_id: Id, d: DienstDep, wie: SleutelDep,
                          accept: Accept = None) -> Response:
    """Een opgeslagen declaratie met de uitkomst per prestatie (of het antwoord als XML: de
    JW325 of WMO325, in de standaard van het bericht)."""
    rij, prestaties = await run_in_threadpool(_lees, d, wie, declaratie_id)
    if wil_xml(accept, "json"):
        return Response(rij.jw325, media_type=XML)
    return JSONResponse(_publiek(rij, prestaties).model_dump(mode="json"))


@router.get("/{declaratie_id}/uitleg", response_model=UitlegDocument,
            responses={**_FOUTEN, 200: {"content": {"text/html": {}}}})
async def uitleg(declaratie_id: Id, d: DienstDep, wie: SleutelDep,
                 accept: Accept = None) -> Response:
    """De uitleg van de beoordeling: JSON, of HTML voor een mens (Accept: text/html)."""
    rij, prestaties = await run_in_threadpool(_lees, d, wie, declaratie_id)
    if wil_html(accept):
        afgewezen = [p for p in prestaties if p.status != "goedgekeurd"]
        return HTMLResponse(render("uitleg.html", declaratie=rij, prestaties=prestaties,
                                   afgewezen=afgewezen))
    return JSONResponse(rij.uitleg)
