"""The message-level checks of a declaration (OP286): what refuses a whole message.

Runs once per message, after the reader (the XSD already passed) and before the engine.
A technical error refuses the message as a whole: nothing of it is assessed or recorded,
the answer carries the retourcode in its header, and the message counts as not sent (its
numbers may be sent again). The checks, each with the standard's rule code:

- CS002 (0001): every BSN passes the elfproef;
- CS100 (0001): the declaration period begins on or after 1 January 2021;
- CS340 (0001): the declaration period is exactly one whole calendar month;
- TR135 (8848): the message's Dagtekening and the DeclaratieDagtekening are not after the
  processing date;
- TR056 (9056): the message identification is new for this sender; the caller knows what
  it has seen (the CLI's history, the service's store) and says so in `identificatie_bekend`.

Line-level constraints the engine already answers per line are not repeated here. The
explanation names the element and its place (a path in the message, clients counted from 1)
and never the BSN itself."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from engine.bsn import elfproef
from engine.model import Declaratie
from engine.opmaak import datum

TECHNISCH = "0001"
"""WJ001: the message is refused for technical reasons (CS002, CS100, CS340)."""
DAGTEKENING_TOEKOMST = "8848"
"""WJ001: a Dagtekening after the processing date (TR135)."""
IDENTIFICATIE_DUBBEL = "9056"
"""WJ001: the message identification is not unique for the sender (TR056)."""

_BSN = attrgetter("bsn")

_EERSTE_DAG = date(2021, 1, 1)
"""CS100: no declaration period before this day."""


@dataclass(frozen=True, slots=True)
class Weigering:
    """Why a whole message is refused: the retourcode for the answer's header, the rule
    code, the element and its place, and a Dutch sentence (without a BSN)."""

    retourcode: str
    regelcode: str
    pad: str
    """the element, e.g. 'Declaratie/Clienten/Client[2]/Bsn'"""
    tekst: str

    def melding(self) -> str:
        """One located line for stderr, the service's answer and the JW325's comment."""
        return (f"{self.pad}: {self.tekst} ({self.regelcode}, retourcode {self.retourcode}); "
                "het hele bericht is afgewezen en geldt als niet verzonden")


def weigering(declaratie: Declaratie, verwerkingsdatum: date,
              identificatie_bekend: bool = False) -> Weigering | None:
    """OP286: the first reason the whole message is refused, or None when it may be
    assessed. Cheap: the header once, every distinct BSN once."""
    return (_bsn(declaratie) or _periode(declaratie) or _toekomst(declaratie, verwerkingsdatum)
            or _dubbel(declaratie, identificatie_bekend))


def _bsn(d: Declaratie) -> Weigering | None:
    """CS002: the first client (in message order) whose BSN fails the elfproef."""
    bsns = dict.fromkeys(map(_BSN, d.prestaties))  # clients in order of first line
    for plaats, bsn in enumerate(bsns, 1):
        if not elfproef(bsn):
            return Weigering(
                TECHNISCH, "CS002", f"Declaratie/Clienten/Client[{plaats}]/Bsn",
                f"het burgerservicenummer van client {plaats} doorstaat de elfproef niet")
    return None


def _periode(d: Declaratie) -> Weigering | None:
    """CS100 and CS340 on the DeclaratiePeriode."""
    begin, eind = d.declaratie_begindatum, d.declaratie_einddatum
    if begin < _EERSTE_DAG:
        return Weigering(TECHNISCH, "CS100", "Declaratie/DeclaratiePeriode/Begindatum",
                         f"de declaratieperiode begint op {datum(begin)}, voor "
                         f"{datum(_EERSTE_DAG)}")
    laatste = calendar.monthrange(begin.year, begin.month)[1]
    if begin.day != 1 or eind != begin.replace(day=laatste):
        return Weigering(TECHNISCH, "CS340", "Declaratie/DeclaratiePeriode",
                         f"de declaratieperiode {datum(begin)} tot en met {datum(eind)} is "
                         "niet precies een hele kalendermaand")
    return None


def _toekomst(d: Declaratie, verwerkingsdatum: date) -> Weigering | None:
    """TR135: no Dagtekening after the processing date."""
    for pad, dag in (("Header/BerichtIdentificatie/Dagtekening", d.bericht_dagtekening),
                     ("Declaratie/DeclaratieDagtekening", d.declaratiedagtekening)):
        if dag > verwerkingsdatum:
            return Weigering(DAGTEKENING_TOEKOMST, "TR135", pad,
                             f"de dagtekening {datum(dag)} ligt na de verwerkingsdatum "
                             f"{datum(verwerkingsdatum)}")
    return None


def _dubbel(d: Declaratie, bekend: bool) -> Weigering | None:
    """TR056: the sender used this message identification before."""
    if not bekend:
        return None
    return Weigering(IDENTIFICATIE_DUBBEL, "TR056", "Header/BerichtIdentificatie/Identificatie",
                     f"aanbieder {d.aanbieder} heeft al een declaratiebericht met identificatie "
                     f"'{d.bericht_identificatie}' gestuurd; de identificatie moet per "
                     "berichtsoort uniek zijn")
