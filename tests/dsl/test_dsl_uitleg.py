"""`wijzigt uitleg` (issue 16, "Regions change text too"): a region rewrites the text of an
artikel, lid or rule, so what is shown never contradicts a parameter it changed."""

from __future__ import annotations

from pathlib import Path

from dsl.formatter import formatteer
from dsl.loader import laad_contract
from engine import ir

HIER = Path(__file__).parent
STANDAARD = HIER / "voorbeeld" / "regels"
TARIEVEN = HIER / "voorbeeld" / "fouten_regio" / "onbekende_regel" / "tarieven.csv"

KOP = '''contract "Proef"
  regio proef
  geldig vanaf 2025-01-01 tot en met 2026-12-31
  gebruikt istandaard
  gebruikt artikelen 43
  tabel tarieven uit "tarieven.csv"
'''


def _regio(tmp_path: Path, wijzigingen: str) -> ir.Regelboek:
    (tmp_path / "contract.regels").write_text(KOP + wijzigingen, encoding="utf-8")
    (tmp_path / "tarieven.csv").write_bytes(TARIEVEN.read_bytes())
    return laad_contract(tmp_path, STANDAARD)


def test_lid_artikel_en_regel_krijgen_de_tekst_van_de_regio(tmp_path: Path) -> None:
    boek = _regio(tmp_path, '''
wijzigt parameter maximale afwezigheid in artikel 43.4: 10 dagen
wijzigt uitleg in artikel 43.4: """
  Duurt een afwezigheid langer dan tien dagen, dan mogen ten hoogste tien dagen worden
  gedeclareerd.
"""
wijzigt uitleg in artikel 43: "Facturatie zoals de regio haar afspreekt."
wijzigt uitleg in regel "Langdurig verblijf: afwezigheid": "Ten hoogste {maximale afwezigheid}."
''')
    artikel = next(a for a in boek.artikelen if a.nummer == "43")
    lid = next(lid for lid in artikel.leden if lid.nummer == "43.4")
    assert lid.uitleg.startswith("Duurt een afwezigheid langer dan tien dagen")
    assert lid.uitleg_bron is not None and lid.uitleg_bron.line == 9
    assert artikel.uitleg == "Facturatie zoals de regio haar afspreekt."
    assert artikel.uitleg_bron is not None and artikel.uitleg_bron.line == 13
    regel = next(r for r in boek.regels if r.naam == "Langdurig verblijf: afwezigheid")
    assert regel.uitleg == "Ten hoogste {maximale afwezigheid}."
    assert regel.herkomst == "regio" and regel.uitleg_bron is not None
    # the other rules of the lid keep the standard's text and origin
    andere = next(r for r in boek.regels if r.naam == "Maandelijks volume per client")
    assert andere.herkomst == "standaard" and andere.uitleg_bron is None
    onderwerpen = [w.onderwerp for w in boek.wijzigingen]
    assert onderwerpen == ["parameter maximale afwezigheid", "uitleg van lid 43.4",
                           "uitleg van artikel 43", "uitleg van regel "
                           "Langdurig verblijf: afwezigheid"]


def test_canonieke_opmaak_houdt_de_tekst(tmp_path: Path) -> None:
    tekst = KOP + '''
wijzigt uitleg in artikel 43.4: """
  Eerste regel,
  tweede regel.
"""

wijzigt uitleg in regel "Langdurig verblijf: afwezigheid": "Kort."
'''
    eens = formatteer(tekst)
    assert formatteer(eens) == eens
    assert 'wijzigt uitleg in artikel 43.4: """\n  Eerste regel,\n  tweede regel.\n"""' in eens
    assert 'wijzigt uitleg in regel "Langdurig verblijf: afwezigheid": "Kort."' in eens
