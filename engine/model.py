"""Domain objects that flow in and out of the engine, independent of XML, JSON and SQL.

Inputs: `Declaratie` (a JW323 with its `Prestatie` lines), `Toewijzing` (a JW301
ToegewezenProduct, one version), `Afwezigheid` (one absence period). Outputs:
`DeclaratieBeoordeling` with one `PrestatieUitkomst` per incoming line, in input order.
Money in whole euro cents (int); dates are `datetime.date`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any, Literal, Protocol, overload

DebetCredit = Literal["D", "C"]


@dataclass(frozen=True, slots=True)
class Prestatie:
    """One JW323 line. `volgnummer` is its 0-based position in the message."""

    volgnummer: int
    bsn: str
    referentienummer: str
    vorig_referentienummer: str | None
    toewijzingnummer: str
    productcategorie: str
    productcode: str | None
    begindatum: date
    einddatum: date
    geleverd_volume: int
    eenheid: str
    producttarief: int | None
    ingediend_bedrag: int
    debet_credit: DebetCredit


@dataclass(frozen=True, slots=True)
class Declaratie:
    """One JW323 message: header, declaration and its lines (in document order)."""

    aanbieder: str
    gemeente: str
    bericht_identificatie: str
    bericht_dagtekening: date
    declaratienummer: str
    declaratie_begindatum: date
    declaratie_einddatum: date
    declaratiedagtekening: date
    totaal_ingediend: int
    """TotaalIngediendBedrag as a signed amount: debits minus credits."""
    prestaties: tuple[Prestatie, ...]

    def inhoud_sleutel(self) -> str:
        """A fingerprint of the content, to tell a resubmission from a different message."""
        h = hashlib.sha256(repr((self.aanbieder, self.gemeente, self.declaratienummer,
                                 self.declaratie_begindatum, self.totaal_ingediend,
                                 self.prestaties)).encode())
        return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Toewijzing:
    """One version of a ToegewezenProduct (JW301). The version in force for a number is the
    one with the latest (toewijzingsdatum, toewijzingstijd)."""

    toewijzingnummer: str
    bsn: str
    gemeente: str
    aanbieder: str
    productcategorie: str | None
    productcode: str | None
    toewijzingsdatum: date
    toewijzingstijd: time
    ingangsdatum: date
    einddatum: date | None
    volume: int | None
    eenheid: str | None
    frequentie: str | None
    budget: int | None
    reden_wijziging: str | None

    @property
    def verwijderd(self) -> bool:
        return self.reden_wijziging == "13"

    @property
    def versie(self) -> tuple[date, time]:
        return (self.toewijzingsdatum, self.toewijzingstijd)


@dataclass(frozen=True, slots=True)
class Afwezigheid:
    """An absence period, both dates inclusive."""

    bsn: str
    toewijzingnummer: str
    van: date
    tot: date


# ---------------------------------------------------------------- outcomes


@dataclass(frozen=True, slots=True)
class Reden:
    """Why a line was rejected, or what a signal says."""

    retourcode: str | None
    artikel: str
    lid: str | None
    regel: str
    """the rule's name as written in the rule file"""
    regel_id: str
    uitleg: str
    waarden: dict[str, str]
    """the values the decision compared, formatted for people (e.g. '€ 76,45', '12 uur')"""
    bron: str
    """file:line of the rule"""


Status = Literal["goedgekeurd", "afgewezen"]


@dataclass(frozen=True, slots=True)
class PrestatieUitkomst:
    volgnummer: int
    referentienummer: str
    bsn: str
    status: Status
    retourcodes: tuple[str, ...]
    redenen: tuple[Reden, ...]
    signalen: tuple[Reden, ...]
    toegekend_bedrag: int
    """signed like the line: positive for debit, negative for credit; 0 when rejected"""


_LEEG: tuple[Reden, ...] = ()
_ZETTERS = tuple(getattr(PrestatieUitkomst, naam).__set__ for naam in PrestatieUitkomst.__slots__)


def goedgekeurd_zonder_opmerking(prestatie: Prestatie) -> PrestatieUitkomst:
    """The outcome of an approved line without reasons or signals (the bulk of a message).
    Filled through the slot descriptors, twice as fast as the frozen dataclass's __init__
    (the same object)."""
    uitkomst = object.__new__(PrestatieUitkomst)
    volgnummer, referentienummer, bsn, status, codes, redenen, signalen, bedrag = _ZETTERS
    volgnummer(uitkomst, prestatie.volgnummer)
    referentienummer(uitkomst, prestatie.referentienummer)
    bsn(uitkomst, prestatie.bsn)
    status(uitkomst, "goedgekeurd")
    codes(uitkomst, ())
    redenen(uitkomst, _LEEG)
    signalen(uitkomst, _LEEG)
    getekend = prestatie.ingediend_bedrag
    bedrag(uitkomst, getekend if prestatie.debet_credit == "D" else -getekend)
    return uitkomst


class Uitkomsten(Sequence[PrestatieUitkomst]):
    """The outcome of every line of a message, in input order, made when read.

    Most lines are approved without remarks: their `PrestatieUitkomst` follows from the line
    alone. The others (rejected, or with a signal) are the lines in `eigen` (a finding of
    their own), of a client in `clienten` (rejected as a whole) or all of them when
    `alles` (the declaration is rejected); `maak` makes those, formatting their reasons
    only when they are read. Compares equal to a tuple of the same outcomes.

    Iterating makes every outcome once and keeps them (a second pass is a tuple's). Writers
    that want to skip the bulk: `prestaties` and `is_bijzonder(rij)` (a line that is not
    bijzonder is approved without remarks: its outcome is `goedgekeurd_zonder_opmerking`),
    `bijzondere()`, `afgewezen()`, and `aantal_afgewezen` without making any outcome."""

    __slots__ = ("_alle", "_alles", "_clienten", "_eigen", "_maak", "_prestaties",
                 "aantal_afgewezen")

    def __init__(self, prestaties: Sequence[Prestatie], eigen: Collection[int],
                 clienten: Collection[str], alles: bool,
                 maak: Callable[[int], PrestatieUitkomst], aantal_afgewezen: int) -> None:
        self._prestaties = prestaties
        self._eigen = eigen
        self._clienten = clienten
        self._alles = alles
        self._maak = maak
        self._alle: tuple[PrestatieUitkomst, ...] | None = None
        self.aantal_afgewezen = aantal_afgewezen

    @property
    def prestaties(self) -> Sequence[Prestatie]:
        """The lines these are the outcomes of."""
        return self._prestaties

    def is_bijzonder(self, rij: int) -> bool:
        """False when line `rij` is approved without reasons or signals."""
        return (self._alles or rij in self._eigen
                or self._prestaties[rij].bsn in self._clienten)

    def bijzondere_rijen(self) -> list[int]:
        """The lines (positions) that are not approved without remarks, in order."""
        if self._alles:
            return list(range(len(self._prestaties)))
        if not self._clienten:
            return sorted(self._eigen)
        return [rij for rij in range(len(self._prestaties)) if self.is_bijzonder(rij)]

    def bijzondere(self) -> list[PrestatieUitkomst]:
        """The outcomes of the lines that are not approved without remarks, in order."""
        return [self[rij] for rij in self.bijzondere_rijen()]

    def afgewezen(self) -> list[PrestatieUitkomst]:
        """The outcomes of the rejected lines, in order."""
        if not self.aantal_afgewezen:
            return []
        return [u for u in self.bijzondere() if u.status == "afgewezen"]

    def __len__(self) -> int:
        return len(self._prestaties)

    @overload
    def __getitem__(self, index: int) -> PrestatieUitkomst: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[PrestatieUitkomst, ...]: ...

    def __getitem__(self, index: int | slice) -> PrestatieUitkomst | tuple[PrestatieUitkomst, ...]:
        if self._alle is not None:
            return self._alle[index]
        if isinstance(index, slice):
            return tuple(self)[index]
        rij = range(len(self._prestaties))[index]
        if self.is_bijzonder(rij):
            return self._maak(rij)
        return goedgekeurd_zonder_opmerking(self._prestaties[rij])

    def __iter__(self) -> Iterator[PrestatieUitkomst]:
        if self._alle is None:
            self._alle = tuple(self._maak(rij) if self.is_bijzonder(rij)
                               else goedgekeurd_zonder_opmerking(p)
                               for rij, p in enumerate(self._prestaties))
        return iter(self._alle)

    def __eq__(self, ander: object) -> bool:
        if not isinstance(ander, Sequence) or isinstance(ander, str):
            return NotImplemented
        return len(self) == len(ander) and all(a == b for a, b in zip(self, ander, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled (and deep-copied) as the plain tuple it stands for
        return (tuple, (tuple(self),))


@dataclass(frozen=True, slots=True)
class Ontvangstbewijs:
    regelset_hash: str
    artikelen_in_werking: tuple[str, ...]
    peildatum: date
    engine_versie: str
    backend: str


@dataclass(frozen=True, slots=True)
class DeclaratieBeoordeling:
    declaratie: Declaratie
    retourcodes: tuple[str, ...]
    """declaration level (e.g. 9333); empty when none"""
    redenen: tuple[Reden, ...]
    client_retourcodes: dict[str, tuple[str, ...]]
    """per BSN: the client's own codes when the client was rejected (lines then get 0233)"""
    uitkomsten: Sequence[PrestatieUitkomst]
    """one per incoming line, in input order: a tuple, or (from the pipeline) `Uitkomsten`,
    which makes them when read"""
    signalen: tuple[Reden, ...]
    totaal_toegekend: int
    """signed: approved debits minus approved credits"""
    ontvangstbewijs: Ontvangstbewijs
    technische_fout: str | None = None
    """set when the message failed its schema: answered with 0001, nothing assessed"""


# ---------------------------------------------------------------- history between messages


@dataclass(frozen=True, slots=True)
class EerdereDebet:
    """An approved debit line of an earlier message, as credits and 9389 need it."""

    referentienummer: str
    toewijzingnummer: str
    productcode: str | None
    begindatum: date
    einddatum: date
    geleverd_volume: int
    bedrag: int
    gecrediteerd: bool


@dataclass(frozen=True, slots=True)
class Goedgekeurd:
    volume: int = 0
    bedrag: int = 0


class Historie(Protocol):
    """What the engine needs to know of earlier messages, per provider. The engine keeps no
    state of its own: the CLI hands in `engine.historie.GeheugenHistorie`, the service a
    SQL-backed one. Every method takes the keys of a whole batch at once (bulk lookups).

    Optional (found with getattr; without them the methods below are used):
    `bekende_aanbieders()` (the providers with any history: others are not asked about),
    `goedgekeurd_paren` and `open_debet_sleutels` (the same answers as tuples) and
    `registreer_blok(declaraties, goedgekeurd)` (record a block of assessed messages at
    once, in order, `goedgekeurd` per line; else `registreer` per message). See
    `engine.historie.GeheugenHistorie`."""

    def bekende_referentienummers(self, aanbieder: str, nummers: Iterable[str]) -> set[str]: ...

    def declaratie_inhoud(self, aanbieder: str, declaratienummer: str) -> str | None:
        """The content key of an earlier declaration with this number, if any."""
        ...

    def goedgekeurd_per_toewijzing(
        self, aanbieder: str, toewijzingnummers: Iterable[str]
    ) -> dict[str, Goedgekeurd]: ...

    def debetten(self, aanbieder: str, referentienummers: Iterable[str]) -> dict[str, EerdereDebet]:
        """Approved debit lines by their ReferentieNummer."""
        ...

    def open_debetten(
        self, aanbieder: str, toewijzingnummers: Iterable[str]
    ) -> list[EerdereDebet]:
        """Approved, not yet credited debit lines on these allocations."""
        ...

    def vorige_declaratieperiode(self, aanbieder: str, gemeente: str) -> date | None:
        """The latest end of a DeclaratiePeriode of a recorded message of this provider to
        this gemeente (TR318); None when there is none. Every assessed message counts,
        whatever its outcome: only a message refused as a whole is not recorded."""
        ...

    def registreer(self, beoordeling: DeclaratieBeoordeling) -> None:
        """Record an assessed message: its numbers, its approved lines, its credits."""
        ...


@dataclass(slots=True)
class Context:
    """Everything besides the rule book and the message that an assessment reads."""

    toewijzingen: dict[str, Toewijzing] = field(default_factory=dict)
    """the version in force per ToewijzingNummer"""
    afwezigheden: tuple[Afwezigheid, ...] = ()
