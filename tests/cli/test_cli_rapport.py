"""A command's report (cli/rapport.py): `--formaat` choices, stdout for tekst and json, a
named file for csv, xlsx and html, `--uitvoer` file, folder or '-', and a Dutch error for a
file that cannot be written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from rapport_voorbeeld import VOORBEELD
from typer.testing import CliRunner

from cli.rapport import FormaatOptie, UitvoerOptie, lever
from weergave.rapport import Formaat, render

app = typer.Typer()


@app.command()
def kwartaal(formaat: FormaatOptie = Formaat.tekst, uitvoer: UitvoerOptie = None) -> None:
    lever(VOORBEELD, formaat, uitvoer)


def _zelfde(a: bytes, b: bytes, formaat: str) -> bool:
    """xlsx carries the moment it was written (zip entries, docProps): compared by cells."""
    if formaat != "xlsx":
        return a == b
    boeken = [load_workbook(io.BytesIO(x)) for x in (a, b)]
    return all([[c.value for r in blad.iter_rows() for c in r] for blad in boek.worksheets]
               == [[c.value for r in blad.iter_rows() for c in r]
                   for blad in boeken[0].worksheets] for boek in boeken)


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


@pytest.mark.parametrize("formaat", ["tekst", "json"])
def test_tekst_en_json_naar_stdout(runner: CliRunner, tmp_path: Path, formaat: str) -> None:
    uit = runner.invoke(app, ["--formaat", formaat])
    assert uit.exit_code == 0, uit.output
    assert uit.stdout_bytes == render(VOORBEELD, formaat)
    assert list(tmp_path.iterdir()) == []


def test_json_is_het_document(runner: CliRunner) -> None:
    doc = json.loads(runner.invoke(app, ["--formaat", "json"]).stdout_bytes)
    assert doc["soort"] == "kwartaal"


@pytest.mark.parametrize("formaat", ["csv", "xlsx", "html"])
def test_bestand_met_naam_in_de_map(runner: CliRunner, tmp_path: Path, formaat: str) -> None:
    uit = runner.invoke(app, ["--formaat", formaat])
    assert uit.exit_code == 0, uit.output
    bestand = tmp_path / f"kwartaal-ijsselland-2026.{formaat}"
    assert _zelfde(bestand.read_bytes(), render(VOORBEELD, formaat), formaat)
    assert f"rapport geschreven: kwartaal-ijsselland-2026.{formaat}" in uit.stderr
    assert uit.stdout_bytes == b""


def test_uitvoer_bestand_map_en_stdout(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(app, ["--formaat", "xlsx", "-o", "x.xlsx"]).exit_code == 0
    assert "normen" in load_workbook(tmp_path / "x.xlsx").sheetnames
    (tmp_path / "map").mkdir()
    assert runner.invoke(app, ["--formaat", "csv", "--uitvoer", "map"]).exit_code == 0
    assert (tmp_path / "map" / "kwartaal-ijsselland-2026.csv").exists()
    uit = runner.invoke(app, ["--formaat", "html", "--uitvoer", "-"])
    assert uit.stdout_bytes == render(VOORBEELD, "html")


def test_onschrijfbaar_bestand_is_nederlandse_fout(runner: CliRunner) -> None:
    uit = runner.invoke(app, ["--formaat", "csv", "-o", "bestaat/niet/x.csv"])
    assert uit.exit_code == 1
    assert "fout: kan bestaat/niet/x.csv niet schrijven" in uit.stderr
    assert uit.exception is None or isinstance(uit.exception, SystemExit)


def test_onbekend_formaat_geweigerd(runner: CliRunner) -> None:
    uit = runner.invoke(app, ["--formaat", "pdf"])
    assert uit.exit_code == 2
    assert "pdf" in uit.stderr
