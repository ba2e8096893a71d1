"""`regelwerk cache wis`: remove the allocation cache (it holds BSNs: personal data).

    regelwerk cache wis

`controleer` keeps a folder of JW301s parsed in `$XDG_CACHE_HOME/regelwerk` (else
`~/.cache/regelwerk`; see `batch.toewijzing_cache`). This removes every such file of
the current user; the next run reads the JW301 files again and writes it anew.
"""

from __future__ import annotations

import typer

cache_app = typer.Typer(help="De cache van toewijzingen (bevat BSN's: persoonsgegevens).",
                        no_args_is_help=True)


def registreer(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.add_typer(cache_app, name="cache")


@cache_app.command("wis")
def wis() -> None:
    """Verwijder de cache van toewijzingen (met BSN's) van deze gebruiker."""
    from batch import toewijzing_cache

    map_ = toewijzing_cache.cache_map()
    try:
        weg = toewijzing_cache.wis()
    except OSError as fout:
        typer.echo(f"fout: {map_}: de cache kan niet worden verwijderd ({fout.strerror})",
                   err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{weg} cachebestand(en) verwijderd uit {map_}")
