"""The year's money commands (issue 15): `voorschotten`, `betaalrun --maand M`,
`vaststelling`, `verevening`, each `--contract C --database URL --jaar J --formaat F`.

json writes the document with the issue's keys to stdout; tekst to stdout; csv, xlsx and
html to a file (`cli.rapport.lever`). Exit codes: 0 done, 1 bad input (a rule file, the
database, a month that may not be run), 3 an internal error."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.rapport import FormaatOptie, UitvoerOptie, lever
from weergave.rapport import Formaat

if TYPE_CHECKING:
    from sqlmodel import Session

    from betalen.jaar import Jaar
    from weergave.rapport.model import Rapport

ContractOptie = Annotated[Path, typer.Option(help="de regiomap, bijv. contracten/ijsselland")]
DatabaseOptie = Annotated[str, typer.Option(
    help="SQLAlchemy-URL van de opslag (sqlite:///... of postgresql+psycopg://...)")]
JaarOptie = Annotated[int, typer.Option(help="het jaar (van de zorg; bij betaalrun: van "
                                            "de betaling)")]


def registreer(app: typer.Typer) -> None:
    app.command("voorschotten")(voorschotten)
    app.command("betaalrun")(betaalrun)
    app.command("vaststelling")(vaststelling)
    app.command("verevening")(verevening)


def _fout(tekst: str) -> typer.Exit:
    from batch.melding import meld

    meld(f"fout: {tekst}")
    return typer.Exit(1)


def _draai(contract: Path, database: str | None, jaar: int, formaat: Formaat,
           uitvoer: Path | None, maak: Callable[[Jaar, Session | None], Rapport],
           schrijven: bool = False) -> None:
    """Load the terms, open the store, build the report in one transaction, deliver it."""
    from batch.fouten import InvoerError
    from batch.vastlegging import open_database
    from betalen.fouten import JaarFout
    from betalen.jaar import laad
    from dsl.fouten import RegelFoutenError
    from dsl.loader import laad_contract
    from opslag.database import lees_transactie, transactie

    try:
        j = laad(laad_contract(contract), jaar)
        if database is None:
            rapport = maak(j, None)
        else:
            engine = open_database(database)
            try:
                with (transactie if schrijven else lees_transactie)(engine) as sessie:
                    rapport = maak(j, sessie)
            finally:
                engine.dispose()
    except (RegelFoutenError, InvoerError, JaarFout) as fout:
        raise _fout(str(fout)) from None
    except (OSError, ValueError) as fout:
        raise _fout(str(fout)) from None
    except Exception as fout:  # a defect must still not end in a traceback
        typer.echo(f"interne fout ({type(fout).__name__}); er is niets vastgelegd. Meld dit "
                   "met de gebruikte bestanden.", err=True)
        raise typer.Exit(3) from None
    lever(rapport, formaat, uitvoer)


def voorschotten(contract: ContractOptie, jaar: JaarOptie,
                 database: Annotated[str | None, typer.Option(
                     help="niet nodig: het schema volgt uit het contract en ramingen.csv")]
                 = None,
                 formaat: FormaatOptie = Formaat.tekst, uitvoer: UitvoerOptie = None) -> None:
    """Het voorschotschema per aanbieder en gemeente (termijnen, eenmalig voorschot)."""
    from betalen import jaar as jaarmodule
    from betalen import rapporten

    _draai(contract, database, jaar, formaat, uitvoer,
           lambda j, _: rapporten.voorschotten(j, jaarmodule.voorschotten(j)))


def betaalrun(contract: ContractOptie, database: DatabaseOptie, jaar: JaarOptie,
              maand: Annotated[int, typer.Option(help="de maand die betaald wordt (1-12)")],
              formaat: FormaatOptie = Formaat.tekst, uitvoer: UitvoerOptie = None) -> None:
    """De betaallijst van een maand, eenmaal vastgelegd (opnieuw draaien betaalt niets)."""
    from betalen import rapporten
    from betalen.betaalrun import betaalrun as run

    def maak(j: Jaar, sessie: Session | None) -> Rapport:
        assert sessie is not None
        return rapporten.betaalrun(j, run(sessie, j, maand, date.today()))

    _draai(contract, database, jaar, formaat, uitvoer, maak, schrijven=True)


def vaststelling(contract: ContractOptie, database: DatabaseOptie, jaar: JaarOptie,
                 formaat: FormaatOptie = Formaat.tekst, uitvoer: UitvoerOptie = None) -> None:
    """De vaststelling per aanbieder en gemeente: productie - boven plafond - betaald."""
    from betalen import jaar as jaarmodule
    from betalen import rapporten

    def maak(j: Jaar, sessie: Session | None) -> Rapport:
        assert sessie is not None
        return rapporten.vaststelling(j, jaarmodule.vaststelling(sessie, j))

    _draai(contract, database, jaar, formaat, uitvoer, maak)


def verevening(contract: ContractOptie, database: DatabaseOptie, jaar: JaarOptie,
               formaat: FormaatOptie = Formaat.tekst, uitvoer: UitvoerOptie = None) -> None:
    """De risicoverevening per gemeente: eigen kosten, bijdrage en saldo."""
    from betalen import jaar as jaarmodule
    from betalen import rapporten

    def maak(j: Jaar, sessie: Session | None) -> Rapport:
        assert sessie is not None
        stand = jaarmodule.vaststelling(sessie, j)
        return rapporten.verevening(j, jaarmodule.verevening(sessie, j, stand))

    _draai(contract, database, jaar, formaat, uitvoer, maak)
