"""Every error answer of the service: Dutch, located where possible, never a traceback,
never a BSN. Also the two outer guards: the body size limit and the catch-all."""

from __future__ import annotations

import asyncio
import logging
import traceback
import uuid
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.motor import Regelfout, RegelsetFoutError
from api.regios import DubbeleGemeenteError, OnbekendeRegioError
from api.schemas import Fout, RegelfoutPublic
from api.toegang import ToegangError
from berichten.fouten import BerichtFoutError
from engine.bsn import verberg_bsn

log = logging.getLogger("regelwerk.api")

class DienstFoutError(Exception):
    """An answer with an error status, raised anywhere inside a route."""

    def __init__(self, status: int, bericht: str, *, line: int | None = None,
                 column: int | None = None, locatie: str | None = None,
                 fouten: Sequence[Regelfout] = ()) -> None:
        super().__init__(bericht)
        self.status, self.bericht, self.line, self.column = status, bericht, line, column
        self.locatie, self.fouten = locatie, list(fouten)


def fout_antwoord(status: int, bericht: str, **extra: Any) -> JSONResponse:
    extra["fouten"] = extra.get("fouten") or None
    fout = Fout(fout=verberg_bsn(bericht), **extra)
    return JSONResponse(fout.model_dump(mode="json", exclude_none=True), status_code=status)


def regelfouten_json(fouten: Sequence[Regelfout], wortels: Sequence[Path] = ()
                     ) -> list[RegelfoutPublic]:
    """Rule errors for an answer; files are named relative to one of `wortels`, and a path
    outside them by its name only: an answer never shows the server's folders."""
    return [RegelfoutPublic(bestand=_zonder_serverpad(f.bestand, wortels), line=f.line,
                            column=f.column, bericht=_zonder_wortels(f.bericht, wortels) or "",
                            suggestie=_zonder_wortels(f.suggestie, wortels))
            for f in fouten]


def _zonder_wortels(tekst: str | None, wortels: Sequence[Path]) -> str | None:
    """A message may name another rule file ('bestaat ook op <pad>:3:1'): made relative."""
    for wortel in wortels:
        if tekst is not None:
            tekst = tekst.replace(f"{wortel}/", "")
    return tekst


def serverpaden(d: Any) -> tuple[Path, ...]:
    """The folders rule files are named relative to: their parents, so `contracten/x/...`
    and `regels/istandaard/...` keep the folder's own name."""
    from api.instellingen import REPO

    mappen = [d.instellingen.contracten, d.instellingen.standaard or REPO / "regels"]
    return tuple(Path(m).resolve().parent for m in mappen)


def _zonder_serverpad(bestand: str, wortels: Sequence[Path]) -> str:
    pad = PurePath(bestand)
    if not pad.is_absolute():
        return bestand
    for wortel in wortels:
        try:
            return Path(bestand).resolve().relative_to(wortel).as_posix()
        except ValueError:
            continue
    return pad.name


def _schema_ontbreekt(err: DBAPIError) -> bool:
    """A table or column of the service is missing (PostgreSQL 42P01/42703, SQLite 'no such
    table/column'): the database was changed or made by another version under a running
    service."""
    if getattr(err.orig, "sqlstate", None) in ("42P01", "42703"):
        return True
    tekst = str(err.orig).lower()
    return "no such table" in tekst or "no such column" in tekst


def _schema_weg_antwoord() -> JSONResponse:
    log.error("databaseschema ontbreekt: een tabel of kolom van de dienst bestaat niet")
    antwoord = fout_antwoord(503, "de database mist tabellen of kolommen van de dienst; het "
                                  "bericht is niet verwerkt. De beheerder moet de database "
                                  "herstellen of vervangen en de dienst opnieuw starten.")
    antwoord.headers["Retry-After"] = "30"
    return antwoord


_HTTP_TEKST = {
    400: "ongeldig verzoek",
    404: "niet gevonden",
    405: "deze methode is hier niet toegestaan",
    406: "dit antwoordformaat wordt niet ondersteund",
    413: "het bericht is te groot",
    415: "dit berichtformaat wordt niet ondersteund",
}

_PYDANTIC_TEKST = {
    "missing": "ontbreekt",
    "string_pattern_mismatch": "heeft niet de juiste vorm",
    "date_parsing": "is geen geldige datum (JJJJ-MM-DD)",
    "date_from_datetime_parsing": "is geen geldige datum (JJJJ-MM-DD)",
    "date_type": "is geen geldige datum (JJJJ-MM-DD)",
    "int_parsing": "is geen geheel getal",
    "int_type": "is geen geheel getal",
    "string_type": "moet tekst zijn",
    "list_type": "moet een lijst zijn",
    "model_type": "moet een object zijn",
    "dict_type": "moet een object zijn",
    "json_invalid": "is geen geldige JSON",
    "string_too_short": "is te kort",
    "string_too_long": "is te lang",
    "enum": "is geen van de toegestane waarden",
}


def pydantic_fout(fout: dict[str, Any]) -> str:
    # The offending value is never repeated: it may be a BSN.
    plek = ".".join(str(d) for d in fout.get("loc", ()))
    tekst = _PYDANTIC_TEKST.get(str(fout.get("type")), "is ongeldig")
    if fout.get("type") == "enum":  # the choices are ours, never the client's value
        tekst += f" ({fout.get('ctx', {}).get('expected', '')})"
    return f"{plek}: {tekst}"


def installeer(app: FastAPI) -> None:
    """Register the error handlers on `app`."""

    def wortels(request: Request) -> tuple[Path, ...]:
        dienst = getattr(request.app.state, "dienst", None)
        return serverpaden(dienst) if dienst is not None else ()

    @app.exception_handler(DienstFoutError)
    async def _dienst(request: Request, err: DienstFoutError) -> JSONResponse:
        return fout_antwoord(err.status, err.bericht, line=err.line, column=err.column,
                             locatie=err.locatie,
                             fouten=regelfouten_json(err.fouten, wortels(request)))

    @app.exception_handler(ToegangError)
    async def _toegang(_: Request, err: ToegangError) -> JSONResponse:
        return fout_antwoord(err.status, err.bericht)

    @app.exception_handler(OnbekendeRegioError)
    async def _regio(_: Request, err: OnbekendeRegioError) -> JSONResponse:
        return fout_antwoord(404, f"onbekende regio of gemeente: '{err}' (zie GET /v1/regios)")

    @app.exception_handler(DubbeleGemeenteError)
    async def _dubbel(_: Request, err: DubbeleGemeenteError) -> JSONResponse:
        return fout_antwoord(422, f"gemeente {err} staat in meer dan een regio: geef ?regio= op")

    @app.exception_handler(BerichtFoutError)
    async def _bericht(_: Request, err: BerichtFoutError) -> JSONResponse:
        return fout_antwoord(422, err.bericht, line=err.line, column=err.column)

    @app.exception_handler(RegelsetFoutError)
    async def _regelset(request: Request, err: RegelsetFoutError) -> JSONResponse:
        return fout_antwoord(422, "de regelset heeft fouten",
                             fouten=regelfouten_json(err.fouten, wortels(request)))

    @app.exception_handler(RequestValidationError)
    async def _validatie(_: Request, err: RequestValidationError) -> JSONResponse:
        teksten = [pydantic_fout(dict(f)) for f in err.errors()]
        return fout_antwoord(422, "ongeldige invoer: " + "; ".join(teksten))

    @app.exception_handler(OperationalError)
    async def _database(_: Request, err: OperationalError) -> JSONResponse:
        if _schema_ontbreekt(err):
            return _schema_weg_antwoord()
        # Busy or unreachable: nothing was stored (the transaction rolled back); retry later.
        log.error("database niet beschikbaar (%s)", type(err.orig).__name__)
        antwoord = fout_antwoord(503, "de database is bezet of niet bereikbaar; het bericht is "
                                      "niet verwerkt, probeer het later opnieuw")
        antwoord.headers["Retry-After"] = "5"
        return antwoord

    @app.exception_handler(ProgrammingError)
    async def _programmeerfout(_: Request, err: ProgrammingError) -> JSONResponse:
        if _schema_ontbreekt(err):
            return _schema_weg_antwoord()
        raise err  # a bug: the catch-all answers with a reference

    @app.exception_handler(HTTPException)
    async def _http(_: Request, err: HTTPException) -> JSONResponse:
        tekst = _HTTP_TEKST.get(err.status_code, "het verzoek kan niet worden verwerkt")
        return fout_antwoord(err.status_code, tekst)


class BodyLimiet:
    """Refuse a request body over `limiet` bytes with 413, and one that is not complete
    within `tijdslimiet` seconds with 408, before any route reads it. The server's own
    deadline covers only the request head; without this, a client trickling its body held a
    connection (and a worker's slot) as long as it liked."""

    def __init__(self, app: ASGIApp, limiet: int, tijdslimiet: float = 60.0) -> None:
        self.app, self.limiet, self.tijdslimiet = app, limiet, tijdslimiet

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lengte = dict(scope.get("headers", [])).get(b"content-length", b"")
        if lengte.isdigit() and int(lengte) > self.limiet:
            await self._te_groot(scope, receive, send)
            return
        try:
            async with asyncio.timeout(self.tijdslimiet):
                body = await self._lees(receive)
        except TimeoutError:
            await self._te_traag(scope, receive, send)
            return
        if body is None:  # the client went away
            return
        if len(body) > self.limiet:
            await self._te_groot(scope, receive, send)
            return
        await self.app(scope, _opnieuw(body, receive), send)

    async def _lees(self, receive: Receive) -> bytes | None:
        """The whole body, or None on a disconnect; stops reading just past the limit."""
        delen: list[bytes] = []
        gelezen, meer = 0, True
        while meer and gelezen <= self.limiet:
            bericht = await receive()
            if bericht["type"] == "http.disconnect":
                return None
            delen.append(bericht.get("body", b""))
            gelezen += len(delen[-1])
            meer = bericht.get("more_body", False)
        return b"".join(delen)

    async def _te_traag(self, scope: Scope, receive: Receive, send: Send) -> None:
        antwoord = fout_antwoord(408, f"het bericht kwam niet binnen {self.tijdslimiet:g} "
                                      "seconden volledig binnen; het is niet verwerkt")
        antwoord.headers["Connection"] = "close"
        await antwoord(scope, receive, send)

    async def _te_groot(self, scope: Scope, receive: Receive, send: Send) -> None:
        mb = self.limiet / (1024 * 1024)
        antwoord = fout_antwoord(413, f"het bericht is groter dan de grens van {mb:g} MB")
        antwoord.headers["Connection"] = "close"
        await antwoord(scope, receive, send)


def _opnieuw(body: bytes, receive: Receive) -> Receive:
    verstuurd = False

    async def ontvang() -> Message:
        nonlocal verstuurd
        if not verstuurd:
            verstuurd = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return ontvang


class VangAlles:
    """The last line: an unexpected error becomes a Dutch 500 with a reference; the log gets
    the error type and the code locations, never the message (it may hold a BSN)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        begonnen = False

        async def stuur(bericht: Message) -> None:
            nonlocal begonnen
            begonnen = begonnen or bericht["type"] == "http.response.start"
            await send(bericht)

        try:
            await self.app(scope, receive, stuur)
        except Exception as err:
            referentie = uuid.uuid4().hex[:12]
            plekken = "; ".join(f"{f.filename}:{f.lineno} in {f.name}"
                                for f in traceback.extract_tb(err.__traceback__)[-6:])
            log.error("interne fout %s (%s) bij %s %s: %s", referentie, type(err).__name__,
                      scope.get("method"), scope.get("path"), plekken)
            if not begonnen:
                antwoord = fout_antwoord(
                    500, f"interne fout in de dienst (referentie {referentie}); het bericht is "
                         "niet verwerkt en niets is opgeslagen. Meld de referentie aan de "
                         "beheerder.")
                await antwoord(scope, receive, send)


def json_of_422(body: bytes) -> Any:
    """Parse JSON within bounds (berichten.ijw.json_vorm.lees_json), or raise a located 422:
    line and column, or the path to the refused text (`locatie`)."""
    from berichten.ijw.json_vorm import JsonFoutError, lees_json

    try:
        return lees_json(body)
    except JsonFoutError as err:
        raise DienstFoutError(422, err.bericht, line=err.line, column=err.column,
                              locatie=err.pad) from None
