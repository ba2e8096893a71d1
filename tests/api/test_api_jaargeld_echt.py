"""The year's money over HTTP with the real parts: `regelwerk serve` on a free port, the
example regions, keys per region, SQLite and PostgreSQL. A key of one region gets nothing of
another; the payment run pays a month once; json is the issue's document."""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_hulp import Server
from openpyxl import load_workbook

pytestmark = pytest.mark.traag

AMSTEL = {"X-API-Key": "sleutel-amstel-geld"}
IJSSEL = {"X-API-Key": "sleutel-ijssel-geld"}


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    regelwerk = shutil.which("regelwerk", path=str(Path(sys.executable).parent))
    assert regelwerk, "het commando regelwerk ontbreekt in de virtualenv (make setup)"
    map_ = tmp_path_factory.mktemp("geld")
    sleutels = map_ / "sleutels.txt"
    sleutels.write_text("sleutel-amstel-geld amstelland\nsleutel-ijssel-geld ijsselland\n")
    omgeving = {"REGELWERK_DATABASE_URL": database_url, "REGELWERK_HERLAAD_INTERVAL": "0",
                "REGELWERK_SLEUTELS": str(sleutels)}
    dienst = Server("", omgeving, map_ / "serve.log", argv=[regelwerk, "serve"])
    try:
        yield dienst.wacht()
    finally:
        dienst.stop()


def _pad(regio: str, wat: str) -> str:
    return f"/v1/regios/{regio}/jaren/2026/{wat}"


def test_voorschotten_het_document_van_het_issue(server: Server) -> None:
    antwoord = httpx.get(server.url + _pad("amstelland", "voorschotten"), headers=AMSTEL)
    assert antwoord.status_code == 200, antwoord.text
    doc = antwoord.json()
    assert set(doc) == {"regio", "jaar", "voorschotten"}
    eerste = doc["voorschotten"][0]
    assert set(eerste) == {"aanbieder", "gemeente", "termijnen", "eenmalig", "totaal"}
    assert (eerste["gemeente"], eerste["termijnen"][4], eerste["totaal"]) == (
        "0363", 36_000_000, 270_000_000)


def test_een_sleutel_alleen_voor_zijn_eigen_regio(server: Server) -> None:
    for wat in ("voorschotten", "vaststelling", "verevening"):
        antwoord = httpx.get(server.url + _pad("amstelland", wat), headers=IJSSEL)
        assert antwoord.status_code == 403, antwoord.text
        assert "geen toegang tot regio 'amstelland'" in antwoord.json()["fout"]
    run = httpx.post(server.url + _pad("amstelland", "betaalrun"), params={"maand": 1},
                     headers=IJSSEL)
    assert run.status_code == 403
    assert httpx.get(server.url + _pad("amstelland", "voorschotten")).status_code == 401


def test_betaalrun_eenmaal_en_de_vaststelling_trekt_hem_af(server: Server) -> None:
    eerst = httpx.post(server.url + _pad("ijsselland", "betaalrun"), params={"maand": 1},
                       headers=IJSSEL).json()
    nog_eens = httpx.post(server.url + _pad("ijsselland", "betaalrun"), params={"maand": 1},
                          headers=IJSSEL).json()
    assert (eerst["al_vastgelegd"], nog_eens["al_vastgelegd"]) == (False, True)
    assert nog_eens["betalingen"] == eerst["betalingen"]
    eenmalig = {(b["aanbieder"], b["gemeente"]): b["bedrag"] for b in eerst["betalingen"]}
    # 2/12 of each estimate in force on 1 January (ijsselland/ramingen.csv)
    assert eenmalig == {("12345678", "0148"): 4_000_000, ("12345678", "0193"): 20_000_000,
                        ("87654321", "0160"): 6_000_000, ("87654321", "0193"): 10_000_000}
    posten = httpx.get(server.url + _pad("ijsselland", "vaststelling"),
                       headers=IJSSEL).json()["posten"]
    assert {(p["aanbieder"], p["gemeente"]): p["slotbedrag"] for p in posten} == {
        k: -v for k, v in eenmalig.items()}
    te_vroeg = httpx.post(server.url + _pad("ijsselland", "betaalrun"), params={"maand": 13},
                          headers=IJSSEL)
    assert te_vroeg.status_code == 422


def test_verevening_en_xlsx(server: Server) -> None:
    doc = httpx.get(server.url + _pad("amstelland", "verevening"), headers=AMSTEL).json()
    assert [g["gemeente"] for g in doc["gemeenten"]] == ["0362", "0363", "0384", "0437", "0451"]
    assert sum(g["saldo"] for g in doc["gemeenten"]) == 0
    xlsx = httpx.get(server.url + _pad("amstelland", "vaststelling"),
                     params={"formaat": "xlsx"}, headers=AMSTEL)
    assert xlsx.status_code == 200
    assert xlsx.headers[
        "content-disposition"] == 'attachment; filename="vaststelling-amstelland-2026.xlsx"'
    boek = load_workbook(io.BytesIO(xlsx.content))
    assert [b.title for b in boek.worksheets][:3] == ["kop", "posten", "productie_per_maand"]
    kop = [c.value for c in next(boek["posten"].iter_rows(max_row=1))]
    assert kop[:6] == ["Aanbieder", "Gemeente", "Productie", "Boven plafond", "Betaald",
                       "Slotbedrag"]
