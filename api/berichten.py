"""Recognising what came in: JSON or XML, and XML that is not even well-formed (422)."""

from __future__ import annotations

from typing import Literal

from lxml import etree

from api.fouten import DienstFoutError

Vorm = Literal["json", "xml"]


def vorm_van(body: bytes, content_type: str | None) -> Vorm:
    """JSON or XML: by Content-Type when it says, else by the first character."""
    soort = (content_type or "").split(";")[0].strip().lower()
    if soort.endswith("json"):
        return "json"
    if soort.endswith("xml"):
        return "xml"
    return "json" if body.lstrip()[:1] in (b"{", b"[") else "xml"


def controleer_xml(body: bytes) -> None:
    """Raise a located 422 when `body` is not well-formed XML (schema errors come later)."""
    from berichten.schema import parser, syntax_fout

    if not body.strip():
        raise DienstFoutError(422, "het bericht is leeg")
    try:
        etree.fromstring(body, parser(huge=True))
    except etree.XMLSyntaxError as err:
        fout = syntax_fout(err)
        raise DienstFoutError(422, fout.bericht, line=fout.line, column=fout.column) from None


def wil_xml(accept: str | None, vorm: Vorm) -> bool:
    """Answer in XML? `Accept` decides; without a preference the answer mirrors the input."""
    accept = (accept or "").lower()
    xml, json = "xml" in accept, "json" in accept
    if xml != json:
        return xml
    if xml and json:
        return accept.find("xml") < accept.find("json")
    return vorm == "xml"


def wil_html(accept: str | None) -> bool:
    accept = (accept or "").lower()
    return "text/html" in accept and ("json" not in accept
                                      or accept.find("html") < accept.find("json"))
