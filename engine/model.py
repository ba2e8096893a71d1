"""Domain objects that flow in and out of the engine, independent of XML, JSON and SQL.

Inputs: `Declaratie` (a JW323 with its `Prestatie` lines), `Toewijzing` (a JW301
ToegewezenProduct, one version), `Afwezigheid` (one absence period). Outputs:
`DeclaratieBeoordeling` with one `PrestatieUitkomst` per incoming line, in input order.
Money in whole euro cents (int); dates are `datetime.date`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time
from typing import Literal, Protocol

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
        import hashlib

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
    uitkomsten: tuple[PrestatieUitkomst, ...]
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
    SQL-backed one. Every method takes the keys of a whole batch at once (bulk lookups)."""

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

    def registreer(self, beoordeling: DeclaratieBeoordeling) -> None:
        """Record an assessed message: its numbers, its approved lines, its credits."""
        ...


@dataclass(slots=True)
class Context:
    """Everything besides the rule book and the message that an assessment reads."""

    toewijzingen: dict[str, Toewijzing] = field(default_factory=dict)
    """the version in force per ToewijzingNummer"""
    afwezigheden: tuple[Afwezigheid, ...] = ()
