"""The service's report answer (api/rapport.py): media type, file name, download or inline,
the bytes of the renderer, and an unknown `?formaat=` as the service's Dutch 422."""

from __future__ import annotations

import io
import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from rapport_voorbeeld import VOORBEELD

from api.fouten import installeer
from api.rapport import FormaatQuery, rapport_antwoord
from weergave.rapport import Formaat, render


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    installeer(app)

    @app.get("/rapport")
    def rapport(formaat: FormaatQuery = Formaat.json):  # type: ignore[no-untyped-def]
        return rapport_antwoord(VOORBEELD, formaat)

    return TestClient(app)


@pytest.mark.parametrize(("formaat", "mediatype", "aard"), [
    ("json", "application/json", "inline"), ("tekst", "text/plain; charset=utf-8", "inline"),
    ("html", "text/html; charset=utf-8", "inline"), ("csv", "text/csv; charset=utf-8",
                                                     "attachment"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "attachment"),
])
def test_formaat_mediatype_en_bestandsnaam(client: TestClient, formaat: str, mediatype: str,
                                           aard: str) -> None:
    antwoord = client.get("/rapport", params={"formaat": formaat})
    assert antwoord.status_code == 200
    assert antwoord.headers["content-type"] == mediatype
    assert antwoord.headers["content-disposition"] == (
        f'{aard}; filename="kwartaal-ijsselland-2026.{"txt" if formaat == "tekst" else formaat}"')
    if formaat != "xlsx":  # an xlsx carries the moment it was written (test_xlsx_opent)
        assert antwoord.content == render(VOORBEELD, formaat)


def test_standaard_json(client: TestClient) -> None:
    antwoord = client.get("/rapport")
    assert json.loads(antwoord.content)["tabellen"]["normen"][0]["goedgekeurd"] == 123456789


def test_xlsx_opent(client: TestClient) -> None:
    boek = load_workbook(io.BytesIO(client.get("/rapport?formaat=xlsx").content))
    assert "normen" in boek.sheetnames


def test_onbekend_formaat_is_nederlandse_422(client: TestClient) -> None:
    antwoord = client.get("/rapport", params={"formaat": "pdf"})
    assert antwoord.status_code == 422
    fout = antwoord.json()["fout"]
    assert "formaat" in fout and "is geen van de toegestane waarden" in fout
    assert "xlsx" in fout and "pdf" not in fout
