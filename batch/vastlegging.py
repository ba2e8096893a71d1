"""`regelwerk controleer --database URL`: the batch reads its history from the store and
records what it assesses there, as the service does (the same schema, migrated on start).

One transaction for the whole batch: opened before anything is assessed, committed after
the last answer is written, rolled back on any error, so an interrupted run leaves no half-
written ledger. In it, first the locks of the batch's providers (`AanbiederSlot`; on SQLite
the write lock of the file), then their history per gemeente (`opslag.eerder`): the batch
assesses with the in-memory history as without a store, only it starts from what earlier
runs and the service recorded. Each assessed message is then recorded like the service
records one (`SqlHistorie.bewaar`: the message, every line's outcome, credited debits) and
booked in the ledger (`opslag.grootboek`). Not recorded: a message refused as a whole
(0001, 8848, 9056: it counts as not sent) and a message identical to one already stored
(same gemeente, provider, number and content: counted once).

Worker processes (a large batch) cannot share the transaction: each makes the rows an
assessed message writes (`opslag.historie.registratie`: plain tuples, BSNs in reasons
masked) and sends them to this process, which only writes them (bulk: COPY, one prepared
INSERT) while the others are still being assessed. The row making, the masking and the
pickling of whole assessments used to fill this process (9-10 CPU s per 100k lines) and,
with it, the pipe the workers wait on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlmodel import Session

from batch.fouten import InvoerError
from batch.verdeling import baan_van
from engine.historie import GeheugenHistorie
from engine.model import (
    DeclaratieBeoordeling,
)
from opslag import opslag
from opslag.database import VerouderdSchemaError, maak_engine, vergrendel_aanbieder
from opslag.eerder import aanbieders_in_regio, laad_historien
from opslag.historie import Registratie, SqlHistorie, registratie


@dataclass
class Vastlegging:
    engine: Engine
    sessie: Session
    regio: str
    wet: str
    aanbieders: frozenset[str] | None
    """the providers whose history was read and locked (None: every provider of the
    region, when a message's header could not be read)"""
    historien: dict[str, GeheugenHistorie]
    vastgelegd: int = 0
    """messages recorded"""

    @classmethod
    def open(cls, url: str, regio: str, wet: str, gemeenten: Sequence[str],
             berichten: Sequence[Path]) -> Vastlegging:
        """Open the store (migrated to this version), begin the batch's transaction, lock
        its providers and read their history. An InvoerError (nothing changed) when the
        store cannot be opened."""
        engine = _engine(url)
        sessie = Session(engine, expire_on_commit=False)
        try:
            sessie.begin()
            koppen = [baan_van(pad) for pad in berichten]
            aanbieders: set[str] = {k[1] for k in koppen if k is not None}
            alle = any(k is None for k in koppen)
            if alle:
                aanbieders |= aanbieders_in_regio(sessie, regio)
            for aanbieder in sorted(aanbieders):
                vergrendel_aanbieder(sessie, aanbieder)
            historien = laad_historien(sessie, regio, gemeenten, aanbieders)
        except SQLAlchemyError as fout:
            sessie.rollback()
            sessie.close()
            engine.dispose()
            raise InvoerError(f"--database {_veilig(url)}: de database geeft een fout "
                              f"({type(fout).__name__}); er is niets verwerkt") from None
        return cls(engine, sessie, regio, wet, None if alle else frozenset(aanbieders),
                   historien)

    def leg_vast(self, bericht: DeclaratieBeoordeling | Registratie) -> None:
        """Record one assessed message, or its registration made by a worker (see the
        module's docstring for what is not recorded)."""
        if isinstance(bericht, DeclaratieBeoordeling):
            if bericht.technische_fout is not None:
                return
            bericht = registratie(bericht)
        if self.aanbieders is not None and bericht.aanbieder not in self.aanbieders:
            # its header named another provider: its history was not read, nor locked
            raise InvoerError(f"bericht {bericht.declaratienummer}: de aanbieder in het "
                              "bericht is niet die van de kop; er is niets vastgelegd")
        if opslag.eerder_antwoord_op(self.sessie, self.regio, bericht.gemeente,
                                     bericht.aanbieder, bericht.declaratienummer,
                                     bericht.inhoud_sleutel) is not None:
            return
        SqlHistorie(self.sessie, self.regio, bericht.gemeente).schrijf(
            bericht, (self.wet, date.today()))
        self.vastgelegd += 1

    def sluit(self, gelukt: bool) -> None:
        """Commit when the batch ended well, else roll everything back."""
        try:
            if gelukt:
                self.sessie.commit()
            else:
                self.sessie.rollback()
        finally:
            self.sessie.close()
            self.engine.dispose()


def _engine(url: str) -> Engine:
    try:
        make_url(url)
    except ArgumentError:
        raise InvoerError(f"--database: '{_veilig(url)}' is geen database-URL (bijvoorbeeld "
                          "sqlite:///regelwerk.sqlite of postgresql+psycopg://...)") from None
    try:
        return maak_engine(url)
    except VerouderdSchemaError as fout:
        raise InvoerError(f"--database {_veilig(url)}: {fout}") from None
    except (SQLAlchemyError, OSError, ImportError) as fout:
        raise InvoerError(f"--database {_veilig(url)}: de database is niet bereikbaar of "
                          f"niet te openen ({type(fout).__name__})") from None


def _veilig(url: str) -> str:
    """The URL without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1]
