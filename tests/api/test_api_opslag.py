"""The SQL history (engine.model.Historie) and the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from api_hulp import declaratie, prestatie
from api_standin import beoordeel
from sqlalchemy import Engine, create_engine, event, func, inspect
from sqlmodel import select

from engine.ir import Regelboek
from engine.model import Context, Declaratie, DeclaratieBeoordeling, Toewijzing
from opslag import opslag
from opslag.database import maak_engine, transactie
from opslag.historie import SqlHistorie
from opslag.tabellen import DeclaratieRij, PrestatieRij

BOEK = Regelboek("noord", "noord", ("0384",), (), {}, {}, (), (), (), "a" * 64, ())
_teller = itertools.count(10_000_000)


@pytest.fixture
def aanbieder() -> str:
    """A provider of its own per test: tests share the module's database."""
    return str(next(_teller))


def toewijzing(nummer: str, aanbieder: str, volume: int, uur: int = 10) -> Toewijzing:
    return Toewijzing(nummer, "999900006", "0384", aanbieder, "45", "45A03",
                      prestatie(0, "x").begindatum, time(uur), prestatie(0, "x").begindatum,
                      None, volume, "04", "6", None, None)


def registreer(engine: Engine, d: Declaratie) -> DeclaratieBeoordeling:
    with transactie(engine) as sessie:
        context = opslag.context_voor(sessie, "noord", d)
        historie = SqlHistorie(sessie, "noord", "0384")
        b = beoordeel(BOEK, d, context, historie, "vectorized")
        historie.registreer(b)
    return b


def historie_lees(engine: Engine, methode: str, *args: object) -> Any:
    with transactie(engine) as sessie:
        return getattr(SqlHistorie(sessie, "noord", "0384"), methode)(*args)


def test_toewijzingversies_laatste_geldt_en_dubbel_telt_niet(engine: Engine, aanbieder: str
                                                            ) -> None:
    v1, v2 = toewijzing("1", aanbieder, 10, 10), toewijzing("1", aanbieder, 20, 11)
    with transactie(engine) as sessie:
        assert opslag.bewaar_toewijzingen(sessie, "noord", [v2, v1, v1]) == 2
        assert opslag.bewaar_toewijzingen(sessie, "noord", [v1]) == 0
    with transactie(engine) as sessie:
        geldend = opslag.geldende_toewijzingen(sessie, "noord", "0384", aanbieder, ["1", "9"])
    assert geldend == {"1": v2}


def test_historie_na_goedgekeurde_debetten(engine: Engine, aanbieder: str) -> None:
    with transactie(engine) as sessie:
        opslag.bewaar_toewijzingen(sessie, "noord", [toewijzing("1", aanbieder, 100)])
    d = declaratie("D1", prestatie(0, "R1", volume=4), prestatie(1, "R2", volume=6),
                   prestatie(2, "R3", toewijzing="9999"), aanbieder=aanbieder)
    b = registreer(engine, d)
    assert [u.status for u in b.uitkomsten] == ["goedgekeurd", "goedgekeurd", "afgewezen"]
    assert historie_lees(engine, "bekende_referentienummers", aanbieder,
                         ["R1", "R3", "R9"]) == {"R1", "R3"}
    assert historie_lees(engine, "declaratie_inhoud", aanbieder, "D1") == d.inhoud_sleutel()
    goed = historie_lees(engine, "goedgekeurd_per_toewijzing", aanbieder, ["1", "2"])
    assert goed == {"1": type(goed["1"])(10, 10 * 1250), "2": type(goed["1"])(0, 0)}
    debetten = historie_lees(engine, "debetten", aanbieder, ["R1", "R3"])
    assert set(debetten) == {"R1"} and debetten["R1"].gecrediteerd is False
    assert {d.referentienummer for d in historie_lees(engine, "open_debetten", aanbieder, ["1"])
            } == {"R1", "R2"}


def test_credit_maakt_debet_gecrediteerd_en_telt_af(engine: Engine, aanbieder: str) -> None:
    with transactie(engine) as sessie:
        opslag.bewaar_toewijzingen(sessie, "noord", [toewijzing("1", aanbieder, 100)])
    registreer(engine, declaratie("D1", prestatie(0, "R1", volume=4),
                                  prestatie(1, "R2", volume=6), aanbieder=aanbieder))
    b = registreer(engine, declaratie("D2", prestatie(0, "C1", volume=4, dc="C", vorig="R1"),
                                      aanbieder=aanbieder))
    assert b.uitkomsten[0].status == "goedgekeurd"
    goed = historie_lees(engine, "goedgekeurd_per_toewijzing", aanbieder, ["1"])
    assert (goed["1"].volume, goed["1"].bedrag) == (6, 6 * 1250)
    assert historie_lees(engine, "debetten", aanbieder, ["R1"])["R1"].gecrediteerd is True
    assert [d.referentienummer for d in historie_lees(engine, "open_debetten", aanbieder, ["1"])
            ] == ["R2"]


def test_andere_aanbieder_ziet_niets(engine: Engine, aanbieder: str) -> None:
    registreer(engine, declaratie("D1", prestatie(0, "R1"), aanbieder=aanbieder))
    ander = str(next(_teller))
    assert historie_lees(engine, "bekende_referentienummers", ander, ["R1"]) == set()
    assert historie_lees(engine, "declaratie_inhoud", ander, "D1") is None


def test_mislukte_transactie_laat_niets_half_achter(engine: Engine, aanbieder: str) -> None:
    d = declaratie("D1", prestatie(0, "R1"), prestatie(1, "R2"), aanbieder=aanbieder)
    with pytest.raises(RuntimeError), transactie(engine) as sessie:
        historie = SqlHistorie(sessie, "noord", "0384")
        historie.registreer(beoordeel(BOEK, d, Context(), historie, "vectorized"))
        raise RuntimeError("schijf vol")
    with transactie(engine) as sessie:
        assert sessie.exec(select(func.count()).select_from(DeclaratieRij)
                           .where(DeclaratieRij.aanbieder == aanbieder)).one() == 0
        assert sessie.exec(select(func.count()).select_from(PrestatieRij)
                           .where(PrestatieRij.aanbieder == aanbieder)).one() == 0


def test_veel_nummers_in_een_keer(engine: Engine, aanbieder: str) -> None:
    """Bulk lookups are split in blocks: 1,200 lines at once still work on both databases."""
    regels = [replace(prestatie(i, f"R{i}"), toewijzingnummer=f"{i % 7}") for i in range(1200)]
    registreer(engine, declaratie("D1", *regels, aanbieder=aanbieder))
    bekend = historie_lees(engine, "bekende_referentienummers", aanbieder,
                           [f"R{i}" for i in range(0, 2400, 2)])
    assert bekend == {f"R{i}" for i in range(0, 1200, 2)}


def test_identificatie_per_afzender_en_ontvangende_gemeente(engine: Engine, aanbieder: str
                                                           ) -> None:
    """TR056 in the store: known for this provider and this gemeente only (the receiver knows
    what was sent to it), after the message was stored."""
    d = replace(declaratie("T56", prestatie(0, "R1"), aanbieder=aanbieder),
                bericht_identificatie="T56")
    registreer(engine, d)
    with transactie(engine) as sessie:
        assert opslag.identificatie_bekend(sessie, "noord", d)
        assert not opslag.identificatie_bekend(sessie, "noord", replace(d, gemeente="0385"))
        assert not opslag.identificatie_bekend(sessie, "noord", replace(d, aanbieder="1"))
        assert not opslag.identificatie_bekend(sessie, "zuid", d)
        assert not opslag.identificatie_bekend(
            sessie, "noord", replace(d, bericht_identificatie="T57"))


def test_identificatie_wordt_via_een_index_gevonden(engine: Engine, aanbieder: str) -> None:
    """The TR056 lookup runs once per message on a table that only grows: the database's
    plan finds it through ix_declaratie_identificatie (PostgreSQL's planner would scan a
    table this small anyway: there sequential scans are switched off, after ANALYZE)."""
    assert any(i["name"] == "ix_declaratie_identificatie"
               and i["column_names"] == ["regio", "gemeente", "aanbieder",
                                         "bericht_identificatie"]
               for i in inspect(engine).get_indexes("declaratie"))
    vragen: list[tuple[str, Any]] = []

    def onthoud(_conn: Any, _cursor: Any, sql: str, parameters: Any, *_: Any) -> None:
        vragen.append((sql, parameters))

    d = declaratie("IX1", prestatie(0, "R1"), aanbieder=aanbieder)
    with transactie(engine) as sessie:  # a provider with many messages to this gemeente
        sessie.add_all(DeclaratieRij(
            regio="noord", aanbieder=aanbieder, gemeente="0384", declaratienummer=f"IX{i}",
            ontvangen_op=datetime.now(UTC), regelset_hash="a" * 64, backend="vectorized",
            peildatum=date(2026, 4, 1), totaal_ingediend=0, totaal_toegekend=0,
            publiek_id=f"ix{aanbieder}{i}", inhoud_sleutel=f"{i}", bericht_identificatie=f"I{i}",
            declaratie_begindatum=date(2026, 4, 1), declaratie_einddatum=date(2026, 4, 30))
            for i in range(300))
    event.listen(engine, "before_cursor_execute", onthoud)
    try:
        with transactie(engine) as sessie:
            opslag.identificatie_bekend(sessie, "noord", d)
    finally:
        event.remove(engine, "before_cursor_execute", onthoud)
    [(sql, parameters)] = [(s, p) for s, p in vragen if "bericht_identificatie" in s]
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            uitleg = "EXPLAIN QUERY PLAN "
        else:
            conn.exec_driver_sql("ANALYZE declaratie")
            conn.exec_driver_sql("SET enable_seqscan = off")
            uitleg = "EXPLAIN "
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(uitleg + sql,
                                                                  parameters).all())
        conn.rollback()
    assert "ix_declaratie_identificatie" in plan, plan


def test_een_oudere_database_krijgt_de_index_erbij(tmp_path: Path) -> None:
    """A database made before the index was declared gets it when the service starts."""
    url = f"sqlite:///{tmp_path / 'oud.db'}"
    maak_engine(url).dispose()
    oud = create_engine(url)
    with oud.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_declaratie_identificatie")
    oud.dispose()
    nieuw = maak_engine(url)
    try:
        assert "ix_declaratie_identificatie" in {
            i["name"] for i in inspect(nieuw).get_indexes("declaratie")}
    finally:
        nieuw.dispose()
