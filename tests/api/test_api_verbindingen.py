"""`regelwerk serve` on 127.0.0.1 with small limits: connections that never finish their
request head are closed after REGELWERK_KOP_TIMEOUT (also when they trickle a byte now and
then), idle kept-alive ones after REGELWERK_KEEP_ALIVE_TIMEOUT, more connections than
REGELWERK_MAX_VERBINDINGEN get 503, and the access log carries no query strings."""

from __future__ import annotations

import select
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import httpx
import pytest
from api_hulp import Server

pytestmark = pytest.mark.traag

KOP_TIMEOUT = 2
BERICHT_TIMEOUT = 2
MAX_VERBINDINGEN = 40
HALF_OPEN = 30
WACHTTIJD = 20
"""Seconds a test socket waits for the server to close it: far above the timeouts, so only a
server that never closes makes the test fail."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    regelwerk = shutil.which("regelwerk", path=str(Path(sys.executable).parent))
    assert regelwerk, "het commando regelwerk ontbreekt in de virtualenv (make setup)"
    map = tmp_path_factory.mktemp("verbindingen")
    (map / "contracten").mkdir()
    omgeving = {"REGELWERK_DATABASE_URL": f"sqlite:///{map / 'db.sqlite'}",
                "REGELWERK_CONTRACTEN": str(map / "contracten"),
                "REGELWERK_HERLAAD_INTERVAL": "0", "REGELWERK_KOP_TIMEOUT": str(KOP_TIMEOUT),
                "REGELWERK_BERICHT_TIMEOUT": str(BERICHT_TIMEOUT),
                "REGELWERK_KEEP_ALIVE_TIMEOUT": "1",
                "REGELWERK_MAX_VERBINDINGEN": str(MAX_VERBINDINGEN)}
    dienst = Server("", omgeving, map / "serve.log", argv=[regelwerk, "serve"])
    try:
        yield dienst.wacht()
    finally:
        dienst.stop()


def _verbind(server: Server) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", server.poort), timeout=WACHTTIJD)
    return s


def _gesloten(sockets: list[socket.socket]) -> list[bool]:
    """Per socket: did the server close it within WACHTTIJD (one deadline for all)?"""
    grens = time.monotonic() + WACHTTIJD
    open_ = set(range(len(sockets)))
    while open_ and time.monotonic() < grens:
        klaar, _, _ = select.select([sockets[i] for i in open_], [], [], 0.5)
        for s in klaar:
            try:
                eof = not s.recv(65536)
            except OSError:
                eof = True
            if eof:
                open_.discard(sockets.index(s))
    for s in sockets:
        s.close()
    return [i not in open_ for i in range(len(sockets))]


def _wordt_gesloten(s: socket.socket) -> bool:
    return _gesloten([s])[0]


def test_half_verzonden_verzoeken_worden_gesloten(server: Server) -> None:
    sockets = [_verbind(server) for _ in range(HALF_OPEN)]
    for i, s in enumerate(sockets):
        if i % 3 == 0:
            continue  # connects and sends nothing
        kop = b"GET /v1/gezondheid HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        s.sendall(kop if i % 3 == 1 else kop[:7])  # the head never ends
    gesloten = _gesloten(sockets)
    assert all(gesloten), f"{gesloten.count(False)} van {HALF_OPEN} verbindingen bleven open"
    assert httpx.get(f"{server.url}/v1/gezondheid").status_code == 200


def test_druppelen_houdt_de_verbinding_niet_open(server: Server) -> None:
    """One byte every 0.1 s, for longer than the timeout: the deadline does not move."""
    s = _verbind(server)
    kop = b"GET /v1/gezondheid HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Vulling: " + b"a" * 200
    grens = time.monotonic() + KOP_TIMEOUT * 4
    try:
        for byte in kop:
            s.sendall(bytes([byte]))
            time.sleep(0.1)
            if time.monotonic() > grens:
                break
    except OSError:
        pass  # closed by the server while sending
    assert _wordt_gesloten(s)


def test_druppelend_bericht_krijgt_408_en_wordt_gesloten(server: Server) -> None:
    """A complete head, then a body trickled a byte every 0.2 s: answered 408 once the body
    deadline passes, and closed (before, only the head had a deadline)."""
    s = _verbind(server)
    s.sendall(b"POST /v1/regels/valideer HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              b"Content-Type: text/plain\r\nContent-Length: 1000\r\n\r\n")
    grens = time.monotonic() + BERICHT_TIMEOUT * 4
    antwoord = b""
    try:
        while time.monotonic() < grens and not antwoord:
            s.sendall(b"x")
            klaar, _, _ = select.select([s], [], [], 0.2)
            if klaar:
                antwoord = s.recv(65536)
    except OSError:
        pass  # closed by the server while sending
    # The answer may come in more than one segment: read on until the server closes (the
    # socket's timeout, WACHTTIJD, fails a server that never does).
    with suppress(ConnectionResetError):
        while deel := s.recv(65536):
            antwoord += deel
    s.close()
    assert antwoord.startswith(b"HTTP/1.1 408"), antwoord[:200]
    assert b"niet binnen 2 seconden volledig binnen" in antwoord


def test_stille_keep_alive_verbinding_wordt_gesloten(server: Server) -> None:
    s = _verbind(server)
    s.sendall(b"GET /v1/gezondheid HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert s.recv(65536).startswith(b"HTTP/1.1 200")
    assert _wordt_gesloten(s)


def test_boven_het_maximum_aantal_verbindingen_503(server: Server) -> None:
    open_ = [_verbind(server) for _ in range(MAX_VERBINDINGEN + 5)]
    try:
        vol = httpx.get(f"{server.url}/v1/gezondheid", timeout=WACHTTIJD)
        assert vol.status_code == 503
    finally:
        for s in open_:
            s.close()
    grens = time.monotonic() + WACHTTIJD
    while time.monotonic() < grens:  # the closed sockets leave the server's count
        if httpx.get(f"{server.url}/v1/gezondheid").status_code == 200:
            break
        time.sleep(0.2)
    assert httpx.get(f"{server.url}/v1/gezondheid").status_code == 200


def test_toegangslog_zonder_querystring(server: Server) -> None:
    httpx.get(f"{server.url}/v1/regios", params={"regio": "999900006", "x": "y"})
    grens = time.monotonic() + WACHTTIJD
    while "GET /v1/regios HTTP/1.1" not in server.log.read_text() and time.monotonic() < grens:
        time.sleep(0.1)
    log = server.log.read_text()
    assert '"GET /v1/regios HTTP/1.1" 200' in log
    assert "999900006" not in log and "regio=" not in log


def test_serve_noemt_zijn_grenzen(server: Server) -> None:
    assert (f"Grenzen: kop binnen {KOP_TIMEOUT} s, bericht binnen {BERICHT_TIMEOUT} s, "
            "keep-alive 1 s, hoogstens "
            f"{MAX_VERBINDINGEN} verbindingen per proces") in server.log.read_text()


def test_verbindingen_sluiten_ook_terwijl_andere_wachten(server: Server) -> None:
    """Half-open connections opened from several threads at once are all closed."""
    sockets: list[socket.socket] = []

    def open_() -> None:
        s = _verbind(server)
        s.sendall(b"POST /v1/declaraties HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
        sockets.append(s)

    draden = [threading.Thread(target=open_) for _ in range(10)]
    for d in draden:
        d.start()
    for d in draden:
        d.join()
    assert _gesloten(sockets) == [True] * 10
