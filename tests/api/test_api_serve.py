"""`regelwerk serve` refuses what it cannot do safely, in Dutch, without starting."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app


def test_zonder_sleutels_niet_op_een_ander_adres(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REGELWERK_SLEUTELS", raising=False)
    uitkomst = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "8999"])
    assert uitkomst.exit_code == 2
    assert "alleen op 127.0.0.1" in uitkomst.output


def test_kapot_sleutelbestand_start_niet(monkeypatch: pytest.MonkeyPatch, tmp_path: Path
                                        ) -> None:
    sleutels = tmp_path / "sleutels.txt"
    sleutels.write_text("heel-geheim\n")
    monkeypatch.setenv("REGELWERK_SLEUTELS", str(sleutels))
    uitkomst = CliRunner().invoke(app, ["serve", "--port", "8999"])
    assert uitkomst.exit_code == 2
    assert f"{sleutels}:1:" in uitkomst.output and "heel-geheim" not in uitkomst.output


def test_onbruikbare_database_start_niet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REGELWERK_SLEUTELS", raising=False)
    monkeypatch.setenv("REGELWERK_DATABASE_URL",
                       "postgresql+psycopg://niemand:geheim@127.0.0.1:1/geen?connect_timeout=2")
    uitkomst = CliRunner().invoke(app, ["serve", "--port", "8999"])
    assert uitkomst.exit_code == 2
    assert "niet bruikbaar" in uitkomst.output and "geheim" not in uitkomst.output
