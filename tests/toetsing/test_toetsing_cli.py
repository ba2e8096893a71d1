"""The commands `regelwerk test`, `toon` and `verschil`: exit codes and Dutch messages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app

CONTRACTEN = Path(__file__).resolve().parents[2] / "contracten"
runner = CliRunner()


def _kopie(tmp_path: Path, regio: str = "ijsselland") -> Path:
    map_ = tmp_path / regio
    shutil.copytree(CONTRACTEN / regio, map_, ignore=shutil.ignore_patterns("voorbeeld"))
    return map_


def test_test_met_dekking_slaagt_voor_een_regio(tmp_path: Path) -> None:
    uit = runner.invoke(app, ["test", str(CONTRACTEN / "ijsselland"), "--dekking"])
    assert uit.exit_code == 0, uit.output
    # every case passes, however many the region's suite has
    assert re.search(r"\b(\d+) van \1 gevallen geslaagd", uit.output), uit.output
    assert "dekking: alle" in uit.output and "worden door een geval geraakt" in uit.output


def test_een_mislukt_geval_geeft_exitcode_1_en_het_verslag(tmp_path: Path) -> None:
    map_ = _kopie(tmp_path)
    pad = map_ / "gevallen" / "lokaal_60.yaml"
    pad.write_text(
        pad.read_text().replace(
            'retourcodes: ["0611"], artikel: "60"', 'retourcodes: ["9346"], artikel: "60"'
        )
    )
    uit = runner.invoke(app, ["test", str(map_)])
    assert uit.exit_code == 1
    geteld = re.search(r"\b(\d+) van (\d+) gevallen geslaagd", uit.output)
    assert geteld is not None and int(geteld[1]) == int(geteld[2]) - 1, uit.output
    assert "retourcodes\n    verwacht:  9346\n    werkelijk: 0611" in uit.output
    assert "regel 'Lopende trajecten niet op profiel'" in uit.output


def test_fouten_in_bestanden_komen_met_plaats_en_zonder_traceback(tmp_path: Path) -> None:
    map_ = _kopie(tmp_path)
    (map_ / "gevallen" / "kapot.yaml").write_text("gevallen:\n  - naam: x\n    declaraties: 3\n")
    uit = runner.invoke(app, ["test", str(map_)])
    assert uit.exit_code == 2
    assert "kapot.yaml:2: fout: 'declaraties' moet een lijst zijn" in uit.output
    assert "Traceback" not in uit.output

    contract = map_ / "contract.regels"
    contract.write_text(
        contract.read_text().replace("start profielbekostiging is", "start profielbekostiging iz")
    )
    uit = runner.invoke(app, ["test", str(map_)])
    assert uit.exit_code == 2 and "contract.regels:" in uit.output and "fout:" in uit.output
    assert "Traceback" not in uit.output


def test_onbekende_map_en_datum(tmp_path: Path) -> None:
    uit = runner.invoke(app, ["test", str(tmp_path / "nergens")])
    assert uit.exit_code == 2 and "bestaat niet" in uit.output
    uit = runner.invoke(app, ["verschil", str(tmp_path)])
    assert uit.exit_code == 2 and "geen contract.regels" in uit.output
    uit = runner.invoke(app, ["toon", str(CONTRACTEN / "amstelland"), "--datum", "1-1-2026"])
    assert uit.exit_code == 2 and "'1-1-2026' is geen datum" in uit.output


def test_toon_en_verschil(tmp_path: Path) -> None:
    doel = tmp_path / "amstelland.html"
    uit = runner.invoke(
        app,
        ["toon", str(CONTRACTEN / "amstelland"), "--datum", "2026-01-01", "--uitvoer", str(doel)],
    )
    assert uit.exit_code == 0, uit.output
    assert doel.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    uit = runner.invoke(app, ["verschil", str(CONTRACTEN / "amstelland")])
    assert uit.exit_code == 0
    assert "4 wijziging(en)" in uit.output and "vervangen" in uit.output
