"""`regelwerk test`, `regelwerk toon` and `regelwerk verschil`: a contract's suite and reading.

regelwerk test contracten/<regio> [--dekking]    one region's cases (and coverage)
regelwerk test [--dekking]                        every region under contracten/
regelwerk toon contracten/<regio> [--datum D] [--uitvoer f.html]
regelwerk verschil contracten/<regio> [contracten/<andere regio> ...] [--op D | --van D --tot D]
                   [--formaat tekst|html] [--uitvoer f.html]
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.opties import STANDAARD_BACKEND, BackendOptie
from weergave.dekking import verslag

if TYPE_CHECKING:
    from toetsing.dekking import Dekking
    from toetsing.regio import Regiosuite
    from weergave.verschil import Periode

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


def _datum(tekst: str | None, optie: str) -> date | None:
    """A date option, or a Dutch error naming the option and the form to write."""
    if tekst is None:
        return None
    try:
        return date.fromisoformat(tekst)
    except ValueError:
        raise _fout(f"fout: {optie} '{tekst}' is geen datum; schrijf bijvoorbeeld "
                    "2026-07-01") from None


def _schrijf(tekst: str, uitvoer: Path | None) -> None:
    if uitvoer is None:
        typer.echo(tekst)
        return
    try:
        uitvoer.write_text(tekst, encoding="utf-8")
    except OSError as e:
        raise _fout(f"fout: '{uitvoer}' is niet te schrijven ({e.strerror})", 1) from None
    typer.echo(f"geschreven: {uitvoer}")


def toon(
    pad: PadArgument,
    datum: Annotated[str | None, typer.Option(help="datum (2026-01-01); standaard vandaag")] = None,
    uitvoer: Annotated[Path | None, typer.Option(help="schrijf de HTML naar dit bestand")] = None,
) -> None:
    """Toon de artikelen die op een datum gelden, leesbaar als HTML."""
    from weergave.document import artikelen_html, vandaag

    peildatum = _datum(datum, "--datum") or vandaag()
    suite = _laad(_regiomappen(pad)[0])
    _schrijf(artikelen_html(suite.regelboek, peildatum), uitvoer)


class Formaat(StrEnum):
    tekst = "tekst"
    html = "html"


def verschil(
    paden: Annotated[list[Path], typer.Argument(
        help="een of meer regiomappen (of contracten/); meer dan een: ook naast elkaar")],
    op: Annotated[str | None, typer.Option(
        help="alleen wat op deze datum ingaat of vervalt (2026-07-01)")] = None,
    van: Annotated[str | None, typer.Option(help="begin van de periode (2026-01-01)")] = None,
    tot: Annotated[str | None, typer.Option(
        help="einde van de periode, die dag inbegrepen (2026-12-31)")] = None,
    formaat: Annotated[Formaat, typer.Option(help="tekst of html")] = Formaat.tekst,
    uitvoer: Annotated[Path | None, typer.Option(help="schrijf naar dit bestand")] = None,
) -> None:
    """Meld wat een regio anders doet dan de standaard, met tarieven en geldigheid."""
    from weergave.document import vandaag
    from weergave.verschil import als_html, als_tekst, naast_elkaar, regioverschil

    periode = _periode(op, van, tot)
    mappen = [m for pad in paden for m in _regiomappen(pad)]
    boeken = [(str(m), _laad(m).regelboek) for m in mappen]
    verschillen = [regioverschil(m, b, periode) for m, b in boeken]
    peildatum = periode.van or vandaag()
    naast = naast_elkaar(boeken, peildatum) if len(boeken) > 1 else None
    if formaat is Formaat.html:
        _schrijf(als_html(verschillen, periode, naast), uitvoer)
    else:
        _schrijf("\n".join(als_tekst(verschillen, periode, naast)), uitvoer)


def _periode(op: str | None, van: str | None, tot: str | None) -> Periode:
    from weergave.verschil import Periode

    if op is not None and (van is not None or tot is not None):
        raise _fout("fout: geef --op (een dag) of --van/--tot (een periode), niet allebei")
    dag = _datum(op, "--op")
    if dag is not None:
        return Periode(dag, dag)
    begin, einde = _datum(van, "--van"), _datum(tot, "--tot")
    if begin and einde and einde < begin:
        raise _fout(f"fout: --tot ({tot}) ligt voor --van ({van})")
    return Periode(begin, einde)
