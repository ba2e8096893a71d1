"""`regelwerk test`, `regelwerk toon` and `regelwerk verschil`: a contract's suite and reading.

regelwerk test contracten/<regio> [--dekking]    one region's cases (and coverage)
regelwerk test [--dekking]                        every region under contracten/
regelwerk toon contracten/<regio> [--datum D] [--uitvoer f.html]
regelwerk verschil contracten/<regio>
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.opties import STANDAARD_BACKEND, BackendOptie
from weergave.dekking import verslag

if TYPE_CHECKING:
    from toetsing.dekking import Dekking
    from toetsing.regio import Regiosuite

PadArgument = Annotated[
    Path, typer.Argument(help="een regiomap (met contract.regels) of contracten/")
]


def registreer(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("test")(test)
    app.command("toon")(toon)
    app.command("verschil")(verschil)


def _fout(bericht: str, code: int = 2) -> typer.Exit:
    typer.echo(bericht, err=True)
    return typer.Exit(code)


def _regiomappen(pad: Path) -> list[Path]:
    from toetsing.regio import regiomappen

    if not pad.exists():
        raise _fout(f"fout: de map '{pad}' bestaat niet")
    mappen = regiomappen(pad)
    if not mappen:
        raise _fout(f"fout: in '{pad}' staat geen contract.regels (en geen regio's daaronder)")
    return mappen


def _laad(map_: Path) -> Regiosuite:
    """The region's suite, or a located Dutch error (rule file or case file) and exit code 2."""
    from dsl.fouten import RegelFoutenError
    from toetsing.fouten import GevalFoutError
    from toetsing.regio import laad_regio

    try:
        return laad_regio(map_)
    except (GevalFoutError, RegelFoutenError) as fout:
        raise _fout(str(fout)) from None


def test(
    pad: PadArgument = Path("contracten"),
    dekking: Annotated[
        bool, typer.Option("--dekking", help="meld regels en voorwaarden die geen geval raakt")
    ] = False,
    backend: BackendOptie = STANDAARD_BACKEND,
) -> None:
    """Draai de gevallen van een contract (of van alle regio's) en meld de verschillen."""
    from toetsing.regio import toets_regio

    goed = True
    for map_ in _regiomappen(pad):
        toets = toets_regio(_laad(map_), backend.value, dekking)
        uitslagen, mislukt = toets.uitslagen, toets.mislukt
        typer.echo(
            f"{map_}: {len(uitslagen) - len(mislukt)} van {len(uitslagen)} gevallen geslaagd"
        )
        for uitslag in mislukt:
            typer.echo(uitslag.verslag() + "\n")
        if not uitslagen:
            typer.echo(f"{map_}: geen gevallen gevonden in gevallen/*.yaml")
        if toets.dekking is not None:
            _meld_dekking(toets.dekking)
        goed = goed and toets.geslaagd
    raise typer.Exit(0 if goed else 1)


def _meld_dekking(dekking: Dekking) -> None:
    for line in verslag(dekking):
        typer.echo(line)


def toon(
    pad: PadArgument,
    datum: Annotated[str | None, typer.Option(help="datum (2026-01-01); standaard vandaag")] = None,
    uitvoer: Annotated[Path | None, typer.Option(help="schrijf de HTML naar dit bestand")] = None,
) -> None:
    """Toon de artikelen die op een datum gelden, leesbaar als HTML."""
    from weergave.document import artikelen_html, vandaag

    try:
        peildatum = date.fromisoformat(datum) if datum else vandaag()
    except ValueError:
        raise _fout(f"fout: '{datum}' is geen datum; schrijf bijvoorbeeld 2026-01-01") from None
    suite = _laad(_regiomappen(pad)[0])
    html = artikelen_html(suite.regelboek, peildatum)
    if uitvoer is None:
        typer.echo(html)
    else:
        uitvoer.write_text(html, encoding="utf-8")
        typer.echo(f"geschreven: {uitvoer}")


def verschil(pad: PadArgument) -> None:
    """Meld wat een regio anders doet dan de standaard."""
    from weergave.document import verschil as verschillen

    for map_ in _regiomappen(pad):
        suite = _laad(map_)
        regels = verschillen(suite.regelboek)
        typer.echo(f"{map_}: {len(regels)} wijziging(en) ten opzichte van de standaard")
        for regel in regels:
            typer.echo(
                f"  {regel.soort:10} {regel.onderwerp}: {regel.omschrijving}  ({regel.bron})"
            )
