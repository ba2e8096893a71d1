"""What happens to a message between the route and the database, one transaction each.

These functions are synchronous (the engine is CPU work); routes run them in a thread.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from lxml import etree
from pydantic import ValidationError
from sqlmodel import Session

from api.berichten import Vorm, controleer_xml
from api.dienst import Dienst
from api.fouten import DienstFoutError, json_of_422, pydantic_fout
from api.regios import GeladenRegio, OnbekendeRegioError
from api.schemas import AanwezigheidIn
from api.toegang import Sleutel, ToegangError
from berichten.aanwezigheid import AfwezigheidFoutError, afwezigheid
from berichten.fouten import BerichtFoutError
from berichten.herkenning import STANDAARDEN, herken
from berichten.ijw.standaard import IJW_3_2
from berichten.standaard import Rol, Standaard
from berichten.weigering import weigering
from berichten.wetten import geen_producten
from engine.beoordeling import technisch_afgewezen
from engine.bsn import verberg_bsn
from engine.model import Afwezigheid, Declaratie, Toewijzing
from opslag import opslag
from opslag.database import transactie, vergrendel_aanbieder
from opslag.historie import SqlHistorie, registratie
from opslag.tabellen import DeclaratieRij
from weergave.privacy import uitleg_zonder_bsn

log = logging.getLogger("regelwerk.api")

T = TypeVar("T")
U = TypeVar("U")
_DATAFOUTEN = (ValueError, KeyError, TypeError, IndexError, AttributeError, LookupError,
               ArithmeticError, RecursionError, etree.LxmlError)
"""What odd input can make a reader trip over; other errors are bugs and reach the catch-all."""


def lees(lezer: Callable[..., U], bron: T, *meer: Any) -> U:
    """Run a message reader; a reader that trips over odd input in an unforeseen way still
    gives the sender a 422 (and the log the error type), never a 500."""
    try:
        return lezer(bron, *meer)
    except _DATAFOUTEN as err:
        log.error("lezer %s faalde onverwacht (%s)", getattr(lezer, "__name__", "?"),
                  type(err).__name__)
        raise DienstFoutError(422, "het bericht kan niet worden gelezen: de inhoud past niet "
                                   "bij het verwachte berichtformaat") from None


def kies_regio(d: Dienst, regio: str | None, gemeenten: Collection[str], wie: Sleutel,
               standaard: Standaard | None = None) -> GeladenRegio:
    """The region of a message: one that lists every gemeente of it and, for a message of
    a standard (`standaard`), covers that standard's law (`berichten.wetten`: a JW323 goes
    to the youth region of its gemeente, a WMO323 to its Wmo region). `?regio=` and the
    caller's key may only narrow the regions listing them, never widen them.

    A message without a gemeente (absences) needs `?regio=`. Unknown region or gemeente 404,
    a region that is not the caller's 403, a region that does not list the gemeente or does
    not cover the message's law 422, and 422 while more than one region remains (then
    `?regio=` decides)."""
    if not gemeenten:
        if not regio:
            raise DienstFoutError(422, "het bericht noemt geen gemeente: geef ?regio= op",
                                  locatie="regio")
        return _eigen_regio(d, regio, wie)
    if not regio:
        _geen_ongeladen_regio(d, gemeenten, wie)
    kandidaten = _regios_van(d, gemeenten)
    if regio:
        geladen = _eigen_regio(d, regio, wie)
        vreemd = sorted(g for g in gemeenten if g not in geladen.regelboek.gemeenten)
        if vreemd:
            raise DienstFoutError(422, f"gemeente {vreemd[0]} hoort niet bij regio '{regio}': "
                                       "een bericht wordt verwerkt in een regio van zijn gemeente",
                                  locatie="regio")
        if standaard is not None and not geladen.dekt(standaard):
            raise DienstFoutError(422, geen_producten(geladen.naam, standaard), locatie="regio")
        return geladen
    if standaard is not None:
        kandidaten = _met_wet(d, kandidaten, standaard, gemeenten, wie)
    toegestaan = [r for r in kandidaten if wie.mag(r)]
    if not toegestaan:
        if len(kandidaten) == 1:
            wie.controleer(kandidaten[0])
        raise ToegangError(403, "deze API-sleutel geeft geen toegang tot een regio van gemeente "
                                f"{sorted(gemeenten)[0]}")
    if len(toegestaan) > 1:
        raise DienstFoutError(422, f"gemeente {sorted(gemeenten)[0]} staat in meer dan een regio "
                                   f"({', '.join(toegestaan)}): geef ?regio= op", locatie="regio")
    return d.register.regio(toegestaan[0])


def _met_wet(d: Dienst, kandidaten: list[str], standaard: Standaard,
             gemeenten: Collection[str], wie: Sleutel) -> list[str]:
    """The regions of the gemeente that cover the message's law. None does: 422 naming the
    caller's own regions of the gemeente (a key sees no other region's name; with none of
    its own it gets the 403 of `kies_regio`)."""
    passend = [r for r in kandidaten if d.register.regio(r).dekt(standaard)]
    eigen = [r for r in kandidaten if wie.mag(r)]
    if passend or not eigen:
        return passend if passend else kandidaten
    gemeente = sorted(gemeenten)[0]
    redenen = "; ".join(geen_producten(r, standaard) for r in eigen)
    raise DienstFoutError(
        422, f"gemeente {gemeente} heeft geen regio voor de {standaard.wetnaam} "
             f"({standaard.naam} {standaard.versie}): {redenen}", locatie="regio")


def _geen_ongeladen_regio(d: Dienst, gemeenten: Collection[str], wie: Sleutel) -> None:
    """Fail closed: a gemeente named by a region of the caller's that did not load (its rule
    set has errors) may be that region's; without `?regio=` its message waits (503) rather
    than going to another region of the gemeente, or being called unknown."""
    for gemeente in sorted(gemeenten):
        namen = [n for n in d.register.niet_geladen_met(gemeente) if wie.mag(n)]
        if namen:
            raise DienstFoutError(
                503, f"regio '{namen[0]}' van gemeente {gemeente} is niet geladen: haar "
                     "regelset heeft fouten (zie /v1/gezondheid). Het bericht is niet verwerkt; "
                     "probeer het opnieuw als de regelset hersteld is, of kies met ?regio= "
                     "uitdrukkelijk een andere regio van deze gemeente", locatie="regio")


def _eigen_regio(d: Dienst, regio: str, wie: Sleutel) -> GeladenRegio:
    """The loaded region of this name (404), if the caller may use it (403)."""
    geladen = d.register.regio(regio)
    wie.controleer(geladen.naam)
    return geladen


def _regios_van(d: Dienst, gemeenten: Collection[str]) -> list[str]:
    """The regions that list every one of `gemeenten`; 404 for a gemeente no region lists,
    422 when each is listed but by no common region."""
    gedeeld: set[str] | None = None
    for gemeente in sorted(gemeenten):
        namen = {r.naam for r in d.register.met_gemeente(gemeente)}
        if not namen:
            raise OnbekendeRegioError(gemeente)
        gedeeld = namen if gedeeld is None else gedeeld & namen
    if not gedeeld:
        raise DienstFoutError(422, "de gemeenten van dit bericht horen niet bij een en dezelfde "
                                   "regio: stuur ze in aparte berichten")
    return sorted(gedeeld)


# ---------------------------------------------------------------- JW323


@dataclass(frozen=True, slots=True)
class Antwoord:
    """The outcome of a JW323 or WMO323: stored (`rij`), or refused as a whole (`jw325`, the
    answer in the message's own standard, with the code in its header: 0001 for the XSD or a
    constraint, 8848 for TR135, 9056 for TR056)."""

    regio: str
    rij: DeclaratieRij | None
    opnieuw: bool
    jw325: bytes
    technische_fout: str | None = None
    standaard: Standaard = IJW_3_2

    @property
    def uitleg(self) -> dict[str, Any]:
        return self.rij.uitleg if self.rij is not None else {}


def verwerk_declaratie(d: Dienst, body: bytes, vorm: Vorm, regio: str | None, wie: Sleutel
                       ) -> Antwoord:
    """Read, assess, store and answer one JW323 or WMO323 (XML; JSON is the iJw form). The
    standard follows from the root's namespace; the answer is in the same standard."""
    if vorm == "json":
        declaratie = lees(d.motor.declaratie_uit_json, json_of_422(body))
        standaard = IJW_3_2
    else:
        controleer_xml(body)
        standaard = standaard_van(body, "declaratie")
        try:
            declaratie = lees(d.motor.lees_jw323, body, standaard)
        except BerichtFoutError as err:
            return _technisch_afgewezen(d, body, err, regio, wie, standaard)
    geladen = kies_regio(d, regio, _gemeente(declaratie.gemeente), wie, standaard)
    return _beoordeel(d, geladen, declaratie, standaard)


def standaard_van(body: bytes, rol: Rol) -> Standaard:
    """The standard of a well-formed XML message by its root's namespace
    (`berichten.herkenning`), which must be a message kind of `rol` (declaration on
    /v1/declaraties, allocation on /v1/toewijzingen). Else a located 422 that names the
    namespace found and the ones this route takes."""
    welke = " of ".join(f"{s.met_rol(rol).naam} ({s.naam} {s.versie}, naamruimte "
                        f"'{s.met_rol(rol).namespace}')" for s in STANDAARDEN)
    try:
        standaard, bericht = herken(body)
    except BerichtFoutError as err:
        raise DienstFoutError(422, f"{err.bericht}. Hier wordt een {welke} aangenomen",
                              line=err.line, column=err.column) from None
    if bericht.rol != rol:
        raise DienstFoutError(422, f"dit is een {bericht.naam}-bericht ({standaard.naam} "
                                   f"{standaard.versie}, {bericht.rol}); hier wordt een "
                                   f"{welke} aangenomen", line=1, column=1)
    return standaard


def _gemeente(gemeente: str | None) -> tuple[str, ...]:
    return (gemeente,) if gemeente else ()


def _beoordeel(d: Dienst, geladen: GeladenRegio, declaratie: Declaratie,
               standaard: Standaard) -> Antwoord:
    with transactie(d.engine) as sessie:
        vergrendel_aanbieder(sessie, declaratie.aanbieder)
        eerder = opslag.eerder_antwoord(sessie, geladen.naam, declaratie)
        if eerder is not None:
            log.info("declaratie %s van %s opnieuw ingediend: opgeslagen antwoord %s",
                     declaratie.declaratienummer, declaratie.aanbieder, eerder.id)
            return Antwoord(eerder.regio, eerder, True, eerder.jw325, standaard=standaard)
        geweigerd = _geweigerd(d, sessie, geladen, declaratie, standaard)
        if geweigerd is not None:
            return geweigerd
        context = opslag.context_voor(sessie, geladen.naam, declaratie)
        historie = SqlHistorie(sessie, geladen.naam, declaratie.gemeente)
        beoordeling = d.motor.beoordeel(geladen.regelboek, declaratie, context, historie,
                                        d.instellingen.backend)
        if beoordeling.technische_fout is not None:
            # Answered with 0001 and not recorded: its numbers stay free (as in memory).
            jw325 = d.motor.schrijf_jw325(beoordeling, date.today(), _technisch_id(), standaard)
            return Antwoord(geladen.naam, None, False, jw325,
                            verberg_bsn(beoordeling.technische_fout), standaard)
        # the message, its lines and the ledger in one transaction: a crash leaves none of it
        rij = historie.schrijf(registratie(beoordeling), (standaard.wet, date.today()))
        # BerichtIdentificatie (12 characters at most): from the random public id, so the
        # answer does not count the service's messages either.
        rij.jw325 = d.motor.schrijf_jw325(beoordeling, date.today(), rij.publiek_id[:12],
                                          standaard)
        rij.uitleg = _als_json(d.motor.uitleg_document(beoordeling))
        sessie.add(rij)
    log.info("declaratie %s van %s beoordeeld in regio %s: %d regels, opgeslagen als %s",
             declaratie.declaratienummer, declaratie.aanbieder, geladen.naam,
             len(declaratie.prestaties), rij.id)
    return Antwoord(geladen.naam, rij, False, rij.jw325, standaard=standaard)


def _geweigerd(d: Dienst, sessie: Session, geladen: GeladenRegio, declaratie: Declaratie,
               standaard: Standaard) -> Antwoord | None:
    """The message-level checks (`berichten.weigering`, OP286) before anything is assessed:
    a refused message gets its code in the JW325's header and is not stored, so it counts
    as not sent and its numbers stay free. TR056 asks the store for the identification."""
    bekend = opslag.identificatie_bekend(sessie, geladen.naam, declaratie)
    reden = weigering(declaratie, date.today(), bekend)
    if reden is None:
        return None
    melding = verberg_bsn(reden.melding())
    beoordeling = technisch_afgewezen(
        geladen.regelboek, _kop(declaratie), melding, d.instellingen.backend,
        retourcodes=(reden.retourcode,))
    jw325 = d.motor.schrijf_jw325(beoordeling, date.today(), _technisch_id(), standaard)
    log.info("declaratie technisch afgewezen (%s, %s) in regio %s", reden.retourcode,
             reden.regelcode, geladen.naam)
    return Antwoord(geladen.naam, None, False, jw325, melding, standaard)


def _kop(declaratie: Declaratie) -> dict[str, str | None]:
    return {"aanbieder": declaratie.aanbieder, "gemeente": declaratie.gemeente,
            "identificatie": declaratie.bericht_identificatie,
            "dagtekening": declaratie.bericht_dagtekening.isoformat(),
            "declaratienummer": declaratie.declaratienummer}


def _als_json(document: dict[str, Any]) -> dict[str, Any]:
    """The explanation document with dates and other values made JSON-safe, without the
    clients' BSNs (see weergave.privacy: only the JW325 carries them)."""
    return uitleg_zonder_bsn(json.loads(json.dumps(document, default=str)))


def _technisch_id() -> str:
    """BerichtIdentificatie of an answer that is not stored (at most 12 characters)."""
    return "T" + uuid.uuid4().hex[:11]


def _technisch_afgewezen(d: Dienst, body: bytes, err: BerichtFoutError, regio: str | None,
                         wie: Sleutel, standaard: Standaard) -> Antwoord:
    """A schema-invalid JW323 (WMO323) still gets a JW325 (WMO325): retourcode 0001 and the
    reason, from a region of its gemeente that covers its law."""
    try:
        kop = d.motor.kop_uit(body)
    except BerichtFoutError:
        kop = {}
    geladen = kies_regio(d, regio, _gemeente(kop.get("gemeente")), wie, standaard)
    reden = verberg_bsn(err.locatie_tekst())
    jw325 = d.motor.technisch_afgewezen(kop, reden, date.today(), _technisch_id(), standaard)
    log.info("declaratie technisch afgewezen (0001) in regio %s", geladen.naam)
    return Antwoord(geladen.naam, None, False, jw325, reden, standaard)


# ---------------------------------------------------------------- JW301 and absences


def verwerk_toewijzingen(d: Dienst, body: bytes, vorm: Vorm, regio: str | None, wie: Sleutel
                         ) -> tuple[str, list[Toewijzing], int]:
    """Store every allocation version of a JW301 or WMO301 (XML; JSON is the iJw form):
    (region, versions, new). The region is one of the gemeente's that covers the message's
    law, as for a declaration."""
    if vorm == "json":
        versies = lees(d.motor.toewijzingen_uit_json, json_of_422(body))
        standaard = IJW_3_2
    else:
        controleer_xml(body)
        standaard = standaard_van(body, "toewijzing")
        versies = lees(d.motor.lees_jw301, body)
    geladen = kies_regio(d, regio, {t.gemeente for t in versies if t.gemeente}, wie, standaard)
    with transactie(d.engine) as sessie:
        for aanbieder in sorted({t.aanbieder for t in versies}):
            vergrendel_aanbieder(sessie, aanbieder)
        try:
            nieuw = opslag.bewaar_toewijzingen(sessie, geladen.naam, versies)
        except opslag.ToewijzingConflictError as err:  # rolls the whole message back
            raise DienstFoutError(409, _conflict_tekst(err.versie)) from None
    return geladen.naam, versies, nieuw


def _conflict_tekst(t: Toewijzing) -> str:
    """The 409 sentence: names the allocation and its version, never the client."""
    return (f"toewijzing {t.toewijzingnummer} van gemeente {t.gemeente} heeft al een versie "
            f"met Toewijzingsdatum {t.toewijzingsdatum.isoformat()} en Toewijzingstijd "
            f"{t.toewijzingstijd.isoformat()} met andere inhoud; een gewijzigde toewijzing "
            "krijgt een nieuwe Toewijzingsdatum en -tijd. Het bericht is niet verwerkt.")


def verwerk_aanwezigheid(d: Dienst, body: bytes, is_json: bool, regio: str | None,
                         wie: Sleutel) -> tuple[str, int, int]:
    """Store absence periods (CSV `bsn,toewijzingnummer,van,tot` or JSON): (region,
    received, new)."""
    perioden = _afwezigheden_uit_json(json_of_422(body)) if is_json \
        else lees(d.motor.lees_aanwezigheid, body)
    geladen = kies_regio(d, regio or _enige_regio(d, wie), (), wie)
    with transactie(d.engine) as sessie:
        nieuw = opslag.bewaar_afwezigheden(sessie, geladen.naam, perioden)
    return geladen.naam, len(perioden), nieuw


def _enige_regio(d: Dienst, wie: Sleutel) -> str:
    """Absences name no gemeente: without ?regio= the caller must have exactly one region."""
    mogelijk = [r.naam for r in d.register.alle() if wie.mag(r.naam)]
    if len(mogelijk) != 1:
        raise DienstFoutError(422, "afwezigheden noemen geen gemeente: geef ?regio= op",
                              locatie="regio")
    return mogelijk[0]


def _afwezigheden_uit_json(data: Any) -> list[Afwezigheid]:
    """Absence periods from {"afwezigheden": [{bsn, toewijzingnummer, van, tot}]}."""
    try:
        invoer = AanwezigheidIn.model_validate(data)
    except ValidationError as err:
        eerste = err.errors()[0]
        raise DienstFoutError(422, "ongeldige afwezigheden: " + pydantic_fout(dict(eerste)),
                              locatie=".".join(str(d) for d in eerste["loc"])) from None
    uit = []
    for i, a in enumerate(invoer.afwezigheden):
        try:  # the one check the CSV reader uses too (berichten.aanwezigheid)
            uit.append(afwezigheid(a.bsn, a.toewijzingnummer, a.van, a.tot))
        except AfwezigheidFoutError as err:
            plek = f"afwezigheden.{i}.{err.veld}"
            raise DienstFoutError(422, f"{plek}: {err.bericht}", locatie=plek) from None
    return uit
