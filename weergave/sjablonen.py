"""The one jinja environment of regelwerk: every HTML page for people is rendered here.

Templates live in `weergave/templates` (the articles in force, the service's explanation
page); filters come from `engine.opmaak`, so a page writes money as the explanation and the
engine's reasons do (`{{ centen | euro }}` gives '€ -12,50') and dates as the sentences of
the explanation do (`{{ dag | datum }}` gives '16 maart 2026', `{{ moment | tijdstip }}`
'16 maart 2026 14:05').
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from engine.opmaak import datum, geld, tijdstip


@cache
def omgeving() -> Environment:
    """Made once, on first use."""
    uit = Environment(
        loader=PackageLoader("weergave", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    uit.filters["euro"] = geld
    uit.filters["datum"] = datum
    uit.filters["tijdstip"] = tijdstip
    return uit


def render(naam: str, **waarden: Any) -> str:
    """The template `naam` (under weergave/templates) rendered with `waarden`."""
    return omgeving().get_template(naam).render(**waarden)
