"""The hand-built rule book and builders of tests/hulp/beoordeling_boek.py."""

from __future__ import annotations

from beoordeling_boek import REGELBOEK, declaratie, prestatie


def test_regelboek_is_consistent() -> None:
    ids = [r.id for r in REGELBOEK.regels]
    assert len(ids) == len(set(ids))
    assert REGELBOEK.regel(ids[0]).naam == "Geen toewijzing"


def test_declaratie_nummert_en_telt() -> None:
    d = declaratie(prestatie(), prestatie(debet_credit="C", ingediend_bedrag=100))
    assert [p.volgnummer for p in d.prestaties] == [0, 1]
    assert d.totaal_ingediend == 12105 - 100
