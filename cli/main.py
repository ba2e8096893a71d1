"""Entry point of `regelwerk`. Each command group lives in its own module and registers
itself here; heavy imports happen inside the commands, so `regelwerk --help` stays fast."""

from __future__ import annotations

import typer

from cli import cache, contract, controleer, jaargeld, periode, serve, standaard, valideer

app = typer.Typer(
    name="regelwerk",
    help="Regelgestuurde controle van jeugdzorgdeclaraties (iJw 3.2): "
    "regels, contracten, JW323/JW325.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (valideer, controleer, contract, cache, standaard, serve, periode, jaargeld):
    module.registreer(app)


if __name__ == "__main__":
    app()
