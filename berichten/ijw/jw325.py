"""JW325 (answer to a JW323) out, following the iJw 3.2 rules of the answer:

- one JW325 per JW323; the header carries 0200 (or, when the whole message is refused
  (OP286), its code: 0001 for a schema error or constraint, 8848 for TR135, 9056 for TR056;
  and then nothing is assessed: no DeclaratieAntwoord);
- when every line is approved: only the totals and 8001 at declaration level;
- otherwise only the rejected lines come back, grouped per client, each with its codes; a
  client rejected as a whole gets its own code (its lines 0233), the other clients 0200;
  declaration level 0200 or its own codes (e.g. 9333);
- Σ rejected amounts (signed) = TotaalIngediend − TotaalToegekend.
Written from string templates (fast at a million lines); the tests validate against the XSD.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from itertools import compress
from operator import attrgetter
from xml.sax.saxutils import escape

from berichten.herkenning import in_standaard
from berichten.ijw.standaard import IJW_3_2
from berichten.standaard import Standaard
from engine.model import DeclaratieBeoordeling, Prestatie, PrestatieUitkomst, Uitkomsten

STANDAARD = IJW_3_2
BERICHT = STANDAARD.met_rol("retour")
NS = BERICHT.namespace

_KOP = """<?xml version="1.0" encoding="UTF-8"?>
<jw325:Bericht xmlns:ijw="{basis}" xmlns:jw325="{ns}">
<jw325:Header><jw325:BerichtCode>{code}</jw325:BerichtCode><jw325:BerichtVersie>{versie}</jw325:BerichtVersie><jw325:BerichtSubversie>{subversie}</jw325:BerichtSubversie><jw325:Afzender>{gemeente}</jw325:Afzender><jw325:Ontvanger>{aanbieder}</jw325:Ontvanger><jw325:BerichtIdentificatie><ijw:Identificatie>{identificatie}</ijw:Identificatie><ijw:Dagtekening>{dagtekening}</ijw:Dagtekening></jw325:BerichtIdentificatie><jw325:XsdVersie><ijw:BasisschemaXsdVersie>{xsd}</ijw:BasisschemaXsdVersie><ijw:BerichtXsdVersie>{xsd}</ijw:BerichtXsdVersie></jw325:XsdVersie><jw325:DeclaratieIdentificatie><ijw:Identificatie>{dec_identificatie}</ijw:Identificatie><ijw:Dagtekening>{dec_dagtekening}</ijw:Dagtekening></jw325:DeclaratieIdentificatie><jw325:XsltVersie>{xslt}</jw325:XsltVersie><jw325:XsdVersieDeclaratie><ijw:BasisschemaXsdVersie>{xsd}</ijw:BasisschemaXsdVersie><ijw:BerichtXsdVersie>{xsd}</ijw:BerichtXsdVersie></jw325:XsdVersieDeclaratie>{codes}</jw325:Header>
"""
_EINDE = "</jw325:Bericht>\n"

_VAST = {"basis": STANDAARD.basis_namespace, "ns": NS, "code": BERICHT.berichtcode,
         "versie": STANDAARD.berichtversie, "subversie": STANDAARD.berichtsubversie,
         "xsd": STANDAARD.xsd_versie, "xslt": STANDAARD.xslt_versie}
"""What the standard fixes in the header."""

_CODES = STANDAARD.codes.retourcodes
GOEDGEKEURD = _CODES.goedgekeurd
GEEN_OPMERKING = _CODES.geen_opmerking
TECHNISCH = _CODES.technisch
CLIENT_AFGEWEZEN = _CODES.client_afgewezen


def retourcodes_xml(codes: tuple[str, ...] | list[str]) -> str:
    """A RetourCodes element (the XSD wants at least one code)."""
    sleutel = tuple(codes)
    xml = _RETOURCODES.get(sleutel)
    if xml is None:
        binnen = "".join(f"<jw325:RetourCode>{c}</jw325:RetourCode>" for c in codes)
        xml = f"<jw325:RetourCodes>{binnen}</jw325:RetourCodes>"
        if len(_RETOURCODES) < 10_000:
            _RETOURCODES[sleutel] = xml
    return xml


_RETOURCODES: dict[tuple[str, ...], str] = {}
"""A message has thousands of lines but few combinations of codes."""

_STATUS = attrgetter("status")


def declaratie_codes(beoordeling: DeclaratieBeoordeling) -> tuple[str, ...]:
    """The codes at declaration level: its own, else 8001 when every line is approved,
    else 0200."""
    if beoordeling.retourcodes:
        return beoordeling.retourcodes
    uitkomsten = beoordeling.uitkomsten
    if isinstance(uitkomsten, Uitkomsten):  # counted without making the outcomes
        alles_goed = uitkomsten.aantal_afgewezen == 0
    else:
        alles_goed = all(map("goedgekeurd".__eq__, map(_STATUS, uitkomsten)))
    return (GOEDGEKEURD,) if alles_goed else (GEEN_OPMERKING,)


def afgewezen_uitkomsten(uitkomsten: Sequence[PrestatieUitkomst]) -> list[PrestatieUitkomst]:
    """The rejected lines, in order (most lines are approved: from the pipeline's
    `Uitkomsten` without making theirs, else in C-level loops)."""
    if isinstance(uitkomsten, Uitkomsten):
        return uitkomsten.afgewezen()
    return list(compress(uitkomsten, map("afgewezen".__eq__, map(_STATUS, uitkomsten))))


def schrijf_jw325(beoordeling: DeclaratieBeoordeling, dagtekening: date,
                  identificatie: str, standaard: Standaard = STANDAARD) -> bytes:
    """The JW325 answer to one assessed JW323 (schema-valid; see the module docstring).
    A beoordeling with `technische_fout` is answered with 0001 and nothing assessed.
    With `standaard` the answer message of that standard (WMO325 to a WMO323: the same
    structure, `berichten.herkenning.in_standaard` swaps the names)."""
    d = beoordeling.declaratie
    kop = {"aanbieder": d.aanbieder, "gemeente": d.gemeente,
           "identificatie": d.bericht_identificatie,
           "dagtekening": d.bericht_dagtekening.isoformat()}
    if beoordeling.technische_fout is not None:
        return technisch_afgewezen(kop, beoordeling.technische_fout, dagtekening, identificatie,
                                   beoordeling.retourcodes or (TECHNISCH,), standaard)
    delen = [_kop(kop, dagtekening, identificatie, (GEEN_OPMERKING,)),
             "<jw325:DeclaratieAntwoord>",
             f"<jw325:DeclaratieNummer>{escape(d.declaratienummer)}</jw325:DeclaratieNummer>",
             _totaal("TotaalIngediendBedrag", d.totaal_ingediend),
             _totaal("TotaalToegekendBedrag", beoordeling.totaal_toegekend)]
    afgewezen = afgewezen_uitkomsten(beoordeling.uitkomsten)
    if afgewezen:
        delen.append(_clienten(beoordeling, afgewezen))
    delen.append(retourcodes_xml(declaratie_codes(beoordeling)))
    delen.append("</jw325:DeclaratieAntwoord>\n")
    delen.append(_EINDE)
    return in_standaard("".join(delen).encode(), STANDAARD, standaard, "retour")


def technisch_afgewezen(kop: Mapping[str, str | None], fout: str, dagtekening: date,
                        identificatie: str, codes: tuple[str, ...] = (TECHNISCH,),
                        standaard: Standaard = STANDAARD) -> bytes:
    """The answer to a message refused as a whole (OP286): it could not be read, failed its
    schema (0001) or a message-level check (`berichten.weigering`: 0001, 8848, 9056): the
    header carries `codes`, no DeclaratieAntwoord, in the message's own standard. `kop` is
    what `jw323.kop_uit` could recover; a value that is missing or not valid for the header
    is replaced by a placeholder (gemeente 0000, AGB 00000000, identificatie 'onbekend',
    dagtekening of the answer) so the answer itself is always schema-valid. `fout` (the
    located error) goes into an XML comment; the explanation document carries it too."""
    tekst = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "?", fout)
    opmerking = "<!-- " + re.sub(r"-{2,}", "-", tekst).rstrip("-") + " -->\n"
    xml = (_kop(kop, dagtekening, identificatie, codes) + opmerking + _EINDE).encode()
    return in_standaard(xml, STANDAARD, standaard, "retour")


_GELDIG = {
    "gemeente": (re.compile(r"[0-9]{4}"), "0000"),
    "aanbieder": (re.compile(r"[0-9]{8}"), "00000000"),
    # the XSD's .*[^\s].*: no line break (a raw CR in the message would reach the answer)
    "identificatie": (re.compile(r"(?=.*\S)[^\r\n]{1,12}"), "onbekend"),
    "dagtekening": (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), ""),
}


def _veld(kop: Mapping[str, str | None], naam: str, dagtekening: date) -> str:
    patroon, anders = _GELDIG[naam]
    waarde = kop.get(naam)
    if waarde is not None and patroon.fullmatch(waarde) and _datum_ok(naam, waarde):
        return escape(waarde)
    return anders or dagtekening.isoformat()


def _datum_ok(naam: str, waarde: str) -> bool:
    if naam != "dagtekening":
        return True
    try:
        date.fromisoformat(waarde)
    except ValueError:
        return False
    return True


def _kop(kop: Mapping[str, str | None], dagtekening: date, identificatie: str,
         codes: tuple[str, ...]) -> str:
    return _KOP.format(
        **_VAST, gemeente=_veld(kop, "gemeente", dagtekening),
        aanbieder=_veld(kop, "aanbieder", dagtekening),
        identificatie=_veld({"identificatie": identificatie}, "identificatie", dagtekening),
        dagtekening=dagtekening.isoformat(),
        dec_identificatie=_veld(kop, "identificatie", dagtekening),
        dec_dagtekening=_veld(kop, "dagtekening", dagtekening),
        codes=retourcodes_xml(codes))


def _totaal(naam: str, bedrag: int) -> str:
    """CS325 in the answer: a total of zero is written with D (debet). The lines copy the
    declaration's amount and sign, and a zero marked C never gets this far (refused whole)."""
    dc = "C" if bedrag < 0 else "D"
    return (f"<jw325:{naam}><ijw:TotaalBedrag>{abs(bedrag)}</ijw:TotaalBedrag>"
            f"<ijw:DebetCredit>{dc}</ijw:DebetCredit></jw325:{naam}>")


def _clienten(beoordeling: DeclaratieBeoordeling, afgewezen: list[PrestatieUitkomst]) -> str:
    prestaties = _Prestaties(beoordeling.declaratie.prestaties)
    per_client: dict[str, list[PrestatieUitkomst]] = {}
    for u in afgewezen:
        per_client.setdefault(u.bsn, []).append(u)
    delen = ["<jw325:Clienten>"]
    for bsn, uitkomsten in per_client.items():
        codes = beoordeling.client_retourcodes.get(bsn) or (GEEN_OPMERKING,)
        delen.append(f"<jw325:Client><jw325:Bsn>{bsn}</jw325:Bsn><jw325:Prestaties>")
        delen.extend(_prestatie(prestaties.met_volgnummer(u.volgnummer), u) for u in uitkomsten)
        delen.append(f"</jw325:Prestaties>{retourcodes_xml(codes)}</jw325:Client>")
    delen.append("</jw325:Clienten>")
    return "".join(delen)


class _Prestaties:
    """The lines of a message by volgnummer: a read message numbers them 0, 1, ... so the
    position is tried first; a dict is built only when that does not hold."""

    def __init__(self, prestaties: tuple[Prestatie, ...]) -> None:
        self._lijst = prestaties
        self._per_nummer: dict[int, Prestatie] | None = None

    def met_volgnummer(self, volgnummer: int) -> Prestatie:
        if 0 <= volgnummer < len(self._lijst):
            p = self._lijst[volgnummer]
            if p.volgnummer == volgnummer:
                return p
        if self._per_nummer is None:
            self._per_nummer = {p.volgnummer: p for p in self._lijst}
        return self._per_nummer[volgnummer]


def _prestatie(p: Prestatie, u: PrestatieUitkomst) -> str:
    vorig = (f"<ijw:VorigReferentieNummer>{_xml(p.vorig_referentienummer)}"
             "</ijw:VorigReferentieNummer>" if p.vorig_referentienummer else "")
    tarief = (f"<jw325:ProductTarief>{p.producttarief}</jw325:ProductTarief>"
              if p.producttarief is not None else "")
    # A rejected line without a code cannot be answered schema-valid; 0233 (not assessed)
    # is the honest code for it.
    codes = u.retourcodes or (CLIENT_AFGEWEZEN,)
    iso = _ISO.get
    return (
        f"<jw325:Prestatie><jw325:ProductReferentie><ijw:ReferentieNummer>"
        f"{_xml(p.referentienummer)}</ijw:ReferentieNummer>{vorig}</jw325:ProductReferentie>"
        f"<jw325:ToewijzingNummer>{p.toewijzingnummer}</jw325:ToewijzingNummer>"
        f"<jw325:ProductCategorie>{p.productcategorie}</jw325:ProductCategorie>"
        f"<jw325:ProductCode>{_xml(p.productcode or '')}</jw325:ProductCode>"
        f"<jw325:ProductPeriode><ijw:Begindatum>{iso(p.begindatum) or _iso(p.begindatum)}"
        f"</ijw:Begindatum><ijw:Einddatum>{iso(p.einddatum) or _iso(p.einddatum)}"
        "</ijw:Einddatum></jw325:ProductPeriode>"
        f"<jw325:GeleverdVolume>{p.geleverd_volume}</jw325:GeleverdVolume>"
        f"<jw325:Eenheid>{p.eenheid}</jw325:Eenheid>{tarief}"
        f"<jw325:IngediendBedrag><ijw:Bedrag>{p.ingediend_bedrag}</ijw:Bedrag>"
        f"<ijw:DebetCredit>{p.debet_credit}</ijw:DebetCredit></jw325:IngediendBedrag>"
        f"{retourcodes_xml(codes)}</jw325:Prestatie>")


def _xml(tekst: str) -> str:
    """`escape`, skipped for the usual text that needs none."""
    if "&" in tekst or "<" in tekst or ">" in tekst:
        return escape(tekst)
    return tekst


_ISO: dict[date, str] = {}


def _iso(d: date) -> str:
    s = _ISO.get(d)
    if s is None:
        if len(_ISO) > 100_000:
            _ISO.clear()
        s = _ISO[d] = d.isoformat()
    return s
