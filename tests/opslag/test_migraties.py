"""The store's migrations (opslag.migraties) on SQLite and PostgreSQL: an empty database
and one at the previous revision (with data) reach the head; the head is exactly the
tables the code declares; a database made before Alembic is taken over, one with missing
columns refused by name."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from opslag.database import VerouderdSchemaError, maak_engine
from opslag.migraties import BASIS, kop, migreer, revisie


def test_leeg_naar_de_kop_is_het_schema_van_de_code(database_url: str) -> None:
    engine = maak_engine(database_url)
    try:
        with engine.connect() as verbinding:
            assert revisie(verbinding) == kop()
            verschil = compare_metadata(MigrationContext.configure(verbinding),
                                        SQLModel.metadata)
        assert verschil == []
        assert "grootboek" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_vorige_revisie_met_gegevens_naar_de_kop(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        migreer(engine, BASIS)
        with engine.begin() as verbinding:
            assert "grootboek" not in inspect(verbinding).get_table_names()
            verbinding.execute(text(
                "INSERT INTO declaratie (regio, aanbieder, gemeente, declaratienummer, "
                "ontvangen_op, regelset_hash, backend, peildatum, totaal_ingediend, "
                "totaal_toegekend, declaratie_begindatum, declaratie_einddatum, publiek_id, "
                "inhoud_sleutel, bericht_identificatie, retourcodes, jw325, uitleg, redenen) "
                "VALUES ('noord', '12345678', '0384', 'D1', :nu, 'h', 'vectorized', :dag, "
                "100, 100, :dag, :dag, 'p1', 'i', 'B1', '', :leeg, '{}', '[]')"),
                {"nu": datetime.now(UTC), "dag": date(2026, 3, 1), "leeg": b""})
        assert migreer(engine) == []
        with engine.connect() as verbinding:
            assert revisie(verbinding) == kop()
            assert verbinding.execute(text("SELECT declaratienummer FROM declaratie")
                                      ).scalar_one() == "D1"
            assert verbinding.execute(text("SELECT count(*) FROM grootboek")).scalar_one() == 0
    finally:
        engine.dispose()


def test_database_van_voor_alembic_wordt_overgenomen(database_url: str) -> None:
    """The tables as `create_all` made them before migrations (no alembic_version)."""
    engine = create_engine(database_url)
    try:
        migreer(engine, BASIS)
        with engine.begin() as verbinding:
            verbinding.execute(text("DROP TABLE alembic_version"))
    finally:
        engine.dispose()
    engine = maak_engine(database_url)
    try:
        with engine.connect() as verbinding:
            assert revisie(verbinding) == kop()
    finally:
        engine.dispose()


def test_ontbrekende_kolom_zonder_migratie_wordt_genoemd(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.begin() as verbinding:
            verbinding.execute(text("CREATE TABLE toewijzing (id INTEGER PRIMARY KEY, "
                                    "gemeente VARCHAR(8))"))
    finally:
        engine.dispose()
    with pytest.raises(VerouderdSchemaError) as fout:
        maak_engine(database_url)
    assert "toewijzing.regio" in str(fout.value)
    assert "oudere versie" in str(fout.value)


def test_0002_met_grootboek_naar_0003_geeft_dagen_nul(database_url: str) -> None:
    """0003 adds the period signals and the ledger's days: rows written before get 0."""
    engine = create_engine(database_url)
    try:
        migreer(engine, "0002")
        with engine.begin() as verbinding:
            verbinding.execute(text(
                "INSERT INTO declaratie (id, regio, aanbieder, gemeente, declaratienummer, "
                "ontvangen_op, regelset_hash, backend, peildatum, totaal_ingediend, "
                "totaal_toegekend, declaratie_begindatum, declaratie_einddatum, publiek_id, "
                "inhoud_sleutel, bericht_identificatie, retourcodes, jw325, uitleg, redenen) "
                "VALUES (1, 'noord', '12345678', '0384', 'D1', :nu, 'h', 'vectorized', :dag, "
                "100, 100, :dag, :dag, 'p1', 'i', 'B1', '', :leeg, '{}', '[]')"),
                {"nu": datetime.now(UTC), "dag": date(2026, 3, 1), "leeg": b""})
            verbinding.execute(text(
                "INSERT INTO grootboek (regio, wet, aanbieder, gemeente, bsn, toewijzingnummer, "
                "productcategorie, eenheid, zorg_begindatum, zorg_einddatum, jaar, kwartaal, "
                "maand, volume, ingediend_bedrag, goedgekeurd_bedrag, debet_credit, status, "
                "retourcodes, declaratie_id, declaratienummer, bericht_identificatie, "
                "referentienummer, beoordeeld_op, regelset_hash) VALUES ('noord', 'jw', "
                "'12345678', '0384', '999', 'T1', '43', '14', :dag, :dag, 2026, 1, 3, 1, 100, "
                "100, 'D', 'goedgekeurd', '', 1, 'D1', 'B1', 'R1', :dag, 'h')"),
                {"dag": date(2026, 3, 1)})
        assert "periodesignaal" not in inspect(engine).get_table_names()
        migreer(engine)
        with engine.connect() as verbinding:
            assert revisie(verbinding) == kop()
            assert verbinding.execute(text("SELECT dagen, afwezige_dagen FROM grootboek")
                                      ).one() == (0, 0)
            assert verbinding.execute(text("SELECT count(*) FROM periodesignaal")
                                      ).scalar_one() == 0
    finally:
        engine.dispose()


def test_periode_revisie_naar_de_betalingen(database_url: str) -> None:
    """A database at the period revision (0003) gets the payments (0004)."""
    engine = create_engine(database_url)
    try:
        migreer(engine, "0003")
        with engine.connect() as verbinding:
            assert "betaling" not in inspect(verbinding).get_table_names()
        assert migreer(engine) == []
        with engine.begin() as verbinding:
            assert revisie(verbinding) == kop()
            verbinding.execute(text(
                "INSERT INTO betaling (regio, aanbieder, gemeente, soort, zorgjaar, betaaljaar,"
                " betaalmaand, bedrag, toelichting, vastgelegd_op) VALUES ('noord', '1', "
                "'0384', 'termijn', 2026, 2026, 1, 5, '', :dag)"), {"dag": date(2026, 1, 2)})
        with pytest.raises(IntegrityError), engine.begin() as verbinding:
            verbinding.execute(text(  # the same payment twice: the unique key refuses
                "INSERT INTO betaling (regio, aanbieder, gemeente, soort, zorgjaar, betaaljaar,"
                " betaalmaand, bedrag, toelichting, vastgelegd_op) VALUES ('noord', '1', "
                "'0384', 'termijn', 2026, 2026, 1, 5, '', :dag)"), {"dag": date(2026, 1, 2)})
    finally:
        engine.dispose()
