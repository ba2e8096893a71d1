"""JW301 (allocation) in: every ToegewezenProduct version as `engine.model.Toewijzing`, and
the version in force per ToewijzingNummer; out: `schrijf_jw301` for the generator."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable
from datetime import date, time
from itertools import repeat
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from berichten.bron import Bron, datum, lees_bytes
from berichten.fouten import BerichtFoutError
from berichten.herkenning import als_ijw, bij_naamruimte, in_standaard
from berichten.ijw.snel import jw301_rijen_snel, lees_jw301_snel
from berichten.ijw.standaard import IJW_3_2
from berichten.schema import geen_doctype, parser, schema, schema_fout, syntax_fout
from berichten.standaard import Standaard
from engine.model import Toewijzing

STANDAARD = IJW_3_2
BERICHT = STANDAARD.met_rol("toewijzing")
NS = BERICHT.namespace
_J = f"{{{NS}}}"
_B = f"{{{STANDAARD.basis_namespace}}}"

SNEL = True
"""Try `berichten.ijw.snel` first (tests switch it off to exercise the lxml path)."""


def lees_jw301(bron: Bron, *, valideer: bool = True) -> list[Toewijzing]:
    """Every ToegewezenProduct version in one JW301 message, in document order.

    Afzender is the gemeente, Ontvanger the provider's AGB code. Raises BerichtFoutError
    (Dutch, located) for malformed XML or a schema violation. The standard follows from the
    root's namespace: a WMO301 (iWmo 3.2, the same structure) is validated against its own
    XSD and read by the same code (the fast path too: a grammar per standard).
    """
    data = lees_bytes(bron)
    snel = lees_jw301_snel(data) if SNEL else None
    if snel is not None:
        return snel
    try:
        doc = etree.parse(io.BytesIO(data), parser())
    except etree.XMLSyntaxError as err:
        raise _met_bestand(syntax_fout(err), bron) from None
    standaard = _standaard(doc.getroot())
    try:
        geen_doctype(doc.getroot(), standaard)
    except BerichtFoutError as fout:
        raise _met_bestand(fout, bron) from None
    xsd = schema(standaard, standaard.met_rol("toewijzing").naam)
    if valideer and not xsd.validate(doc):
        raise _met_bestand(schema_fout(xsd.error_log, data, standaard), bron)
    als_ijw(doc.getroot(), standaard)
    try:
        return _toewijzingen(doc.getroot())
    except (ValueError, TypeError, AttributeError):
        raise _met_bestand(BerichtFoutError(
            "een toegewezen product heeft een ontbrekende of onleesbare waarde"), bron) from None


def _standaard(root: etree._Element) -> Standaard:
    """The standard of an allocation message by its namespace; iJw when the root is no
    known allocation message (its XSD then reports what is wrong)."""
    gevonden = bij_naamruimte(str(root.tag).lstrip("{").rpartition("}")[0])
    if gevonden is None or gevonden[1].rol != "toewijzing":
        return STANDAARD
    return gevonden[0]


def lees_jw301_rijen(bron: Bron) -> list[tuple[Any, ...]]:
    """`lees_jw301`, every version as the tuple of Toewijzing's fields, in their order."""
    rijen = jw301_rijen_snel(lees_bytes(bron)) if SNEL else None
    if rijen is not None:
        return rijen
    return [tuple(map(getattr, repeat(v), _VELDEN)) for v in lees_jw301(bron)]


_VELDEN = tuple(veld.name for veld in dataclasses.fields(Toewijzing))


def lees_jw301_map(map_of_bestand: Path) -> list[Toewijzing]:
    """All versions from one JW301 file, or from every *.xml in a folder (sorted by name)."""
    if map_of_bestand.is_dir():
        versies: list[Toewijzing] = []
        for pad in sorted(map_of_bestand.glob("*.xml")):
            if not verborgen(pad.name):
                versies.extend(lees_jw301(pad))
        return versies
    return lees_jw301(map_of_bestand)


def verborgen(naam: str) -> bool:
    """A hidden file (`.name`), which includes macOS's AppleDouble companions (`._name.xml`,
    metadata a copy from a Mac leaves next to each file): never a message."""
    return naam.startswith(".")


def geldend_per_gemeente(versies: Iterable[Toewijzing]) -> dict[str, dict[str, Toewijzing]]:
    """The version in force per gemeente and ToewijzingNummer (as `geldende_toewijzingen`):
    a number is unique within its gemeente only, so 500001 of 0193 and 500001 of 0384 are
    two allocations. Gemeenten in order of first appearance, numbers likewise."""
    per_gemeente: dict[str, list[Toewijzing]] = {}
    for v in versies:
        per_gemeente.setdefault(v.gemeente, []).append(v)
    return {g: geldende_toewijzingen(eigen) for g, eigen in per_gemeente.items()}


def geldende_toewijzingen(versies: Iterable[Toewijzing]) -> dict[str, Toewijzing]:
    """The version in force per ToewijzingNummer: the latest Toewijzingsdatum +
    Toewijzingstijd (on a tie the later one in the input). A deleted version
    (RedenWijziging 13) stays in force, as deleted."""
    geldend: dict[str, Toewijzing] = {}
    for v in versies:
        huidig = geldend.get(v.toewijzingnummer)
        if huidig is None or v.versie >= huidig.versie:
            geldend[v.toewijzingnummer] = v
    return geldend


def _met_bestand(fout: BerichtFoutError, bron: Bron) -> BerichtFoutError:
    if isinstance(bron, Path):
        return BerichtFoutError(fout.bericht, fout.line, fout.column, str(bron))
    return fout


def _tekst(el: etree._Element, pad: str) -> str:
    t = el.findtext(pad)
    if t is None:
        raise ValueError(pad)
    return t


def _getal(el: etree._Element, pad: str) -> int | None:
    t = el.findtext(pad)
    return int(t) if t is not None else None


def _toewijzingen(root: etree._Element) -> list[Toewijzing]:
    gemeente = _tekst(root, f"{_J}Header/{_J}Afzender")
    aanbieder = _tekst(root, f"{_J}Header/{_J}Ontvanger")
    bsn = _tekst(root, f"{_J}Client/{_J}Bsn")
    return [_versie(tp, bsn, gemeente, aanbieder)
            for tp in root.iterfind(f"{_J}Client/{_J}ToegewezenProducten/{_J}ToegewezenProduct")]


def _versie(tp: etree._Element, bsn: str, gemeente: str, aanbieder: str) -> Toewijzing:
    eind = tp.findtext(_J + "Einddatum")
    return Toewijzing(
        toewijzingnummer=str(int(_tekst(tp, _J + "ToewijzingNummer"))),
        bsn=bsn, gemeente=gemeente, aanbieder=aanbieder,
        productcategorie=tp.findtext(f"{_J}Product/{_B}Categorie"),
        productcode=tp.findtext(f"{_J}Product/{_B}Code"),
        toewijzingsdatum=datum(tp.findtext(_J + "Toewijzingsdatum")),
        toewijzingstijd=time.fromisoformat(_tekst(tp, _J + "Toewijzingstijd").strip()),
        ingangsdatum=datum(tp.findtext(_J + "Ingangsdatum")),
        einddatum=datum(eind) if eind is not None else None,
        volume=_getal(tp, f"{_J}Omvang/{_B}Volume"),
        eenheid=tp.findtext(f"{_J}Omvang/{_B}Eenheid"),
        frequentie=tp.findtext(f"{_J}Omvang/{_B}Frequentie"),
        budget=_getal(tp, _J + "Budget"),
        reden_wijziging=tp.findtext(_J + "RedenWijziging"),
    )


# ---------------------------------------------------------------- writing

_KOP = """<?xml version="1.0" encoding="UTF-8"?>
<jw301:Bericht xmlns:ijw="{basis}" xmlns:jw301="{ns}">
<jw301:Header><jw301:BerichtCode>{code}</jw301:BerichtCode><jw301:BerichtVersie>{versie}</jw301:BerichtVersie><jw301:BerichtSubversie>{subversie}</jw301:BerichtSubversie><jw301:Afzender>{gemeente}</jw301:Afzender><jw301:Ontvanger>{aanbieder}</jw301:Ontvanger><jw301:BerichtIdentificatie><ijw:Identificatie>{identificatie}</ijw:Identificatie><ijw:Dagtekening>{dagtekening}</ijw:Dagtekening></jw301:BerichtIdentificatie><jw301:XsdVersie><ijw:BasisschemaXsdVersie>{xsd}</ijw:BasisschemaXsdVersie><ijw:BerichtXsdVersie>{xsd}</ijw:BerichtXsdVersie></jw301:XsdVersie></jw301:Header>
<jw301:Client><jw301:Bsn>{bsn}</jw301:Bsn><jw301:Geboortedatum><ijw:Datum>{geboren}</ijw:Datum></jw301:Geboortedatum><jw301:Geslacht>0</jw301:Geslacht><jw301:Naam><ijw:Geslachtsnaam><ijw:Achternaam>{achternaam}</ijw:Achternaam></ijw:Geslachtsnaam><ijw:NaamGebruik>1</ijw:NaamGebruik></jw301:Naam><jw301:Contactgegevens><jw301:Contact><jw301:Soort>01</jw301:Soort></jw301:Contact></jw301:Contactgegevens><jw301:ToegewezenProducten>
"""


_VAST = {"basis": STANDAARD.basis_namespace, "ns": NS, "code": BERICHT.berichtcode,
         "versie": STANDAARD.berichtversie, "subversie": STANDAARD.berichtsubversie,
         "xsd": STANDAARD.xsd_versie}
"""What the standard fixes in the header."""


def schrijf_jw301(versies: list[Toewijzing], identificatie: str, dagtekening: date,
                  geboortedatum: date = date(2012, 1, 1), achternaam: str = "Jansen",
                  standaard: Standaard = STANDAARD) -> bytes:
    """One JW301 for one client of one gemeente at one provider, holding the given
    ToegewezenProduct versions in order (the client's personal data is a placeholder).
    With `standaard` the allocation message of that standard (WMO301 of iWmo 3.2: the same
    structure, `berichten.herkenning.in_standaard` swaps the names and the message code)."""
    eerste = versies[0]
    if any((v.bsn, v.gemeente, v.aanbieder) != (eerste.bsn, eerste.gemeente, eerste.aanbieder)
           for v in versies):
        raise ValueError("een JW301 bevat toewijzingen van één client, gemeente en aanbieder")
    delen = [_KOP.format(**_VAST, gemeente=eerste.gemeente,
                         aanbieder=eerste.aanbieder, identificatie=escape(identificatie),
                         dagtekening=dagtekening.isoformat(), bsn=eerste.bsn,
                         geboren=geboortedatum.isoformat(), achternaam=escape(achternaam))]
    delen.extend(_product_xml(v) for v in versies)
    delen.append("</jw301:ToegewezenProducten></jw301:Client>\n</jw301:Bericht>\n")
    return in_standaard("".join(delen).encode(), STANDAARD, standaard, "toewijzing")


def _product_xml(v: Toewijzing) -> str:
    d: list[str] = [f"<jw301:ToegewezenProduct><jw301:ToewijzingNummer>{v.toewijzingnummer}"
                    "</jw301:ToewijzingNummer>"]
    if v.productcategorie is not None:
        code = f"<ijw:Code>{escape(v.productcode)}</ijw:Code>" if v.productcode else ""
        d.append(f"<jw301:Product><ijw:Categorie>{v.productcategorie}</ijw:Categorie>{code}"
                 "</jw301:Product>")
    d.append(f"<jw301:Toewijzingsdatum>{v.toewijzingsdatum.isoformat()}</jw301:Toewijzingsdatum>"
             f"<jw301:Toewijzingstijd>{v.toewijzingstijd.isoformat()}</jw301:Toewijzingstijd>"
             f"<jw301:Ingangsdatum>{v.ingangsdatum.isoformat()}</jw301:Ingangsdatum>")
    if v.einddatum is not None:
        d.append(f"<jw301:Einddatum>{v.einddatum.isoformat()}</jw301:Einddatum>")
    if v.reden_wijziging is not None:
        d.append(f"<jw301:RedenWijziging>{v.reden_wijziging}</jw301:RedenWijziging>")
    if v.volume is not None and v.eenheid is not None and v.frequentie is not None:
        d.append(f"<jw301:Omvang><ijw:Volume>{v.volume}</ijw:Volume><ijw:Eenheid>{v.eenheid}"
                 f"</ijw:Eenheid><ijw:Frequentie>{v.frequentie}</ijw:Frequentie></jw301:Omvang>")
    if v.budget is not None:
        d.append(f"<jw301:Budget>{v.budget}</jw301:Budget>")
    d.append("</jw301:ToegewezenProduct>\n")
    return "".join(d)
