"""`regelwerk serve`: the invoice-checking service (api.main:app) under uvicorn."""

from __future__ import annotations

import copy
import ipaddress
from typing import Annotated, Any

import typer

LOKAAL = "127.0.0.1"


def _is_lokaal(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def registreer(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("serve")(serve)


def serve(
    host: Annotated[str | None, typer.Option(help="adres om op te luisteren (standaard "
                                                  "127.0.0.1)")] = None,
    port: Annotated[int, typer.Option(help="poort", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="aantal werkprocessen", min=1)] = 1,
) -> None:
    """Start de controledienst (HTTP API) met de regio's uit REGELWERK_CONTRACTEN."""
    import uvicorn

    from api.instellingen import Instellingen

    instellingen = Instellingen()
    if instellingen.open:
        if host is not None and not _is_lokaal(host):
            typer.echo(f"REGELWERK_SLEUTELS is niet gezet: zonder API-sleutels draait de dienst "
                       f"alleen op 127.0.0.1, niet op {host}. Zet REGELWERK_SLEUTELS of laat "
                       "--host weg.", err=True)
            raise typer.Exit(2)
        typer.echo("Geen REGELWERK_SLEUTELS: de dienst draait open (zonder API-sleutels), "
                   "alleen op 127.0.0.1.")
    _controleer_vooraf(instellingen)
    adres = host or LOKAAL
    basis = f"http://{adres}:{port}"
    typer.echo(f"regelwerk luistert op {basis} (API-documentatie: {basis}/docs)")
    typer.echo(f"Database: {_zonder_wachtwoord(instellingen.database_url)}; "
               f"regio's uit {instellingen.contracten}")
    uvicorn.run("api.main:app", host=adres, port=port, workers=workers, log_level="info",
                log_config=_logconfig())


def _logconfig() -> dict[str, Any]:
    """uvicorn's logging, plus the service's own logger (which never logs a BSN)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["regelwerk"] = {"handlers": ["default"], "level": "INFO",
                                      "propagate": False}
    return config


def _controleer_vooraf(instellingen: Any) -> None:
    """Refuse to start, with a Dutch sentence instead of a traceback, when the key file or
    the database is unusable."""
    from sqlalchemy.exc import SQLAlchemyError

    from api.opslag.database import maak_engine
    from api.toegang import SleutelbestandError, lees_sleutels

    try:
        if instellingen.sleutels is not None:
            lees_sleutels(instellingen.sleutels)
        maak_engine(instellingen.database_url).dispose()
    except SleutelbestandError as err:
        typer.echo(f"De dienst start niet: {err}", err=True)
        raise typer.Exit(2) from None
    except (SQLAlchemyError, OSError) as err:
        typer.echo(f"De dienst start niet: de database "
                   f"{_zonder_wachtwoord(instellingen.database_url)} is niet bruikbaar "
                   f"({type(err).__name__}).", err=True)
        raise typer.Exit(2) from None


def _zonder_wachtwoord(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
