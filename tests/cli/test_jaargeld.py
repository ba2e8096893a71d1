"""`regelwerk voorschotten / betaalrun / vaststelling / verevening` as processes: json on
stdout with the issue's keys, a month paid once, a file for csv, a wrong term located in the
rule file with exit code 1, never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONTRACTEN = REPO / "contracten"


def _regelwerk(*args: object, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.main", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def test_voorschotten_json_ijsselland_eenmalig_in_januari() -> None:
    uit = _regelwerk("voorschotten", "--contract", CONTRACTEN / "ijsselland", "--jaar", 2026,
                     "--formaat", "json")
    assert uit.returncode == 0, uit.stderr
    doc = json.loads(uit.stdout)
    assert [(v["aanbieder"], v["gemeente"], v["eenmalig"], v["termijnen"], v["totaal"])
            for v in doc["voorschotten"]][:1] == [
        ("12345678", "0148", 4_000_000, [0] * 12, 4_000_000)]


def test_betaalrun_eenmaal_dan_vaststelling_en_verevening(database_url: str,
                                                          tmp_path: Path) -> None:
    basis = ["--contract", CONTRACTEN / "amstelland", "--database", database_url,
             "--jaar", 2026]
    eerst = _regelwerk("betaalrun", *basis, "--maand", 1, "--formaat", "json")
    assert eerst.returncode == 0, eerst.stderr
    nog_eens = json.loads(_regelwerk("betaalrun", *basis, "--maand", 1, "--formaat",
                                     "json").stdout)
    assert nog_eens["al_vastgelegd"] is True
    assert nog_eens["betalingen"] == json.loads(eerst.stdout)["betalingen"]
    vast = json.loads(_regelwerk("vaststelling", *basis, "--formaat", "json").stdout)
    assert vast["posten"][0] == {"aanbieder": "12345678", "gemeente": "0363", "productie": 0,
                                 "boven_plafond": 0, "betaald": 18_000_000,
                                 "slotbedrag": -18_000_000}
    csv = _regelwerk("verevening", *basis, "--formaat", "csv", cwd=tmp_path)
    assert csv.returncode == 0, csv.stderr
    assert (tmp_path / "verevening-amstelland-2026.csv").is_file()
    te_vroeg = _regelwerk("betaalrun", *basis, "--maand", 0)
    assert te_vroeg.returncode == 1
    assert te_vroeg.stderr.strip() == "fout: maand 0 bestaat niet: kies 1 tot en met 12"


def test_een_verkeerde_voorwaarde_is_een_fout_op_haar_plaats(tmp_path: Path) -> None:
    regio = tmp_path / "amstelland"
    shutil.copytree(CONTRACTEN / "amstelland", regio)
    bestand = regio / "betaling.regels"
    bestand.write_text(bestand.read_text(encoding="utf-8").replace(
        "aantal termijnen is 13", "aantal termijnen is 14"), encoding="utf-8")
    uit = _regelwerk("voorschotten", "--contract", regio, "--jaar", 2026)
    assert uit.returncode == 1
    assert "betaling.regels:22:5: fout: parameter 'aantal termijnen' is een heel getal van " \
           "12 tot en met 13" in uit.stderr
    assert "Traceback" not in uit.stderr
