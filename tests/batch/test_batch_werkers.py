"""The batch split over worker processes (`batch.werkers`) gives the same bytes, exit code and
table as one process; a worker that dies ends in a Dutch message and exit code 3."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from batch import processen, werkers
from batch.beoordelen import Opdracht
from batch.fouten import WerkerError
from batch.verdeling import Verdeling
from batch.verslag import Verslag
from berichten.ijw.jw323 import lees_jw323, schrijf_jw323
from dsl.loader import laad_contract
from proefdata import genereer_regiomaand, schrijf_regiomaand

REPO = Path(__file__).resolve().parents[2]
REGIO = REPO / "contracten" / "amstelland"


@pytest.fixture(scope="module")
def maand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small month with a broken message and one that names an allocation of another
    provider; enough JW301 files for the allocation cache."""
    map_ = tmp_path_factory.mktemp("maand")
    # the region's own gemeenten: a message to another gemeente is refused, not assessed
    rm = genereer_regiomaand(5, 4000, gemeenten=laad_contract(REGIO).gemeenten)
    schrijf_regiomaand(rm, map_)
    declaraties = sorted((map_ / "declaraties").glob("*.xml"))
    (map_ / "declaraties" / "jw323_00007_kapot.xml").write_text(
        "<jw323:Bericht xmlns:jw323='x'><open></jw323:Bericht>", encoding="utf-8")
    _leen_toewijzing(declaraties[20], rm.toewijzingen)
    return map_


@pytest.fixture(scope="module")
def verstopt(maand: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The month, with one message whose header hides its provider from a quick look (a
    character reference in Afzender): still valid."""
    map_ = tmp_path_factory.mktemp("verstopt")
    shutil.copytree(maand, map_, dirs_exist_ok=True)
    pad = sorted((map_ / "declaraties").glob("*.xml"))[30]
    afzender = lees_jw323(pad).aanbieder
    tekst = pad.read_text(encoding="utf-8").replace(
        f"Afzender>{afzender}<", f"Afzender>{afzender[:3]}&#{ord(afzender[3])};{afzender[4:]}<")
    pad.write_text(tekst, encoding="utf-8")
    assert lees_jw323(pad).aanbieder == afzender
    return map_


def _leen_toewijzing(pad: Path, toewijzingen: list) -> None:  # type: ignore[type-arg]
    """The message's first line now names an allocation of another provider."""
    d = lees_jw323(pad)
    ander = next(t for t in toewijzingen if t.aanbieder != d.aanbieder)
    eerste = dataclasses.replace(d.prestaties[0], toewijzingnummer=ander.toewijzingnummer)
    pad.write_bytes(schrijf_jw323(dataclasses.replace(d, prestaties=(eerste,
                                                                     *d.prestaties[1:]))))


def _controleer(maand: Path, uitvoer: Path, werkers: int, *extra: str,
                cache: Path) -> subprocess.CompletedProcess[str]:
    omgeving = {**os.environ, "REGELWERK_WERKERS": str(werkers), "XDG_CACHE_HOME": str(cache),
                "REGELWERK_FASEN": "1"}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "controleer", "--contract", str(REGIO),
         "--toewijzingen", str(maand / "toewijzingen"), "--aanwezigheid",
         str(maand / "aanwezigheid.csv"), "--uitvoer", str(uitvoer), *extra,
         *map(str, sorted((maand / "declaraties").glob("*.xml")))],
        capture_output=True, text=True, cwd=REPO, timeout=600, env=omgeving,
    )


def _werkers(klaar: subprocess.CompletedProcess[str]) -> int:
    return sum(regel.startswith("fasen werker") for regel in klaar.stderr.splitlines())


def _meldingen(klaar: subprocess.CompletedProcess[str]) -> list[str]:
    return [regel for regel in klaar.stderr.splitlines() if not regel.startswith("fasen")]


def _bestanden(map_: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(map_.iterdir())}


def _tabel(stdout: str) -> list[str]:
    """The table without its title (the time, and the output path, which may wrap)."""
    regels = stdout.splitlines()
    begin = next((i for i, regel in enumerate(regels) if regel.startswith("┏")), 0)
    return regels[begin:]


@pytest.mark.parametrize(("formaat", "backend"), [("json", "vectorized"), ("tekst", "rete")])
def test_parallel_geeft_dezelfde_bytes(maand: Path, tmp_path: Path, formaat: str,
                                       backend: str) -> None:
    opties = ("--formaat", formaat, "--backend", backend)
    een = _controleer(maand, tmp_path / "een", 1, *opties, cache=tmp_path)
    twee = _controleer(maand, tmp_path / "twee", 2, *opties, cache=tmp_path)
    assert (_werkers(een), _werkers(twee)) == (0, 2)
    assert een.returncode == twee.returncode == 2, twee.stderr  # the broken message
    assert "Traceback" not in een.stderr + twee.stderr
    assert _bestanden(tmp_path / "een") == _bestanden(tmp_path / "twee")
    assert _tabel(een.stdout) == _tabel(twee.stdout)
    assert _meldingen(een) == _meldingen(twee)
    assert "technisch afgewezen (0001)" in twee.stderr and "kapot.xml:1" in twee.stderr
    assert twee.stderr.count("technisch afgewezen (0001)") == 1  # the others assessed
    assert b"0001" in (tmp_path / "twee" / "jw323_00007_kapot.JW325.xml").read_bytes()
    assert "som van de pieken" in twee.stderr


def test_koud_en_warm_gelijk(maand: Path, tmp_path: Path) -> None:
    """The first run reads every JW301 and writes the cache; the second reads none."""
    koud = _controleer(maand, tmp_path / "koud", 2, cache=tmp_path / "cache")
    assert len(list((tmp_path / "cache" / "regelwerk").iterdir())) == 1
    warm = _controleer(maand, tmp_path / "warm", 2, cache=tmp_path / "cache")
    assert koud.returncode == warm.returncode == 2
    assert _bestanden(tmp_path / "koud") == _bestanden(tmp_path / "warm")
    assert _meldingen(koud) == _meldingen(warm)


def test_onleesbare_toewijzing(maand: Path, tmp_path: Path) -> None:
    """An allocation that cannot be read (read in a helper process): exit code 1, the
    file named, no traceback, nothing written."""
    kopie = tmp_path / "maand"
    shutil.copytree(maand, kopie)
    kapot = sorted((kopie / "toewijzingen").glob("*.xml"))[500]
    kapot.write_text("<jw301:Bericht xmlns:jw301='x'>", encoding="utf-8")
    klaar = _controleer(kopie, tmp_path / "uit", 2, cache=tmp_path / "cache")
    assert klaar.returncode == 1, klaar.stderr
    assert "toewijzing onleesbaar" in klaar.stderr and kapot.name in klaar.stderr
    assert "Traceback" not in klaar.stderr
    assert not (tmp_path / "uit").exists()


def test_verkeerd_gelezen_kop_dan_in_een_proces(verstopt: Path, tmp_path: Path) -> None:
    """The quick look at a header cannot tell this message's provider, the reader can: the
    split would be unsafe, so the batch is done again in one process. Same bytes."""
    een = _controleer(verstopt, tmp_path / "een", 1, cache=tmp_path)
    twee = _controleer(verstopt, tmp_path / "twee", 2, cache=tmp_path)
    assert _werkers(twee) == 0 and twee.returncode == een.returncode == 2
    assert _bestanden(tmp_path / "een") == _bestanden(tmp_path / "twee")
    assert _meldingen(een) == _meldingen(twee)


def test_werker_die_stopt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that dies mid-way: no traceback, a Dutch message, exit code 3."""
    opdracht = Opdracht([(0, tmp_path / "a.xml"), (1, tmp_path / "b.xml")],
                        ["a", "b"], tmp_path, "json", ["1", "2"])
    verdeling = Verdeling([[0], [1]], ["1", "2"])

    def sterft(_invoer: object, eigen: Opdracht, _backend: object, zender: object) -> None:
        if eigen.taken[0][0] == 1:
            os._exit(9)
        zender.send(("klaar", {}))  # type: ignore[attr-defined]

    monkeypatch.setattr(werkers, "werk", sterft)
    with pytest.raises(WerkerError, match="onverwacht gestopt"):
        werkers.verwerk_parallel(None, opdracht, verdeling, None,  # type: ignore[arg-type]
                                 Verslag(), 0.0)


def test_geen_fork_na_polars_threads() -> None:
    """Once polars runs its thread pool in a process, a forked child would wait for ever:
    then everything stays in one process."""
    import polars as pl

    pl.DataFrame({"a": list(range(100_000))}).group_by("a").len()
    assert not processen.fork_veilig()


_VROEG_GESTOPT = """
import os, sys, time
from pathlib import Path
from batch.processen import beeindigd, bij_sigterm
from batch.toewijzingen import Inventarisatie

os.register_at_fork(after_in_child=lambda: time.sleep(0.5))  # a slow start of the child
bij_sigterm(beeindigd)
inventarisatie = Inventarisatie.start(Path(sys.argv[1]))
proces = inventarisatie._proces
time.sleep(0.1)
inventarisatie.stop()  # the input turned out bad: the helper is no longer needed
print(proces.exitcode)
"""


def test_hulpproces_gestopt_voor_het_begon(tmp_path: Path) -> None:
    """A helper stopped while Python is still setting it up after the fork (a bad input
    found at once) ends by the signal, quietly: the parent's SIGTERM handler must not run
    in it, that prints a traceback (seen in CI)."""
    (tmp_path / "a.xml").write_text("x", encoding="utf-8")
    klaar = subprocess.run([sys.executable, "-c", _VROEG_GESTOPT, str(tmp_path)],
                           capture_output=True, text=True, timeout=60,
                           cwd=Path(__file__).resolve().parents[2])
    assert "Traceback" not in klaar.stderr, klaar.stderr
    assert klaar.stdout.strip() == str(-signal.SIGTERM)
