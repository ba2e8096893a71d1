"""Writing a report from a command: the `--formaat` and `--uitvoer` options and `lever`.

Every report command (kwartaal, verantwoording, voorschotten, betaalrun, vaststelling,
verevening) takes these two options and ends with `lever(rapport, formaat, uitvoer)`:
- tekst and json go to stdout (json is the document a program reads);
- csv, xlsx and html go to a file named `{soort}-{regio}-{jaar}.{ext}` in the current folder
  (what finance staff open with a double click); stderr says which file;
- `--uitvoer PAD` writes to PAD (a folder: the file name above inside it); `--uitvoer -`
  writes any format to stdout."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from weergave.rapport import Formaat, bestandsnaam, render
from weergave.rapport.model import Rapport

NAAR_STDOUT = frozenset({Formaat.tekst, Formaat.json})

FormaatOptie = Annotated[Formaat, typer.Option(
    "--formaat", help="tekst of json (naar stdout), csv, xlsx of html (naar een bestand)")]

UitvoerOptie = Annotated[Path | None, typer.Option(
    "--uitvoer", "-o", help="bestand of map voor het rapport; '-' is stdout",
    show_default=False)]


def lever(rapport: Rapport, formaat: Formaat, uitvoer: Path | None = None) -> None:
    """Write `rapport` in `formaat` where the options say; a file that cannot be written is a
    Dutch error and exit code 1, not a traceback."""
    data = render(rapport, formaat)
    doel = doelpad(rapport, formaat, uitvoer)
    if doel is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        doel.write_bytes(data)
    except OSError as fout:
        typer.echo(f"fout: kan {doel} niet schrijven ({fout.strerror or fout})", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"rapport geschreven: {doel}", err=True)


def doelpad(rapport: Rapport, formaat: Formaat, uitvoer: Path | None) -> Path | None:
    """Where the report goes; None is stdout."""
    if uitvoer is None:
        return None if formaat in NAAR_STDOUT else Path(bestandsnaam(rapport, formaat))
    if str(uitvoer) == "-":
        return None
    if uitvoer.is_dir():
        return uitvoer / bestandsnaam(rapport, formaat)
    return uitvoer
