"""Unit conversions happen exactly once between the rule text and both backends.

The compiler emits values in the units written; the engine converts (uur next to minuut
counts in minuten, procent in a product scales by 1/100). A conversion done in both places
would make `3 uur plus 30 minuten` 10,830 minutes, and both backends would agree on it, so
the differential test cannot see it: this test pins the values themselves.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dsl.loader import laad_contract
from engine import backends
from engine.beoordeling import beoordeel
from engine.historie import GeheugenHistorie
from engine.model import Context, Declaratie, Prestatie

STANDAARD = '''
artikel 1 "Proef"
  geldig vanaf 2020-01-01
  lid 1.1 "Eenheden"
    waarde duur is 3 uur plus 30 minuten
    waarde helft is 4 maal 50 procent
    waarde deel is 90 minuten gedeeld door 1 uur
    regel "{naam}"
      signaleren met code S001
      als {voorwaarde}
      uitleg "{naam}"
'''

GEVALLEN = {
    "uren en minuten": "de duur gelijk is aan 210 minuten",
    "uren tegen minuten": "de duur groter is dan 3 uur en de duur kleiner is dan 4 uur",
    "procent": "de helft gelijk is aan 2",
    "deling": "de deel maal 2 gelijk is aan 3",
}


def _contract(tmp_path: Path, naam: str, voorwaarde: str) -> Path:
    standaard = tmp_path / "regels"
    standaard.mkdir()
    (standaard / "1.regels").write_text(
        STANDAARD.format(naam=naam, voorwaarde=voorwaarde), encoding="utf-8")
    contract = tmp_path / "proef"
    contract.mkdir()
    (contract / "contract.regels").write_text(
        'contract "Proef"\n  regio proef\n  gemeenten "0001"\n  gebruikt artikelen 1\n'
        '  geldig vanaf 2026-01-01 tot en met 2026-12-31\n',  # the care is of April 2026
        encoding="utf-8")
    return contract


def _declaratie() -> Declaratie:
    regel = Prestatie(0, "999900006", "R1", None, "1", "45", "45A03", date(2026, 4, 1),
                      date(2026, 4, 30), 4, "04", 1250, 5000, "D")
    return Declaratie("65656055", "0001", "1", date(2026, 5, 6), "D1", date(2026, 4, 1),
                      date(2026, 4, 30), date(2026, 5, 6), 5000, (regel,))


@pytest.mark.parametrize("backend", backends.namen())
@pytest.mark.parametrize("naam", sorted(GEVALLEN))
def test_eenheid_wordt_een_keer_omgerekend(tmp_path: Path, naam: str, backend: str) -> None:
    contract = _contract(tmp_path, naam, GEVALLEN[naam])
    regelboek = laad_contract(contract, standaard=tmp_path / "regels")
    uitkomst = beoordeel(regelboek, _declaratie(), Context(), GeheugenHistorie(), backend)
    signalen = [s.regel for p in uitkomst.uitkomsten for s in p.signalen]
    assert signalen == [naam]
