"""`regelwerk kwartaal` and `regelwerk verantwoording`: a region's quarter (norms, core data,
ceiling use per provider, with signals) and year (the production account per provider per
gemeente per product, the auditor's statement) from the ledger of a store.

    regelwerk kwartaal --contract contracten/<regio> --database URL --jaar J --kwartaal K
    regelwerk verantwoording --contract contracten/<regio> --database URL --jaar J
        [--formaat tekst|json|csv|xlsx|html] [--uitvoer PAD]

Exit codes: 0 done, 1 bad input (a Dutch sentence, never a traceback)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.rapport import FormaatOptie, UitvoerOptie, lever
from weergave.rapport import Formaat

ContractOptie = Annotated[Path, typer.Option(help="de regiomap, bijv. contracten/amstelland")]
DatabaseOptie = Annotated[str, typer.Option(
    help="de opslag met het grootboek: sqlite:///pad.sqlite of postgresql+psycopg://...")]
JaarOptie = Annotated[int, typer.Option(min=2000, max=2100, help="het jaar van de zorg")]


def registreer(app: typer.Typer) -> None:
    app.command()(kwartaal)
    app.command()(verantwoording)


def kwartaal(contract: ContractOptie, database: DatabaseOptie, jaar: JaarOptie,
             kwartaal: Annotated[int, typer.Option(min=1, max=4, help="1, 2, 3 of 4")],
             formaat: FormaatOptie = Formaat.tekst, uitvoer: UitvoerOptie = None) -> None:
    """Normen, kerngegevens en plafondgebruik per aanbieder in een kwartaal, met signalen."""
    _maak(contract, database, jaar, kwartaal, formaat, uitvoer)


def verantwoording(contract: ContractOptie, database: DatabaseOptie, jaar: JaarOptie,
                   formaat: FormaatOptie = Formaat.tekst, uitvoer: UitvoerOptie = None) -> None:
    """De productieverantwoording per aanbieder, gemeente en product, en de controleverklaring."""
    _maak(contract, database, jaar, None, formaat, uitvoer)


def _maak(contract: Path, database: str, jaar: int, kwartaal_: int | None, formaat: Formaat,
          uitvoer: Path | None) -> None:
    from batch.fouten import InvoerError
    from batch.periode import rapport_uit_database

    try:
        rapport = rapport_uit_database(database, contract, jaar, kwartaal_)
    except InvoerError as fout:
        typer.echo(f"fout: {fout}", err=True)
        raise typer.Exit(1) from None
    lever(rapport, formaat, uitvoer)
