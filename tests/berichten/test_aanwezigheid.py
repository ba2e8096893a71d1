"""Attendance CSV and the BSN elfproef."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from berichten.aanwezigheid import (
    AfwezigheidFoutError,
    afwezigheid,
    lees_aanwezigheid,
    schrijf_aanwezigheid,
)
from berichten.fouten import BerichtFoutError
from engine.bsn import controlecijfer, elfproef
from engine.model import Afwezigheid

KOP = "bsn,toewijzingnummer,van,tot\n"


def test_lezen_uit_bestand(tmp_path: Path) -> None:
    pad = tmp_path / "aanwezigheid.csv"
    pad.write_text(KOP + "999900006,10072,2026-04-03,2026-04-20\n\n999900018,074,2026-04-01,"
                   "2026-04-01\n")
    assert lees_aanwezigheid(pad) == [
        Afwezigheid("999900006", "10072", date(2026, 4, 3), date(2026, 4, 20)),
        Afwezigheid("999900018", "74", date(2026, 4, 1), date(2026, 4, 1)),
    ]
    assert lees_aanwezigheid(str(pad)) == lees_aanwezigheid(pad.read_bytes())


def test_heen_en_terug() -> None:
    rijen = [Afwezigheid("999900006", "1", date(2026, 1, 1), date(2026, 1, 31))]
    assert lees_aanwezigheid(schrijf_aanwezigheid(rijen).encode()) == rijen


@pytest.mark.parametrize(("tekst", "plek", "bericht"), [
    ("", "1:1", "de eerste regel moet de kop 'bsn,toewijzingnummer,van,tot' zijn"),
    ("999900006,1,2026-01-01,2026-01-02\n", "1:1", "de kop"),
    (KOP + "999900006,1,2026-01-01,2026-01-02\n999900006,1,2026-01-01\n", "3:1",
     "verwacht 4 waarden"),
    (KOP + "x\n" * 0 + "999900006,1,2026-01-01,2026-01-02\n\n999900006,abc,2026-01-01,"
     "2026-01-02\n", "4:2", "het toewijzingnummer moet een geheel getal zijn"),
    (KOP + "99990000,1,2026-01-01,2026-01-02\n", "2:1", "het BSN moet uit 9 cijfers (0-9)"),
    # the elfproef, as the service's JSON form does it
    (KOP + "999900007,1,2026-01-01,2026-01-02\n", "2:1",
     "het BSN voldoet niet aan de elfproef"),
    # Arabic-Indic digits: isdigit() says yes, int() would convert them silently
    (KOP + "\u0669\u0669\u0669\u0669\u0660\u0660\u0660\u0660\u0666,1,2026-01-01,"
     "2026-01-02\n", "2:1", "het BSN moet uit 9 cijfers (0-9)"),
    (KOP + "999900006,\u0661\u0662,2026-01-01,2026-01-02\n", "2:2",
     "het toewijzingnummer moet een geheel getal zijn van hoogstens 9 cijfers (0-9)"),
    (KOP + "999900006,1234567890,2026-01-01,2026-01-02\n", "2:2", "hoogstens 9 cijfers"),
    (KOP + "999900006,1,2026-01-0\u0661,2026-01-02\n", "2:3", "geen geldige datum"),
    (KOP + "999900006,1,2026-02-30,2026-03-02\n", "2:3", "'2026-02-30' is geen geldige datum"),
    (KOP + "999900006,1,2026-03-01,1-3-2026\n", "2:4", "'1-3-2026' is geen geldige datum"),
    (KOP + "999900006,1,2026-03-05,2026-03-01\n", "2:4", "ligt voor 'van'"),
    (KOP + '999900006,1,"2026-03-05\n', "2", "de CSV is onleesbaar"),
])
def test_fout_met_plaats(tekst: str, plek: str, bericht: str) -> None:
    with pytest.raises(BerichtFoutError) as info:
        lees_aanwezigheid(tekst.encode())
    assert str(info.value).startswith(f"aanwezigheid.csv:{plek}: ")
    assert bericht in str(info.value)
    assert "99990000" not in str(info.value) and "\u0669" not in str(info.value)


def test_fout_zonder_bsn_in_de_datum() -> None:
    """A BSN typed in a date column is not echoed in the error."""
    with pytest.raises(BerichtFoutError) as info:
        lees_aanwezigheid((KOP + "999900006,1,999900018,2026-01-02\n").encode())
    assert str(info.value) == ("aanwezigheid.csv:2:3: '*********' is geen geldige datum "
                               "(JJJJ-MM-DD)")


@given(st.text(max_size=12), st.text(max_size=12))
def test_afwezigheid_alleen_geldig(bsn: str, nummer: str) -> None:
    """Whatever text comes in: an Afwezigheid only with an elfproef BSN of ASCII digits and
    an ASCII allocation number; otherwise a Dutch error naming the field, never the BSN."""
    try:
        a = afwezigheid(bsn, nummer, date(2026, 1, 1), date(2026, 1, 1))
    except AfwezigheidFoutError as fout:
        assert fout.veld in ("bsn", "toewijzingnummer")
        assert bsn not in fout.bericht or len(bsn) < 9
        return
    assert elfproef(bsn) and bsn.isascii() and nummer.isascii() and nummer.isdigit()
    assert a.toewijzingnummer == str(int(nummer))


def test_afwezigheid_tot_voor_van() -> None:
    with pytest.raises(AfwezigheidFoutError) as info:
        afwezigheid("999900006", "1", date(2026, 3, 5), date(2026, 3, 1))
    assert (info.value.veld, info.value.bericht) == (
        "tot", "'tot' (2026-03-01) ligt voor 'van' (2026-03-05)")


def test_bestand_bestaat_niet(tmp_path: Path) -> None:
    with pytest.raises(BerichtFoutError, match="kan niet worden gelezen"):
        lees_aanwezigheid(tmp_path / "weg.csv")


@pytest.mark.parametrize(("bsn", "goed"), [
    ("999900006", True), ("999900018", True), ("111222333", True), ("123456782", True),
    ("999900007", False), ("000000000", False), ("12345678", False), ("1234567890", False),
    ("12345678a", False), ("１２３４５６７８２", False),
])
def test_elfproef(bsn: str, goed: bool) -> None:
    assert elfproef(bsn) is goed


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_controlecijfer_maakt_een_geldig_bsn(acht: str) -> None:
    cijfer = controlecijfer(acht)
    geldig = [c for c in "0123456789" if elfproef(acht + c)]
    assert geldig == ([cijfer] if cijfer is not None else [])
