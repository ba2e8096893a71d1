"""`kill -9` in the middle of a message, on SQLite and PostgreSQL: the message is lost whole
(no declaration, no line, no used volume), the database stays usable, and the same message
sent again is assessed as new and counted once."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import httpx
import pytest
from api_hulp import Server, declaratie, jw323, prestatie, toewijzingen_json
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.traag

XML = {"Content-Type": "application/xml", "Accept": "application/json"}


def _tel(database_url: str) -> tuple[int, int]:
    """(declarations, lines) stored, read straight from the database."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return (conn.execute(text("SELECT count(*) FROM declaratie")).scalar_one(),
                    conn.execute(text("SELECT count(*) FROM prestatie")).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def omgeving(database_url: str, contracten: Path, tmp_path: Path) -> Iterator[dict[str, str]]:
    yield {"REGELWERK_DATABASE_URL": database_url, "REGELWERK_CONTRACTEN": str(contracten),
           "REGELWERK_HERLAAD_INTERVAL": "0"}


def _dien_in_op_achtergrond(server: Server, bericht: bytes) -> threading.Thread:
    def stuur() -> None:
        # The server dies under this request: any transport error is the expected end.
        with suppress(httpx.HTTPError):
            httpx.post(f"{server.url}/v1/declaraties", headers=XML, content=bericht, timeout=60)

    draad = threading.Thread(target=stuur, daemon=True)
    draad.start()
    return draad


def _wacht_op(pad: Path, proces: Server) -> None:
    grens = time.monotonic() + 30
    while not pad.exists():
        assert proces.proces.poll() is None, proces.log.read_text()[-2000:]
        assert time.monotonic() < grens, "de beoordeling begon niet binnen 30 s"
        time.sleep(0.02)


def test_kill_9_midden_in_een_bericht(database_url: str, omgeving: dict[str, str],
                                      tmp_path: Path) -> None:
    regels = [prestatie(i, f"K{i:04d}", "900", volume=1) for i in range(200)]
    bericht = jw323(declaratie("KILL1", *regels))
    teken = tmp_path / "bezig"
    eerste = Server("api_server", {**omgeving, "REGELWERK_TEST_TEKEN": str(teken)},
                    tmp_path / "a.log")
    try:
        eerste.wacht()
        assert httpx.post(f"{eerste.url}/v1/toewijzingen",
                          json=toewijzingen_json(("900", 250))).status_code == 200
        voor = _tel(database_url)
        draad = _dien_in_op_achtergrond(eerste, bericht)
        _wacht_op(teken, eerste)
        # Inside the transaction: the 200 lines are inserted, nothing is committed yet.
        os.kill(eerste.proces.pid, signal.SIGKILL)
        eerste.proces.wait(10)
        draad.join(30)
    finally:
        eerste.stop()
    assert _tel(database_url) == voor, "een half opgeslagen bericht na kill -9"

    tweede = Server("api_server", omgeving, tmp_path / "b.log")
    try:
        tweede.wacht()
        antwoord = httpx.post(f"{tweede.url}/v1/declaraties", headers=XML, content=bericht,
                              timeout=60)
        assert antwoord.status_code == 200, antwoord.text
        data = antwoord.json()
        assert data["opnieuw_ingediend"] is False, "het gedode bericht telde toch mee"
        opgeslagen = httpx.get(f"{tweede.url}{antwoord.headers['location']}").json()
        statussen = [p["status"] for p in opgeslagen["prestaties"]]
        assert statussen == ["goedgekeurd"] * 200, "volume of nummers van het gedode bericht " \
                                                   "werden toch verbruikt"
    finally:
        tweede.stop()
    assert _tel(database_url) == (voor[0] + 1, voor[1] + 200)
