"""The workbench's parts without a server: paths fixed to the region's folder (property: any
path is refused with a Dutch message or lands inside the folder), the one-click fix of a
suggestion, the audit trail's records, the key file's holder names."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.fouten import DienstFoutError
from api.logboek import Logboek
from api.toegang import Toegang, lees_houders
from api.werkbank import veilig_pad
from api.woordenlijst import herstelling

DELEN = st.sampled_from(["..", ".", "", "a", "b.regels", "c.csv", ".x", "~", "%2e", "d/",
                         "/", "\\", "e.py", " ", "f..regels"])


@settings(max_examples=300, deadline=None)
@given(pad=st.lists(DELEN, max_size=5).map("/".join) | st.text(max_size=30))
def test_elk_pad_geweigerd_of_in_de_map(tmp_path_factory: pytest.TempPathFactory,
                                        pad: str) -> None:
    map_ = tmp_path_factory.getbasetemp() / "regio"
    map_.mkdir(exist_ok=True)
    try:
        doel = veilig_pad(map_, pad)
    except DienstFoutError as fout:
        assert fout.status == 400 and fout.bericht and fout.locatie == "pad"
        return
    assert doel.resolve().is_relative_to(map_.resolve())
    assert doel.suffix in {".regels", ".csv"} and ".." not in doel.relative_to(map_).parts


def test_snelkoppeling_naar_buiten_geweigerd(tmp_path: Path) -> None:
    (tmp_path / "regio").mkdir()
    (tmp_path / "buiten").mkdir()
    (tmp_path / "regio" / "sub").symlink_to(tmp_path / "buiten")
    with pytest.raises(DienstFoutError, match="snelkoppeling"):
        veilig_pad(tmp_path / "regio", "sub/tarieven.csv")


TEKST = 'regel "x"\n  als de productcod is "1"\n  toon de geleverd volum\n  tabel "tarievn"\n'


@pytest.mark.parametrize(("line", "column", "suggestie", "oud", "nieuw"), [
    (2, 10, "bedoelde u 'productcode'?", "productcod", "productcode"),
    (3, 11, "bedoelde u 'geleverd volume'?", "geleverd volum", "geleverd volume"),
    (4, 9, "bedoelde u 'tarieven'?", "tarievn", "tarieven"),
])
def test_herstelling_vervangt_het_woord_van_de_fout(line: int, column: int, suggestie: str,
                                                    oud: str, nieuw: str) -> None:
    h = herstelling(TEKST, line, column, suggestie)
    assert h is not None and TEKST[h["van"]:h["tot"]] == oud and h["door"] == nieuw


@pytest.mark.parametrize(("line", "column", "suggestie"), [
    (2, 10, None), (2, 10, "gebruik een getal"), (99, 1, "bedoelde u 'x'?"),
    (2, 10, "bedoelde u 'productcod'?"),
])
def test_geen_herstelling_zonder_woord_om_in_te_zetten(line: int, column: int,
                                                      suggestie: str | None) -> None:
    assert herstelling(TEKST, line, column, suggestie) is None


def test_logboek_nummert_en_bewaart_de_diff(tmp_path: Path) -> None:
    boek = Logboek(tmp_path / "logboek")
    eerste = boek.schrijf("noord", "contract.regels", "a\nb\n", "a\nc\n", "Jurist")
    tweede = boek.schrijf("noord", "tarieven.csv", "x\n", "y\n", "sleutel 12345678", hersteld=1)
    assert (eerste.nummer, tweede.nummer) == (1, 2)
    assert "-b\n+c\n" in eerste.diff and eerste.diff.startswith("--- a/contract.regels")
    assert boek.alle("noord") == [eerste, tweede] and boek.alle("zuid") == []
    assert boek.laatste("noord", "contract.regels") == eerste
    assert boek.opslag("noord", 2).hersteld == 1


def test_sleutelbestand_met_naam_van_de_houder(tmp_path: Path) -> None:
    pad = tmp_path / "sleutels.txt"
    pad.write_text("geheim-1 noord,zuid Jurist Noord\ngeheim-2 zuid\n")
    houders = lees_houders(pad)
    assert houders["geheim-1"].naam == "Jurist Noord"
    assert houders["geheim-2"].naam.startswith("sleutel ") and "geheim" not in houders[
        "geheim-2"].naam
    wie = Toegang(houders).wie("geheim-1", "10.0.0.1")
    assert wie.regios == frozenset({"noord", "zuid"}) and wie.naam == "Jurist Noord"
