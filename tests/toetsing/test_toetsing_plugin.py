"""The pytest plugin of contracten/: one item per case, a readable failure."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

WORTEL = Path(__file__).resolve().parents[2]


def test_elk_geval_is_een_testitem_en_een_fout_is_leesbaar(tmp_path: Path) -> None:
    contracten = tmp_path / "contracten"
    map_ = contracten / "ijsselland"
    shutil.copytree(WORTEL / "contracten" / "ijsselland" / "gevallen", map_ / "gevallen")
    for naam in ("contract.regels", "tarieven.csv", "plafonds.csv"):
        shutil.copy(WORTEL / "contracten" / "ijsselland" / naam, map_ / naam)
    shutil.copy(WORTEL / "contracten" / "conftest.py", contracten / "conftest.py")
    for pad in (map_ / "gevallen").glob("*.yaml"):
        if pad.name != "lokaal_60.yaml":
            pad.unlink()
    lokaal = map_ / "gevallen" / "lokaal_60.yaml"
    lokaal.write_text(
        lokaal.read_text().replace(
            "{ref: R1, toewijzing: T1, volume: 1, tarief: 345000, verwacht: goedgekeurd}",
            "{ref: R1, toewijzing: T1, volume: 1, tarief: 345000, verwacht: {retourcodes: [9321]}}",
            1,
        )
    )
    uit = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "--rootdir",
            str(tmp_path),
            str(contracten),
        ],
        capture_output=True,
        text=True,
        cwd=WORTEL,
        timeout=300,
        check=False,
    )
    uitvoer = uit.stdout + uit.stderr
    assert "1 failed, 3 passed" in uitvoer, uitvoer
    naam = "60.1: nieuwe instroom in lichte ondersteuning krijgt het profieltarief"
    assert f"geval '{naam}'" in uitvoer
    assert "lokaal_60.yaml:" in uitvoer and "prestatie R1: status" in uitvoer
    assert "verwacht:  afgewezen" in uitvoer and "werkelijk: goedgekeurd" in uitvoer
