"""`regelwerk serve`: the invoice-checking service (api.main:app) under uvicorn.

How it runs (the head timeout, the access log without query strings, the checks before
starting) is the service's own: `api.server`. This command reads the options, says where
the service listens, and refuses in Dutch, with exit code 2, what it cannot do safely.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from api.instellingen import Instellingen


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
    # the service (uvicorn, pydantic, sqlalchemy) only when it starts: the other commands
    # and `regelwerk --help` stay fast
    from api import server
    from api.instellingen import Instellingen

    instellingen = Instellingen()
    if instellingen.open:
        if host is not None and not server.is_lokaal(host):
            typer.echo(f"REGELWERK_SLEUTELS is niet gezet: zonder API-sleutels draait de dienst "
                       f"alleen op 127.0.0.1, niet op {host}. Zet REGELWERK_SLEUTELS of laat "
                       "--host weg.", err=True)
            raise typer.Exit(2)
        typer.echo("Geen REGELWERK_SLEUTELS: de dienst draait open (zonder API-sleutels), "
                   "alleen op 127.0.0.1.")
    _controleer_vooraf(instellingen)
    adres = host or server.LOKAAL
    basis = f"http://{adres}:{port}"
    typer.echo(f"regelwerk luistert op {basis} (API-documentatie: {basis}/docs)")
    typer.echo(f"Database: {server.zonder_wachtwoord(instellingen.database_url)}; "
               f"regio's uit {instellingen.contracten}")
    typer.echo(f"Grenzen: kop binnen {instellingen.kop_timeout:g} s, bericht binnen "
               f"{instellingen.bericht_timeout:g} s, keep-alive "
               f"{instellingen.keep_alive_timeout} s, hoogstens "
               f"{instellingen.max_verbindingen} verbindingen per proces")
    server.draai(instellingen, adres, port, workers)


def _controleer_vooraf(instellingen: Instellingen) -> None:
    """Refuse to start, with a Dutch sentence instead of a traceback, when the key file or
    the database is unusable."""
    from api.server import StartFoutError, controleer_vooraf

    try:
        controleer_vooraf(instellingen)
    except StartFoutError as err:
        typer.echo(f"De dienst start niet: {err}", err=True)
        raise typer.Exit(2) from None
