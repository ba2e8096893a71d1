"""A contract as a person reads it: the articles in force on a date, and what a region changed.

`artikelen_html(regelboek, datum)` renders (jinja2) every article in force on `datum`: its
text, its leden, the rules with their conditions in Dutch, the parameters and computed
values, and the tariffs valid that day, each marked as standard, changed by the region or
local. `verschil(regelboek)` lists what the region changes relative to the standard.
"""

from __future__ import annotations

from datetime import date

from weergave.document import Verschilregel, artikelen_html, verschil

__all__ = ["Verschilregel", "artikelen_html", "vandaag", "verschil"]


def vandaag() -> date:
    """The default date of `regelwerk toon` (kept here so tests can see the one place)."""
    return date.today()
