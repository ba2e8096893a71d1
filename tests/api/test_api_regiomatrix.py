"""The region matrix of issue 11 over real HTTP: two keys (noord, zuid) × every route that
writes or reads region data × the key's own and the other region's gemeente.

Own: the route works and answers with the key's region. Other: refused (403 for a region
the key may not use, 422 for a `?regio=` that does not list the gemeente, 404 exactly like
an id that does not exist) and nothing of the other region in the answer."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from api_hulp import BSN, Server, declaratie, jw323, prestatie, toewijzingen_json

pytestmark = pytest.mark.traag

SLEUTELS = {"noord": "matrix-noord-1", "zuid": "matrix-zuid-2"}
GEMEENTE = {"noord": "0384", "zuid": "0999"}
XML = {"Content-Type": "application/xml", "Accept": "application/json"}
_nummers = itertools.count(720_000)


def ander(regio: str) -> str:
    return "zuid" if regio == "noord" else "noord"


@pytest.fixture(scope="module")
def server(database_url: str, contracten: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Server]:
    sleutels = tmp_path_factory.mktemp("sleutels") / "sleutels.txt"
    sleutels.write_text("".join(f"{s} {r}\n" for r, s in SLEUTELS.items()))
    omgeving = {"REGELWERK_DATABASE_URL": database_url, "REGELWERK_CONTRACTEN": str(contracten),
                "REGELWERK_SLEUTELS": str(sleutels), "REGELWERK_HERLAAD_INTERVAL": "0",
                "REGELWERK_WERKBANK_LOGBOEK": str(tmp_path_factory.mktemp("logboek"))}
    dienst = Server("api_server", omgeving, tmp_path_factory.mktemp("logs") / "matrix.log")
    try:
        yield dienst.wacht()
    finally:
        dienst.stop()


@pytest.fixture(scope="module")
def bestaand(server: Server) -> dict[str, str]:
    """Per region a stored declaration (its id), on an allocation of that region."""
    ids = {}
    for regio, sleutel in SLEUTELS.items():
        nr = str(next(_nummers))
        kop = {"X-API-Key": sleutel}
        httpx.post(f"{server.url}/v1/toewijzingen", headers=kop,
                   json=toewijzingen_json((nr, 10), gemeente=GEMEENTE[regio])).raise_for_status()
        antwoord = httpx.post(f"{server.url}/v1/declaraties", headers={**XML, **kop},
                              content=jw323(declaratie(f"M{nr}", prestatie(0, f"M{nr}", nr, 3),
                                                       gemeente=GEMEENTE[regio])))
        antwoord.raise_for_status()
        ids[regio] = antwoord.json()["declaratie_id"]
    return ids


class Verzoek:
    """What one matrix case needs: the server, the key's region, the gemeente's region."""

    def __init__(self, server: Server, sleutel: str, doel: str, bestaand: dict[str, str]):
        self.server, self.sleutel, self.doel, self.bestaand = server, sleutel, doel, bestaand
        self.kop = {"X-API-Key": SLEUTELS[sleutel]}
        self.gemeente = GEMEENTE[doel]

    @property
    def eigen(self) -> bool:
        return self.sleutel == self.doel

    def post(self, pad: str, params: dict[str, str] | None = None,
             headers: dict[str, str] | None = None, json: object = None,
             content: bytes | None = None) -> httpx.Response:
        return httpx.post(f"{self.server.url}{pad}", headers={**self.kop, **(headers or {})},
                          params=params, json=json, content=content, timeout=30)

    def get(self, pad: str, **kop: str) -> httpx.Response:
        return httpx.get(f"{self.server.url}{pad}", headers={**self.kop, **kop}, timeout=30)


def schrijf_gemeentebericht(v: Verzoek, stuur: Callable[[dict[str, str]], httpx.Response]
                            ) -> None:
    """A message naming a gemeente: as is, with ?regio= of the key, of the gemeente."""
    zonder = stuur({})
    if v.eigen:
        assert zonder.status_code == 200, zonder.text
        assert zonder.json()["regio"] == v.doel
        return
    assert zonder.status_code == 403, zonder.text
    assert zonder.json() == {"fout": f"deze API-sleutel geeft geen toegang tot regio '{v.doel}'"}
    eigen_regio = stuur({"regio": v.sleutel})
    assert eigen_regio.status_code == 422, eigen_regio.text
    assert eigen_regio.json()["fout"].startswith(f"gemeente {v.gemeente} hoort niet bij regio "
                                                 f"'{v.sleutel}'")
    assert stuur({"regio": v.doel}).status_code == 403


def route_toewijzingen(v: Verzoek) -> None:
    nr = str(next(_nummers))
    schrijf_gemeentebericht(v, lambda params: v.post(
        "/v1/toewijzingen", params=params, json=toewijzingen_json((nr, 5), gemeente=v.gemeente)))


def route_declaraties(v: Verzoek) -> None:
    nr = str(next(_nummers))
    bericht = jw323(declaratie(f"N{nr}", prestatie(0, f"N{nr}", nr, 1), gemeente=v.gemeente))
    schrijf_gemeentebericht(v, lambda params: v.post("/v1/declaraties", params=params,
                                                     headers=XML, content=bericht))


def route_aanwezigheid(v: Verzoek) -> None:
    perioden = {"afwezigheden": [{"bsn": BSN, "toewijzingnummer": str(next(_nummers)),
                                  "van": "2026-04-01", "tot": "2026-04-02"}]}
    antwoord = v.post("/v1/aanwezigheid", params={"regio": v.doel}, json=perioden)
    if v.eigen:
        assert antwoord.json() == {"regio": v.doel, "ontvangen": 1, "nieuw": 1}
    else:
        assert antwoord.status_code == 403 and BSN not in antwoord.text


def _lees(v: Verzoek, pad: str, accept: str) -> None:
    antwoord = v.get(pad.format(id=v.bestaand[v.doel]), Accept=accept)
    if v.eigen:
        assert antwoord.status_code == 200, antwoord.text
        return
    onbekend = v.get(pad.format(id="0" * 32), Accept=accept)
    assert (antwoord.status_code, antwoord.content) == (404, onbekend.content)
    assert v.doel not in antwoord.text


def route_declaratie_lezen(v: Verzoek) -> None:
    for accept in ("application/json", "application/xml"):
        _lees(v, "/v1/declaraties/{id}", accept)


def route_uitleg(v: Verzoek) -> None:
    for accept in ("application/json", "text/html"):
        _lees(v, "/v1/declaraties/{id}/uitleg", accept)


def route_regios(v: Verzoek) -> None:
    namen = [r["naam"] for r in v.get("/v1/regios").json()]
    assert namen == [v.sleutel]


def route_artikelen(v: Verzoek) -> None:
    antwoord = v.get(f"/v1/regios/{v.doel}/artikelen")
    assert antwoord.status_code == (200 if v.eigen else 403), antwoord.text


def route_herlaad(v: Verzoek) -> None:
    antwoord = v.post(f"/v1/regios/{v.doel}/herlaad")
    assert antwoord.status_code == (200 if v.eigen else 403), antwoord.text


def werkbankroute(methode: str, pad: str, eigen: set[int], json: object = None
                  ) -> Callable[[Verzoek], None]:
    """A workbench route (issue 17): the own region past the key check (the status of what
    the route then does), the other's 403 naming nothing of it."""
    def route(v: Verzoek) -> None:
        url = f"{v.server.url}/v1/regios/{v.doel}/{pad}"
        antwoord = httpx.request(methode, url, headers=v.kop, json=json, timeout=60)
        if v.eigen:
            assert antwoord.status_code in eigen, antwoord.text
        else:
            assert antwoord.status_code == 403, antwoord.text
            assert "contract" not in antwoord.text
    return route


ROUTES = {
    "GET /v1/regios/{regio}/bestanden": werkbankroute("GET", "bestanden", {200}),
    "GET /v1/regios/{regio}/bestanden/{pad}": werkbankroute("GET", "bestanden/contract.regels",
                                                            {200}),
    "PUT /v1/regios/{regio}/bestanden/{pad}": werkbankroute(
        "PUT", "bestanden/contract.regels", {409}, {"tekst": "# x\n", "versie": "oud"}),
    "POST /v1/regios/{regio}/controleer/{pad}": werkbankroute(
        "POST", "controleer/contract.regels", {200}, {"tekst": "# x\n"}),
    "GET /v1/regios/{regio}/logboek": werkbankroute("GET", "logboek", {200}),
    "POST /v1/regios/{regio}/logboek/{nummer}/ongedaan": werkbankroute(
        "POST", "logboek/1/ongedaan", {404}),
    "GET /v1/regios/{regio}/woorden": werkbankroute("GET", "woorden", {200}),
    "POST /v1/regios/{regio}/gevallen": werkbankroute("POST", "gevallen", {200, 422}),
    "GET /v1/regios/{regio}/verschil": werkbankroute("GET", "verschil", {200}),
    # the year of issues 14 and 15: reports of the region's ledger, its payment run
    "GET /v1/regios/{regio}/jaren/{jaar}/kwartalen/{kwartaal}": werkbankroute(
        "GET", "jaren/2026/kwartalen/1", {200}),
    "GET /v1/regios/{regio}/jaren/{jaar}/verantwoording": werkbankroute(
        "GET", "jaren/2026/verantwoording", {200}),
    "GET /v1/regios/{regio}/jaren/{jaar}/voorschotten": werkbankroute(
        "GET", "jaren/2026/voorschotten", {200}),
    "POST /v1/regios/{regio}/jaren/{jaar}/betaalrun": werkbankroute(
        "POST", "jaren/2026/betaalrun?maand=1", {200}),
    "GET /v1/regios/{regio}/jaren/{jaar}/vaststelling": werkbankroute(
        "GET", "jaren/2026/vaststelling", {200}),
    "GET /v1/regios/{regio}/jaren/{jaar}/verevening": werkbankroute(
        "GET", "jaren/2026/verevening", {200}),
    "POST /v1/toewijzingen": route_toewijzingen,
    "POST /v1/declaraties": route_declaraties,
    "POST /v1/aanwezigheid": route_aanwezigheid,
    "GET /v1/declaraties/{id}": route_declaratie_lezen,
    "GET /v1/declaraties/{id}/uitleg": route_uitleg,
    "GET /v1/regios": route_regios,
    "GET /v1/regios/{regio}/artikelen": route_artikelen,
    "POST /v1/regios/{regio}/herlaad": route_herlaad,
}


@pytest.mark.parametrize("kant", ["eigen", "ander"])
@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize("sleutel", list(SLEUTELS))
def test_regiomatrix(server: Server, bestaand: dict[str, str], sleutel: str, route: str,
                     kant: str) -> None:
    doel = sleutel if kant == "eigen" else ander(sleutel)
    ROUTES[route](Verzoek(server, sleutel, doel, bestaand))


def test_de_matrix_dekt_elke_route_met_regiogegevens(server: Server) -> None:
    """A new route that touches region data must join the matrix (or be region-free)."""
    regiovrij = {"GET /v1/gezondheid", "POST /v1/regels/valideer"}
    paden = httpx.get(f"{server.url}/openapi.json").json()["paths"]
    routes = {f"{methode.upper()} {pad.replace('{declaratie_id}', '{id}')}"
              for pad, methoden in paden.items() for methode in methoden}
    assert routes - regiovrij == set(ROUTES)
