"""JW301 in: every version, the version in force, deleted allocations, located errors."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from pathlib import Path

import pytest
from ijw_hulp import BERICHTEN, fouten_tegen_xsd

from berichten.fouten import BerichtFoutError
from berichten.ijw import jw301
from berichten.ijw.jw301 import geldende_toewijzingen, lees_jw301, lees_jw301_map, schrijf_jw301
from engine.model import Toewijzing


@pytest.fixture(params=["snel", "lxml"], autouse=True)
def leeswijze(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with and without the fast path (`berichten.ijw.snel`)."""
    if request.param == "lxml":
        monkeypatch.setattr(jw301, "SNEL", False)


def test_voorbeeld_wordt_gelezen() -> None:
    versies = lees_jw301(BERICHTEN / "JW301.xml")
    assert [v.toewijzingnummer for v in versies] == ["300201", "300202"]
    eerste = versies[0]
    assert (eerste.gemeente, eerste.aanbieder, eerste.bsn) == ("0384", "42420001", "999900006")
    assert (eerste.productcategorie, eerste.productcode) == ("55", "55A11")
    assert (eerste.toewijzingsdatum, eerste.toewijzingstijd) == (date(2026, 4, 1),
                                                                 time(12, 34, 56))
    assert (eerste.ingangsdatum, eerste.einddatum) == (date(2026, 4, 1), date(2026, 7, 14))
    assert (eerste.volume, eerste.eenheid, eerste.frequentie) == (2, "04", "2")
    assert (eerste.budget, eerste.reden_wijziging, eerste.verwijderd) == (None, None, False)


def _versie(nummer: str, dag: date, tijd: time, reden: str | None = None,
            volume: int = 2) -> Toewijzing:
    basis = lees_jw301(BERICHTEN / "JW301.xml")[0]
    return dataclasses.replace(basis, toewijzingnummer=nummer, toewijzingsdatum=dag,
                               toewijzingstijd=tijd, reden_wijziging=reden, volume=volume)


def test_laatste_datum_en_tijd_geldt() -> None:
    oud = _versie("1", date(2026, 4, 1), time(12, 0), volume=1)
    later_op_de_dag = _versie("1", date(2026, 4, 1), time(13, 0), "01", volume=2)
    eerdere_dag = _versie("1", date(2026, 3, 31), time(23, 59), volume=3)
    ander = _versie("2", date(2026, 1, 1), time(0, 0), volume=4)
    geldend = geldende_toewijzingen([oud, later_op_de_dag, eerdere_dag, ander])
    assert geldend == {"1": later_op_de_dag, "2": ander}


def test_gelijke_versie_dan_de_laatste_in_het_bericht() -> None:
    a = _versie("1", date(2026, 4, 1), time(12, 0), volume=1)
    b = _versie("1", date(2026, 4, 1), time(12, 0), volume=2)
    assert geldende_toewijzingen([a, b])["1"] is b


def test_verwijderde_toewijzing_blijft_als_verwijderd() -> None:
    geldig = _versie("1", date(2026, 4, 1), time(12, 0))
    verwijderd = _versie("1", date(2026, 4, 2), time(9, 0), "13")
    geldend = geldende_toewijzingen([verwijderd, geldig])["1"]
    assert geldend is verwijderd and geldend.verwijderd


def test_schrijven_en_lezen_is_gelijk(tmp_path: Path) -> None:
    versies = [
        _versie("7", date(2026, 1, 2), time(8, 0)),
        dataclasses.replace(_versie("7", date(2026, 2, 2), time(8, 0), "13"), budget=12345,
                            einddatum=None),
        dataclasses.replace(_versie("8", date(2026, 1, 2), time(8, 0)), productcode=None,
                            volume=None, eenheid=None, frequentie=None),
    ]
    xml = schrijf_jw301(versies, "ID1", date(2026, 2, 2))
    assert fouten_tegen_xsd(xml, "JW301") == []
    verwacht = [*versies[:2], dataclasses.replace(versies[2], volume=None)]
    assert lees_jw301(xml) == verwacht
    (tmp_path / "b.xml").write_bytes(xml)
    (tmp_path / "a.xml").write_bytes((BERICHTEN / "JW301.xml").read_bytes())
    assert [v.toewijzingnummer for v in lees_jw301_map(tmp_path)] == ["300201", "300202", "7",
                                                                      "7", "8"]


def test_een_jw301_is_een_client() -> None:
    a = _versie("1", date(2026, 4, 1), time(12, 0))
    with pytest.raises(ValueError, match="één client"):
        schrijf_jw301([a, dataclasses.replace(a, bsn="999900018")], "X", date(2026, 4, 1))


@pytest.mark.parametrize(("van", "door", "line", "bericht"), [
    (b"<ijw:Frequentie>2<", b"<ijw:Frequentie>3<", 184,
     "element Frequentie: de waarde '3' is geen toegestane code"),
    (b"<jw301:Toewijzingstijd>12:34:56<", b"<jw301:Toewijzingstijd>12:34<", 178,
     "element Toewijzingstijd: de waarde '12:34' is geen geldige tijd (uu:mm:ss)"),
    (b"<jw301:Ontvanger>42420001<", b"<jw301:Ontvanger>4242<", 8,
     "element Ontvanger: de waarde '4242' voldoet niet aan het patroon [0-9]{8}"),
    (b"</jw301:Client>", b"</jw301:Clint>", 207, "eindtag Clint past niet bij begintag Client"),
])
def test_fout_met_bestand_en_plaats(tmp_path: Path, jw301_bytes: bytes, van: bytes,
                                    door: bytes, line: int, bericht: str) -> None:
    assert van in jw301_bytes
    pad = tmp_path / "toewijzing.xml"
    pad.write_bytes(jw301_bytes.replace(van, door, 1))
    with pytest.raises(BerichtFoutError) as info:
        lees_jw301(pad)
    assert info.value.line == line
    assert bericht in info.value.bericht
    assert str(info.value).startswith(f"{pad}:{line}:")
