"""The workbench's endpoints on a real `regelwerk serve` (issue 17, part 1): read a region's
files with their version, check unsaved text in the region's context (located errors, the
one-click fix), save = validate the whole region + write + reload as one step (errors: refused,
the old rule set stays), optimistic concurrency (409 naming who saved since), the audit trail
(who by name, never the key) and its undo, and the security of every route: a key only reaches
its own regions, paths stay inside the region's folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from echte_server import Server
from werkbank_dienst import SLEUTELS, werkbank_dienst

pytestmark = pytest.mark.traag

AMSTELLAND = {"X-API-Key": SLEUTELS["amstelland"]}
IJSSELLAND = {"X-API-Key": SLEUTELS["ijsselland"]}


@pytest.fixture(scope="module")
def dienst(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    map_ = tmp_path_factory.mktemp("werkbank")
    server = werkbank_dienst(map_)
    try:
        yield server.wacht(), map_
    finally:
        server.stop()


@pytest.fixture
def api(dienst: tuple[Server, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=dienst[0].url, headers=AMSTELLAND, timeout=60) as client:
        yield client


def lees(api: httpx.Client, pad: str = "contract.regels") -> dict[str, Any]:
    antwoord = api.get(f"/v1/regios/amstelland/bestanden/{pad}")
    assert antwoord.status_code == 200, antwoord.text
    return dict(antwoord.json())


def bewaar(api: httpx.Client, tekst: str, versie: str, pad: str = "contract.regels"
           ) -> httpx.Response:
    return api.put(f"/v1/regios/amstelland/bestanden/{pad}",
                   json={"tekst": tekst, "versie": versie})


def hash_in_kracht(api: httpx.Client) -> str:
    return str(next(r["regelset_hash"] for r in api.get("/v1/regios").json()
                    if r["naam"] == "amstelland"))


def test_bestanden_met_versie(api: httpx.Client) -> None:
    lijst = api.get("/v1/regios/amstelland/bestanden").json()["bestanden"]
    paden = {b["pad"]: b for b in lijst}
    assert {"contract.regels", "tarieven.csv"} <= paden.keys()
    assert all(p.endswith((".regels", ".csv")) for p in paden)
    assert paden["tarieven.csv"]["soort"] == "tabel"
    assert paden["contract.regels"]["versie"] == lees(api)["versie"]
    assert len(lees(api)["versie"]) == 64


def test_controle_van_onopgeslagen_tekst_met_herstelling(api: httpx.Client) -> None:
    tekst = lees(api)["tekst"].replace("toon de einddatum,", "toon de einddatm,")
    fout = api.post("/v1/regios/amstelland/controleer/contract.regels",
                    json={"tekst": tekst}).json()["fouten"]
    assert len(fout) == 1
    regel = tekst.splitlines()[fout[0]["line"] - 1]
    assert regel[fout[0]["column"] - 1:].startswith("einddatm")
    assert fout[0]["bestand"] == "contract.regels"
    assert fout[0]["suggestie"] == "bedoelde u 'einddatum'?"
    h = fout[0]["herstelling"]
    hersteld = tekst[:h["van"]] + h["door"] + tekst[h["tot"]:]
    assert hersteld == lees(api)["tekst"]
    assert api.post("/v1/regios/amstelland/controleer/contract.regels",
                    json={"tekst": hersteld}).json() == {"geldig": True, "fouten": []}


def test_opslaan_met_fouten_geweigerd_oude_regelset_blijft(api: httpx.Client,
                                                          dienst: tuple[Server, Path]) -> None:
    voor, hash_voor = lees(api), hash_in_kracht(api)
    fout = voor["tekst"].replace("21 dagen", "21 dagn")
    antwoord = bewaar(api, fout, voor["versie"])
    assert antwoord.status_code == 422
    assert "oude regelset blijft van kracht" in antwoord.json()["fout"]
    [f] = antwoord.json()["fouten"]
    assert (f["bestand"], f["line"], f["suggestie"]) == ("contract.regels", 15,
                                                        "bedoelde u 'dagen'?")
    assert lees(api) == voor and hash_in_kracht(api) == hash_voor
    assert not any(p.name.startswith(".werkbank-") for p in (dienst[1] / "contracten").rglob("*"))


def test_opslaan_herlaadt_en_logt_en_ongedaan_maken(api: httpx.Client,
                                                   dienst: tuple[Server, Path]) -> None:
    voor, hash_voor = lees(api), hash_in_kracht(api)
    nieuw = voor["tekst"].replace("43.4: 21 dagen", "43.4: 14 dagen")
    antwoord = bewaar(api, nieuw, voor["versie"])
    assert antwoord.status_code == 200, antwoord.text
    opgeslagen = antwoord.json()
    assert opgeslagen["vorige_hash"] == hash_voor != opgeslagen["regelset_hash"]
    assert hash_in_kracht(api) == opgeslagen["regelset_hash"]
    assert lees(api) == {**voor, "tekst": nieuw, "versie": opgeslagen["versie"]}
    opslag = opgeslagen["opslag"]
    assert opslag["wie"] == "Jurist Amstelland"
    assert "-wijzigt parameter maximale afwezigheid in artikel 43.4: 21 dagen" in opslag["diff"]
    assert "+wijzigt parameter maximale afwezigheid in artikel 43.4: 14 dagen" in opslag["diff"]

    # the same save again, on the version it read: refused, naming who saved since
    oud = bewaar(api, nieuw.replace("14 dagen", "10 dagen"), voor["versie"])
    assert oud.status_code == 409
    assert "gewijzigd sinds u het opende (door Jurist Amstelland op " in oud.json()["fout"]
    assert lees(api)["tekst"] == nieuw

    # undo: a new save of the content before, itself recorded; the rule set back as it was
    terug = api.post(f"/v1/regios/amstelland/logboek/{opslag['nummer']}/ongedaan")
    assert terug.status_code == 200, terug.text
    assert terug.json()["opslag"]["hersteld"] == opslag["nummer"]
    assert lees(api)["tekst"] == voor["tekst"]
    assert hash_in_kracht(api) == hash_voor == terug.json()["regelset_hash"]
    logboek = api.get("/v1/regios/amstelland/logboek").json()["opslagen"]
    assert [o["nummer"] for o in logboek[:2]] == [terug.json()["opslag"]["nummer"],
                                                   opslag["nummer"]]
    # the trail names the holder, never the key; it lives outside the region's folder
    spoor = (dienst[1] / "logboek" / "amstelland.jsonl").read_text()
    assert "Jurist Amstelland" in spoor and SLEUTELS["amstelland"] not in spoor
    # undoing it twice: the file changed since the first undo's target
    assert api.post(f"/v1/regios/amstelland/logboek/{opslag['nummer']}/ongedaan"
                    ).status_code == 409
    assert api.post("/v1/regios/amstelland/logboek/999/ongedaan").status_code == 404


def test_ongewijzigde_tekst_wordt_niet_opgeslagen(api: httpx.Client) -> None:
    voor = lees(api, "tarieven.csv")
    antwoord = bewaar(api, voor["tekst"], voor["versie"], "tarieven.csv")
    assert antwoord.status_code == 422 and "niets opgeslagen" in antwoord.json()["fout"]


def test_tabel_met_komma_geweigerd(api: httpx.Client) -> None:
    voor = lees(api, "tarieven.csv")
    regels = voor["tekst"].splitlines(keepends=True)
    regels[1] = regels[1].replace(",7645,", ",76,45,")
    antwoord = bewaar(api, "".join(regels), voor["versie"], "tarieven.csv")
    assert antwoord.status_code == 422
    assert any(f["bestand"] == "tarieven.csv" and f["line"] == 2
               for f in antwoord.json()["fouten"])
    assert lees(api, "tarieven.csv") == voor


ROUTES = [("GET", "bestanden", None), ("GET", "bestanden/contract.regels", None),
          ("PUT", "bestanden/contract.regels", {"tekst": "x", "versie": ""}),
          ("POST", "controleer/contract.regels", {"tekst": "x"}), ("GET", "logboek", None),
          ("POST", "logboek/1/ongedaan", None), ("GET", "woorden", None)]


@pytest.mark.parametrize(("methode", "route", "body"), ROUTES)
def test_sleutel_van_andere_regio_krijgt_niets(dienst: tuple[Server, Path], methode: str,
                                               route: str, body: Any) -> None:
    url = f"{dienst[0].url}/v1/regios/amstelland/{route}"
    andere = httpx.request(methode, url, headers=IJSSELLAND, json=body, timeout=30)
    assert andere.status_code == 403
    assert "amstelland" in andere.json()["fout"] and "<" not in andere.text
    zonder = httpx.request(methode, url, json=body, timeout=30)
    assert zonder.status_code == 401


@pytest.mark.parametrize(("pad", "status", "woord"), [
    ("%2e%2e/ijsselland/contract.regels", 400, "ongeldig bestandspad"),
    ("..%2fijsselland%2fcontract.regels", 400, "ongeldig bestandspad"),
    ("%2Fetc%2Fpasswd.csv", 400, "ongeldig bestandspad"),
    (".verborgen.regels", 400, "ongeldig bestandspad"),
    ("run.py", 400, "geen regelbestand"),
    ("gevallen/artikel_43.yaml", 400, "geen regelbestand"),
    ("bestaat-niet.regels", 404, "bestaat niet"),
])
def test_paden_blijven_in_de_map_van_de_regio(api: httpx.Client, pad: str, status: int,
                                              woord: str) -> None:
    antwoord = api.get(f"/v1/regios/amstelland/bestanden/{pad}")
    assert antwoord.status_code == status and woord in antwoord.json()["fout"]
    opslaan = bewaar(api, "# x\n", "", pad)
    assert opslaan.status_code in {status, 422} and opslaan.status_code != 200


def test_geen_snelkoppeling_naar_buiten(api: httpx.Client, dienst: tuple[Server, Path]) -> None:
    buiten = dienst[1] / "geheim.csv"
    buiten.write_text("a,b\n1,2\n")
    os.symlink(buiten, dienst[1] / "contracten" / "amstelland" / "link.csv")
    try:
        assert "link.csv" not in {b["pad"] for b in
                                  api.get("/v1/regios/amstelland/bestanden").json()["bestanden"]}
        antwoord = api.get("/v1/regios/amstelland/bestanden/link.csv")
        assert antwoord.status_code == 400 and "snelkoppeling" in antwoord.json()["fout"]
        opslaan = bewaar(api, "x,y\n", "", "link.csv")
        assert opslaan.status_code == 400 and buiten.read_text() == "a,b\n1,2\n"
    finally:
        (dienst[1] / "contracten" / "amstelland" / "link.csv").unlink()


def test_te_grote_tekst_begrensd(api: httpx.Client) -> None:
    antwoord = api.post("/v1/regios/amstelland/controleer/contract.regels",
                        json={"tekst": "#" * (200 * 1024)})
    assert antwoord.status_code == 413 and "kB" in antwoord.json()["fout"]


def test_woorden_uit_de_woordenschat_en_de_regio(api: httpx.Client) -> None:
    woorden = api.get("/v1/regios/amstelland/woorden").json()
    assert "productcode" in woorden["velden"] and "dagen" in woorden["eenheden"]
    assert "wijzigt" in woorden["trefwoorden"] and "afwijzen" in woorden["trefwoorden"]
    assert "declaratietermijn" in woorden["parameters"]
    assert "Declareren binnen drie maanden" in woorden["regels"]


def test_voorpagina_linkt_naar_werkbank_en_pagina_zonder_netwerk(api: httpx.Client) -> None:
    assert 'href="/werkbank"' in api.get("/").text
    pagina = api.get("/werkbank").text
    assert "CodeMirror" not in pagina and "http" not in pagina.replace("http-equiv", "")
    assert api.get("/werkbank/statisch/werkbank.js").status_code == 200


def test_twee_gelijktijdige_opslagen_een_wint(api: httpx.Client,
                                             dienst: tuple[Server, Path]) -> None:
    """Two lawyers save the same version at once: one is saved, the other told (409); the
    second never silently overwrites the first."""
    voor = lees(api, "tarieven.csv")
    teksten = [voor["tekst"].replace(",7645,", f",{bedrag},") for bedrag in (7700, 7800)]
    with ThreadPoolExecutor(2) as pool:
        antwoorden = list(pool.map(lambda t: bewaar(api, t, voor["versie"], "tarieven.csv"),
                                   teksten))
    assert sorted(a.status_code for a in antwoorden) == [200, 409]
    winnaar = teksten[[a.status_code for a in antwoorden].index(200)]
    assert lees(api, "tarieven.csv")["tekst"] == winnaar
    nummer = next(a.json()["opslag"]["nummer"] for a in antwoorden if a.status_code == 200)
    assert api.post(f"/v1/regios/amstelland/logboek/{nummer}/ongedaan").status_code == 200
    assert lees(api, "tarieven.csv") == voor


def test_gevallen_van_de_regio_met_dekking(api: httpx.Client) -> None:
    uitslag = api.post("/v1/regios/amstelland/gevallen", params={"dekking": "true"}).json()
    assert uitslag["gevallen"] and all(g["geslaagd"] for g in uitslag["gevallen"])
    assert all(not g["plek"].startswith("/") for g in uitslag["gevallen"])
    assert uitslag["dekking"] == {"stille_regels": [], "halve_voorwaarden": []}
    assert uitslag["geslaagd"] is True


def test_verschil_als_html_met_datum(api: httpx.Client, dienst: tuple[Server, Path]) -> None:
    alles = api.get("/v1/regios/amstelland/verschil")
    assert alles.status_code == 200 and alles.headers["content-type"].startswith("text/html")
    assert "maximale afwezigheid" in alles.text and "21 dagen" in alles.text
    assert "contracten/amstelland/contract.regels:15" in alles.text
    assert str(dienst[1]) not in alles.text and "/tmp" not in alles.text
    assert api.get("/v1/regios/amstelland/verschil", params={"op": "2026-07-01"}
                   ).status_code == 200
    beide = api.get("/v1/regios/amstelland/verschil", params={"op": "2026-07-01",
                                                               "van": "2026-01-01"})
    assert beide.status_code == 422 and "niet allebei" in beide.json()["fout"]
    omgekeerd = api.get("/v1/regios/amstelland/verschil", params={"van": "2026-07-01",
                                                                   "tot": "2026-01-01"})
    assert omgekeerd.status_code == 422 and "ligt voor" in omgekeerd.json()["fout"]
    andere = httpx.get(f"{dienst[0].url}/v1/regios/amstelland/verschil", headers=IJSSELLAND)
    assert andere.status_code == 403
