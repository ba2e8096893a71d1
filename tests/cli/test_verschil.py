"""`regelwerk verschil` (issue 16, "Reading and comparing"): the tariff table's versions, the
validity of each change, what changes on one day or in a period, and regions side by side."""

from __future__ import annotations

from pathlib import Path

import pytest
from proefregio import maak_proefregio
from typer.testing import CliRunner

from cli.main import app

REPO = Path(__file__).resolve().parents[2]
AMSTELLAND = REPO / "contracten" / "amstelland"
IJSSELLAND = REPO / "contracten" / "ijsselland"


def verschil(*argumenten: str) -> tuple[int, str]:
    uitslag = CliRunner().invoke(app, ["verschil", *argumenten])
    return uitslag.exit_code, uitslag.output


@pytest.fixture(scope="module")
def proef(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return maak_proefregio(tmp_path_factory.mktemp("regios"))


def test_alles_met_geldigheid_en_tarieven() -> None:
    code, uit = verschil(str(AMSTELLAND))
    assert code == 0
    assert "7 wijziging(en) ten opzichte van de standaard" in uit
    assert 'uitleg van lid 43.4: nieuwe tekst: "Bij kortdurend verblijf' in uit
    assert "gewijzigd      parameter maximale afwezigheid: 21 dagen in plaats van 14 dagen" in uit
    # a change without a period of its own holds with the contract
    assert "geldig van 1 januari 2025 tot en met 31 december 2026" in uit
    assert "eigen artikel  artikel 61: eigen artikel 'Termijnen'" in uit
    assert "voegt_toe" not in uit
    assert ("1 januari 2026  gewijzigd  product 45A48, eenheid 04: tarief € 76,45 → € 78,10"
            in uit)
    assert "1 januari 2025  toegevoegd product 45A48, eenheid 04: productcategorie 45" in uit


def test_wat_verandert_op_1_juli(proef: Path) -> None:
    code, uit = verschil(str(proef), "--op", "2026-07-01")
    assert code == 0
    regels = [r.strip() for r in uit.splitlines()]
    assert "1 juli 2026  gewijzigd  product 45A48, eenheid 04: tarief € 78,10 → € 80,00" in regels
    assert ("1 juli 2026  vervallen  product 45A53, eenheid 04: geldt tot en met 30 juni 2026; "
            "daarna geen rij meer") in regels
    assert any(r.startswith("1 juli 2026  toegevoegd product 45A54, eenheid 04: "
                            "productcategorie 45; tarief € 110,00") for r in regels)
    # the own article starts that day; the parameter (all year) does not change that day
    assert "eigen artikel  artikel 62: eigen artikel 'Verantwoording per halfjaar'" in regels
    assert "geldig vanaf" not in uit and "maximale afwezigheid" not in uit
    assert "1 wijziging(en) ten opzichte van de standaard op 1 juli 2026" in uit
    assert "1 januari 2026" not in uit


def test_een_periode(proef: Path) -> None:
    code, uit = verschil(str(proef), "--van", "2026-01-01", "--tot", "2026-06-30")
    assert code == 0
    assert "van 1 januari 2026 tot en met 30 juni 2026" in uit
    assert "maximale afwezigheid" in uit and "artikel 62" not in uit and "1 juli" not in uit
    code, uit = verschil(str(proef), "--van", "2026-08-01")
    assert "geen tariefwijzigingen van 1 augustus 2026" in uit


def test_regios_naast_elkaar(proef: Path) -> None:
    code, uit = verschil(str(AMSTELLAND), str(IJSSELLAND), str(proef), "--van", "2026-07-01",
                         "--tot", "2026-07-01")
    assert code == 0
    kop, *rijen = uit.split("Naast elkaar op 1 juli 2026:")[1].strip("\n").splitlines()
    assert kop.split() == ["amstelland", "ijsselland", "proef"]
    afwezig = next(r for r in rijen if "parameter maximale afwezigheid" in r)
    assert afwezig.split()[3:] == ["21", "dagen", "(regio)", "14", "dagen", "(standaard)",
                                   "10", "dagen", "(regio)"]
    tarief = next(r for r in rijen if "tarieven: product 45A48, eenheid 04" in r)
    assert tarief.split()[-6:] == ["€", "78,10", "€", "78,10", "€", "80,00"]
    nieuw = next(r for r in rijen if "tarieven: product 45A54, eenheid 04" in r)
    assert nieuw.split()[-4:] == ["—", "—", "€", "110,00"]


@pytest.mark.parametrize(("argumenten", "melding"), [
    (["--op", "1-7-2026"], "--op '1-7-2026' is geen datum; schrijf bijvoorbeeld 2026-07-01"),
    (["--op", "2026-07-01", "--van", "2026-01-01"], "geef --op (een dag) of --van/--tot"),
    (["--van", "2026-07-01", "--tot", "2026-01-01"], "--tot (2026-01-01) ligt voor --van"),
])
def test_verkeerde_datum_is_een_nederlandse_fout(argumenten: list[str], melding: str) -> None:
    code, uit = verschil(str(AMSTELLAND), *argumenten)
    assert code == 2 and melding in uit and "Traceback" not in uit


def test_html(proef: Path, tmp_path: Path) -> None:
    pad = tmp_path / "verschil.html"
    code, uit = verschil(str(AMSTELLAND), str(proef), "--op", "2026-07-01", "--formaat", "html",
                         "--uitvoer", str(pad))
    assert code == 0 and f"geschreven: {pad}" in uit
    html = pad.read_text(encoding="utf-8")
    assert '<section id="naast-elkaar">' in html and "tarief € 78,10 → € 80,00" in html
    assert "<script" not in html and "voegt_toe" not in html
