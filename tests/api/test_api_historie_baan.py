"""The SQL history and store in lanes (issue 11, point 3), on SQLite and PostgreSQL: what one
(region, gemeente) recorded is invisible to every other lane, for every history question and
for the allocations in force; and it is all there in its own lane."""

from __future__ import annotations

import itertools
from datetime import date, time

from api_hulp import declaratie, prestatie
from api_standin import beoordeel
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from engine.ir import Regelboek
from engine.model import Goedgekeurd, Toewijzing
from opslag import opslag
from opslag.database import transactie
from opslag.historie import SqlHistorie

BAAN = st.tuples(st.sampled_from(["noord", "zuid"]), st.sampled_from(["0384", "0385"]))
_teller = itertools.count(20_000_000)


def toewijzing(gemeente: str, aanbieder: str, volume: int) -> Toewijzing:
    return Toewijzing("1", "999900006", gemeente, aanbieder, "45", "45A03", date(2026, 3, 1),
                      time(10), date(2026, 1, 1), None, volume, "04", "6", None, None)


def vragen(engine: Engine, regio: str, gemeente: str, aanbieder: str) -> tuple[object, ...]:
    """Every question the engine asks of the history, and the allocation in force."""
    with transactie(engine) as sessie:
        h = SqlHistorie(sessie, regio, gemeente)
        return (h.bekende_referentienummers(aanbieder, ["R1"]),
                h.declaratie_inhoud(aanbieder, "D1"),
                h.goedgekeurd_per_toewijzing(aanbieder, ["1"]),
                sorted(h.debetten(aanbieder, ["R1"])),
                [d.referentienummer for d in h.open_debetten(aanbieder, ["1"])],
                opslag.geldende_toewijzingen(sessie, regio, gemeente, aanbieder, ["1"]))


@given(eigen=BAAN, ander=BAAN, volume=st.integers(1, 50))
@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_een_baan_ziet_alleen_zichzelf(engine: Engine, eigen: tuple[str, str],
                                       ander: tuple[str, str], volume: int) -> None:
    regio, gemeente = eigen
    aanbieder = str(next(_teller))
    boek = Regelboek(regio, regio, (gemeente,), (), {}, {}, (), (), (), "a" * 64, ())
    d = declaratie("D1", prestatie(0, "R1", volume=volume), gemeente=gemeente,
                   aanbieder=aanbieder)
    with transactie(engine) as sessie:
        t = toewijzing(gemeente, aanbieder, volume)
        assert opslag.bewaar_toewijzingen(sessie, regio, [t]) == 1
        historie = SqlHistorie(sessie, regio, gemeente)
        b = beoordeel(boek, d, opslag.context_voor(sessie, regio, d), historie, "vectorized")
        assert b.uitkomsten[0].status == "goedgekeurd"
        historie.registreer(b)
    assert vragen(engine, regio, gemeente, aanbieder) == (
        {"R1"}, d.inhoud_sleutel(), {"1": Goedgekeurd(volume, volume * 1250)}, ["R1"], ["R1"],
        {"1": t})
    if ander != eigen:
        assert vragen(engine, *ander, aanbieder) == (
            set(), None, {"1": Goedgekeurd()}, [], [], {})
