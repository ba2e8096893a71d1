"""Schemas (compiled once per file, for any standard: `schema(standaard, bericht)`) and
Dutch, located errors for malformed or invalid XML."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lxml import etree

from berichten.fouten import BerichtFoutError
from berichten.standaard import Standaard


def schema(standaard: Standaard, bericht: str) -> etree.XMLSchema:
    """The compiled XSD of a message kind of a standard (parsed once per process)."""
    return _compileer(standaard.schema_pad(bericht))


@cache
def _compileer(pad: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(pad)))


def parser(huge: bool = False) -> etree.XMLParser:
    """A parser that fetches nothing and expands no entities (untrusted input), and drops
    comments and processing instructions (readers take values by position)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=huge,
                           load_dtd=False, remove_comments=True, remove_pis=True)


def geen_doctype(root: etree._Element, standaard: Standaard) -> None:
    """iStandaarden messages have no DOCTYPE; one could declare entities, so refuse it."""
    # lxml-stubs does not know DocInfo.doctype
    if getattr(root.getroottree().docinfo, "doctype", ""):
        raise BerichtFoutError(f"een DOCTYPE hoort niet in een {standaard.naam}-bericht", 1, 1)


def syntax_fout(err: etree.XMLSyntaxError) -> BerichtFoutError:
    """A located Dutch error for XML that is not well-formed."""
    line, column = err.position if err.position else (err.lineno, None)
    tekst = re.sub(r", line \d+, column \d+$", "", err.msg or "")
    return BerichtFoutError(f"de XML is niet goed gevormd: {_vertaal_syntax(tekst)}",
                            line or None, column or None)


_SYNTAX = (
    (r"^Document is empty$", "het document is leeg"),
    (r"^Start tag expected, '<' not found$", "een begintag '<' werd verwacht"),
    (r"^Premature end of data in tag (\S+) line (\d+)$",
     r"het bestand houdt op voordat tag \1 (line \2) is gesloten"),
    (r"^Opening and ending tag mismatch: (\S+) line (\d+) and (\S+)$",
     r"eindtag \3 past niet bij begintag \1 (line \2)"),
    (r"^Entity '(.*)' not defined$", r"onbekende entiteit '\1'"),
    (r"^Extra content at the end of the document$",
     "er staat nog inhoud na het einde van het document"),
    (r"^Attribute (\S+) redefined$", r"attribuut \1 staat er twee keer"),
    (r"^Couldn't find end of Start Tag (\S+).*$", r"de begintag \1 is niet afgesloten"),
    (r"^EndTag: '</' not found$", "een eindtag '</' ontbreekt"),
    (r"^Input is not proper UTF-8.*$", "de tekst is geen geldige UTF-8"),
    (r"^expected '(.)'$", r"hier werd '\1' verwacht"),
    (r"^Specification mandates value for attribute (\S+)$", r"attribuut \1 heeft geen waarde"),
    (r"^attributes construct error$", "een attribuut is onjuist geschreven"),
    (r"^StartTag: invalid element name$", "ongeldige elementnaam"),
    (r"^xmlParseEntityRef: no name$", "een '&' zonder entiteitnaam (schrijf &amp;)"),
    (r"^Namespace prefix (\S+) on (\S+) is not defined$",
     r"het voorvoegsel \1 van \2 is niet gedeclareerd"),
    (r"^Document labelled UTF-16 but has UTF-8 content$", "de codering klopt niet"),
    (r"^Unsupported encoding (.*)$", r"niet ondersteunde codering \1"),
    (r"^Char 0x[0-9A-F]+ out of allowed range$", "een teken dat in XML niet is toegestaan"),
)


def _vertaal_syntax(tekst: str) -> str:
    for patroon, vervanging in _SYNTAX:
        if re.match(patroon, tekst):
            return re.sub(patroon, vervanging, tekst)
    return f"libxml2 meldt '{tekst}'"


def schema_fout(log: etree._ListErrorLog, bron: bytes | None, standaard: Standaard,
                ) -> BerichtFoutError:
    """A located Dutch error for the first schema violation in `log`; the value of an
    element with personal data (`standaard.persoonsgegevens`) is never named."""
    fout = log[0]
    tekst = _vertaal_schema(fout.message, standaard.persoonsgegevens)
    column = _kolom(bron, fout.line, fout.message) if bron is not None else None
    return BerichtFoutError(f"het bericht voldoet niet aan het XSD: {tekst}", fout.line, column)


def _lokaal(naam: str) -> str:
    return naam.rsplit("}", 1)[-1]


def _namen(lijst: str) -> str:
    namen = [_lokaal(n.strip()) for n in lijst.split(",")]
    return " of ".join(namen)


_SCHEMA: tuple[tuple[str, str], ...] = (
    (r"This element is not expected\. Expected is one of \( (.*) \)\.",
     "staat hier niet goed; verwacht werd {0}"),
    (r"This element is not expected\. Expected is \( (.*) \)\.",
     "staat hier niet goed; verwacht werd {0}"),
    (r"This element is not expected\.", "hoort hier niet"),
    (r"Missing child element\(s\)\. Expected is one of \( (.*) \)\.",
     "is onvolledig: {0} ontbreekt"),
    (r"Missing child element\(s\)\. Expected is \( (.*) \)\.", "is onvolledig: {0} ontbreekt"),
    (r"\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern '(.*)'\.",
     "de waarde{w} voldoet niet aan het patroon {1}"),
    (r"\[facet 'enumeration'\] The value '(.*)' is not an element of the set \{(.*)\}\.",
     "de waarde{w} is geen toegestane code (toegestaan: {1})"),
    (r"'(.*)' is not a valid value of the atomic type '(.*)'\.",
     "de waarde{w} is geen geldige {t}"),
    (r"\[facet 'minInclusive'\] The value '(.*)' is less than the minimum value allowed "
     r"\('(.*)'\)\.", "de waarde{w} is kleiner dan het minimum {1}"),
    (r"\[facet 'maxInclusive'\] The value '(.*)' is greater than the maximum value allowed "
     r"\('(.*)'\)\.", "de waarde{w} is groter dan het maximum {1}"),
    (r"\[facet 'maxLength'\] The value has a length of '(.*)'; this exceeds the allowed "
     r"maximum length of '(.*)'\.", "de waarde is {0} tekens lang, ten hoogste {1} mag"),
    (r"\[facet 'minLength'\] The value has a length of '(.*)'; this underruns the allowed "
     r"minimum length of '(.*)'\.", "de waarde is {0} tekens lang, ten minste {1} moet"),
    (r"No matching global declaration available for the validation root\.",
     "is niet het begin van dit soort bericht (verkeerde naamruimte of verkeerd bericht)"),
    (r"Character content other than whitespace is not allowed because the content type is "
     r"'element-only'\.", "mag geen tekst bevatten, alleen elementen"),
    (r"Element content is not allowed, because the content type is a simple type\.",
     "mag alleen een waarde bevatten, geen elementen"),
)

_TYPES = {"Datum": "datum (JJJJ-MM-DD)", "Tijd": "tijd (uu:mm:ss)"}


def _vertaal_schema(bericht: str, persoonlijk: frozenset[str]) -> str:
    m = re.match(r"Element '([^']*)'(?:, attribute '([^']*)')?: (.*)$", bericht, re.S)
    if not m:
        return f"libxml2 meldt '{bericht}'"
    element, rest = _lokaal(m.group(1)), m.group(3)
    for patroon, sjabloon in _SCHEMA:
        g = re.match(patroon, rest, re.S)
        if g:
            return f"element {element}: " + _vul(sjabloon, g.groups(), element, persoonlijk)
    if element in persoonlijk:
        return f"element {element}: de waarde is ongeldig"
    return f"element {element}: libxml2 meldt '{rest}'"


def _vul(sjabloon: str, groepen: tuple[str | None, ...], element: str,
         persoonlijk: frozenset[str]) -> str:
    waarde = groepen[0] if groepen else None
    w = "" if element in persoonlijk or waarde is None else f" '{waarde}'"
    t = "waarde"
    if len(groepen) > 1 and groepen[1]:
        type_naam = _lokaal(groepen[1]).removeprefix("LDT_")
        t = _TYPES.get(type_naam, f"waarde van type {type_naam}")
    args = [_namen(g) if g and g.startswith("{") else (g or "") for g in groepen]
    return sjabloon.format(*args, w=w, t=t)


def _kolom(bron: bytes, line: int, bericht: str) -> int | None:
    """The column of the offending element's start tag on `line` (libxml2 reports 0)."""
    m = re.match(r"Element '(?:\{[^}]*\})?([^']*)'", bericht)
    if not m or line < 1:
        return None
    regels = bron.split(b"\n", line)
    if len(regels) < line:
        return None
    tekst = regels[line - 1]
    plek = re.search(rb"<([A-Za-z_][\w.-]*:)?" + re.escape(m.group(1).encode()) + rb"[\s/>]",
                     tekst)
    return plek.start() + 1 if plek else None
