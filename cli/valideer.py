"""`regelwerk valideer` and `regelwerk fmt`: check and lay out rule files (docs/taal.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def registreer(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("valideer")(valideer)
    app.command("fmt")(fmt)


def valideer(
    paden: Annotated[list[Path], typer.Argument(help="regelbestanden of mappen (recursief)")],
) -> None:
    """Controleer regelbestanden: elke fout met bestand:regel:kolom; exitcode 0 = foutloos."""
    from dsl.fouten import render
    from dsl.loader import valideer_paden

    fouten = valideer_paden(paden)
    if fouten:
        typer.echo(render(fouten), err=False)
        typer.echo(f"\n{len(fouten)} {'fout' if len(fouten) == 1 else 'fouten'} gevonden.")
        raise typer.Exit(1)
    typer.echo(f"Geen fouten in {', '.join(str(p) for p in paden)}.")


def fmt(
    bestand: Annotated[Path, typer.Argument(help="het regelbestand")],
    controleer: Annotated[
        bool, typer.Option("--controleer", help="alleen controleren of de opmaak canoniek is")
    ] = False,
) -> None:
    """Zet een regelbestand in de canonieke opmaak (of controleer dat met --controleer)."""
    from dsl.formatter import formatteer
    from dsl.fouten import RegelFoutenError
    from dsl.loader import namen_voor

    try:
        tekst = bestand.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        typer.echo(f"{bestand}:1:1: fout: het bestand is niet te lezen ({type(e).__name__})")
        raise typer.Exit(1) from None
    try:
        nieuw = formatteer(tekst, str(bestand), namen_voor(bestand))
    except RegelFoutenError as e:
        typer.echo(str(e))
        raise typer.Exit(1) from None
    if controleer:
        if nieuw != tekst:
            typer.echo(f"{bestand}: niet in de canonieke opmaak (regelwerk fmt {bestand})")
            raise typer.Exit(1)
        typer.echo(f"{bestand}: opmaak in orde.")
        return
    if nieuw != tekst:
        bestand.write_text(nieuw, encoding="utf-8")
        typer.echo(f"{bestand}: opgemaakt.")
    else:
        typer.echo(f"{bestand}: al in orde.")
