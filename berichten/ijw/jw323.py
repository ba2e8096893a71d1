"""JW323 (declaration) in: `lees_jw323` to `engine.model.Declaratie`; and out:
`schrijf_jw323`, used by the generator and tests (string templates, for speed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from berichten.bron import (
    Bron,
    datum,
    elementen,
    lees_bytes,
    lokaliseer,
    open_bron,
)
from berichten.fouten import BerichtFoutError
from berichten.herkenning import in_standaard
from berichten.ijw.snel import lees_jw323_snel
from berichten.ijw.standaard import IJW_3_2
from berichten.schema import geen_doctype, parser, schema, schema_fout, syntax_fout
from berichten.standaard import Standaard
from engine.geheugen import zonder_gc
from engine.model import Declaratie, Prestatie

STANDAARD = IJW_3_2
BERICHT = STANDAARD.met_rol("declaratie")
NS = BERICHT.namespace
_J = f"{{{NS}}}"
_B = f"{{{STANDAARD.basis_namespace}}}"
PRESTATIE = _J + "Prestatie"
CLIENT = _J + "Client"


@dataclass(frozen=True)
class _Namen:
    """The qualified tags of a declaration message in one standard: JW323 and WMO323 have
    the same structure, only the namespaces differ (the record says which)."""

    standaard: Standaard
    bericht: str
    j: str
    b: str

    @property
    def prestatie(self) -> str:
        return self.j + "Prestatie"

    @property
    def client(self) -> str:
        return self.j + "Client"


@cache
def _namen(standaard: Standaard) -> _Namen:
    bericht = standaard.met_rol("declaratie")
    return _Namen(standaard, bericht.naam, f"{{{bericht.namespace}}}",
                  f"{{{standaard.basis_namespace}}}")


HEEL_TOT = 64 * 1024 * 1024
"""Messages up to this size are parsed whole (faster); larger ones stream (less memory)."""

SNEL = True
"""Try `berichten.ijw.snel` first for messages read whole (tests switch it off to exercise the
lxml path on valid messages too)."""


def lees_jw323(bron: Bron, *, valideer: bool = True,
               standaard: Standaard = STANDAARD) -> Declaratie:
    """Read one JW323 message, validated against its XSD; with `standaard` the declaration
    message of that standard (WMO323 of iWmo 3.2: the same structure, its own namespaces,
    XSD and code lists). The fast path (`berichten.ijw.snel`) has a grammar per standard,
    built from its record.

    Raises BerichtFoutError (Dutch, with line and column) when the XML is malformed or
    violates the schema. Lines keep document order; `volgnummer` counts from 0.
    `valideer=False` skips the XSD (trusted input, e.g. the benchmark's own files); missing
    or unreadable values are then still reported as BerichtFoutError.
    """
    n = _namen(standaard)
    with zonder_gc():
        if _grootte(bron) <= HEEL_TOT:
            data = lees_bytes(bron)
            snel = lees_jw323_snel(data, standaard) if SNEL else None
            return snel if snel is not None else _lees_heel(data, valideer, n)
        return _lees_stromend(bron, valideer, n)


def _grootte(bron: Bron) -> int:
    if isinstance(bron, Path):
        try:
            return bron.stat().st_size
        except OSError:
            return 0  # lees_bytes reports the missing file
    return len(bron)


def _lees_heel(data: bytes, valideer: bool, n: _Namen) -> Declaratie:
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as err:
        raise syntax_fout(err) from None
    geen_doctype(root, n.standaard)
    if valideer:
        xsd = schema(n.standaard, n.bericht)
        if not xsd.validate(root):
            raise schema_fout(xsd.error_log, data, n.standaard)
    lezer = _Lezer(valideer, n)
    for client in root.iter(n.client):
        bsn = client.findtext(n.j + "Bsn") or ""
        for el in client.iter(n.prestatie):
            try:
                lezer.prestatie(el, bsn)
            except _WaardeError as err:
                raise err.fout from None
    if not valideer and sum(1 for _ in root.iter(n.prestatie)) != len(lezer.prestaties):
        raise BerichtFoutError("een prestatie staat niet binnen Clienten/Client/Prestaties")
    return lezer.declaratie(root)


def _lees_stromend(bron: Bron, valideer: bool, n: _Namen) -> Declaratie:
    lezer = _Lezer(valideer, n)
    root: etree._Element | None = None
    client: etree._Element | None = None
    bsn = ""
    try:
        for el, _ in elementen(bron, n.standaard, n.bericht, (n.prestatie, n.client),
                                valideer):
            if root is None:
                root = el.getroottree().getroot()
                geen_doctype(root, n.standaard)
            if el.tag != n.prestatie:
                _vergeet_vorige(el)
                continue
            ouder = el.getparent()
            if ouder is not None and ouder.getparent() is not client:
                client = ouder.getparent()
                bsn = (client.findtext(n.j + "Bsn") or "") if client is not None else ""
            lezer.prestatie(el, bsn)
            _vergeet_vorige(el)
    except _WaardeError as err:
        # The stream may reach a bad value before the validator reports it: prefer the
        # located schema error when there is one.
        gelokaliseerd = lokaliseer(bron, n.standaard, n.bericht) if valideer else None
        raise gelokaliseerd or err.fout from None
    return lezer.declaratie(_wortel(bron, root))


class _WaardeError(Exception):
    def __init__(self, fout: BerichtFoutError) -> None:
        self.fout = fout


def _wortel(bron: Bron, root: etree._Element | None) -> etree._Element:
    if root is not None:
        return root
    # A message without lines (only possible unvalidated): parse the header the slow way.
    with open_bron(bron) as f:
        try:
            return etree.parse(f, parser()).getroot()
        except etree.XMLSyntaxError as err:
            raise syntax_fout(err) from None


def _vergeet_vorige(el: etree._Element) -> None:
    """Free what has been read: the element's content and its earlier siblings."""
    el.clear()
    ouder = el.getparent()
    if ouder is not None:
        while el.getprevious() is not None:
            del ouder[0]


class _Lezer:
    """Collects the lines of one message."""

    def __init__(self, gevalideerd: bool, n: _Namen) -> None:
        self.prestaties: list[Prestatie] = []
        self._gevalideerd = gevalideerd
        self._n = n

    def prestatie(self, el: etree._Element, bsn: str) -> None:
        volgnummer = len(self.prestaties)
        try:
            if self._gevalideerd:
                p = _prestatie_op_plaats(volgnummer, bsn, el)
            else:
                p = _prestatie(volgnummer, bsn, _als_ijw(self._n, el))
        except (KeyError, ValueError, TypeError, IndexError):
            raise _WaardeError(BerichtFoutError(
                f"prestatie {volgnummer + 1} heeft een ontbrekende of onleesbare waarde",
                _line(el))) from None
        self.prestaties.append(p)

    def declaratie(self, root: etree._Element) -> Declaratie:
        try:
            return _declaratie(root, tuple(self.prestaties), self._n)
        except (KeyError, ValueError, TypeError):
            raise BerichtFoutError("de kop of de declaratiegegevens zijn onvolledig of "
                                   "onleesbaar", _line(root)) from None


def _line(el: etree._Element) -> int | None:
    line = el.sourceline
    return line if isinstance(line, int) else None


def _prestatie_op_plaats(volgnummer: int, bsn: str, el: etree._Element) -> Prestatie:
    """A validated line: the XSD fixes the element order, so read the texts by position
    (the fast path; the only variation is the two optional elements)."""
    t = [e.text for e in el.iterdescendants()]
    vorig = t[2] if len(el[0]) == 2 else None
    i = 3 if vorig is not None else 2
    # t[i]: ToewijzingNummer; then categorie, code, periode, begin, eind, volume, eenheid,
    # the optional tarief, and IngediendBedrag with its Bedrag and DebetCredit
    tarief = t[i + 8] if len(t) - i == 12 else None
    bedrag, dc = t[-2], t[-1]
    return Prestatie(
        volgnummer, bsn, _tekst(t[1]), vorig, _nummer(t[i]), _tekst(t[i + 1]), t[i + 2],
        datum(t[i + 4]), datum(t[i + 5]), int(_tekst(t[i + 6])), _tekst(t[i + 7]),
        int(tarief) if tarief is not None else None, int(_tekst(bedrag)),
        "D" if dc == "D" else "C")


_REF, _VORIG = _B + "ReferentieNummer", _B + "VorigReferentieNummer"
_TNR, _CAT, _CODE = _J + "ToewijzingNummer", _J + "ProductCategorie", _J + "ProductCode"
_BEGIN, _EIND = _B + "Begindatum", _B + "Einddatum"
_VOL, _EENH, _TARIEF = _J + "GeleverdVolume", _J + "Eenheid", _J + "ProductTarief"
_BEDRAG, _DC = _B + "Bedrag", _B + "DebetCredit"


def _prestatie(volgnummer: int, bsn: str, w: dict[str, str | None]) -> Prestatie:
    """An unvalidated line: look every value up by its tag."""
    tarief = w.get(_TARIEF)
    dc = w[_DC]
    if dc not in ("D", "C"):
        raise ValueError(dc)
    return Prestatie(
        volgnummer, bsn, _tekst(w[_REF]), w.get(_VORIG), _nummer(w[_TNR]), _tekst(w[_CAT]),
        w.get(_CODE), datum(w[_BEGIN]), datum(w[_EIND]), int(_tekst(w[_VOL])),
        _tekst(w[_EENH]), int(tarief) if tarief is not None else None,
        int(_tekst(w[_BEDRAG])), "D" if dc == "D" else "C")


def _als_ijw(n: _Namen, el: etree._Element) -> dict[str, str | None]:
    """An unvalidated line's values by tag, under the iJw tags `_prestatie` looks up."""
    if n.standaard is STANDAARD:
        return {e.tag: e.text for e in el.iter()}
    naar = {n.j: _J, n.b: _B}
    uit: dict[str, str | None] = {}
    for e in el.iter():
        tag = str(e.tag)
        ns, _, lokaal = tag.rpartition("}")
        uit[naar.get(ns + "}", ns + "}") + lokaal] = e.text
    return uit


def _nummer(t: str | None) -> str:
    """A ToewijzingNummer (xs:integer) in its canonical form, so '0042' matches '42'."""
    return str(int(_tekst(t)))


def _tekst(t: str | None) -> str:
    if t is None:
        raise ValueError("leeg")
    return t


def _declaratie(root: etree._Element, prestaties: tuple[Prestatie, ...],
                n: _Namen) -> Declaratie:
    j, b = n.j, n.b
    kop, dec = root.find(j + "Header"), root.find(j + "Declaratie")
    if kop is None or dec is None:
        raise ValueError("kop")
    return Declaratie(
        aanbieder=_tekst(kop.findtext(j + "Afzender")),
        gemeente=_tekst(kop.findtext(j + "Ontvanger")),
        bericht_identificatie=_tekst(kop.findtext(f"{j}BerichtIdentificatie/{b}Identificatie")),
        bericht_dagtekening=datum(kop.findtext(f"{j}BerichtIdentificatie/{b}Dagtekening")),
        declaratienummer=_tekst(dec.findtext(j + "DeclaratieNummer")),
        declaratie_begindatum=datum(dec.findtext(f"{j}DeclaratiePeriode/{b}Begindatum")),
        declaratie_einddatum=datum(dec.findtext(f"{j}DeclaratiePeriode/{b}Einddatum")),
        declaratiedagtekening=datum(dec.findtext(j + "DeclaratieDagtekening")),
        totaal_ingediend=_totaal(dec, n),
        prestaties=prestaties,
    )


def _totaal(dec: etree._Element, n: _Namen) -> int:
    """CS325: the TotaalIngediendBedrag as a signed amount (debits minus credits); zero
    marked C (credit) is a technical error that refuses the whole message (0001, OP286).
    Checked here because the signed value cannot tell a zero credit from a zero debit (the
    lines' signs are checked in `berichten.weigering`)."""
    element = dec.find(n.j + "TotaalIngediendBedrag")
    if element is None:
        raise ValueError("TotaalIngediendBedrag")
    totaal = int(_tekst(element.findtext(n.b + "TotaalBedrag")))
    teken = element.findtext(n.b + "DebetCredit")
    if teken not in ("D", "C"):
        raise ValueError(teken)
    if totaal == 0 and teken == "C":
        raise BerichtFoutError(
            "Declaratie/TotaalIngediendBedrag: het totaal ingediende bedrag is nul en heeft "
            "teken C (credit); een bedrag nul heeft teken D (debet) (CS325, retourcode 0001)",
            _line(element))
    return totaal if teken == "D" else -totaal


_KOP = {
    "aanbieder": "Afzender", "gemeente": "Ontvanger", "identificatie": "Identificatie",
    "dagtekening": "Dagtekening", "declaratienummer": "DeclaratieNummer",
}


def kop_uit(bron: Bron) -> dict[str, str | None]:
    """Best-effort header of a message that may be broken, so a 0001 answer can still be
    addressed: aanbieder, gemeente, identificatie, dagtekening, declaratienummer (None when
    not found). Reads the raw text, never raises for bad content."""
    try:
        kop = lees_bytes(bron)[:65536]
    except BerichtFoutError:
        kop = b""
    uit: dict[str, str | None] = {}
    for sleutel, naam in _KOP.items():
        m = re.search(rb"<(?:[\w.-]+:)?" + naam.encode() + rb">\s*([^<\s][^<]*?)\s*</", kop)
        uit[sleutel] = m.group(1).decode("utf-8", "replace") if m else None
    return uit


# ---------------------------------------------------------------- writing

_KOP_SJABLOON = """<?xml version="1.0" encoding="UTF-8"?>
<jw323:Bericht xmlns:ijw="{basis}" xmlns:jw323="{ns}">
<jw323:Header><jw323:BerichtCode>{code}</jw323:BerichtCode><jw323:BerichtVersie>{versie}</jw323:BerichtVersie><jw323:BerichtSubversie>{subversie}</jw323:BerichtSubversie><jw323:Afzender>{aanbieder}</jw323:Afzender><jw323:Ontvanger>{gemeente}</jw323:Ontvanger><jw323:BerichtIdentificatie><ijw:Identificatie>{identificatie}</ijw:Identificatie><ijw:Dagtekening>{dagtekening}</ijw:Dagtekening></jw323:BerichtIdentificatie><jw323:XsdVersie><ijw:BasisschemaXsdVersie>{xsd}</ijw:BasisschemaXsdVersie><ijw:BerichtXsdVersie>{xsd}</ijw:BerichtXsdVersie></jw323:XsdVersie></jw323:Header>
<jw323:Declaratie><jw323:DeclaratieNummer>{declaratienummer}</jw323:DeclaratieNummer><jw323:DeclaratiePeriode><ijw:Begindatum>{begin}</ijw:Begindatum><ijw:Einddatum>{eind}</ijw:Einddatum></jw323:DeclaratiePeriode><jw323:DeclaratieDagtekening>{decdag}</jw323:DeclaratieDagtekening><jw323:TotaalIngediendBedrag><ijw:TotaalBedrag>{totaal}</ijw:TotaalBedrag><ijw:DebetCredit>{totaal_dc}</ijw:DebetCredit></jw323:TotaalIngediendBedrag><jw323:Clienten>
"""
_PRESTATIE_SJABLOON = (
    "<jw323:Prestatie><jw323:ProductReferentie><ijw:ReferentieNummer>{}</ijw:ReferentieNummer>"
    "{}</jw323:ProductReferentie><jw323:ToewijzingNummer>{}</jw323:ToewijzingNummer>"
    "<jw323:ProductCategorie>{}</jw323:ProductCategorie>{}<jw323:ProductPeriode>"
    "<ijw:Begindatum>{}</ijw:Begindatum><ijw:Einddatum>{}</ijw:Einddatum></jw323:ProductPeriode>"
    "<jw323:GeleverdVolume>{}</jw323:GeleverdVolume><jw323:Eenheid>{}</jw323:Eenheid>{}"
    "<jw323:IngediendBedrag><ijw:Bedrag>{}</ijw:Bedrag><ijw:DebetCredit>{}</ijw:DebetCredit>"
    "</jw323:IngediendBedrag></jw323:Prestatie>\n"
)


_VAST = {"basis": STANDAARD.basis_namespace, "ns": NS, "code": BERICHT.berichtcode,
         "versie": STANDAARD.berichtversie, "subversie": STANDAARD.berichtsubversie,
         "xsd": STANDAARD.xsd_versie}
"""What the standard fixes in the header."""


def schrijf_jw323(declaratie: Declaratie, standaard: Standaard = STANDAARD) -> bytes:
    """The message as JW323 XML (or the declaration message of `standaard`, e.g. WMO323).
    Lines are grouped per client in order of first appearance (the schema nests lines
    under their client); within a client they keep their order."""
    delen = [_KOP_SJABLOON.format(
        **_VAST, aanbieder=declaratie.aanbieder, gemeente=declaratie.gemeente,
        identificatie=escape(declaratie.bericht_identificatie),
        dagtekening=declaratie.bericht_dagtekening.isoformat(),
        declaratienummer=escape(declaratie.declaratienummer),
        begin=declaratie.declaratie_begindatum.isoformat(),
        eind=declaratie.declaratie_einddatum.isoformat(),
        decdag=declaratie.declaratiedagtekening.isoformat(),
        totaal=abs(declaratie.totaal_ingediend),
        totaal_dc="C" if declaratie.totaal_ingediend < 0 else "D")]
    for bsn, regels in per_client(declaratie.prestaties).items():
        delen.append(f"<jw323:Client><jw323:Bsn>{bsn}</jw323:Bsn><jw323:Prestaties>\n")
        delen.extend(_prestatie_xml(p) for p in regels)
        delen.append("</jw323:Prestaties></jw323:Client>\n")
    delen.append("</jw323:Clienten></jw323:Declaratie>\n</jw323:Bericht>\n")
    return in_standaard("".join(delen).encode(), STANDAARD, standaard, "declaratie")


def per_client(prestaties: tuple[Prestatie, ...] | list[Prestatie]) -> dict[str, list[Prestatie]]:
    """Lines grouped by BSN, clients in order of first appearance."""
    groepen: dict[str, list[Prestatie]] = {}
    for p in prestaties:
        groepen.setdefault(p.bsn, []).append(p)
    return groepen


def _prestatie_xml(p: Prestatie) -> str:
    return _PRESTATIE_SJABLOON.format(
        escape(p.referentienummer),
        f"<ijw:VorigReferentieNummer>{escape(p.vorig_referentienummer)}</ijw:VorigReferentieNummer>"
        if p.vorig_referentienummer else "",
        p.toewijzingnummer, p.productcategorie,
        f"<jw323:ProductCode>{escape(p.productcode)}</jw323:ProductCode>"
        if p.productcode is not None else "",
        _iso(p.begindatum), _iso(p.einddatum), p.geleverd_volume, p.eenheid,
        f"<jw323:ProductTarief>{p.producttarief}</jw323:ProductTarief>"
        if p.producttarief is not None else "",
        p.ingediend_bedrag, p.debet_credit)


_ISO: dict[date, str] = {}


def _iso(d: date) -> str:
    s = _ISO.get(d)
    if s is None:
        s = _ISO[d] = d.isoformat()
    return s
