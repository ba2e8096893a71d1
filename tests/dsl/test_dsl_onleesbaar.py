"""An unreadable file of a rule set is an error in the rule set, located and naming the
file (issue 11): `regelwerk` exits 1 and the service refuses the rule set, never an
'interne fout'."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dsl.fouten import RegelFoutenError
from dsl.loader import laad_contract

REPO = Path(__file__).resolve().parents[2]
REGIO = REPO / "contracten" / "amstelland"
ONLEESBAAR = Path("/proc/self/mem")
"""A regular file that even root cannot read whole (EIO): the tests run as root in CI."""


def _kopie(tmp_path: Path) -> Path:
    regio = tmp_path / "amstelland"
    shutil.copytree(REGIO, regio, ignore=shutil.ignore_patterns("voorbeeld", "gevallen"))
    return regio


def _weiger_lezen(monkeypatch: pytest.MonkeyPatch, naam: str) -> None:
    echt = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == naam:
            raise PermissionError(13, "Permission denied", str(self))
        return echt(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def test_tarieven_zonder_leesrechten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    regio = _kopie(tmp_path)
    _weiger_lezen(monkeypatch, "tarieven.csv")
    with pytest.raises(RegelFoutenError) as info:
        laad_contract(regio)
    (fout,) = info.value.fouten
    assert Path(fout.bestand) == regio / "contract.regels"
    assert (fout.line, fout.column) == (7, 3)
    assert fout.bericht == (f"tabelbestand 'tarieven.csv' is niet te lezen: geen leesrechten "
                            f"({regio / 'tarieven.csv'})")


def test_regelbestand_zonder_leesrechten(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    regio = _kopie(tmp_path)
    (regio / "eigen.regels").write_text("# leeg\n", encoding="utf-8")
    _weiger_lezen(monkeypatch, "eigen.regels")
    with pytest.raises(RegelFoutenError) as info:
        laad_contract(regio)
    (fout,) = info.value.fouten
    assert (Path(fout.bestand), fout.line, fout.column) == (regio / "eigen.regels", 1, 1)
    assert fout.bericht == (f"regelbestand '{regio / 'eigen.regels'}' is niet te lezen: geen "
                            "leesrechten")


@pytest.mark.skipif(not ONLEESBAAR.is_file(), reason="geen /proc/self/mem op dit systeem")
@pytest.mark.parametrize("opdracht", ["valideer", "controleer"])
def test_cli_onleesbare_tarieven_exit_1(tmp_path: Path, opdracht: str) -> None:
    regio = _kopie(tmp_path)
    (regio / "tarieven.csv").unlink()
    (regio / "tarieven.csv").symlink_to(ONLEESBAAR)
    args: list[object] = [regio / "contract.regels"]
    if opdracht == "controleer":
        args = ["--contract", regio, "--toewijzingen", REGIO / "voorbeeld" / "JW301",
                "--uitvoer", tmp_path / "uit", REGIO / "voorbeeld" / "JW323.xml"]
    klaar = subprocess.run([sys.executable, "-m", "cli.main", opdracht, *map(str, args)],
                           capture_output=True, text=True, cwd=REPO, timeout=120)
    assert klaar.returncode == 1, klaar.stderr
    uitvoer = klaar.stdout + klaar.stderr  # valideer reports on stdout, controleer on stderr
    assert (f"contract.regels:7:3: fout: tabelbestand 'tarieven.csv' is niet te lezen: het "
            f"opslagmedium gaf een leesfout ({regio / 'tarieven.csv'})") in uitvoer
    assert "interne fout" not in uitvoer and "Traceback" not in uitvoer
    assert not (tmp_path / "uit").exists()
