"""Every region in its own lane (issue 11, points 2 and 3), on SQLite and PostgreSQL.

The attacks as they were reproduced on main, with a key for one region on another region's
gemeente: a newer or a first allocation version, declarations on its allocation, its
explanation; and history that ignored the gemeente. Also: a gemeente listed by two regions,
stored answers per region, and a JW301 version resent with other content (409)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from api_hulp import BSN, declaratie, jw323, prestatie, toewijzingen_json
from api_standin import StandInMotor, contract
from fastapi.testclient import TestClient

from api.instellingen import Instellingen
from api.main import maak_app

XML = {"Content-Type": "application/xml", "Accept": "application/json"}
NOORD = {"X-API-Key": "sleutel-noord-1"}
ZUID = {"X-API-Key": "sleutel-zuid-2"}
BEIDE = {"X-API-Key": "sleutel-beide-3"}
_nummers = itertools.count(610_000)


@pytest.fixture(scope="module")
def client(database_url: str, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[TestClient]:
    """noord lists 0384, 0385 and 0500; zuid lists 0999 and 0500 (a shared gemeente)."""
    contracten = tmp_path_factory.mktemp("contracten")
    for naam, gemeenten in (("noord", "0384 0385 0500"), ("zuid", "0999 0500")):
        (contracten / naam).mkdir()
        (contracten / naam / "contract.regels").write_text(contract(gemeenten))
    sleutels = tmp_path_factory.mktemp("sleutels") / "sleutels.txt"
    sleutels.write_text("sleutel-noord-1 noord\nsleutel-zuid-2 zuid\n"
                        "sleutel-beide-3 noord,zuid\n")
    instellingen = Instellingen(database_url=database_url, contracten=contracten,
                                sleutels=sleutels, herlaad_interval=0)
    with TestClient(maak_app(instellingen, StandInMotor()), client=("10.1.2.3", 4000)) as c:
        yield c


def nummer() -> str:
    """An allocation number no other test of the module uses (not nine digits: those are
    masked as a possible BSN)."""
    return str(next(_nummers))


def toewijzing(c: TestClient, sleutel: dict[str, str], nr: str, volume: int,
               gemeente: str = "0384", tijd: str = "10:00:00", **params: str) -> Any:
    return c.post("/v1/toewijzingen", headers=sleutel, params=params,
                  json=toewijzingen_json((nr, volume), gemeente=gemeente, tijd=tijd))


def dien_in(c: TestClient, sleutel: dict[str, str], nr: str, referentie: str, uren: int,
            gemeente: str = "0384", **params: str) -> Any:
    bericht = jw323(declaratie(f"D{referentie}", prestatie(0, referentie, nr, volume=uren),
                               gemeente=gemeente))
    return c.post("/v1/declaraties", headers={**XML, **sleutel}, params=params, content=bericht)


def uitkomst(antwoord: Any) -> tuple[str, tuple[str, ...]]:
    assert antwoord.status_code == 200, antwoord.text
    regel = antwoord.json()["uitleg"]["prestaties"][0]
    return regel["status"], tuple(regel["retourcodes"])


# ---------------------------------------------------------------- point 2: another region's key


def test_nieuwere_toewijzingsversie_uit_andere_regio_geweigerd(client: TestClient) -> None:
    """Reproduced: zuid's newer version (100 hours) replaced noord's 10-hour allocation, and
    noord's 50 hours were then approved."""
    nr = nummer()
    assert toewijzing(client, NOORD, nr, 10).json()["nieuw"] == 1
    via_parameter = toewijzing(client, ZUID, nr, 100, tijd="11:00:00", regio="zuid")
    assert via_parameter.status_code == 422
    assert via_parameter.json() == {
        "fout": "gemeente 0384 hoort niet bij regio 'zuid': een bericht wordt verwerkt in een "
                "regio van zijn gemeente", "locatie": "regio"}
    zonder = toewijzing(client, ZUID, nr, 100, tijd="11:00:00")
    assert zonder.status_code == 403
    assert zonder.json()["fout"] == "deze API-sleutel geeft geen toegang tot regio 'noord'"
    assert toewijzing(client, ZUID, nr, 100, tijd="11:00:00", regio="noord").status_code == 403
    assert uitkomst(dien_in(client, NOORD, nr, f"R{nr}", 50)) == ("afgewezen", ("9322",))


def test_eerste_versie_uit_andere_regio_verdringt_de_eigen_niet(client: TestClient) -> None:
    """Reproduced: zuid posted noord's version first with volume 0; noord's own JW301 then
    answered `nieuw: 0` and its allocation held nothing."""
    nr = nummer()
    assert toewijzing(client, ZUID, nr, 0, regio="zuid").status_code == 422
    eigen = toewijzing(client, NOORD, nr, 10)
    assert eigen.json() == {"regio": "noord", "ontvangen": 1, "nieuw": 1,
                            "toewijzingnummers": [nr]}
    assert uitkomst(dien_in(client, NOORD, nr, f"R{nr}", 10)) == ("goedgekeurd", ())


def test_declaratie_uit_andere_regio_verbruikt_volume_en_referenties_niet(client: TestClient
                                                                         ) -> None:
    """Reproduced: zuid's line on noord's allocation used up its volume (noord's next line
    9389/9322) or its reference number (8021), and its explanation showed noord's volume."""
    nr = nummer()
    toewijzing(client, NOORD, nr, 10)
    for params in ({"regio": "zuid"}, {}):
        vreemd = dien_in(client, ZUID, nr, f"R{nr}", 10, **params)
        assert vreemd.status_code in (403, 422)
        assert set(vreemd.json()) == {"fout", "locatie"} or set(vreemd.json()) == {"fout"}
        assert "toegewezen" not in vreemd.text and "10" not in vreemd.json()["fout"]
    assert uitkomst(dien_in(client, NOORD, nr, f"R{nr}", 10)) == ("goedgekeurd", ())


def test_uitleg_van_eigen_regio_kent_alleen_eigen_toewijzingen(client: TestClient) -> None:
    """The explanation of a line in one region never reflects another region's allocation
    (8187 / 9338 told whether the allocation, and its client, existed there)."""
    nr = nummer()
    toewijzing(client, BEIDE, nr, 10, gemeente="0500", regio="noord")
    zuid = dien_in(client, BEIDE, nr, f"R{nr}", 1, gemeente="0500", regio="zuid")
    assert uitkomst(zuid) == ("afgewezen", ("9338",))
    assert "toegewezen" not in zuid.text
    assert uitkomst(dien_in(client, BEIDE, nr, f"S{nr}", 1, gemeente="0500",
                            regio="noord")) == ("goedgekeurd", ())


# ---------------------------------------------------------------- region selection


def test_gedeelde_gemeente_sleutel_en_parameter_vernauwen_de_keuze(client: TestClient) -> None:
    nr = nummer()
    dubbel = toewijzing(client, BEIDE, nr, 5, gemeente="0500")
    assert dubbel.status_code == 422
    assert dubbel.json()["fout"] == ("gemeente 0500 staat in meer dan een regio (noord, zuid): "
                                     "geef ?regio= op")
    assert toewijzing(client, BEIDE, nr, 5, gemeente="0500", regio="zuid").json()["regio"] \
        == "zuid"
    assert toewijzing(client, NOORD, nr, 5, gemeente="0500").json()["regio"] == "noord"
    assert toewijzing(client, ZUID, nr, 5, gemeente="0500", regio="noord").status_code == 403
    onbekend = toewijzing(client, BEIDE, nr, 5, gemeente="0001")
    assert onbekend.status_code == 404 and "0001" in onbekend.json()["fout"]


def test_jw301_met_gemeenten_van_twee_regios_geweigerd(client: TestClient) -> None:
    nr = nummer()
    bericht = toewijzingen_json((nr, 5))
    bericht["toewijzingen"] += toewijzingen_json((nummer(), 5), gemeente="0999")["toewijzingen"]
    for params in ({}, {"regio": "noord"}, {"regio": "zuid"}):
        antwoord = client.post("/v1/toewijzingen", headers=BEIDE, params=params, json=bericht)
        assert antwoord.status_code == 422, antwoord.text
    twee_eigen = toewijzingen_json((nr, 5))
    twee_eigen["toewijzingen"] += toewijzingen_json((nr, 5), gemeente="0385")["toewijzingen"]
    assert client.post("/v1/toewijzingen", headers=NOORD, json=twee_eigen).json()["nieuw"] == 2


def test_afwezigheden_zonder_gemeente_per_regio(client: TestClient) -> None:
    perioden = {"afwezigheden": [{"bsn": BSN, "toewijzingnummer": nummer(),
                                  "van": "2026-04-01", "tot": "2026-04-03"}]}
    assert client.post("/v1/aanwezigheid", headers=NOORD, json=perioden).json()["regio"] \
        == "noord"
    assert client.post("/v1/aanwezigheid", headers=NOORD, json=perioden,
                       params={"regio": "zuid"}).status_code == 403
    assert client.post("/v1/aanwezigheid", headers=BEIDE, json=perioden).status_code == 422


def test_opgeslagen_antwoord_hoort_bij_de_regio(client: TestClient) -> None:
    """The very same message in the other region of a shared gemeente is assessed there, not
    answered with (and shown) the first region's stored answer."""
    nr = nummer()
    eerst = dien_in(client, BEIDE, nr, f"R{nr}", 1, gemeente="0500", regio="noord").json()
    tweede = dien_in(client, BEIDE, nr, f"R{nr}", 1, gemeente="0500", regio="zuid").json()
    assert (tweede["regio"], tweede["opnieuw_ingediend"]) == ("zuid", False)
    assert tweede["declaratie_id"] != eerst["declaratie_id"]
    nog_eens = dien_in(client, BEIDE, nr, f"R{nr}", 1, gemeente="0500", regio="zuid").json()
    assert (nog_eens["opnieuw_ingediend"], nog_eens["declaratie_id"]) == \
        (True, tweede["declaratie_id"])


# ---------------------------------------------------------------- point 3: history per gemeente


def test_historie_per_gemeente(client: TestClient) -> None:
    """Reproduced: an approved line on allocation N in 0384 made a legitimate line on N in
    0385 exceed its volume (9322); a credit in 0385 found the debit of 0384."""
    nr = nummer()
    toewijzing(client, NOORD, nr, 10)
    toewijzing(client, NOORD, nr, 10, gemeente="0385")
    assert uitkomst(dien_in(client, NOORD, nr, f"A{nr}", 10)) == ("goedgekeurd", ())
    assert uitkomst(dien_in(client, NOORD, nr, f"B{nr}", 10, gemeente="0385")) \
        == ("goedgekeurd", ())
    credit = jw323(declaratie(f"C{nr}", prestatie(0, f"C{nr}", nr, 10, dc="C",
                                                  vorig=f"A{nr}"), gemeente="0385"))
    antwoord = client.post("/v1/declaraties", headers={**XML, **NOORD}, content=credit)
    assert uitkomst(antwoord) == ("afgewezen", ("8017",))
    zelfde_referentie = dien_in(client, NOORD, nr, f"A{nr}", 0, gemeente="0385")
    assert "8021" not in uitkomst(zelfde_referentie)[1]


# ---------------------------------------------------------------- opaque ids


def test_ids_zijn_willekeurig_en_andere_regio_antwoordt_als_onbekend(client: TestClient
                                                                    ) -> None:
    nr = nummer()
    antwoorden = [dien_in(client, NOORD, nr, f"I{nr}{i}", 0) for i in range(3)]
    ids = [a.json()["declaratie_id"] for a in antwoorden]
    assert all(len(i) == 32 and not i.isdigit() for i in ids) and len(set(ids)) == 3
    assert [a.headers["location"] for a in antwoorden] == [f"/v1/declaraties/{i}" for i in ids]
    assert client.get(f"/v1/declaraties/{ids[0]}", headers=NOORD).json()["id"] == ids[0]
    onbekend = client.get(f"/v1/declaraties/{'f' * 32}", headers=ZUID)
    for pad in (f"/v1/declaraties/{ids[0]}", f"/v1/declaraties/{ids[0]}/uitleg"):
        for accept in ("application/json", "application/xml", "text/html"):
            ander = client.get(pad, headers={**ZUID, "Accept": accept})
            assert (ander.status_code, ander.content) == (404, onbekend.content)


# ---------------------------------------------------------------- honest allocation versions


def test_zelfde_versie_andere_inhoud_409_en_hele_bericht_geweigerd(client: TestClient) -> None:
    nr, ander_nr = nummer(), nummer()
    assert toewijzing(client, NOORD, nr, 10).json()["nieuw"] == 1
    assert toewijzing(client, NOORD, nr, 10).json()["nieuw"] == 0  # the very same: idempotent
    bericht = toewijzingen_json((ander_nr, 5), (nr, 99))
    antwoord = client.post("/v1/toewijzingen", headers=NOORD, json=bericht)
    assert antwoord.status_code == 409
    assert antwoord.json() == {"fout": (
        f"toewijzing {nr} van gemeente 0384 heeft al een versie met Toewijzingsdatum "
        "2026-03-01 en Toewijzingstijd 10:00:00 met andere inhoud; een gewijzigde toewijzing "
        "krijgt een nieuwe Toewijzingsdatum en -tijd. Het bericht is niet verwerkt.")}
    assert BSN not in antwoord.text
    assert toewijzing(client, NOORD, ander_nr, 5).json()["nieuw"] == 1  # was not stored
    assert uitkomst(dien_in(client, NOORD, nr, f"R{nr}", 11)) == ("afgewezen", ("9322",))


def test_twee_versies_met_zelfde_sleutel_in_een_bericht_409(client: TestClient) -> None:
    nr = nummer()
    bericht = toewijzingen_json((nr, 10), (nr, 20))
    antwoord = client.post("/v1/toewijzingen", headers=NOORD, json=bericht)
    assert antwoord.status_code == 409 and f"toewijzing {nr} " in antwoord.json()["fout"]
    assert toewijzing(client, NOORD, nr, 20).json()["nieuw"] == 1


def test_zelfde_versie_in_andere_regio_is_geen_conflict(client: TestClient) -> None:
    nr = nummer()
    assert toewijzing(client, BEIDE, nr, 10, gemeente="0500", regio="noord").status_code == 200
    zuid = toewijzing(client, BEIDE, nr, 30, gemeente="0500", regio="zuid")
    assert zuid.json()["nieuw"] == 1


@pytest.mark.parametrize("regio", ["noord", "zuid"])
def test_xml_toewijzing_uit_andere_regio(client: TestClient, regio: str) -> None:
    from datetime import date, time

    from berichten.ijw.jw301 import schrijf_jw301
    from engine.model import Toewijzing

    gemeente = "0999" if regio == "noord" else "0384"
    t = Toewijzing(nummer(), BSN, gemeente, "65656055", "45", "45A03", date(2026, 3, 1),
                   time(10), date(2026, 1, 1), None, 10, "04", "6", None, None)
    sleutel = NOORD if regio == "noord" else ZUID
    antwoord = client.post("/v1/toewijzingen", headers={**sleutel, **XML},
                           content=schrijf_jw301([t], "X1", date(2026, 3, 1)),
                           params={"regio": regio})
    assert antwoord.status_code == 422
    assert antwoord.json()["fout"].startswith(f"gemeente {gemeente} hoort niet bij regio")

