"""`regelwerk controleer`: check JW323 messages against a region's contract, write JW325s.

    regelwerk controleer --contract contracten/<regio> --toewijzingen <JW301.xml of map>
        [--aanwezigheid <csv>] <JW323.xml>... [--uitvoer <map>] [--formaat json|xml|tekst]
        [--backend <naam>]   (the names of engine.backends)  [--database <URL>]

Messages are processed in the order given, as a back office receives them: each sees the
history of the ones before it. Per message `<naam>.JW325.xml` is written, plus the
explanation (`<naam>.uitleg.json`, or `.uitleg.txt` with --formaat tekst; none with xml).
A message that fails its schema gets a 0001 answer and a Dutch message; the exit code is
then 2. Bad input (a missing file, a rule file with errors, unreadable allocations, an output
folder that cannot be written) stops before anything is assessed, with exit code 1 and the
path named. Never a traceback; a BSN is never printed, nor written in an error text of a file.

Every gemeente in its own lane: a ToewijzingNummer is unique within a gemeente only, so
a message (its gemeente: the JW323's Ontvanger) is matched with the allocations of its own
gemeente (a JW301's Afzender) and sees the history of its own gemeente and provider. A
message whose gemeente is not one of the contract's is not this region's: it is refused
with 0001 and a located message, not assessed. Allocations of gemeenten outside the region
are not used (their count is said on stderr).

The work itself is the batch application (`batch.verwerking.controleer`): the inputs and the
allocation cache, the split over worker processes for a large batch, the answers. This
module only turns options into a call, and its outcome into a table and an exit code.

With `--database URL` (the service's store, SQLite or PostgreSQL, migrated on start) the
history comes from the store, so a month checked today sees the months checked before (and
what the service recorded), and everything assessed is recorded there with its ledger rows,
in one transaction: an interrupted run records nothing (`batch.vastlegging`). Without it
the history lives only as long as the run.

For measurements and tests (not options, as they change nothing in the outcome):
`REGELWERK_FASEN=1` prints the time per phase and the peak memory per process on stderr;
`REGELWERK_WERKERS=1` keeps everything in one process, `=n` splits over n workers whatever
the size of the batch.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.opties import STANDAARD_BACKEND, BackendOptie

if TYPE_CHECKING:
    from batch.verslag import Verslag


class Formaat(StrEnum):
    json = "json"
    xml = "xml"
    tekst = "tekst"


def registreer(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("controleer")(controleer)


def controleer(
    berichten: Annotated[list[Path], typer.Argument(help="JW323-berichten (XML of JSON), "
                                                      "in de volgorde van ontvangst")],
    contract: Annotated[Path, typer.Option(help="de regiomap, bijv. contracten/amstelland")],
    toewijzingen: Annotated[Path, typer.Option(help="een JW301-bestand of een map ervan")],
    aanwezigheid: Annotated[Path | None, typer.Option(help="CSV bsn,toewijzingnummer,van,tot")]
    = None,
    uitvoer: Annotated[Path, typer.Option(help="map voor JW325 en uitleg")] = Path("uitvoer"),
    formaat: Annotated[Formaat, typer.Option(help="vorm van de uitleg")] = Formaat.json,
    backend: BackendOptie = STANDAARD_BACKEND,
    database: Annotated[str | None, typer.Option(
        help="SQLAlchemy-URL van de opslag van de dienst (sqlite:///... of "
             "postgresql+psycopg://...): de historie komt daaruit en alles wat beoordeeld is "
             "wordt er vastgelegd, met het grootboek")] = None,
) -> None:
    """Controleer JW323-declaraties tegen het contract van een regio en schrijf de JW325."""
    # the batch package loads the engine, lark and lxml: only when the command runs, so
    # that `regelwerk --help` and the other commands start fast
    from batch import verwerking
    from batch.fasen import Fasen
    from batch.fouten import InvoerError, WerkerError
    from batch.melding import meld

    fasen = Fasen()
    try:
        verslag = verwerking.controleer(berichten, contract, toewijzingen, aanwezigheid,
                                        uitvoer, formaat.value, backend.value, fasen,
                                        database)
    except InvoerError as fout:
        meld(f"fout: {fout}")
        raise typer.Exit(1) from None
    except WerkerError as fout:
        meld(f"fout: {fout}; de uitvoer is onvolledig. Meld dit met de gebruikte bestanden.")
        raise typer.Exit(3) from None
    except Exception as fout:  # a defect must still not end in a traceback
        typer.echo(f"interne fout ({type(fout).__name__}); er is niets (meer) verwerkt. "
                   "Meld dit met de gebruikte bestanden.", err=True)
        raise typer.Exit(3) from None
    _toon_samenvatting(verslag)
    fasen.toon(verslag.processen, verslag.samen_piek_kib)
    if verslag.technisch_afgewezen:
        raise typer.Exit(2)


def _toon_samenvatting(verslag: Verslag) -> None:
    from rich.console import Console

    from weergave.samenvatting import samenvatting

    Console(width=140).print(samenvatting(verslag.uitkomsten, verslag.seconden, verslag.uitvoer))
