"""A real server: uvicorn processes on free ports on 127.0.0.1, called over HTTP with httpx.
Two processes share one database, as two workers behind a load balancer would."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from api_hulp import Server, declaratie, jw323, prestatie, toewijzingen_json

XML = {"Content-Type": "application/xml", "Accept": "application/json"}

pytestmark = pytest.mark.traag


@pytest.fixture(scope="module")
def servers(database_url: str, contracten: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[Server, Server]]:
    omgeving = {"REGELWERK_DATABASE_URL": database_url, "REGELWERK_CONTRACTEN": str(contracten),
                "REGELWERK_TEST_VERTRAGING": "0.05", "REGELWERK_HERLAAD_INTERVAL": "0"}
    logmap = tmp_path_factory.mktemp("logs")
    eerste = Server("api_server", omgeving, logmap / "a.log")
    tweede = Server("api_server", omgeving, logmap / "b.log")
    try:
        yield eerste.wacht(), tweede.wacht()
    finally:
        eerste.stop()
        tweede.stop()


def test_over_http(servers: tuple[Server, Server]) -> None:
    a, _ = servers
    assert httpx.get(f"{a.url}/v1/gezondheid").json()["status"] == "ok"
    assert httpx.get(f"{a.url}/docs").status_code == 200
    schema = httpx.get(f"{a.url}/openapi.json").json()
    assert "/v1/declaraties" in schema["paths"]
    assert httpx.post(f"{a.url}/v1/toewijzingen",
                      json=toewijzingen_json(("500", 3))).json()["nieuw"] == 1
    antwoord = httpx.post(f"{a.url}/v1/declaraties", headers=XML,
                          content=jw323(declaratie("HTTP1", prestatie(0, "H1", "500", 3))))
    assert antwoord.status_code == 200
    assert httpx.get(f"{a.url}{antwoord.headers['location']}").json()["prestaties"][0][
        "status"] == "goedgekeurd"


def test_twee_werkers_keuren_nooit_samen_boven_het_volume_goed(servers: tuple[Server, Server]
                                                              ) -> None:
    """12 one-hour declarations at once, through two processes, on an allocation of 5 hours:
    exactly 5 are approved, whatever the interleaving."""
    a, b = servers
    assert httpx.post(f"{a.url}/v1/toewijzingen",
                      json=toewijzingen_json(("777", 5))).status_code == 200

    def dien_in(i: int) -> str:
        server = (a, b)[i % 2]
        bericht = jw323(declaratie(f"PAR{i}", prestatie(0, f"P{i}", "777", volume=1)))
        antwoord = httpx.post(f"{server.url}/v1/declaraties", headers=XML, content=bericht,
                              timeout=60)
        assert antwoord.status_code == 200, (antwoord.text, server.log.read_text()[-3000:])
        data = httpx.get(f"{server.url}/v1/declaraties/{antwoord.json()['declaratie_id']}").json()
        return str(data["prestaties"][0]["status"])

    with ThreadPoolExecutor(max_workers=12) as pool:
        uitkomsten = list(pool.map(dien_in, range(12)))
    assert uitkomsten.count("goedgekeurd") == 5
    assert uitkomsten.count("afgewezen") == 7
