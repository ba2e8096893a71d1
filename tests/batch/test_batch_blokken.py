"""The batch reads its messages in the engine's blocks (`engine.beoordeling.blokken`):
small blocks give the same answers as one block, a message that cannot be read counts no
lines and is answered in its place; and the in-memory path records as it goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from batch import verwerking
from batch.fasen import Fasen
from dsl.loader import laad_contract
from engine.beoordeling import pipeline
from engine.historie import GeheugenHistorie
from engine.model import Context
from proefdata import genereer_regiomaand, schrijf_regiomaand

REPO = Path(__file__).resolve().parents[2]
REGIO = REPO / "contracten" / "amstelland"


@pytest.fixture(scope="module")
def maand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    map_ = tmp_path_factory.mktemp("maand")
    schrijf_regiomaand(genereer_regiomaand(3, 600, gemeenten=laad_contract(REGIO).gemeenten),
                       map_)
    (map_ / "declaraties" / "jw323_00003_kapot.xml").write_text(
        "<jw323:Bericht xmlns:jw323='x'><open></jw323:Bericht>", encoding="utf-8")
    return map_


def _controleer(maand: Path, uitvoer: Path) -> verwerking.Verslag:
    return verwerking.controleer(
        sorted((maand / "declaraties").glob("*.xml")), REGIO, maand / "toewijzingen",
        maand / "aanwezigheid.csv", uitvoer, "json", "vectorized", Fasen(aan=False))


def _bestanden(map_: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(map_.iterdir())}


def test_kleine_blokken_zelfde_antwoorden(maand: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGELWERK_WERKERS", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    groot = _controleer(maand, tmp_path / "groot")
    monkeypatch.setattr(pipeline, "PRESTATIES_PER_BLOK", 40)
    klein = _controleer(maand, tmp_path / "klein")
    assert _bestanden(tmp_path / "groot") == _bestanden(tmp_path / "klein")
    assert groot.uitkomsten == klein.uitkomsten
    assert [Path(p).name for p in klein.technisch_afgewezen] == ["jw323_00003_kapot.xml"]
    kapot = next(u for u in klein.uitkomsten if u.bestand == "jw323_00003_kapot.xml")
    assert (kapot.prestaties, kapot.codes) == (0, "0001")


def test_in_geheugen_registreert() -> None:
    """`beoordeel_en_registreer` records each message: the second sees the first (a repeat
    of the same message is refused); `beoordeel_bericht` leaves the history alone."""
    regelboek = laad_contract(REGIO)
    rm = genereer_regiomaand(4, 40, gemeenten=regelboek.gemeenten)
    declaratie = rm.declaraties[0]
    context = Context({t.toewijzingnummer: t for t in rm.toewijzingen}, tuple(rm.afwezigheden))
    historie = GeheugenHistorie()
    los = verwerking.beoordeel_bericht(regelboek, declaratie, context, historie)
    eerste = verwerking.beoordeel_en_registreer(regelboek, declaratie, context, historie)
    tweede = verwerking.beoordeel_en_registreer(regelboek, declaratie, context, historie)
    assert los.uitkomsten == eerste.uitkomsten
    assert eerste.uitkomsten != tweede.uitkomsten
