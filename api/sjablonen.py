"""HTML pages for people (jinja2, autoescaped)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape


@cache
def _omgeving() -> Environment:
    omgeving = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                           autoescape=select_autoescape(["html"]))
    omgeving.filters["euro"] = euro
    return omgeving


def euro(centen: int) -> str:
    """Cents as people write euros: -1234567 -> '-€ 12.345,67'."""
    teken = "-" if centen < 0 else ""
    euros, rest = divmod(abs(centen), 100)
    return f"{teken}€ {euros:,}".replace(",", ".") + f",{rest:02d}"


def render(naam: str, **waarden: Any) -> str:
    return _omgeving().get_template(naam).render(**waarden)
