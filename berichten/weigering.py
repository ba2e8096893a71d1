"""The message-level checks of a declaration (OP286): what refuses a whole message.

Runs once per message, after the reader (the XSD already passed) and before the engine.
A technical error refuses the message as a whole: nothing of it is assessed or recorded,
the answer carries the retourcode in its header, and the message counts as not sent (its
numbers may be sent again). The checks, each with the standard's rule code:

- CS002 (0001): every BSN passes the elfproef;
- CS100 (0001): the declaration period begins on or after 1 January 2021;
- CS340 (0001): the declaration period is exactly one whole calendar month;
- CS100, CS337 and CS325 (0001) on the lines: no product period before 1 January 2021, a
  product period within one calendar month, no amount of zero marked credit (the
  TotaalIngediendBedrag's zero credit is refused by the reader, `berichten.ijw.jw323`, as
  the model keeps only its signed value);
- TR135 (8848): the message's Dagtekening and the DeclaratieDagtekening are not after the
  processing date;
- TR056 (9056): the message identification is new for this sender and this receiving
  gemeente (a receiver can only know the messages sent to it; regelwerk acts for each
  gemeente on its own); the caller knows what it has seen (the CLI's history per gemeente,
  the service's store) and says so in `identificatie_bekend`.

Line-level constraints the engine already answers per line are not repeated here. The
explanation names the element and its place (a path in the message, clients counted from 1)
and never the BSN itself."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from engine.bsn import elfproef
from engine.model import Declaratie, Prestatie

TECHNISCH = "0001"
"""WJ001: the message is refused for technical reasons (CS002, CS100, CS325, CS337, CS340)."""
DAGTEKENING_TOEKOMST = "8848"
"""WJ001: a Dagtekening after the processing date (TR135)."""
IDENTIFICATIE_DUBBEL = "9056"
"""WJ001: the message identification is not unique for the sender (TR056)."""

_BSN = attrgetter("bsn")
_PERIODE = attrgetter("begindatum", "einddatum")
_BEDRAG = attrgetter("ingediend_bedrag")
_BEDRAG_TEKEN = attrgetter("ingediend_bedrag", "debet_credit")

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
    return (_bsn(declaratie) or _periode(declaratie) or _prestaties(declaratie)
            or _toekomst(declaratie, verwerkingsdatum)
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
                         f"de declaratieperiode begint op {begin.isoformat()}, voor "
                         f"{_EERSTE_DAG.isoformat()}")
    laatste = calendar.monthrange(begin.year, begin.month)[1]
    if begin.day != 1 or eind != begin.replace(day=laatste):
        return Weigering(TECHNISCH, "CS340", "Declaratie/DeclaratiePeriode",
                         f"de declaratieperiode {begin.isoformat()} t/m {eind.isoformat()} is "
                         "niet precies een hele kalendermaand")
    return None


def _prestaties(d: Declaratie) -> Weigering | None:
    """CS100, CS337 and CS325 on the lines: the first line whose ProductPeriode begins before
    1 January 2021 or ends in another calendar month than it begins, or whose IngediendBedrag
    is zero marked credit. Once per message: the distinct periods are few (a month each), so
    they are collected at C speed and only those are looked at; a zero amount is rare, so
    the signs are looked at only when there is one."""
    prestaties = d.prestaties
    fout_periode = {(b, e) for b, e in set(map(_PERIODE, prestaties))
                    if b < _EERSTE_DAG or (b.year, b.month) != (e.year, e.month)}
    nul_credit = 0 in map(_BEDRAG, prestaties) and (0, "C") in map(_BEDRAG_TEKEN, prestaties)
    if not fout_periode and not nul_credit:
        return None
    for p in prestaties:
        b, e = p.begindatum, p.einddatum
        if (b, e) in fout_periode:
            if b < _EERSTE_DAG:
                return Weigering(TECHNISCH, "CS100", _pad(d, p, "ProductPeriode/Begindatum"),
                                 f"de productperiode van prestatie {p.referentienummer} begint "
                                 f"op {b.isoformat()}, voor {_EERSTE_DAG.isoformat()}")
            return Weigering(TECHNISCH, "CS337", _pad(d, p, "ProductPeriode"),
                             f"de productperiode van prestatie {p.referentienummer} "
                             f"({b.isoformat()} t/m {e.isoformat()}) ligt niet binnen een "
                             "kalendermaand")
        if p.ingediend_bedrag == 0 and p.debet_credit == "C":
            return Weigering(TECHNISCH, "CS325", _pad(d, p, "IngediendBedrag/DebetCredit"),
                             f"het ingediende bedrag van prestatie {p.referentienummer} is nul "
                             "en heeft teken C (credit); een bedrag nul heeft teken D (debet)")
    return None


def _pad(d: Declaratie, p: Prestatie, element: str) -> str:
    """The place of a line's element: clients counted in order of their first line, the
    line counted within its client (only on the way to a refusal)."""
    clienten = list(dict.fromkeys(map(_BSN, d.prestaties)))
    binnen = sum(1 for q in d.prestaties[:p.volgnummer] if q.bsn == p.bsn) + 1
    return (f"Declaratie/Clienten/Client[{clienten.index(p.bsn) + 1}]/Prestaties/"
            f"Prestatie[{binnen}]/{element}")


def _toekomst(d: Declaratie, verwerkingsdatum: date) -> Weigering | None:
    """TR135: no Dagtekening after the processing date."""
    for pad, dag in (("Header/BerichtIdentificatie/Dagtekening", d.bericht_dagtekening),
                     ("Declaratie/DeclaratieDagtekening", d.declaratiedagtekening)):
        if dag > verwerkingsdatum:
            return Weigering(DAGTEKENING_TOEKOMST, "TR135", pad,
                             f"de dagtekening {dag.isoformat()} ligt na de verwerkingsdatum "
                             f"{verwerkingsdatum.isoformat()}")
    return None


def _dubbel(d: Declaratie, bekend: bool) -> Weigering | None:
    """TR056: the sender used this message identification before."""
    if not bekend:
        return None
    return Weigering(IDENTIFICATIE_DUBBEL, "TR056", "Header/BerichtIdentificatie/Identificatie",
                     f"aanbieder {d.aanbieder} heeft gemeente {d.gemeente} al een "
                     f"declaratiebericht met identificatie '{d.bericht_identificatie}' "
                     "gestuurd; de identificatie moet per berichtsoort uniek zijn")
