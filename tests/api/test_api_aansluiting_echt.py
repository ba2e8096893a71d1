"""The service and TR318 (8214) over HTTP against `regelwerk serve`: the previous declaration
period comes from the store (`opslag.historie.SqlHistorie`), so it survives a restart of the
service, and a message refused as a whole (OP286) is not stored and does not count.

The example message declares March 2026 for gemeente 0384. 'januari' is that message moved
to January; 'maart met februari' is the example with one more line, for February. After
January, February is a month the provider skipped while it delivered care: the declaration
is rejected with 8214 (every line 0233)."""

from __future__ import annotations

import dataclasses
import shutil
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_hulp import REPO, Server

from berichten.ijw.jw323 import lees_jw323, per_client, schrijf_jw323
from engine.bsn import elfproef
from engine.model import Declaratie, Prestatie

pytestmark = pytest.mark.traag

REGIO = REPO / "contracten" / "amstelland"
VOORBEELD = REGIO / "voorbeeld"
XML = {"Content-Type": "application/xml"}


@pytest.fixture
def dienst(database_url: str, tmp_path: Path) -> Iterator[Any]:
    """Starts `regelwerk serve` on the module's database (call it again after stopping the
    previous one: a new process, the same store)."""
    regelwerk = shutil.which("regelwerk", path=str(Path(sys.executable).parent))
    assert regelwerk, "het commando regelwerk ontbreekt in de virtualenv (make setup)"
    omgeving = {"REGELWERK_DATABASE_URL": database_url, "REGELWERK_HERLAAD_INTERVAL": "0"}
    gestart: list[Server] = []

    def start() -> Server:
        server = Server("", omgeving, tmp_path / f"serve{len(gestart)}.log",
                        argv=[regelwerk, "serve"])
        gestart.append(server)
        return server.wacht()

    try:
        yield start
    finally:
        for server in gestart:
            server.stop()


def _toewijzingen(server: Server) -> None:
    for pad in sorted((VOORBEELD / "JW301").rglob("*.xml")):
        antwoord = httpx.post(f"{server.url}/v1/toewijzingen", content=pad.read_bytes(),
                              headers=XML)
        assert antwoord.status_code == 200, antwoord.text


def _post(server: Server, d: Declaratie) -> dict[str, Any]:
    antwoord = httpx.post(f"{server.url}/v1/declaraties", content=schrijf_jw323(d),
                          headers={**XML, "Accept": "application/json"}, timeout=60)
    assert antwoord.status_code == 200, antwoord.text
    uit: dict[str, Any] = antwoord.json()
    return uit


def _in_maand(p: Prestatie, begin: date, einde: date, voorvoegsel: str) -> Prestatie:
    return dataclasses.replace(p, begindatum=begin, einddatum=einde,
                               referentienummer=voorvoegsel + p.referentienummer[1:])


def _berichten(gemeente: str, voorvoegsel: str) -> tuple[Declaratie, Declaratie]:
    """January, and March with a February line, to `gemeente`, with numbers of their own."""
    d = dataclasses.replace(lees_jw323(VOORBEELD / "JW323.xml"), gemeente=gemeente)
    begin, einde = date(2026, 1, 1), date(2026, 1, 31)
    januari = dataclasses.replace(
        d, bericht_identificatie=voorvoegsel + "JAN", declaratienummer=voorvoegsel + "JAN",
        declaratie_begindatum=begin, declaratie_einddatum=einde,
        prestaties=tuple(_in_maand(p, begin, einde, voorvoegsel) for p in d.prestaties))
    februari = dataclasses.replace(
        _in_maand(d.prestaties[0], date(2026, 2, 1), date(2026, 2, 28), voorvoegsel + "F"),
        volgnummer=len(d.prestaties))
    maart = dataclasses.replace(
        d, bericht_identificatie=voorvoegsel + "MRT", declaratienummer=voorvoegsel + "MRT",
        prestaties=(*d.prestaties, februari))
    return januari, maart


def test_de_vorige_periode_komt_uit_de_opslag_ook_na_een_herstart(dienst: Any) -> None:
    eerste = dienst()
    _toewijzingen(eerste)
    januari, maart = _berichten("0384", "A")
    assert _post(eerste, januari)["declaratie_id"]
    eerste.stop()
    tweede = dienst()  # a new process: only the store remembers January
    antwoord = _post(tweede, maart)
    uitleg = antwoord["uitleg"]
    assert uitleg["retourcodes"] == ["8214"]
    assert [r["regel"] for r in uitleg["redenen"]] == ["Declaratieperiode volgt op de vorige"]
    assert uitleg["redenen"][0]["waarden"]["vorige declaratieperiode"] == "2026-01-31"
    assert all(p["status"] == "afgewezen" for p in uitleg["prestaties"])


def test_een_geweigerd_bericht_telt_niet_als_vorige(dienst: Any) -> None:
    server = dienst()
    _toewijzingen(server)
    januari, maart = _berichten("0363", "B")  # a lane of its own: gemeente 0363
    eerste = next(iter(per_client(januari.prestaties)))
    slecht = next(eerste[:8] + c for c in "0123456789" if not elfproef(eerste[:8] + c))
    geweigerd = dataclasses.replace(januari, prestaties=tuple(
        dataclasses.replace(p, bsn=slecht) if p.bsn == eerste else p
        for p in januari.prestaties))
    antwoord = _post(server, geweigerd)
    assert antwoord["declaratie_id"] is None and "CS002" in antwoord["technische_fout"]
    uitleg = _post(server, maart)["uitleg"]
    assert "8214" not in uitleg["retourcodes"]
    assert all("8214" not in p["retourcodes"] for p in uitleg["prestaties"])
