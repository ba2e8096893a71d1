"""The ledger (grootboek): one row per assessed line, the place where production accumulates.

Every money question of a region (what did provider X produce for gemeente Y in Q2, when
does X reach its ceiling, what goes into X's production account) is asked of this table;
the period rules, the quarter and year reports and the settlement of the year (issue 14 and
after) read it. It is written in the same transaction as the assessment it records, by the
service and by `regelwerk controleer --database`, so it never holds half a message.

What a row holds and why:
- the lane: region, law (`wet`: from the message's standard), provider (AGB), gemeente;
- the client (BSN): personal data, needed to count distinct clients (art. 49, 53); stored,
  never logged, never shown in a report (a report counts clients, it does not list them);
- allocation, product category and code, unit: what the production account groups by;
- the care month (`zorg_begindatum`..`zorg_einddatum`, the line's ProductPeriode) with its
  year, quarter and month as columns of their own, so a period report is an index range;
- volume, submitted and approved amount in whole cents, signed: a credit line is negative
  in all three, so a sum over a month is what was produced in it net of corrections (a
  credit lowers the month it credits: its ProductPeriode is the credited line's);
- status and retourcodes: rejected lines stay visible (approved amount 0);
- declaration and message (`declaratie_id`, DeclaratieNummer, BerichtIdentificatie),
  ReferentieNummer, the date of assessment and the rule-set hash: where each figure came
  from, and under which rules.

Nothing here is written for a message refused as a whole (it counts as not sent) nor for a
resubmitted identical message (it is answered from the store and counted once)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import Any

import polars as pl
from sqlalchemy import BigInteger, Index, select
from sqlmodel import Field, Session, SQLModel

from engine.backends.basis import functies
from engine.model import Afwezigheid, DeclaratieBeoordeling, Prestatie
from engine.periode import GROOTBOEK_SCHEMA
from opslag.bulk import voeg_in
from opslag.tabellen import SLEUTEL64

VERBLIJF = "14"
"""The unit of a stay line (etmaal): the days whose presence art. 49 and 53 measure."""



class GrootboekRij(SQLModel, table=True):
    """One assessed line in the ledger (see the module's docstring)."""

    __tablename__ = "grootboek"
    # The reports' questions: a region's year or quarter per provider (and its ceiling per
    # month), per gemeente; and the rows of one declaration.
    __table_args__ = (
        Index("ix_grootboek_aanbieder", "regio", "aanbieder", "jaar", "kwartaal", "maand"),
        Index("ix_grootboek_gemeente", "regio", "gemeente", "jaar", "kwartaal"),
        Index("ix_grootboek_periode", "regio", "jaar", "kwartaal"),
        # The settlement's production (issue 15, `betalen.productie`): covering, so a
        # region-year's GROUP BY reads the index alone (SQLite, 200k rows: 1.4 s -> 0.2 s)
        Index("ix_grootboek_productie", "regio", "jaar", "aanbieder", "gemeente",
              "productcategorie", "maand", "goedgekeurd_bedrag"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=SLEUTEL64)
    regio: str = Field(max_length=100)
    wet: str = Field(max_length=10)
    aanbieder: str = Field(max_length=16)
    gemeente: str = Field(max_length=8)
    bsn: str = Field(max_length=9)
    toewijzingnummer: str = Field(max_length=40)
    productcategorie: str = Field(max_length=8)
    productcode: str | None = Field(default=None, max_length=8)
    eenheid: str = Field(max_length=4)
    zorg_begindatum: date
    zorg_einddatum: date
    jaar: int
    kwartaal: int
    maand: int
    volume: int = Field(sa_type=BigInteger)
    ingediend_bedrag: int = Field(sa_type=BigInteger)
    goedgekeurd_bedrag: int = Field(sa_type=BigInteger)
    debet_credit: str = Field(max_length=1)
    status: str = Field(max_length=12)
    retourcodes: str = ""
    declaratie_id: int = Field(foreign_key="declaratie.id", index=True)
    declaratienummer: str = Field(max_length=40)
    bericht_identificatie: str = Field(max_length=40)
    referentienummer: str = Field(max_length=40)
    vorig_referentienummer: str | None = Field(default=None, max_length=40)
    beoordeeld_op: date
    regelset_hash: str = Field(max_length=64)
    dagen: int = 0
    """Days of the ProductPeriode of a stay line (unit 14, etmaal), signed like the volume;
    0 for other units. With `afwezige_dagen` what art. 49/53's % days present needs."""
    afwezige_dagen: int = 0
    """Days of the ProductPeriode the client was absent (the absences known when the line
    was assessed), signed; 0 for other units."""


Perioden = Mapping[tuple[str, str], Sequence[tuple[date, date]]]
"""The absence periods per (BSN, ToewijzingNummer): what a stay line's absent days come from."""

GEEN_PERIODEN: Perioden = MappingProxyType({})


def grootboekregels(beoordeling: DeclaratieBeoordeling, regio: str, wet: str,
                    declaratie_id: int, beoordeeld_op: date,
                    perioden: Perioden = GEEN_PERIODEN) -> Iterator[dict[str, Any]]:
    """The ledger rows of one assessed message, in line order. Lines approved without a
    remark (the bulk) are read from the line alone: their outcome is never made."""
    d = beoordeling.declaratie
    uitkomsten = beoordeling.uitkomsten
    is_bijzonder = getattr(uitkomsten, "is_bijzonder", None)
    vast = {"regio": regio, "wet": wet, "aanbieder": d.aanbieder, "gemeente": d.gemeente,
            "declaratie_id": declaratie_id, "declaratienummer": d.declaratienummer,
            "bericht_identificatie": d.bericht_identificatie, "beoordeeld_op": beoordeeld_op,
            "regelset_hash": beoordeling.ontvangstbewijs.regelset_hash}
    for rij, p in enumerate(d.prestaties):
        teken = -1 if p.debet_credit == "C" else 1
        dagen, afwezig = _verblijfsdagen(p, perioden)
        if is_bijzonder is None or is_bijzonder(rij):
            u = uitkomsten[rij]
            status, codes, goedgekeurd = u.status, ",".join(u.retourcodes), u.toegekend_bedrag
        else:
            status, codes, goedgekeurd = "goedgekeurd", "", teken * p.ingediend_bedrag
        begin = p.begindatum
        yield {**vast, "bsn": p.bsn, "toewijzingnummer": p.toewijzingnummer,
               "productcategorie": p.productcategorie, "productcode": p.productcode,
               "eenheid": p.eenheid, "zorg_begindatum": begin, "zorg_einddatum": p.einddatum,
               "jaar": begin.year, "kwartaal": (begin.month - 1) // 3 + 1,
               "maand": begin.month, "volume": teken * p.geleverd_volume,
               "ingediend_bedrag": teken * p.ingediend_bedrag,
               "goedgekeurd_bedrag": goedgekeurd, "debet_credit": p.debet_credit,
               "status": status, "retourcodes": codes,
               "referentienummer": p.referentienummer,
               "vorig_referentienummer": p.vorig_referentienummer,
               "dagen": teken * dagen, "afwezige_dagen": teken * afwezig}


def afwezigheidsperioden(afwezigheden: Iterable[Afwezigheid]) -> Perioden:
    """The absences by client and allocation, made once per batch or message (not per
    line: a month's absences are many)."""
    uit: dict[tuple[str, str], list[tuple[date, date]]] = defaultdict(list)
    for a in afwezigheden:
        uit[(a.bsn, a.toewijzingnummer)].append((a.van, a.tot))
    return dict(uit)


def _verblijfsdagen(p: Prestatie, perioden: Perioden) -> tuple[int, int]:
    """A stay line's days and absent days (the engine's own functions); (0, 0) otherwise."""
    if p.eenheid != VERBLIJF or p.einddatum is None:
        return 0, 0
    eigen = list(perioden.get((p.bsn, p.toewijzingnummer), ()))
    return (functies.dagen(p.begindatum, p.einddatum),
            functies.afwezige_dagen(p.begindatum, p.einddatum, eigen))


def schrijf_rijen(sessie: Session, rijen: Iterable[dict[str, Any]]) -> int:
    """Insert ledger rows in bulk (`opslag.bulk`: COPY on PostgreSQL, one prepared INSERT
    on SQLite) in the caller's transaction; the number written."""
    return voeg_in(sessie, SQLModel.metadata.tables[GrootboekRij.__tablename__], rijen)


def lees_jaar(sessie: Session, regio: str, jaar: int) -> pl.DataFrame:
    """One region's year of ledger rows, the columns a period rule or report reads
    (`engine.periode.GROOTBOEK_SCHEMA`), as a Polars frame read in one query (Arrow-backed;
    never a Python object per row). Only this region's rows: `regio` is in the WHERE."""
    tabel = SQLModel.metadata.tables[GrootboekRij.__tablename__]
    vraag = (select(*(tabel.c[k] for k in GROOTBOEK_SCHEMA))
             .where(tabel.c.regio == regio, tabel.c.jaar == jaar))
    verbinding = sessie.connection()
    if verbinding.dialect.name == "postgresql":
        return _kopie(verbinding.connection.driver_connection, regio, jaar)
    frame = pl.read_database(vraag, connection=sessie.connection(),
                             schema_overrides=dict(GROOTBOEK_SCHEMA))
    if frame.is_empty():
        return pl.DataFrame(schema=dict(GROOTBOEK_SCHEMA))
    return frame.cast(dict(GROOTBOEK_SCHEMA))  # type: ignore[arg-type]


def _kopie(psycopg_verbinding: Any, regio: str, jaar: int) -> pl.DataFrame:
    """PostgreSQL: the rows as CSV through COPY TO STDOUT, parsed by Polars (no Python
    object per row: for a region-year of a million rows the row fetch is what costs)."""
    kolommen = ", ".join(f'"{k}"' for k in GROOTBOEK_SCHEMA)
    buffer = bytearray()
    with psycopg_verbinding.cursor() as cursor:
        opdracht = (f"COPY (SELECT {kolommen} FROM grootboek WHERE regio = %s AND jaar = %s) "
                    "TO STDOUT WITH (FORMAT csv, HEADER true)")
        with cursor.copy(opdracht, (regio, jaar)) as copy:
            for blok in copy:
                buffer += blok
    return pl.read_csv(bytes(buffer), schema=dict(GROOTBOEK_SCHEMA))
