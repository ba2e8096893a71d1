"""`regelwerk kwartaal` and `regelwerk verantwoording` as processes, over the ledger that
`controleer --database` filled (SQLite and PostgreSQL): the stay line's days present from the
absences, the signals, formats, and a Dutch error for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[2]
REGIO = REPO / "contracten" / "amstelland"
VOORBEELD = REGIO / "voorbeeld"


def _regelwerk(*argumenten: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.main", *argumenten], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def _gevuld(database_url: str, tmp_path: Path) -> None:
    klaar = _regelwerk("controleer", "--contract", str(REGIO), "--toewijzingen",
                       str(VOORBEELD / "JW301"), "--aanwezigheid",
                       str(VOORBEELD / "aanwezigheid.csv"), "--uitvoer", str(tmp_path / "uit"),
                       "--database", database_url, str(VOORBEELD / "JW323.xml"))
    assert klaar.returncode in (0, 2), klaar.stderr


def test_kwartaal_en_verantwoording(database_url: str, tmp_path: Path) -> None:
    _gevuld(database_url, tmp_path)
    engine = create_engine(database_url)
    try:
        with engine.connect() as verbinding:  # the stay line's days
            assert verbinding.execute(text(
                "SELECT sum(dagen) FROM grootboek WHERE eenheid = '14'")).scalar_one() == 31
    finally:
        engine.dispose()
    basis = ["--contract", str(REGIO), "--database", database_url, "--jaar", "2026"]
    kwartaal = _regelwerk("kwartaal", *basis, "--kwartaal", "1", "--formaat", "json")
    assert kwartaal.returncode == 0, kwartaal.stderr
    document = json.loads(kwartaal.stdout)
    assert [s["code"] for s in document["signalen"]] == ["S530"]
    assert document["signalen"][0]["gemeente"] == "0384"
    tekst = _regelwerk("verantwoording", *basis)
    assert tekst.returncode == 0 and "Productieverantwoording" in tekst.stdout
    assert "€ 982,00" in tekst.stdout
    xlsx = _regelwerk("verantwoording", *basis, "--formaat", "xlsx", "--uitvoer",
                      str(tmp_path))
    assert xlsx.returncode == 0
    assert (tmp_path / "verantwoording-amstelland-2026.xlsx").stat().st_size > 0


def test_een_contract_dat_geen_regiomap_is(tmp_path: Path) -> None:
    klaar = _regelwerk("kwartaal", "--contract", str(tmp_path), "--database",
                       f"sqlite:///{tmp_path / 'db.sqlite'}", "--jaar", "2026", "--kwartaal", "1")
    assert klaar.returncode == 1
    assert klaar.stderr.startswith("fout: --contract") and "Traceback" not in klaar.stderr


def test_afwezige_dagen_in_het_grootboek(database_url: str, tmp_path: Path) -> None:
    _gevuld(database_url, tmp_path)
    engine = create_engine(database_url)
    try:
        with engine.connect() as verbinding:
            assert verbinding.execute(text(
                "SELECT sum(afwezige_dagen) FROM grootboek WHERE eenheid = '14'")
            ).scalar_one() == 15
    finally:
        engine.dispose()
