"""The loader: the region mechanism, the content-hash cache, and the repository's own rule
files (whatever `regels/` and `contracten/` hold when the tests run) being valid."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dsl.fouten import RegelFoutenError
from dsl.loader import laad_contract, laad_standaard, valideer_pad, valideer_tekst
from engine import ir

HIER = Path(__file__).parent
REPO = HIER.parents[1]
VOORBEELD = HIER / "voorbeeld"
REGELWERK = Path(sys.executable).parent / "regelwerk"


@pytest.fixture
def regio(tmp_path: Path) -> Path:
    """A copy of the test region with its standard, so a test may change files."""
    shutil.copytree(VOORBEELD / "regels", tmp_path / "regels")
    shutil.copytree(VOORBEELD / "contracten" / "proef", tmp_path / "contracten" / "proef")
    return tmp_path / "contracten" / "proef"


def test_tweede_keer_uit_de_cache(regio: Path) -> None:
    eerste = laad_contract(regio)
    assert laad_contract(regio) is eerste


def test_gewijzigde_tabel_geeft_nieuw_regelboek(regio: Path) -> None:
    eerste = laad_contract(regio)
    csv = regio / "tarieven.csv"
    csv.write_text(csv.read_text().replace("7810", "7900"), encoding="utf-8")
    tweede = laad_contract(regio)
    assert tweede is not eerste
    assert tweede.hash != eerste.hash
    assert tweede.tabellen["tarieven"].rijen[1][3] == 7900


def test_standaard_wordt_gevonden_naast_contracten(regio: Path) -> None:
    boek = laad_contract(regio)
    assert any(b.endswith("bedrag.regels") for b in boek.bestanden)
    assert any(b.endswith("tarieven.csv") for b in boek.bestanden)


def test_fout_in_tabel_na_wijziging(regio: Path) -> None:
    csv = regio / "tarieven.csv"
    csv.write_text(csv.read_text() + "45,45A09,04,abc,2025-01-01,,ambulant,x\n")
    with pytest.raises(RegelFoutenError) as info:
        laad_contract(regio)
    fout = info.value.fouten[0]
    assert (Path(fout.bestand).name, fout.line, fout.column) == ("tarieven.csv", 6, 13)
    assert "tarieven.csv:6:13: fout: 'abc' in kolom 'tarief'" in str(info.value)


def test_twee_wijzigt_met_eigen_perioden_mag(regio: Path) -> None:
    contract = regio / "contract.regels"
    tekst = contract.read_text().replace(
        "wijzigt parameter maximale afwezigheid in artikel 43.4: 21 dagen",
        "wijzigt parameter maximale afwezigheid: 21 dagen geldig vanaf 2025-01-01 tot 2026-01-01\n"
        "wijzigt parameter maximale afwezigheid: 28 dagen geldig vanaf 2026-01-01")
    contract.write_text(tekst)
    versies = laad_contract(regio).parameters["maximale afwezigheid"]
    assert [v.waarde.waarde for v in versies] == [21, 28]
    assert {v.herkomst for v in versies} == {"regio"}


def test_onbekende_map() -> None:
    with pytest.raises(RegelFoutenError) as info:
        laad_contract(HIER / "bestaat-niet")
    assert "geen contract.regels" in str(info.value)


def test_standaard_van_de_repository_is_geldig() -> None:
    if not any((REPO / "regels").rglob("*.regels")):
        pytest.skip("nog geen standaardregels")
    boek = laad_standaard()
    assert boek.regio is None
    assert len(boek.regels) > 0


def test_repository_regels_en_contracten_zijn_geldig() -> None:
    paden = [p for p in (REPO / "regels", REPO / "contracten") if p.exists()]
    fouten = [f for p in paden for f in valideer_pad(p)]
    assert fouten == [], "\n\n".join(str(f) for f in fouten)


def test_cli_valideer_regels_contracten() -> None:
    uit = subprocess.run([str(REGELWERK), "valideer", "regels", "contracten"], cwd=REPO,
                         capture_output=True, text=True, timeout=300, check=False)
    assert uit.returncode == 0, uit.stdout + uit.stderr


def test_contracttekst_tegen_de_standaard() -> None:
    tekst = (VOORBEELD / "contracten" / "proef" / "contract.regels").read_text()
    assert valideer_tekst(tekst, "contract.regels", VOORBEELD / "regels") == []
    fout = tekst.replace('vervalt regel "Maandelijks volume per client"',
                         'vervalt regel "Maandelijks volume per klant"')
    fouten = valideer_tekst(fout, "contract.regels", VOORBEELD / "regels")
    assert [f.suggestie for f in fouten] == ["bedoelde u 'Maandelijks volume per client'?"]


def test_enkel_bestand_van_de_standaard(regio: Path) -> None:
    bestand = regio.parents[1] / "regels" / "artikelen" / "43.regels"
    assert valideer_pad(bestand) == []
    bestand.write_text(bestand.read_text().replace("dan de declarabele", "dan de declarable"))
    fouten = valideer_pad(bestand)
    assert [f.bericht for f in fouten] == ["onbekende naam 'declarable dagen'"]


def test_geen_utf8(tmp_path: Path) -> None:
    bestand = tmp_path / "a.regels"
    bestand.write_bytes(b'artikel 1 "caf' + b"\xe9" + b'"\n')
    fouten = valideer_pad(bestand)
    assert [(f.line, f.column) for f in fouten] == [(1, 15)]
    assert "UTF-8" in fouten[0].bericht


def test_vervangt_waarde(regio: Path) -> None:
    contract = regio / "contract.regels"
    contract.write_text(contract.read_text() + (
        "\nvervangt waarde berekend bedrag door\n"
        "  waarde berekend bedrag is (het geleverd volume maal het contracttarief) afgerond"
        " naar boven\n"))
    boek = laad_contract(regio)
    berekend = [b for b in boek.berekeningen if b.naam == "berekend bedrag"]
    assert [(b.herkomst, b.lid) for b in berekend] == [("regio", "iJw-9346")]
    assert isinstance(berekend[0].expr, ir.Afronding) and berekend[0].expr.modus == "naar_boven"
    assert [w.soort for w in boek.wijzigingen].count("vervangt") == 2


def test_meer_regelbestanden_in_een_regio(regio: Path) -> None:
    (regio / "eigen.regels").write_text(
        'artikel 61 "Meer" lokaal\n  lid 61.1 "Lid"\n'
        '    regel "Niet op zondag" lokaal\n      afwijzen met retourcode 0611\n'
        "      als de weekdag van de begindatum gelijk is aan 7\n"
        '      uitleg "Op zondag wordt niet gedeclareerd."\n'
        "wijzigt parameter maximale afwezigheid: 28 dagen\n")
    with pytest.raises(RegelFoutenError) as info:
        laad_contract(regio)
    fout = info.value.fouten[0]
    assert (Path(fout.bestand).name, fout.line) == ("eigen.regels", 7)
    assert "contract.regels:10:1 (wijzigt)" in fout.bericht
    (regio / "eigen.regels").write_text(
        (regio / "eigen.regels").read_text().replace("wijzigt parameter", "# wijzigt"))
    assert laad_contract(regio).regel("61.1/Niet op zondag").herkomst == "lokaal"


def test_hash_hangt_af_van_inhoud_niet_van_plaats(regio: Path, tmp_path: Path) -> None:
    elders = tmp_path / "elders"
    shutil.copytree(regio.parents[1], elders)
    assert laad_contract(elders / "contracten" / "proef").hash == laad_contract(regio).hash
