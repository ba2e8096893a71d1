"""The invoice-checking service: `api.main:app` (uvicorn), or `maak_app(...)` in tests.

Settings come from the environment (see `api.instellingen`). At start the service opens
(and if needed creates) its database, reads the API keys and loads every region's rule book.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

from api import fouten
from api.dienst import Dienst
from api.instellingen import Instellingen
from api.motor import EchteMotor, Motor
from api.routers import (
    declaraties,
    gezondheid,
    jaargeld,
    paginas,
    perioden,
    regios,
    toewijzingen,
    werkbank,
)

log = logging.getLogger("regelwerk.api")

OMSCHRIJVING = """Controle van declaraties voor jeugdhulp (iJw 3.2) en Wmo-ondersteuning (iWmo 3.2)
met de regelset van de regio.

Stuur toewijzingen (JW301, WMO301) en declaraties (JW323, WMO323) als XML, of de iJw-berichten
als JSON; het antwoord is een JW325 of WMO325, in de standaard van het bericht (Accept:
application/xml), of de uitleg per prestatie (Accept: application/json). De standaard volgt uit
de naamruimte van het bericht; het bericht gaat naar de regio van zijn gemeente die zijn wet
dekt (de regio's en hun standaarden: GET /v1/regios). Elke afwijzing noemt retourcode,
artikel, lid, regel en de vergeleken waarden.

Toegang: header `X-API-Key` (sleutels per regio, uit het bestand in REGELWERK_SLEUTELS)."""


def maak_app(instellingen: Instellingen | None = None, motor: Motor | None = None) -> FastAPI:
    """The FastAPI app; `instellingen` default to the environment, `motor` to the real parts."""

    @asynccontextmanager
    async def levensloop(app: FastAPI) -> AsyncIterator[None]:
        gekozen = instellingen or Instellingen()
        dienst = await run_in_threadpool(Dienst.start, gekozen, motor or EchteMotor())
        app.state.dienst = dienst
        if dienst.toegang.open:
            log.warning("geen REGELWERK_SLEUTELS: de dienst draait open, zonder API-sleutels, "
                        "en bedient alleen 127.0.0.1")
        try:
            yield
        finally:
            dienst.stop()

    app = FastAPI(title="regelwerk", version="0.1.0", description=OMSCHRIJVING,
                  lifespan=levensloop)
    for router in (declaraties.router, toewijzingen.router, regios.router, perioden.router,
                   jaargeld.router, gezondheid.router, werkbank.router, paginas.router):
        app.include_router(router)
    app.mount("/werkbank/statisch", paginas.statisch, name="werkbank-statisch")
    fouten.installeer(app)
    gekozen = instellingen or Instellingen()
    app.add_middleware(fouten.BodyLimiet, limiet=gekozen.max_bericht,
                       tijdslimiet=gekozen.bericht_timeout)
    app.add_middleware(fouten.VangAlles)
    return app


app = maak_app()
