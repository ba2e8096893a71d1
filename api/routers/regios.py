"""Regions, their articles in force, reloading a rule set, validating rule text."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.berichten import wil_html
from api.deps import DienstDep, SleutelDep
from api.fouten import DienstFoutError, json_of_422, regelfouten_json
from api.motor import Regelfout
from api.regios import GeladenRegio, OnbekendeRegioError
from api.schemas import (
    ArtikelenAntwoord,
    ArtikelPublic,
    Fout,
    HerlaadAntwoord,
    LidPublic,
    RegioPublic,
    ValideerAntwoord,
    ValideerIn,
    body_schema,
)
from engine.ir import Artikel

router = APIRouter(prefix="/v1", tags=["regio's en regels"])

RegioNaam = Annotated[str, Path(max_length=100, description="naam van de regio (de map in "
                                                            "contracten/)")]
_FOUTEN: dict[int | str, dict[str, Any]] = {
    401: {"model": Fout}, 403: {"model": Fout}, 404: {"model": Fout}, 413: {"model": Fout},
    422: {"model": Fout},
}


def _regio_publiek(r: GeladenRegio) -> RegioPublic:
    boek = r.regelboek
    return RegioPublic(naam=r.naam, gemeenten=list(boek.gemeenten), regelset_hash=boek.hash,
                       geladen_op=r.geladen_op, artikelen=len(boek.artikelen),
                       regels=len(boek.regels),
                       standaarden=[f"{s.naam} {s.versie}" for s in r.wetten])


@router.get("/regios", response_model=list[RegioPublic], responses=_FOUTEN)
def regios(d: DienstDep, wie: SleutelDep) -> list[RegioPublic]:
    """De geladen regio's waar deze sleutel toegang toe geeft."""
    return [_regio_publiek(r) for r in d.register.alle() if wie.mag(r.naam)]


def _artikel_publiek(a: Artikel) -> ArtikelPublic:
    return ArtikelPublic(nummer=a.nummer, titel=a.titel, bron=a.bronvermelding, uitleg=a.uitleg,
                         geldig_vanaf=a.geldig.vanaf, geldig_tot=a.geldig.tot,
                         herkomst=a.herkomst,
                         leden=[LidPublic(nummer=lid.nummer, titel=lid.titel, uitleg=lid.uitleg)
                                for lid in a.leden])


@router.get("/regios/{regio}/artikelen", response_model=ArtikelenAntwoord,
            responses={**_FOUTEN, 200: {"content": {"text/html": {}}}})
async def artikelen(regio: RegioNaam, d: DienstDep, wie: SleutelDep,
                    datum: Annotated[date | None, Query(description="peildatum; standaard "
                                                                    "vandaag")] = None,
                    accept: Annotated[str | None, Header()] = None) -> Response:
    """De artikelen die op `datum` gelden (JSON, of HTML met Accept: text/html)."""
    geladen = d.register.regio(regio)
    wie.controleer(geladen.naam)
    peildatum = datum or date.today()
    if wil_html(accept):
        html = await run_in_threadpool(d.motor.artikelen_html, geladen.regelboek, peildatum)
        return HTMLResponse(html)
    antwoord = ArtikelenAntwoord(
        regio=geladen.naam, datum=peildatum, regelset_hash=geladen.regelboek.hash,
        artikelen=[_artikel_publiek(a) for a in geladen.regelboek.artikelen
                   if a.geldig.geldt_op(peildatum)])
    return JSONResponse(antwoord.model_dump(mode="json"))


@router.post("/regios/{regio}/herlaad", response_model=HerlaadAntwoord, responses=_FOUTEN)
async def herlaad(regio: RegioNaam, d: DienstDep, wie: SleutelDep) -> HerlaadAntwoord:
    """Laad de regelset van een regio opnieuw. Met fouten: 422 met alle fouten, en de oude
    regelset blijft van kracht. Lopende verzoeken maken af met de regelset waarmee ze begonnen."""
    wie.controleer(regio)
    try:
        vorige: str | None = d.register.regio(regio).regelboek.hash
    except OnbekendeRegioError:
        vorige = None
    nieuw = await run_in_threadpool(d.register.herlaad, regio)
    return HerlaadAntwoord(regio=regio, regelset_hash=nieuw.regelboek.hash, vorige_hash=vorige,
                           gewijzigd=vorige != nieuw.regelboek.hash)


_TEKST = {"requestBody": {"required": True, "content": {
    "text/plain": {"schema": {"type": "string", "description": "regeltekst (.regels)"}},
    "application/json": {"schema": body_schema(ValideerIn)},
}}}


@router.post("/regels/valideer", response_model=ValideerAntwoord, responses=_FOUTEN,
             openapi_extra=_TEKST)
async def valideer(request: Request, d: DienstDep, wie: SleutelDep) -> ValideerAntwoord:
    """Controleer regeltekst (hoogstens REGELWERK_MAX_REGELTEKST bytes, standaard 128 kB):
    elke fout met line, column en bericht; na MAX_GETOOND fouten een melding dat er meer zijn."""
    grens = d.instellingen.max_regeltekst
    body = await request.body()
    if len(body) > grens + _JSON_RUIMTE:
        raise _te_veel_tekst(grens)
    invoer = _valideer_invoer(body, request.headers.get("content-type", ""))
    if len(invoer.tekst.encode("utf-8", "surrogatepass")) > grens:
        raise _te_veel_tekst(grens)
    if not invoer.tekst.strip():
        raise DienstFoutError(422, "de regeltekst is leeg: er is niets te controleren",
                              locatie="tekst")
    fouten = await run_in_threadpool(d.motor.valideer_tekst, invoer.tekst, invoer.bestandsnaam)
    return ValideerAntwoord(geldig=not fouten, fouten=regelfouten_json(_begrensd(fouten)))


MAX_GETOOND = 100
"""Errors one answer lists; a text with more gets the first ones and a note."""
_JSON_RUIMTE = 4096
"""Room for the JSON around the rule text (field names, file name, escapes are counted
again on the text itself)."""


def _te_veel_tekst(grens: int) -> DienstFoutError:
    return DienstFoutError(413, f"de regeltekst is groter dan de grens van {grens // 1024} kB "
                                "(een regelbestand is enkele kB); controleer de bestanden een "
                                "voor een")


def _begrensd(fouten: list[Regelfout]) -> list[Regelfout]:
    if len(fouten) <= MAX_GETOOND:
        return fouten
    laatste = fouten[MAX_GETOOND - 1]
    meer = len(fouten) - MAX_GETOOND
    return [*fouten[:MAX_GETOOND],
            Regelfout(laatste.bestand, laatste.line, laatste.column,
                      f"en nog {meer} fouten; verbeter deze eerst en controleer opnieuw")]


def _valideer_invoer(body: bytes, content_type: str) -> ValideerIn:
    if "json" in content_type.lower():
        data = json_of_422(body)
        if not isinstance(data, dict) or not isinstance(data.get("tekst"), str):
            raise DienstFoutError(422, "verwacht een object met het veld 'tekst'",
                                  locatie="tekst")
        naam = data.get("bestandsnaam", "<invoer>")
        return ValideerIn(tekst=data["tekst"], bestandsnaam=str(naam)[:200])
    try:
        return ValideerIn(tekst=body.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise DienstFoutError(422, f"de tekst is geen geldige UTF-8 (byte {err.start})") from None
