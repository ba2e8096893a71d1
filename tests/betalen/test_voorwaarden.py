"""The contract's payment terms from the example regions' rule files, and a wrong term as
an error at its place in the rule file."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from betalen.voorwaarden import voorwaarden
from dsl.fouten import RegelFoutenError
from dsl.loader import laad_contract

CONTRACTEN = Path(__file__).resolve().parents[2] / "contracten"


def test_ijsselland_pxq_met_eenmalig_voorschot_en_verblijf_solidair() -> None:
    v = voorwaarden(laad_contract(CONTRACTEN / "ijsselland"), 2026)
    assert (v.betaalmodel, v.eenmalig_maanden, v.eenmalig_maand) == ("pxq", 2, 1)
    assert {s: k.soort for s, k in v.sleutels.items()} == {"verblijf": "solidariteit",
                                                           "overige zorg": "profijt"}
    assert v.inwoners["0193"] == 132141


def test_amstelland_negentig_procent_in_dertien_termijnen_half_solidair() -> None:
    v = voorwaarden(laad_contract(CONTRACTEN / "amstelland"), 2026)
    assert (v.betaalmodel, v.percentage, v.aantal_termijnen) == ("voorschot",
                                                                Fraction(9, 10), 13)
    assert v.sleutels["overige zorg"].alfa == Fraction(1, 2)
    assert [t.naam for t in v.termen][:3] == ["betaalmodel", "voorschotpercentage",
                                              "aantal termijnen"]


@pytest.mark.parametrize(("oud", "nieuw", "kolom", "bericht"), [
    ('parameter aantal termijnen is 13', 'parameter aantal termijnen is 14', 5,
     "parameter 'aantal termijnen' is een heel getal van 12 tot en met 13, zoals 12"),
    ('parameter betaalmodel is "voorschot"', 'parameter betaalmodel is "vooruit"', 5,
     "betaalmodel 'vooruit' bestaat niet; kies uit 'pxq', 'voorschot', 'functie', "
     "'populatie'"),
    ('parameter voorschotpercentage is 90 procent', 'parameter voorschotpercentage is 90', 5,
     "parameter 'voorschotpercentage' is een percentage van 0 tot en met 100, zoals 90 "
     "procent"),
    ('is "mix"', 'is "gemengd"', 5,
     "verdeelsleutel 'gemengd' bestaat niet; kies uit 'solidariteit', 'profijt', 'cliënten "
     "vorig jaar', 'cliënten drie jaar', 'mix' of 'aandelen NAAM' (een sleutel uit "
     "verdeelsleutels.csv)"),
])
def test_een_verkeerde_voorwaarde_op_haar_plaats(tmp_path: Path, oud: str, nieuw: str,
                                                 kolom: int, bericht: str) -> None:
    regio = tmp_path / "amstelland"
    shutil.copytree(CONTRACTEN / "amstelland", regio)
    bestand = regio / "betaling.regels"
    tekst = bestand.read_text(encoding="utf-8")
    assert oud in tekst
    bestand.write_text(tekst.replace(oud, nieuw), encoding="utf-8")
    regel = next(i for i, r in enumerate(bestand.read_text().splitlines(), 1) if nieuw in r)
    with pytest.raises(RegelFoutenError) as fout:
        voorwaarden(laad_contract(regio, CONTRACTEN.parent / "regels"), 2026)
    [f] = fout.value.fouten
    assert (f.line, f.column, f.bericht) == (regel, kolom, bericht)
