"""Payment models per provider (betaalmodellen.csv), function funding with a hold-back
(functies.csv) and population funding (populatie.csv) in the payment run, from a region's
files; a wrong model in the table is an error at its cell."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from grootboek_hulp import boek, declaratie_id
from sqlalchemy import Engine

from betalen.betaalrun import betaalrun
from betalen.jaar import laad
from dsl.fouten import RegelFoutenError
from dsl.loader import laad_contract
from opslag.database import maak_engine, transactie
from proefdata.grootboek import rij

CONTRACTEN = Path(__file__).resolve().parents[2] / "contracten"
EXTRA = """
  tabel betaalmodellen uit "betaalmodellen.csv"
  tabel functies uit "functies.csv"
  tabel populatie uit "populatie.csv"
  parameter inhouding functie is 10 procent
"""


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    e = maak_engine(database_url)
    yield e
    e.dispose()


def _regio(tmp_path: Path, modellen: str = "aanbieder,betaalmodel\n87654321,pxq\n") -> Path:
    regio = tmp_path / "amstelland"
    shutil.copytree(CONTRACTEN / "amstelland", regio)
    bestand = regio / "betaling.regels"
    tekst = bestand.read_text(encoding="utf-8")
    bestand.write_text(tekst.replace('  tabel inwoners uit "inwoners.csv"\n',
                                     '  tabel inwoners uit "inwoners.csv"\n' + EXTRA),
                       encoding="utf-8")
    (regio / "betaalmodellen.csv").write_text(modellen)
    (regio / "functies.csv").write_text("aanbieder,gemeente,jaar,bedrag\n"
                                        "55555555,0363,2026,1200000\n")
    (regio / "populatie.csv").write_text("aanbieder,gemeente,jaar,bedrag\n"
                                         "66666666,0384,2026,5\n")
    return regio


def test_functie_populatie_en_pxq_per_aanbieder(engine: Engine, tmp_path: Path) -> None:
    regio = _regio(tmp_path)
    d = declaratie_id(engine, "amstelland")
    boek(engine, [rij("amstelland", d, "87654321", "0362", "45", date(2026, 3, 3), 12_345,
                      date(2026, 4, 2)),
                  rij("amstelland", d, "12345678", "0363", "45", date(2026, 3, 3), 99_999,
                      date(2026, 4, 2))])
    j = laad(laad_contract(regio, CONTRACTEN.parent / "regels"), 2026)
    with transactie(engine) as sessie:
        mei = betaalrun(sessie, j, 5, date(2026, 5, 1)).betalingen
    soorten = {(b.aanbieder, b.gemeente, b.soort): b.bedrag for b in mei}
    # 12000.00 less 10 % held back = 10800.00 in 13 units of 830.76 (May two); 5 cents per
    # inhabitant of 0384 (32036) = 1601.80 in 13 units of 123.21
    assert soorten == {("12345678", "0363", "termijn"): 36_000_000,
                       ("12345678", "0384", "termijn"): 18_000_000,
                       ("55555555", "0363", "functie"): 166_152,
                       ("66666666", "0384", "populatie"): 24_642,
                       ("87654321", "0362", "pxq"): 12_345}


def test_onbekend_betaalmodel_op_zijn_cel(tmp_path: Path) -> None:
    regio = _regio(tmp_path, "aanbieder,betaalmodel\n87654321,achteraf\n")
    with pytest.raises(RegelFoutenError) as fout:
        laad_contract(regio, CONTRACTEN.parent / "regels")
    [f] = fout.value.fouten
    assert (f.bestand.endswith("betaalmodellen.csv"), f.line, f.column, f.bericht) == (
        True, 2, 10, "betaalmodel 'achteraf' bestaat niet; kies uit pxq, voorschot, functie, "
        "populatie")
