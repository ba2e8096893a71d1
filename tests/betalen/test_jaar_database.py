"""The year's money over a real store (SQLite and PostgreSQL): the payment run records a
month once, P×Q pays each approval once, and the settlement subtracts what was recorded
(slotbedrag = production − above ceiling − paid, for any ledger)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from grootboek_hulp import boek, declaratie_id
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from betalen.betaalrun import BetaalrunFout, betaalrun
from betalen.jaar import laad, vaststelling, verevening
from betalen.verevening import per_gemeente
from dsl.loader import laad_contract
from opslag.database import maak_engine, transactie
from proefdata.grootboek import rij

CONTRACTEN = Path(__file__).resolve().parents[2] / "contracten"
VANDAAG = date(2026, 12, 7)
SEGMENTEN = {"verblijf": frozenset({"43", "44"}), "ambulant": frozenset({"45"})}
"""Helper A's segments of ijsselland, given here until they are in its rule files."""


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    e = maak_engine(database_url)
    yield e
    e.dispose()


def _run(engine: Engine, regio: str, maand: int) -> list[tuple[str, str, str, int, int]]:
    j = laad(laad_contract(CONTRACTEN / regio), 2026)
    with transactie(engine) as sessie:
        run = betaalrun(sessie, j, maand, VANDAAG)
    return [(b.aanbieder, b.gemeente, b.soort, b.zorgjaar, b.bedrag) for b in run.betalingen]


def test_amstelland_termijnen_eenmaal_vastgelegd(engine: Engine) -> None:
    mei = _run(engine, "amstelland", 5)
    # 90 % of 2,600,000.00 / 13 = 180,000.00 per unit, May two units
    assert ("12345678", "0363", "termijn", 2026, 36_000_000) in mei
    assert _run(engine, "amstelland", 5) == mei  # listed again, nothing new
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM betaling")).scalar_one() == len(mei) == 3
    with pytest.raises(BetaalrunFout, match="mei 2026 is al betaald"):
        _run(engine, "amstelland", 4)


def test_ijsselland_eenmalig_voorschot_en_pxq_de_maand_na_goedkeuring(engine: Engine) -> None:
    d = declaratie_id(engine, "ijsselland")
    boek(engine, [
        rij("ijsselland", d, "12345678", "0193", "45", date(2025, 12, 10), 10_000,
            date(2026, 1, 8)),
        rij("ijsselland", d, "12345678", "0193", "45", date(2026, 1, 10), 20_000,
            date(2026, 2, 3)),
        rij("ijsselland", d, "12345678", "0193", "45", date(2026, 1, 10), -5_000,
            date(2026, 2, 20)),
    ])
    januari = _run(engine, "ijsselland", 1)
    # 2/12 of 1,200,000.00 = 200,000.00; nothing approved before 1 January yet
    assert ("12345678", "0193", "eenmalig voorschot", 2026, 20_000_000) in januari
    assert not [b for b in januari if b[2] == "pxq"]
    assert _run(engine, "ijsselland", 2) == [("12345678", "0193", "pxq", 2025, 10_000)]
    assert _run(engine, "ijsselland", 3) == [("12345678", "0193", "pxq", 2026, 15_000)]
    assert _run(engine, "ijsselland", 4) == []
    j = laad(laad_contract(CONTRACTEN / "ijsselland"), 2026, SEGMENTEN)
    with transactie(engine) as sessie:
        stand = vaststelling(sessie, j)
        groepen = verevening(sessie, j, stand)
    post = next(p for p in stand.vaststelling.posten if (p.aanbieder, p.gemeente) ==
                ("12345678", "0193"))
    # production 15,000 (the December 2025 care is 2025's), paid 15,000 + 20,000,000
    assert (post.productie, post.boven_plafond, post.betaald, post.slotbedrag) == (
        15_000, 0, 20_015_000, -20_000_000)
    assert sum(saldo for *_, saldo in per_gemeente(groepen)) == 0


_RIJ = st.tuples(st.sampled_from(["12345678", "87654321"]), st.sampled_from(["0363", "0384"]),
                 st.sampled_from(["43", "45"]), st.integers(1, 12), st.integers(-50_000, 10**7))


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_RIJ, max_size=12), st.sets(st.integers(1, 12), max_size=4))
def test_slotbedrag_is_productie_min_betaald_voor_elk_grootboek(
        engine: Engine, rijen: list[tuple[str, str, str, int, int]], maanden: set[int]) -> None:
    with engine.begin() as c:
        c.execute(text("DELETE FROM betaling"))
        c.execute(text("DELETE FROM grootboek"))
        c.execute(text("DELETE FROM declaratie"))
    d = declaratie_id(engine, "amstelland")
    boek(engine, [rij("amstelland", d, a, g, c, date(2026, m, 1), b, date(2026, m, 2))
                  for a, g, c, m, b in rijen])
    for maand in sorted(maanden):
        _run(engine, "amstelland", maand)
    j = laad(laad_contract(CONTRACTEN / "amstelland"), 2026)
    with transactie(engine) as sessie:
        stand = vaststelling(sessie, j)
        groepen = verevening(sessie, j, stand)
    with engine.connect() as c:
        betaald = dict(c.execute(text(
            "SELECT aanbieder || '/' || gemeente, sum(bedrag) FROM betaling "
            "GROUP BY aanbieder, gemeente")).all())
    for p in stand.vaststelling.posten:
        productie = sum(b for a, g, _, _, b in rijen if (a, g) == (p.aanbieder, p.gemeente))
        assert p.productie == productie
        assert p.betaald == betaald.get(f"{p.aanbieder}/{p.gemeente}", 0)
        assert p.slotbedrag == productie - p.boven_plafond - p.betaald
    assert sum(saldo for *_, saldo in per_gemeente(groepen)) == 0
