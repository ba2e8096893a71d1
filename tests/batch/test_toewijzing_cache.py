"""The cache of a JW301 folder: the same allocations as reading every file, and never
trusted when the folder, the cache file or the code changed."""

from __future__ import annotations

import dataclasses
import datetime
import io
import os
import pickle
import stat
from datetime import date
from pathlib import Path

import pytest

from batch import toewijzing_cache as tc
from berichten.ijw.jw301 import geldend_per_gemeente, lees_jw301, lees_jw301_map, schrijf_jw301
from engine.model import Toewijzing
from proefdata import genereer_regiomaand, schrijf_regiomaand

_VROEGER = 1_600_000_000_000_000_000  # 2020: older than any cache written by the tests


class _Lezer:
    """lees_jw301 per file, counting which files were read."""

    def __init__(self) -> None:
        self.gelezen: list[str] = []

    def __call__(self, paden: list[str]) -> list[list[Toewijzing]]:
        self.gelezen.extend(Path(p).name for p in paden)
        return [lees_jw301(Path(p)) for p in paden]


def _oud(pad: Path, ns: int = _VROEGER) -> None:
    os.utime(pad, ns=(ns, ns))


@pytest.fixture(scope="module")
def maand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    map_ = tmp_path_factory.mktemp("maand")
    schrijf_regiomaand(genereer_regiomaand(11, 600), map_)
    return map_ / "toewijzingen"


@pytest.fixture
def map_(maand: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the month's JW301 folder (old mtimes) and an empty cache home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    kopie = tmp_path / "toewijzingen"
    kopie.mkdir()
    for pad in maand.iterdir():
        (kopie / pad.name).write_bytes(pad.read_bytes())
        _oud(kopie / pad.name)
    return kopie


def _laad(map_: Path, lezer: _Lezer) -> tc.Toewijzingen:
    return tc.laad(map_, lezer, vanaf=0)


def test_koud_en_warm_gelijk_aan_lezen(map_: Path) -> None:
    verwacht = geldend_per_gemeente(lees_jw301_map(map_))
    lezer = _Lezer()
    koud = _laad(map_, lezer).alle()
    assert koud == verwacht and _volgorde(koud) == _volgorde(verwacht)
    assert len(lezer.gelezen) == len(list(map_.glob("*.xml")))
    bestand = tc.cache_bestand(map_)
    assert stat.S_IMODE(bestand.stat().st_mode) == 0o600  # it holds BSNs
    lezer = _Lezer()
    warm = _laad(map_, lezer)
    assert lezer.gelezen == []
    assert warm.alle() == verwacht and _volgorde(warm.alle()) == _volgorde(verwacht)
    aanbieders = sorted({t.aanbieder for eigen in verwacht.values() for t in eigen.values()})
    aanbieders = aanbieders[::2]
    gefilterd = {g: {n: t for n, t in eigen.items() if t.aanbieder in aanbieders}
                 for g, eigen in verwacht.items()}
    assert warm.van(aanbieders) == {g: eigen for g, eigen in gefilterd.items() if eigen}
    assert warm.aantallen() == {g: len(eigen) for g, eigen in verwacht.items()}


def _volgorde(geldend: tc.PerGemeente) -> dict[str, list[str]]:
    return {g: list(eigen) for g, eigen in geldend.items()}


def test_zelfde_nummer_in_twee_gemeenten(map_: Path) -> None:
    """A ToewijzingNummer is unique within a gemeente only: 500001 of one gemeente does not
    replace 500001 of another (in the cache as when read), whichever is newer."""
    pad = sorted(map_.glob("*.xml"))[0]
    versies = lees_jw301(pad)
    gemeente = versies[0].gemeente
    andere = "0999" if gemeente != "0999" else "0998"
    later = [dataclasses.replace(v, gemeente=andere, volume=1,
                                 toewijzingsdatum=v.toewijzingsdatum.replace(year=2030))
             for v in versies]
    (map_ / "jw301_anders.xml").write_bytes(schrijf_jw301(later, "T-anders", date(2030, 1, 1)))
    _oud(map_ / "jw301_anders.xml")
    for geldend in (_laad(map_, _Lezer()).alle(), _laad(map_, _Lezer()).alle()):  # cold, warm
        nummer = versies[-1].toewijzingnummer
        assert geldend[gemeente][nummer].volume == versies[-1].volume
        assert geldend[andere][nummer].volume == 1
        assert geldend == geldend_per_gemeente(lees_jw301_map(map_))


def test_verborgen_en_appledouble_overgeslagen(map_: Path) -> None:
    """macOS leaves `._name.xml` (AppleDouble metadata) next to copied files; hidden files
    are no messages either: not listed, not read, no error."""
    (map_ / "._jw301_0000001.xml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    (map_ / ".verborgen.xml").write_bytes(b"")
    assert not any(n.startswith(".") for n in tc.inventariseer(map_).namen)
    lezer = _Lezer()
    assert _laad(map_, lezer).alle() == geldend_per_gemeente(lees_jw301_map(map_))
    assert not any(n.startswith(".") for n in lezer.gelezen)


def test_cache_prive_en_te_wissen(map_: Path, tmp_path: Path) -> None:
    """The cache holds BSNs: its folder is 0700 (also one made before, wider), its file
    0600; `wis` removes it."""
    (tmp_path / "cache" / "regelwerk").mkdir(parents=True, mode=0o755)
    os.chmod(tmp_path / "cache" / "regelwerk", 0o755)
    _laad(map_, _Lezer())
    bestand = tc.cache_bestand(map_)
    assert stat.S_IMODE(bestand.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(bestand.stat().st_mode) == 0o600
    (bestand.parent / "iets-anders.txt").write_text("blijft")
    assert tc.wis() == 1
    assert not bestand.exists() and (bestand.parent / "iets-anders.txt").exists()
    assert tc.wis() == 0


def test_gewijzigd_bestand_opnieuw_gelezen(map_: Path) -> None:
    _laad(map_, _Lezer())
    pad = sorted(map_.glob("*.xml"))[3]
    versies = lees_jw301(pad)
    nieuw = [dataclasses.replace(v, volume=(v.volume or 0) + 7) for v in versies]
    pad.write_bytes(schrijf_jw301(nieuw, "T-nieuw", max(v.toewijzingsdatum for v in nieuw)))
    _oud(pad, _VROEGER + 10**9)
    lezer = _Lezer()
    na = _laad(map_, lezer).alle()
    assert lezer.gelezen == [pad.name]  # only the changed file
    assert na == geldend_per_gemeente(lees_jw301_map(map_))
    assert _laad(map_, _Lezer()).alle() == na


def test_alleen_mtime_gewijzigd_is_ook_een_wijziging(map_: Path) -> None:
    _laad(map_, _Lezer())
    pad = sorted(map_.glob("*.xml"))[0]
    _oud(pad, _VROEGER + 1)
    lezer = _Lezer()
    _laad(map_, lezer)
    assert lezer.gelezen == [pad.name]


def test_toegevoegd_en_verwijderd(map_: Path) -> None:
    _laad(map_, _Lezer())
    bestanden = sorted(map_.glob("*.xml"))
    bestanden[0].unlink()
    nieuw = map_ / "jw301_9999999.xml"
    nieuw.write_bytes(bestanden[1].read_bytes().replace(b"T0", b"T9"))
    _oud(nieuw)
    lezer = _Lezer()
    na = _laad(map_, lezer).alle()
    assert lezer.gelezen == [nieuw.name]
    assert na == geldend_per_gemeente(lees_jw301_map(map_))


@pytest.mark.parametrize("bederf", ["afgekapt", "bit", "rommel", "leeg", "andere_map"])
def test_kapotte_cache_wordt_niet_vertrouwd(map_: Path, bederf: str) -> None:
    verwacht = _laad(map_, _Lezer()).alle()
    bestand = tc.cache_bestand(map_)
    data = bestand.read_bytes()
    bedorven = {
        "afgekapt": data[: len(data) // 2],
        "bit": data[:-100] + bytes([data[-100] ^ 1]) + data[-99:],
        "rommel": os.urandom(len(data)),
        "leeg": b"",
        "andere_map": data.replace(str(map_).encode(), str(map_).encode() + b"x", 1),
    }[bederf]
    bestand.write_bytes(bedorven)
    lezer = _Lezer()
    assert _laad(map_, lezer).alle() == verwacht
    assert len(lezer.gelezen) == len(list(map_.glob("*.xml")))  # everything read again
    lezer = _Lezer()
    _laad(map_, lezer)
    assert lezer.gelezen == []  # and the cache is whole again


def test_andere_code_maakt_cache_ongeldig(map_: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _laad(map_, _Lezer())
    monkeypatch.setattr(tc, "_code_vingerafdruk", lambda: "een andere lezer")
    lezer = _Lezer()
    _laad(map_, lezer)
    assert len(lezer.gelezen) == len(list(map_.glob("*.xml")))


def test_net_gewijzigd_bestand_wordt_volgende_keer_gelezen(map_: Path) -> None:
    """A file written within the file system's clock tick of the cache may change again
    without a new mtime: it is read again next time."""
    pad = sorted(map_.glob("*.xml"))[5]
    os.utime(pad)  # now
    _laad(map_, _Lezer())
    lezer = _Lezer()
    _laad(map_, lezer)
    assert lezer.gelezen == [pad.name]


def test_onschrijfbare_cache_is_geen_fout(map_: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    bezet = tmp_path / "bezet"
    bezet.write_text("geen map")
    monkeypatch.setenv("XDG_CACHE_HOME", str(bezet))
    assert _laad(map_, _Lezer()).alle() == geldend_per_gemeente(lees_jw301_map(map_))


def test_cache_maakt_geen_andere_objecten(map_: Path) -> None:
    """A cache file is unpickled with a closed list of classes: a forged block (with a
    matching checksum) is refused, not run."""

    class Kwaad:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, ("echo pwned",))

    with pytest.raises(pickle.UnpicklingError):
        tc._Unpickler(io.BytesIO(pickle.dumps(Kwaad()))).load()


def test_kleine_map_zonder_cache(map_: Path) -> None:
    tc.laad(map_, _Lezer(), vanaf=10**6)
    assert not tc.cache_bestand(map_).exists()



def test_objecten_uit_kolommen_zijn_gewone_toewijzingen(maand: Path) -> None:
    """The cache sets the slots directly instead of calling __init__: that is only the same
    while __init__ does nothing but assign the fields."""
    assert not hasattr(Toewijzing, "__post_init__")
    versies = lees_jw301_map(maand)
    kolommen = [[getattr(v, veld) for v in versies] for veld in tc._VELDEN]
    gemaakt = tc._toewijzingen(kolommen)
    assert gemaakt == versies
    assert [hash(v) for v in gemaakt] == [hash(v) for v in versies]
    assert all(type(v) is Toewijzing for v in gemaakt)


def test_waarde_die_de_cache_niet_exact_bewaart(map_: Path) -> None:
    """A time with a time zone would not come back from the cache as it went in: then
    no cache, and the allocations as read."""

    class MetTijdzone(_Lezer):
        def __call__(self, paden: list[str]) -> list[list[Toewijzing]]:
            per_bestand = super().__call__(paden)
            eerste = per_bestand[0][0]
            tijd = eerste.toewijzingstijd.replace(tzinfo=datetime.UTC)
            per_bestand[0][0] = dataclasses.replace(eerste, toewijzingstijd=tijd)
            return per_bestand

    paden = [str(p) for p in sorted(map_.glob("*.xml"))]
    verwacht = geldend_per_gemeente([v for vs in MetTijdzone()(paden) for v in vs])
    assert _laad(map_, MetTijdzone()).alle() == verwacht
    assert not tc.cache_bestand(map_).exists()
