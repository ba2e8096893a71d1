"""A new region as the lawyer of issue 16 writes it: the absence limit changed, an own article
from 1 July, and a tariff table with a change on 1 July (a tariff changed, a product ended,
a product added). For `verschil` and `toon` tests."""

from __future__ import annotations

from pathlib import Path

CONTRACT = '''contract "Regio Proef jeugdhulp 2026"
  regio proef
  gemeenten "0384"
  gebruikt istandaard
  gebruikt artikelen 43, 47, 49, 53
  geldig vanaf 2026-01-01 tot en met 2026-12-31
  tabel tarieven uit "tarieven.csv"

wijzigt parameter maximale afwezigheid in artikel 43.4: 10 dagen

artikel 62 "Verantwoording per halfjaar" lokaal
  bron "Contract Proef, eigen afspraak"
  geldig vanaf 2026-07-01
  uitleg "Vanaf 1 juli verantwoordt de aanbieder per halfjaar."

  lid 62.1 "Declareren binnen twee maanden"
    parameter declaratietermijn is 2 maanden
    regel "Declareren binnen twee maanden" lokaal
      afwijzen met retourcode 0611
      voor elke prestatie waarvoor niet creditprestatie
      als de declaratiedagtekening later is dan de einddatum plus de declaratietermijn
      toon de einddatum, de declaratiedagtekening
      uitleg "De zorg eindigde op {einddatum}; gedeclareerd is op {declaratiedagtekening}."
'''

TARIEVEN = """productcategorie,productcode,eenheid,tarief,geldig_vanaf,geldig_tot,soort,omschrijving
45,45A48,04,7810,2026-01-01,2026-06-30,ambulant,Ambulante jeugdhulp regulier per uur
45,45A48,04,8000,2026-07-01,,ambulant,Ambulante jeugdhulp regulier per uur
45,45A53,04,10650,2026-01-01,2026-06-30,ambulant,Ambulante jeugdhulp specialistisch per uur
45,45A54,04,11000,2026-07-01,,ambulant,Ambulante jeugdhulp intensief per uur
43,43A07,14,26800,2026-01-01,,verblijf-langdurend,Verblijf inclusief behandeling per etmaal
"""


def maak_proefregio(map_: Path) -> Path:
    """The region in `map_/proef` (its contract.regels and tarieven.csv)."""
    regio = map_ / "proef"
    regio.mkdir(parents=True)
    (regio / "contract.regels").write_text(CONTRACT, encoding="utf-8")
    (regio / "tarieven.csv").write_text(TARIEVEN, encoding="utf-8")
    return regio
