"""`regelwerk standaard dekking` as a process: writes the coverage table of iJw 3.2, and
`--controleer` exits 1 when the file is not what it would write."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "istandaard-dekking.md"


def _regelwerk(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "standaard", "dekking", *map(str, args)],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )


def test_controleer_op_het_docs_bestand() -> None:
    uit = _regelwerk("--controleer")
    assert uit.returncode == 0, uit.stdout + uit.stderr
    assert uit.stdout.strip().endswith("istandaard-dekking.md: bij.")


def test_schrijft_en_controleert(tmp_path: Path) -> None:
    doel = tmp_path / "dekking.md"
    doel.write_text("# oud\n", encoding="utf-8")
    uit = _regelwerk("--uitvoer", doel, "--controleer")
    assert uit.returncode == 1
    assert "niet bij; draai 'regelwerk standaard dekking'" in uit.stdout
    assert doel.read_text(encoding="utf-8") == "# oud\n"
    uit = _regelwerk("--uitvoer", doel)
    assert uit.returncode == 0, uit.stderr
    assert doel.read_text(encoding="utf-8") == DOCS.read_text(encoding="utf-8")
    assert _regelwerk("--uitvoer", doel, "--controleer").returncode == 0


def test_onschrijfbaar_doel_is_een_nette_fout(tmp_path: Path) -> None:
    uit = _regelwerk("--uitvoer", tmp_path / "bestaat-niet" / "dekking.md")
    assert uit.returncode == 2
    assert "fout: niet te schrijven" in uit.stderr
    assert "Traceback" not in uit.stderr
