"""The workbench's endpoints (issue 17): a region's files, the live check of unsaved text,
the save (with the version read), the audit trail and its undo, the vocabulary for completion.
Every route takes the caller's key and refuses a region that key does not cover."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse

from api.deps import DienstDep, SleutelDep
from api.dienst import Dienst
from api.fouten import DienstFoutError, json_of_422, regelfouten_json, serverpaden
from api.logboek import OnbekendeOpslagError, Opslag
from api.motor import Regelfout, RegelsetFoutError
from api.regios import OnbekendeRegioError
from api.routers.regios import RegioNaam
from api.toetsen import toets
from api.werkbank import Opgeslagen, bestanden, lees
from api.woordenlijst import herstelling, woorden
from engine.ir import Regelboek

router = APIRouter(prefix="/v1", tags=["werkbank"])

BestandPad = Annotated[str, Path(max_length=300, description="pad binnen de map van de regio, "
                                                             "zoals 'contract.regels'")]


def _tekst_uit(body: bytes, grens: int, velden: tuple[str, ...]) -> dict[str, Any]:
    """The JSON object of a save or check: `tekst` (bounded) and the named string fields."""
    if len(body) > grens + 4096:
        raise DienstFoutError(413, f"de tekst is groter dan de grens van {grens // 1024} kB")
    data = json_of_422(body)
    if not isinstance(data, dict) or not isinstance(data.get("tekst"), str):
        raise DienstFoutError(422, "verwacht een object met het veld 'tekst'", locatie="tekst")
    if len(data["tekst"].encode("utf-8", "surrogatepass")) > grens:
        raise DienstFoutError(413, f"de tekst is groter dan de grens van {grens // 1024} kB")
    for veld in velden:
        if not isinstance(data.get(veld), str):
            raise DienstFoutError(422, f"het veld '{veld}' ontbreekt (de versie die u las)",
                                  locatie=veld)
    return data


def _controleer(d: Dienst, regio: str, wie: Any) -> None:
    wie.controleer(regio)
    d.werkbank.map(regio)


@router.get("/regios/{regio}/bestanden")
async def bestanden_lijst(regio: RegioNaam, d: DienstDep, wie: SleutelDep) -> dict[str, Any]:
    """De regelbestanden en tabellen van de regio, elk met zijn versie (sha256)."""
    _controleer(d, regio, wie)
    lijst = await run_in_threadpool(bestanden, d.werkbank.map(regio))
    return {"regio": regio, "bestanden": [
        {"pad": b.pad, "soort": b.soort, "grootte": b.grootte, "versie": b.versie}
        for b in lijst]}


@router.get("/regios/{regio}/bestanden/{pad:path}")
async def bestand(regio: RegioNaam, pad: BestandPad, d: DienstDep,
                  wie: SleutelDep) -> dict[str, Any]:
    """Eén bestand: de tekst en de versie om mee op te slaan."""
    _controleer(d, regio, wie)
    tekst, versie = await run_in_threadpool(lees, d.werkbank.map(regio), pad)
    return {"regio": regio, "pad": pad, "tekst": tekst, "versie": versie}


@router.post("/regios/{regio}/controleer/{pad:path}")
async def controleer(regio: RegioNaam, pad: BestandPad, request: Request, d: DienstDep,
                     wie: SleutelDep) -> dict[str, Any]:
    """Controleer niet opgeslagen tekst van `pad` in de context van de hele regio: elke fout
    met line, column, bericht, suggestie en, waar die er is, een herstelling."""
    _controleer(d, regio, wie)
    data = _tekst_uit(await request.body(), d.instellingen.max_regeltekst, ())
    fouten = await run_in_threadpool(d.werkbank.controleer, regio, pad, data["tekst"])
    uit = _fouten_json(d, regio, pad, data["tekst"], fouten)
    return {"geldig": not uit, "fouten": uit}


def _fouten_json(d: Dienst, regio: str, pad: str, tekst: str, fouten: list[Regelfout]
                 ) -> list[dict[str, Any]]:
    """The errors named relative to the region's folder (the standard's files to theirs),
    each in the edited file with the one-click fix of its suggestion, where there is one."""
    wortels = (d.werkbank.map(regio).resolve(), *serverpaden(d))
    uit = []
    for publiek in regelfouten_json(fouten, wortels):
        fout = publiek.model_dump()
        fout["herstelling"] = herstelling(tekst, publiek.line, publiek.column,
                                          publiek.suggestie) if publiek.bestand == pad else None
        uit.append(fout)
    return uit


def _opgeslagen_json(o: Opgeslagen, pad: str) -> dict[str, Any]:
    return {"pad": pad, "versie": _versie(o.opslag.na), "regelset_hash": o.regio.regelboek.hash,
            "vorige_hash": o.vorige_hash, "opslag": _opslag_json(o.opslag)}


def _versie(tekst: str) -> str:
    from api.werkbank import versie

    return versie(tekst.encode("utf-8"))


def _opslag_json(o: Opslag) -> dict[str, Any]:
    return {"nummer": o.nummer, "wie": o.wie, "wanneer": o.wanneer.isoformat(),
            "bestand": o.bestand, "diff": o.diff, "hersteld": o.hersteld}


@router.put("/regios/{regio}/bestanden/{pad:path}", response_model=None)
async def sla_op(regio: RegioNaam, pad: BestandPad, request: Request, d: DienstDep,
                 wie: SleutelDep) -> dict[str, Any] | JSONResponse:
    """Sla op: schrijven, de hele regio controleren en herladen in één stap. Met fouten 422 en
    de oude regelset blijft van kracht; met een verouderde `versie` 409 (wie er intussen
    opsloeg). Elke opslag komt in het logboek."""
    _controleer(d, regio, wie)
    data = _tekst_uit(await request.body(), d.instellingen.max_regeltekst, ("versie",))
    try:
        o = await run_in_threadpool(d.werkbank.sla_op, regio, pad, data["tekst"],
                                    data["versie"], wie.naam)
    except RegelsetFoutError as err:
        return _geweigerd(d, regio, pad, data["tekst"], err)
    return _opgeslagen_json(o, pad)


def _geweigerd(d: Dienst, regio: str, pad: str, tekst: str, err: RegelsetFoutError
               ) -> JSONResponse:
    """422: the region with this text has errors; nothing was written."""
    return JSONResponse({"fout": "niet opgeslagen: de regio heeft met deze tekst fouten; de "
                                 "oude regelset blijft van kracht",
                         "fouten": _fouten_json(d, regio, pad, tekst, err.fouten)},
                        status_code=422)


@router.get("/regios/{regio}/logboek")
async def logboek(regio: RegioNaam, d: DienstDep, wie: SleutelDep) -> dict[str, Any]:
    """Elke opslag van de regio, de nieuwste eerst: wie, wanneer, welk bestand, de diff."""
    _controleer(d, regio, wie)
    alle = await run_in_threadpool(d.werkbank.logboek.alle, regio)
    return {"regio": regio, "opslagen": [_opslag_json(o) for o in reversed(alle)]}


@router.post("/regios/{regio}/logboek/{nummer}/ongedaan", response_model=None)
async def ongedaan(regio: RegioNaam, nummer: Annotated[int, Path(ge=1)], d: DienstDep,
                   wie: SleutelDep) -> dict[str, Any] | JSONResponse:
    """Maak opslag `nummer` ongedaan: een nieuwe opslag van de inhoud ervoor (ook gelogd)."""
    _controleer(d, regio, wie)
    try:
        o = await run_in_threadpool(d.werkbank.herstel, regio, nummer, wie.naam)
    except RegelsetFoutError as err:  # the standard changed since: the old text fails now
        opslag = d.werkbank.logboek.opslag(regio, nummer)
        return _geweigerd(d, regio, opslag.bestand, opslag.voor, err)
    except OnbekendeOpslagError:
        raise DienstFoutError(404, f"opslag {nummer} bestaat niet in het logboek van deze "
                                   "regio", locatie="nummer") from None
    return _opgeslagen_json(o, o.opslag.bestand)


@router.get("/regios/{regio}/woorden")
async def regio_woorden(regio: RegioNaam, d: DienstDep, wie: SleutelDep) -> dict[str, Any]:
    """De bekende woorden voor aanvulling: trefwoorden, velden, functies, eenheden, en de
    parameters en regelnamen van de regelset van de regio."""
    _controleer(d, regio, wie)
    try:
        regelboek: Regelboek | None = d.register.regio(regio).regelboek
    except OnbekendeRegioError:  # a region whose rule set was refused: the language's words
        regelboek = None
    return woorden(regelboek)


@router.post("/regios/{regio}/gevallen")
async def gevallen(regio: RegioNaam, d: DienstDep, wie: SleutelDep,
                   dekking: Annotated[bool, Query(description="ook de dekking per regel "
                                                              "(trager)")] = False
                   ) -> dict[str, Any]:
    """Draai de gevallen van de regio (zoals `regelwerk test`): per geval geslaagd of niet,
    met verwacht tegen werkelijk; met `dekking` ook de regels en voorwaarden die geen geval
    bereikt."""
    _controleer(d, regio, wie)
    return await run_in_threadpool(toets, d.werkbank.map(regio), dekking)


@router.get("/regios/{regio}/verschil", response_class=HTMLResponse)
async def verschil(regio: RegioNaam, d: DienstDep, wie: SleutelDep,
                   op: Annotated[date | None, Query(description="alleen wat op deze dag ingaat "
                                                                "of vervalt")] = None,
                   van: Annotated[date | None, Query(description="begin van de periode")] = None,
                   tot: Annotated[date | None, Query(description="einde (inbegrepen)")] = None
                   ) -> HTMLResponse:
    """Wat de regio anders doet dan de standaard (`regelwerk verschil`), met tarieven en
    geldigheid, als HTML; `op` of `van`/`tot` beperken het tot een dag of periode."""
    wie.controleer(regio)
    from weergave.verschil import Periode, als_html, regioverschil

    if op is not None and (van is not None or tot is not None):
        raise DienstFoutError(422, "geef op (een dag) of van/tot (een periode), niet allebei",
                              locatie="op")
    if van and tot and tot < van:
        raise DienstFoutError(422, f"tot ({tot:%d-%m-%Y}) ligt voor van ({van:%d-%m-%Y})",
                              locatie="tot")
    periode = Periode(op, op) if op else Periode(van, tot)
    regelboek = d.register.regio(regio).regelboek
    html = await run_in_threadpool(
        lambda: als_html([regioverschil(regio, regelboek, periode)], periode, None))
    for wortel in serverpaden(d):  # sources named from the contracts folder, never the server's
        html = html.replace(f"{wortel}/", "").replace(f"{wortel.resolve()}/", "")
    return HTMLResponse(html)
