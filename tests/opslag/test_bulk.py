"""The bulk insert (`opslag.bulk.voeg_in`: COPY on PostgreSQL, one prepared INSERT on
SQLite) stores exactly what SQLAlchemy's own insert stores, read back through the ORM (dates,
booleans, JSON, NULL, the characters COPY must escape), in the caller's transaction: rolled
back, nothing remains."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import insert
from sqlmodel import Session, SQLModel, col, select

from opslag.bulk import voeg_in
from opslag.database import maak_engine, transactie
from opslag.tabellen import DeclaratieRij, PrestatieRij

PRESTATIE = SQLModel.metadata.tables["prestatie"]
LASTIG = "tab\there, regel\nnieuw, \\N, back\\slash, cliënt € ; \"quote\" 'x'"


def _declaratie(sessie: Session, nummer: str) -> int:
    rij = DeclaratieRij(
        publiek_id=nummer * 8, regio="r", aanbieder="12345678", gemeente="0363",
        declaratienummer=nummer, ontvangen_op=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        regelset_hash="h", backend="b", peildatum=date(2026, 3, 1), totaal_ingediend=1,
        totaal_toegekend=1, inhoud_sleutel="k", bericht_identificatie="BI",
        declaratie_begindatum=date(2026, 1, 1), declaratie_einddatum=date(2026, 1, 31))
    sessie.add(rij)
    sessie.flush()
    assert rij.id is not None
    return rij.id


def _rijen(declaratie_id: int) -> list[dict[str, Any]]:
    basis = dict(declaratie_id=declaratie_id, regio="r", gemeente="0363", aanbieder="12345678",
                 bsn="999999990", toewijzingnummer="T1", productcode="45A01",
                 begindatum=date(2026, 1, 1), einddatum=date(2026, 1, 31), geleverd_volume=3,
                 ingediend_bedrag=12345, toegekend_bedrag=12345, debet_credit="D",
                 status="goedgekeurd", retourcodes="", regelset_hash="h", redenen=[],
                 gecrediteerd=False, vorig_referentienummer=None)
    return [
        {**basis, "volgnummer": 0, "referentienummer": "R0"},
        {**basis, "volgnummer": 1, "referentienummer": "R1", "vorig_referentienummer": "R0",
         "debet_credit": "C", "toegekend_bedrag": -12345, "gecrediteerd": True,
         "productcode": None, "retourcodes": "0001,8001",
         "redenen": [{"soort": "afwijzing", "zin": LASTIG, "waarden": {"a": 1}}]},
        {**basis, "volgnummer": 2, "referentienummer": LASTIG[:40], "status": "afgewezen",
         "begindatum": date(1999, 12, 31), "einddatum": date(2099, 1, 1),
         "toegekend_bedrag": 0, "ingediend_bedrag": -(10**15)},
    ]


def _gelezen(sessie: Session, declaratie_id: int) -> list[dict[str, Any]]:
    rijen = sessie.exec(select(PrestatieRij).where(col(PrestatieRij.declaratie_id)
                                                   == declaratie_id)
                        .order_by(col(PrestatieRij.volgnummer))).all()
    return [{k: v for k, v in r.model_dump().items() if k not in ("id", "declaratie_id")}
            for r in rijen]


def test_bulk_bewaart_wat_sqlalchemy_bewaart(database_url: str) -> None:
    engine = maak_engine(database_url)
    with transactie(engine) as sessie:
        bulk, gewoon = _declaratie(sessie, "A"), _declaratie(sessie, "B")
        assert voeg_in(sessie, PRESTATIE, iter(_rijen(bulk))) == 3
        sessie.execute(insert(PRESTATIE), _rijen(gewoon))
    with Session(engine) as sessie:
        gelezen = _gelezen(sessie, bulk)
        assert gelezen == _gelezen(sessie, gewoon)
    verwacht = [{k: v for k, v in r.items() if k != "declaratie_id"} for r in _rijen(bulk)]
    assert gelezen == verwacht
    engine.dispose()


def test_bulk_in_de_transactie_van_de_aanroeper(database_url: str) -> None:
    engine = maak_engine(database_url)
    with pytest.raises(RuntimeError), transactie(engine) as sessie:
        voeg_in(sessie, PRESTATIE, _rijen(_declaratie(sessie, "A")))
        raise RuntimeError("halverwege")
    with Session(engine) as sessie:
        assert sessie.exec(select(PrestatieRij)).all() == []
    engine.dispose()


def test_bulk_meer_rijen_dan_een_blok(database_url: str, monkeypatch: pytest.MonkeyPatch
                                      ) -> None:
    monkeypatch.setattr("opslag.bulk.BLOK", 2)
    engine = maak_engine(database_url)
    with transactie(engine) as sessie:
        id_ = _declaratie(sessie, "A")
        rijen = [{**_rijen(id_)[0], "volgnummer": i} for i in range(7)]
        assert voeg_in(sessie, PRESTATIE, rijen) == 7
    with Session(engine) as sessie:
        assert [r["volgnummer"] for r in _gelezen(sessie, id_)] == list(range(7))
    engine.dispose()
