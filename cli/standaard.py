"""`regelwerk standaard dekking`: the coverage table of iJw 3.2 (docs/istandaard-dekking.md).

regelwerk standaard dekking                 writes the table
regelwerk standaard dekking --controleer    exit 1 when the file is not what it would write
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DOCS = Path(__file__).resolve().parent.parent / "docs" / "istandaard-dekking.md"

standaard_app = typer.Typer(help="De iStandaard zelf: welke regels regelwerk uitvoert.",
                            no_args_is_help=True)


def registreer(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.add_typer(standaard_app, name="standaard")
    standaard_app.command("dekking")(dekking)


def dekking(
    uitvoer: Annotated[Path, typer.Option("--uitvoer", help="het Markdown-bestand")] = DOCS,
    controleer: Annotated[
        bool, typer.Option("--controleer", help="alleen controleren of het bestand bij is")
    ] = False,
) -> None:
    """Schrijf de dekkingstabel van iJw 3.2 (waar regelwerk elke TR-, OP- en CS-regel uitvoert).

    Exitcode 1: met --controleer, het bestand is niet bij; 2: een fout in de gegevens."""
    from dsl.fouten import RegelFoutenError
    from toetsing.standaarddekking import DekkingFoutError, dekkingstabel
    from weergave.standaarddekking import markdown

    try:
        tekst = markdown(dekkingstabel())
    except DekkingFoutError as e:
        typer.echo("\n".join(e.fouten), err=True)
        raise typer.Exit(2) from None
    except RegelFoutenError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from None
    try:
        huidig = uitvoer.read_text(encoding="utf-8") if uitvoer.is_file() else None
    except (OSError, UnicodeDecodeError) as e:
        typer.echo(f"{uitvoer}: fout: niet te lezen ({type(e).__name__})", err=True)
        raise typer.Exit(2) from None
    if controleer:
        if huidig != tekst:
            typer.echo(f"{uitvoer}: niet bij; draai 'regelwerk standaard dekking'")
            raise typer.Exit(1)
        typer.echo(f"{uitvoer}: bij.")
        return
    if huidig == tekst:
        typer.echo(f"{uitvoer}: al bij.")
        return
    try:
        uitvoer.write_text(tekst, encoding="utf-8")
    except OSError as e:
        typer.echo(f"{uitvoer}: fout: niet te schrijven ({e.strerror or type(e).__name__})",
                   err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{uitvoer}: geschreven.")
