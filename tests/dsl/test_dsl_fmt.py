"""`regelwerk fmt`: on every rule file in the repository (found at test time, so new files
are included), formatting is idempotent and the result parses to the same AST."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dsl.formatter import formatteer
from dsl.lexer import commentaren
from dsl.loader import namen_voor
from dsl.parser import parse

REPO = Path(__file__).resolve().parents[2]
REGELWERK = Path(sys.executable).parent / "regelwerk"


def _regelbestanden() -> list[Path]:
    """Every .regels file of the repository except the deliberately wrong ones."""
    uit = []
    for pad in sorted(REPO.rglob("*.regels")):
        delen = pad.relative_to(REPO).parts
        if any(d.startswith(".") or d.startswith("fouten") for d in delen):
            continue
        uit.append(pad)
    return uit


BESTANDEN = _regelbestanden()


def test_er_zijn_regelbestanden() -> None:
    assert len(BESTANDEN) >= 3


@pytest.mark.parametrize("pad", BESTANDEN, ids=lambda p: str(p.relative_to(REPO)))
def test_fmt_rondreis(pad: Path) -> None:
    tekst = pad.read_text(encoding="utf-8")
    namen = namen_voor(pad)
    origineel, fouten = parse(tekst, str(pad), namen)
    if origineel is None:
        pytest.skip(f"bestand parseert niet: {fouten[0]}")  # reported by the valideer test
    eerste = formatteer(tekst, str(pad), namen)
    tweede = formatteer(eerste, str(pad), namen)
    assert tweede == eerste, "fmt is niet idempotent"
    opnieuw, fouten = parse(eerste, str(pad), namen)
    assert fouten == []
    assert opnieuw == origineel
    assert _commentaren(eerste) == _commentaren(tekst)


def _commentaren(tekst: str) -> list[str]:
    """Every comment of a text (formatting may move one, never lose one)."""
    return sorted(stuk.rstrip() for _, _, stuk in commentaren(tekst))


def test_fmt_voorbeeld_canoniek() -> None:
    tekst = (
        '# kop\nartikel 43 "F"\n   geldig vanaf 2018-01-01\n lid 43.4 "A"\n   parameter x is'
        ' 14 dagen  # veertien\n parameter y is € 100000\n regel "R" als het geleverd volume'
        " is groter dan de x uitleg \"u\" afwijzen met retourcode 9321\n"
    )
    assert formatteer(tekst) == (
        '# kop\nartikel 43 "F"\n  geldig vanaf 2018-01-01\n\n  lid 43.4 "A"\n'
        "    # veertien\n    parameter x is 14 dagen\n    parameter y is € 100.000\n"
        '    regel "R"\n      afwijzen met retourcode 9321\n'
        "      als het geleverd volume is groter dan de x\n      uitleg \"u\"\n"
    )


def test_cli_fmt_en_controleer(tmp_path: Path) -> None:
    bestand = tmp_path / "a.regels"
    bestand.write_text('artikel 1 "a"\n      parameter x is 3 uur\n', encoding="utf-8")
    controle = subprocess.run([str(REGELWERK), "fmt", str(bestand), "--controleer"],
                              capture_output=True, text=True, check=False)
    assert controle.returncode == 1
    subprocess.run([str(REGELWERK), "fmt", str(bestand)], check=True, capture_output=True)
    assert bestand.read_text() == 'artikel 1 "a"\n  parameter x is 3 uur\n'
    controle = subprocess.run([str(REGELWERK), "fmt", str(bestand), "--controleer"],
                              capture_output=True, text=True, check=False)
    assert controle.returncode == 0, controle.stdout


def test_cli_fmt_op_een_fout_bestand(tmp_path: Path) -> None:
    bestand = tmp_path / "a.regels"
    shutil.copy(Path(__file__).parent / "fouten" / "02_als_vergeten.regels", bestand)
    uit = subprocess.run([str(REGELWERK), "fmt", str(bestand)], capture_output=True, text=True,
                         check=False)
    assert uit.returncode == 1
    assert f"{bestand}:7:36: fout: verwacht 'als'" in uit.stdout
    assert "Traceback" not in uit.stdout + uit.stderr


def test_commentaar_blijft_bij_zijn_regel() -> None:
    goed = Path(__file__).parent / "goed"
    tekst = (goed / "commentaar.regels").read_text(encoding="utf-8")
    assert formatteer(tekst) == (goed / "commentaar.opgemaakt").read_text(encoding="utf-8")
