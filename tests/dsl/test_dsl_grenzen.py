"""Bounded work for rule text: nesting depth and the number of syntax errors looked for.

The service checks rule text sent by anyone (`/v1/regels/valideer`); the parser must answer
any text of the allowed size with a few located errors, not minutes of work."""

from __future__ import annotations

from pathlib import Path

from dsl.lexer import MAX_DIEPTE
from dsl.loader import valideer_tekst
from dsl.parser import MAX_FOUTEN, WERK_BUDGET

STANDAARD = Path(__file__).parent / "voorbeeld" / "regels"

KOP = ('artikel "1" "Proef"\n'
       '  regel "Diep"\n'
       '    afwijzen met retourcode 9346\n')


def _als(uitdrukking: str) -> str:
    return KOP + f"    als {uitdrukking} groter is dan 0\n    uitleg \"x\"\n"


def test_te_diep_geneste_haakjes_geven_een_fout_op_het_haakje_dat_te_veel_is() -> None:
    tekst = _als("(" * 2000 + "1" + ")" * 2000)
    fouten = valideer_tekst(tekst, "diep.regels", STANDAARD)
    assert len(fouten) == 1
    fout = fouten[0]
    assert f"dieper genest dan {MAX_DIEPTE} niveaus" in fout.bericht
    # line 4 is 'als ...'; column 9 is the first '(' and the 33rd one goes over
    assert (fout.line, fout.column) == (4, 9 + MAX_DIEPTE)


def test_diepte_over_regels_heen_telt_door() -> None:
    tekst = KOP + "    als " + "(\n" * (MAX_DIEPTE + 5)
    fouten = valideer_tekst(tekst, "diep.regels", STANDAARD)
    assert len(fouten) == 1
    assert "dieper genest" in fouten[0].bericht
    assert (fouten[0].line, fouten[0].column) == (4 + MAX_DIEPTE, 1)


def test_haakjes_tot_de_grens_zijn_geen_dieptefout() -> None:
    tekst = _als("(" * MAX_DIEPTE + "het geleverd volume" + ")" * MAX_DIEPTE)
    fouten = valideer_tekst(tekst, "diep.regels", STANDAARD)
    assert not any("dieper genest" in f.bericht for f in fouten)


def test_grote_tekst_vol_fouten_zoekt_er_een_begrensd_aantal_en_zegt_dat() -> None:
    stuk = 'regel "x" )\n'
    tekst = stuk * (128 * 1024 // len(stuk))
    fouten = valideer_tekst(tekst, "kapot.regels", STANDAARD)
    hoogstens = WERK_BUDGET // len(tekst)
    assert len(fouten) == hoogstens + 1
    assert all("onverwacht ')'" in f.bericht for f in fouten[:-1])
    laatste = fouten[-1]
    assert laatste.bericht.startswith(f"de controle stopt na {hoogstens} syntaxfouten")
    assert (laatste.line, laatste.column) == (fouten[-2].line, fouten[-2].column)


def test_kleine_tekst_krijgt_alle_fouten_tot_het_maximum_en_dan_de_melding() -> None:
    tekst = 'regel "x" )\n' * (MAX_FOUTEN + 10)
    fouten = valideer_tekst(tekst, "kapot.regels", STANDAARD)
    assert len(fouten) == MAX_FOUTEN + 1
    assert fouten[-1].bericht.startswith(f"de controle stopt na {MAX_FOUTEN} syntaxfouten")


def test_weinig_fouten_geven_geen_melding() -> None:
    fouten = valideer_tekst('regel "x" )\n' * 3, "kapot.regels", STANDAARD)
    assert len(fouten) == 3
    assert not any("stopt" in f.bericht for f in fouten)
