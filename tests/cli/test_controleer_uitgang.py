"""`regelwerk controleer` is a thin command over `batch.verwerking`: what the batch raises
becomes a Dutch line on stderr and an exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from batch import verwerking
from batch.fouten import InvoerError, WerkerError
from cli.main import app

REPO = Path(__file__).resolve().parents[2]
REGIO = REPO / "contracten" / "amstelland"
VOORBEELD = REGIO / "voorbeeld"


def _controleer(tmp_path: Path) -> object:
    return CliRunner().invoke(app, [
        "controleer", "--contract", str(REGIO), "--toewijzingen", str(VOORBEELD / "JW301"),
        "--uitvoer", str(tmp_path / "uit"), str(VOORBEELD / "JW323.xml")])


def test_werkerfout_wordt_exit_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def faalt(*_: object) -> None:
        raise WerkerError("een werkproces is onverwacht gestopt")

    monkeypatch.setattr(verwerking, "verwerk", faalt)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    uitslag = _controleer(tmp_path)
    assert uitslag.exit_code == 3  # type: ignore[attr-defined]
    assert "onverwacht gestopt" in uitslag.output  # type: ignore[attr-defined]
    assert "Traceback" not in uitslag.output  # type: ignore[attr-defined]


@pytest.mark.parametrize(("fout", "code", "tekst"), [
    (InvoerError("x.xml: het bericht bestaat niet"), 1, "fout: x.xml: het bericht bestaat niet"),
    (KeyError("bsn"), 3, "interne fout (KeyError)"),
])
def test_fout_wordt_exitcode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             fout: Exception, code: int, tekst: str) -> None:
    def faalt(*_: object) -> None:
        raise fout

    monkeypatch.setattr(verwerking, "controleer", faalt)
    uitslag = _controleer(tmp_path)
    assert uitslag.exit_code == code  # type: ignore[attr-defined]
    assert tekst in uitslag.stderr and "Traceback" not in uitslag.output  # type: ignore[attr-defined]
