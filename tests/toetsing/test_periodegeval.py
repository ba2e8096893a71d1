"""A period case reports what differs: a signal that did not come, a shown value that is
another, a signal that should not come; and its YAML errors are located."""

from __future__ import annotations

from pathlib import Path

import pytest

from toetsing.fouten import GevalFoutError
from toetsing.gevallen import laad_gevallen
from toetsing.regio import laad_regelboek
from toetsing.runner import draai_geval

REPO = Path(__file__).resolve().parents[2]

GEVAL = """gevallen:
  - naam: "kwartaal"
    toewijzingen:
      - {nummer: T1, product: 45A48, van: 2026-04-01, tot: 2026-12-31, eenheid: euro,
         budget: "€ 10.000,00"}
    declaraties:
      - maand: 2026-05
        prestaties:
          - {ref: R1, toewijzing: T1, volume: 180000, verwacht: goedgekeurd}
    periode:
      kwartaal: 2026-K2
      signalen:
        - {code: S530, waarden: {kosten per jeugdige kwartaal: "€ 1.700,00"}}
        - {code: S491}
      geen signalen: [S495]
"""


def test_een_periodegeval_meldt_elk_verschil(tmp_path: Path) -> None:
    pad = tmp_path / "periode.yaml"
    pad.write_text(GEVAL, encoding="utf-8")
    (geval,) = laad_gevallen(pad, "0363")
    uitslag = draai_geval(laad_regelboek(REPO / "contracten" / "amstelland"), geval)
    verslag = uitslag.verslag()
    assert not uitslag.geslaagd
    assert f"{pad}:13: periode: signaal S530: kosten per jeugdige kwartaal" in verslag
    assert "verwacht:  € 1.700,00" in verslag and "werkelijk: € 1.800,00" in verslag
    assert f"{pad}:14: periode: signaal S491 in 2026-K2" in verslag
    assert "geen signaal S495 in 2026-K2" in verslag
    assert "999900006" not in verslag  # a period signal counts clients, it names none


def test_een_kwartaal_dat_geen_kwartaal_is_wordt_aangewezen(tmp_path: Path) -> None:
    pad = tmp_path / "periode.yaml"
    pad.write_text(GEVAL.replace("2026-K2", "2026-Q2"), encoding="utf-8")
    with pytest.raises(GevalFoutError) as fout:
        laad_gevallen(pad, "0363")
    assert "kwartaal '2026-Q2' is geen kwartaal" in str(fout.value)
    assert ":11" in str(fout.value)
