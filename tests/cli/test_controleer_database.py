"""`regelwerk controleer --database URL`: the history persists across runs in the store, the
ledger is filled in one transaction (nothing of a failed run stays), and two processes on
the same provider count its lines once. On SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from batch import vastlegging as vastlegging_module
from batch import verwerking
from batch.fasen import Fasen
from batch.fouten import InvoerError
from berichten.ijw.jw323 import lees_jw323, schrijf_jw323

REPO = Path(__file__).resolve().parents[2]
REGIO = REPO / "contracten" / "amstelland"
VOORBEELD = REGIO / "voorbeeld"


def _opdracht(uitvoer: Path, database: str, *berichten: Path) -> list[str]:
    return [sys.executable, "-m", "cli.main", "controleer", "--contract", str(REGIO),
            "--toewijzingen", str(VOORBEELD / "JW301"), "--aanwezigheid",
            str(VOORBEELD / "aanwezigheid.csv"), "--uitvoer", str(uitvoer),
            "--database", database, *map(str, berichten)]


def _regelwerk(uitvoer: Path, database: str, *berichten: Path
               ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_opdracht(uitvoer, database, *berichten), capture_output=True,
                          text=True, cwd=REPO, timeout=300)


def _vraag(database: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(database)
    try:
        with engine.connect() as verbinding:
            return [tuple(r) for r in verbinding.execute(text(sql)).all()]
    finally:
        engine.dispose()


def _kopie(map_: Path, naam: str) -> Path:
    """The example message as another message (own number and identification)."""
    kopie = dataclasses.replace(lees_jw323(VOORBEELD / "JW323.xml"), declaratienummer=naam,
                                bericht_identificatie=naam)
    pad = map_ / f"{naam}.xml"
    pad.write_bytes(schrijf_jw323(kopie))
    return pad


def test_een_maand_later_ziet_de_vorige_run(tmp_path: Path, database_url: str) -> None:
    eerste = _regelwerk(tmp_path / "u1", database_url, VOORBEELD / "JW323.xml")
    assert eerste.returncode == 0, eerste.stderr
    assert _vraag(database_url, "SELECT status, count(*), sum(goedgekeurd_bedrag) FROM "
                                "grootboek GROUP BY status ORDER BY status") == [
        ("afgewezen", 4, 0), ("goedgekeurd", 2, 98200)]
    # a later run: the same lines again under another number are known (8021), and the
    # very same message again is refused whole (9056): neither adds production
    tweede = _regelwerk(tmp_path / "u2", database_url, _kopie(tmp_path, "KOPIE1"),
                        VOORBEELD / "JW323.xml")
    assert tweede.returncode == 2, tweede.stderr  # a message refused whole: exit code 2
    assert "Traceback" not in tweede.stderr
    assert "TR056" in tweede.stderr and "9056" in tweede.stdout
    rijen = _vraag(database_url, "SELECT declaratienummer, status, retourcodes, "
                                 "goedgekeurd_bedrag FROM grootboek WHERE declaratienummer = "
                                 "'KOPIE1'")
    assert len(rijen) == 6 and all(r[1] == "afgewezen" and "8021" in str(r[2]) and r[3] == 0
                                   for r in rijen)
    assert _vraag(database_url, "SELECT sum(goedgekeurd_bedrag) FROM grootboek") == [(98200,)]
    assert _vraag(database_url, "SELECT count(*) FROM declaratie") == [(2,)]


def test_zonder_database_geen_historie(tmp_path: Path) -> None:
    """Without --database nothing persists: the copy in a second run is approved again."""
    kopie = _kopie(tmp_path, "KOPIE2")
    opdracht = _opdracht(tmp_path / "u", "x", kopie)
    opdracht = [*opdracht[:opdracht.index("--database")], str(kopie)]
    for _ in range(2):
        klaar = subprocess.run(opdracht, capture_output=True, text=True, cwd=REPO, timeout=300)
        assert klaar.returncode == 0, klaar.stderr
        assert "€ 982,00" in klaar.stdout


def test_fout_halverwege_laat_niets_achter(tmp_path: Path, database_url: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The second message fails while it is recorded: the first is not kept either."""
    echt = vastlegging_module.Vastlegging.leg_vast
    gezien: list[str] = []

    def faalt_bij_de_tweede(self: vastlegging_module.Vastlegging, beoordeling: object) -> None:
        gezien.append("x")
        echt(self, beoordeling)  # type: ignore[arg-type]
        if len(gezien) == 2:
            raise RuntimeError("stroomstoring")

    monkeypatch.setattr(vastlegging_module.Vastlegging, "leg_vast", faalt_bij_de_tweede)
    monkeypatch.setenv("REGELWERK_WERKERS", "1")
    with pytest.raises(RuntimeError):
        verwerking.controleer([VOORBEELD / "JW323.xml", _kopie(tmp_path, "KOPIE3")], REGIO,
                              VOORBEELD / "JW301", VOORBEELD / "aanwezigheid.csv",
                              tmp_path / "u", "json", "vectorized", Fasen(aan=False),
                              database_url)
    assert _vraag(database_url, "SELECT count(*) FROM grootboek") == [(0,)]
    assert _vraag(database_url, "SELECT count(*) FROM declaratie") == [(0,)]


def test_twee_processen_zelfde_aanbieder_tellen_eenmaal(tmp_path: Path, database_url: str
                                                       ) -> None:
    """The same lines in two messages, checked by two processes at once: the provider's
    lock makes one see the other's, so the lines are approved once."""
    _regelwerk(tmp_path / "leeg", database_url)  # the schema made before the race
    processen = [subprocess.Popen(_opdracht(tmp_path / f"u{i}", database_url,
                                            _kopie(tmp_path, f"RACE{i}")),
                                  cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for i in range(2)]
    for proces in processen:
        _, fout = proces.communicate(timeout=300)
        assert proces.returncode == 0, fout
    assert _vraag(database_url, "SELECT sum(goedgekeurd_bedrag) FROM grootboek") == [(98200,)]
    assert _vraag(database_url, "SELECT count(*) FROM grootboek") == [(12,)]


def test_onbruikbare_database_is_een_nette_fout(tmp_path: Path) -> None:
    klaar = _regelwerk(tmp_path / "u", "geen-url", VOORBEELD / "JW323.xml")
    assert klaar.returncode == 1
    assert "Traceback" not in klaar.stderr
    assert "--database" in klaar.stderr and "geen database-URL" in klaar.stderr


def test_verouderde_database_wordt_genoemd(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'oud.sqlite'}"
    engine = create_engine(url)
    with engine.begin() as verbinding:
        verbinding.execute(text("CREATE TABLE toewijzing (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(InvoerError, match=r"toewijzing\.regio"):
        verwerking.controleer([VOORBEELD / "JW323.xml"], REGIO, VOORBEELD / "JW301", None,
                              tmp_path / "u", "json", "vectorized", Fasen(aan=False), url)
