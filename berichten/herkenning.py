"""Which standard a message is in: the namespace of its root element names the standard's
record and the message kind (`herken`). The batch and the service read and answer a
message in its own standard; an unknown namespace is a located Dutch error.

Also `in_standaard`: a message written with one standard's names put into another's, for
the message kinds whose structure is the same in both (JW323/WMO323, JW325/WMO325): the
writers write iJw and this swaps the namespaces, prefixes and message code."""

from __future__ import annotations

import re

from lxml import etree

from berichten.bron import Bron, lees_bytes
from berichten.fouten import BerichtFoutError
from berichten.ijw.standaard import IJW_3_2
from berichten.iwmo.standaard import IWMO_3_2
from berichten.schema import syntax_fout
from berichten.standaard import Bericht, Rol, Standaard

STANDAARDEN: tuple[Standaard, ...] = (IJW_3_2, IWMO_3_2)
"""The standards the readers know, in the order an error names them."""

_KOP = 64 * 1024
"""The root element is looked for in the first bytes of the message."""
_STAP = 1024
"""How many bytes the root's parser is fed at a time."""


def herken(bron: Bron) -> tuple[Standaard, Bericht]:
    """The standard and message kind of a message, from its root element's namespace.
    BerichtFoutError (located) when the XML does not start well or the namespace is not
    one of a known standard's messages."""
    data = lees_bytes(bron)
    try:
        el = _wortel(data)
    except etree.XMLSyntaxError as err:
        raise syntax_fout(err) from None
    if el is None:
        raise BerichtFoutError("het bericht heeft geen berichtelement", 1, 1)
    return _bij(el, data)


def herken_begin(data: bytes) -> tuple[Standaard, Bericht] | None:
    """`herken` on the first bytes of a message (`data` may be cut off after the root's
    start tag): None when the start is not well-formed XML (the reader then reports that,
    located); a known root namespace gives its record, an unknown one the located error."""
    try:
        el = _wortel(data)
    except etree.XMLSyntaxError:
        return None
    return None if el is None else _bij(el, data)


def _wortel(data: bytes) -> etree._Element | None:
    """The root element as soon as its start tag is read. The parser is fed a little at a
    time: the root's start tag sits in the first few hundred bytes, and parsing the whole
    64 KiB head of every message cost as much as reading the message (issue 13's regression)."""
    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True,
                                 load_dtd=False)
    for begin in range(0, len(data), _STAP):
        parser.feed(data[begin:begin + _STAP])
        for _, el in parser.read_events():
            if isinstance(el, etree._Element):  # "start" events carry the element
                return el
    parser.close()  # raises the syntax error of a head that never reaches a start tag
    return None


def bij_naamruimte(ns: str) -> tuple[Standaard, Bericht] | None:
    """The standard and message kind whose namespace is `ns`, None when none is."""
    for standaard in STANDAARDEN:
        for bericht in standaard.berichten:
            if bericht.namespace == ns:
                return standaard, bericht
    return None


def _bij(el: etree._Element, data: bytes) -> tuple[Standaard, Bericht]:
    ns, _, lokaal = str(el.tag).lstrip("{").rpartition("}")
    gevonden = bij_naamruimte(ns)
    if gevonden is not None:
        return gevonden
    line = el.sourceline if isinstance(el.sourceline, int) else None
    bekend = ", ".join(f"{s.naam} {s.versie}" for s in STANDAARDEN)
    wat = f"naamruimte '{ns}'" if ns else "geen naamruimte"
    raise BerichtFoutError(
        f"het berichtelement {lokaal} heeft {wat}: dat is geen bericht van een bekende "
        f"standaard ({bekend})", line, _kolom(data, line, lokaal))


def _kolom(data: bytes, line: int | None, lokaal: str) -> int | None:
    if line is None:
        return None
    regels = data[:_KOP].split(b"\n")
    if len(regels) < line:
        return None
    plek = re.search(rb"<([\w.-]+:)?" + re.escape(lokaal.encode()) + rb"[\s/>]",
                     regels[line - 1])
    return plek.start() + 1 if plek else None


def als_ijw(root: etree._Element, standaard: Standaard) -> None:
    """Rename, in place, the elements of a message of `standaard` to the iJw names of the
    message kind with the same role (after validation against its own XSD), so the iJw
    reader reads it. Nothing changes for an iJw message."""
    if standaard is IJW_3_2:
        return
    naar = {f"{{{standaard.basis_namespace}}}": f"{{{IJW_3_2.basis_namespace}}}"}
    for bericht in standaard.berichten:
        naar[f"{{{bericht.namespace}}}"] = f"{{{IJW_3_2.met_rol(bericht.rol).namespace}}}"
    for el in root.iter(etree.Element):
        ns, sluit, lokaal = str(el.tag).partition("}")
        nieuw = naar.get(ns + sluit)
        if nieuw is not None:
            el.tag = nieuw + lokaal


def in_standaard(xml: bytes, van: Standaard, naar: Standaard, rol: Rol) -> bytes:
    """`xml`, a message of `rol` written by `van`'s writer with its own prefixes, as the
    same message in `naar` (the message kinds have the same structure): namespace
    declarations, prefixes and the message code swapped. The identity when `van` is `naar`."""
    if van is naar:
        return xml
    bv, bn = van.met_rol(rol), naar.met_rol(rol)
    vb, nb = van.basis_voorvoegsel.encode(), naar.basis_voorvoegsel.encode()
    vv, nv = bv.voorvoegsel.encode(), bn.voorvoegsel.encode()
    code = b"BerichtCode>"
    xml = xml.replace(b"<" + vv + b":" + code + bv.berichtcode.encode() + b"<",
                      b"<" + vv + b":" + code + bn.berichtcode.encode() + b"<", 1)
    for oud, nieuw in (
        (b"xmlns:" + vb + b'="' + van.basis_namespace.encode() + b'"',
         b"xmlns:" + nb + b'="' + naar.basis_namespace.encode() + b'"'),
        (b"xmlns:" + vv + b'="' + bv.namespace.encode() + b'"',
         b"xmlns:" + nv + b'="' + bn.namespace.encode() + b'"'),
        (b"<" + vv + b":", b"<" + nv + b":"), (b"</" + vv + b":", b"</" + nv + b":"),
        (b"<" + vb + b":", b"<" + nb + b":"), (b"</" + vb + b":", b"</" + nb + b":"),
    ):
        xml = xml.replace(oud, nieuw)
    return xml
