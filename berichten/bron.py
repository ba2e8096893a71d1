"""Reading a message source (bytes or a file) with lxml, streaming, with validation against
the XSD of a standard's message kind; the dates of a message, cached."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO

from lxml import etree

from berichten.fouten import BerichtFoutError
from berichten.schema import parser, schema, schema_fout, syntax_fout
from berichten.standaard import Standaard

Bron = bytes | Path


def open_bron(bron: Bron) -> IO[bytes]:
    """A binary stream over the source; a missing file is a BerichtFoutError."""
    if isinstance(bron, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(bron))
    try:
        return open(bron, "rb")
    except OSError as err:
        raise BerichtFoutError(f"het bestand kan niet worden gelezen ({err.strerror})",
                               bestand=str(bron)) from None


def lees_bytes(bron: Bron) -> bytes:
    """The whole source as bytes. A file is read with bare system calls: a region has a
    quarter of a million small JW301 files, and a buffered file object costs more than
    reading one of them."""
    if isinstance(bron, bytes | bytearray | memoryview):
        return bytes(bron)
    try:
        fd = os.open(bron, os.O_RDONLY)
        try:
            delen = [os.read(fd, _BLOK)]
            while len(delen[-1]) == _BLOK or (len(delen) > 1 and delen[-1]):
                delen.append(os.read(fd, _BLOK))
        finally:
            os.close(fd)
    except OSError as err:
        raise BerichtFoutError(f"het bestand kan niet worden gelezen ({err.strerror})",
                               bestand=str(bron)) from None
    return delen[0] if len(delen) == 1 else b"".join(delen)


_BLOK = 1 << 16


def elementen(bron: Bron, standaard: Standaard, bericht: str, tags: tuple[str, ...],
              valideer: bool) -> Iterator[tuple[etree._Element, etree.iterparse]]:
    """Yield each finished element with one of `tags`, validating against the message's XSD
    while parsing; malformed XML and schema violations become a located BerichtFoutError."""
    with open_bron(bron) as stroom:
        it = etree.iterparse(stroom, events=("end",), tag=tags, resolve_entities=False,
                             no_network=True, huge_tree=True, load_dtd=False,
                             remove_comments=True, remove_pis=True,
                             schema=schema(standaard, bericht) if valideer else None)
        try:
            for _, el in it:
                yield el, it
        except etree.XMLSyntaxError as err:
            raise _fout(err, bron, standaard, bericht) from None


def _fout(err: etree.XMLSyntaxError, bron: Bron, standaard: Standaard, bericht: str,
          ) -> BerichtFoutError:
    if err.position and err.position[0] > 0:
        return syntax_fout(err)
    return lokaliseer(bron, standaard, bericht) or BerichtFoutError(
        f"het bericht voldoet niet aan het XSD: {err.msg}")


def lokaliseer(bron: Bron, standaard: Standaard, bericht: str) -> BerichtFoutError | None:
    """The located error of a message, by parsing and validating it whole; None when it is
    well-formed and valid. Streaming validation reports no line numbers and may report
    late, so the error path validates again (only the error path pays for this)."""
    data = lees_bytes(bron)
    xsd = schema(standaard, bericht)
    try:
        doc = etree.parse(io.BytesIO(data), parser(huge=True))
    except etree.XMLSyntaxError as opnieuw:
        return syntax_fout(opnieuw)
    if xsd.validate(doc):
        return None
    return schema_fout(xsd.error_log, data, standaard)


_DATUMS: dict[str, date] = {}
_DATUMS_MAX = 100_000


def datum(tekst: str | None) -> date:
    """An xs:date as a date; cached, as a month's lines share few dates."""
    if tekst is None:
        raise ValueError("geen datum")
    d = _DATUMS.get(tekst)
    if d is None:
        d = date.fromisoformat(tekst.strip())
        if len(_DATUMS) >= _DATUMS_MAX:
            _DATUMS.clear()
        _DATUMS[tekst] = d
    return d


def datums(teksten: list[str]) -> list[date]:
    """`datum` of many texts at once, in C-level loops (a column of a million lines)."""
    if len(_DATUMS) >= _DATUMS_MAX:
        _DATUMS.clear()
    for nieuw in set(teksten).difference(_DATUMS):
        _DATUMS[nieuw] = date.fromisoformat(nieuw.strip())
    return list(map(_DATUMS.__getitem__, teksten))


