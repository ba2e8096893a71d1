"""`regelwerk controleer`: every gemeente in its own lane, BSNs masked, file errors named.

A ToewijzingNummer is unique within a gemeente only: the same number in two gemeenten of a
region is two allocations, each with its own history. Messages of gemeenten outside the
region are refused; their allocations are not used. Real processes, real files."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from berichten.ijw.json_vorm import declaratie_naar_json
from berichten.ijw.jw301 import lees_jw301, schrijf_jw301
from berichten.ijw.jw323 import lees_jw323, schrijf_jw323

REPO = Path(__file__).resolve().parents[2]
REGIO = REPO / "contracten" / "amstelland"
VOORBEELD = REGIO / "voorbeeld"
EIGEN, ANDERE, BUITEN = "0384", "0363", "0599"
"""the example's gemeente, another of amstelland's, and one outside the region"""


def _regelwerk(toewijzingen: Path, uitvoer: Path, *berichten: Path, werkers: int = 1,
               cache: Path) -> subprocess.CompletedProcess[str]:
    omgeving = {**os.environ, "REGELWERK_WERKERS": str(werkers), "XDG_CACHE_HOME": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "controleer", "--contract", str(REGIO),
         "--toewijzingen", str(toewijzingen), "--aanwezigheid",
         str(VOORBEELD / "aanwezigheid.csv"), "--uitvoer", str(uitvoer), *map(str, berichten)],
        capture_output=True, text=True, cwd=REPO, timeout=300, env=omgeving)


def _toewijzingen(map_: Path, gemeente: str | None = None, **wijziging: object) -> Path:
    """The example's JW301 files in `map_`; with `gemeente`, also a copy of each as sent by
    that gemeente (same numbers, same client and provider), changed by `wijziging`."""
    map_.mkdir(parents=True, exist_ok=True)
    for pad in sorted((VOORBEELD / "JW301").glob("*.xml")):
        (map_ / pad.name).write_bytes(pad.read_bytes())
        if gemeente is not None:
            versies = [dataclasses.replace(v, gemeente=gemeente, **wijziging)  # type: ignore[arg-type]
                       for v in lees_jw301(pad)]
            (map_ / f"{gemeente}-{pad.name}").write_bytes(
                schrijf_jw301(versies, f"T{gemeente}{pad.stem}", date(2026, 1, 5)))
    return map_


def _bericht(pad: Path, gemeente: str, declaratienummer: str | None = None) -> Path:
    """The example JW323, sent to `gemeente`."""
    d = lees_jw323(VOORBEELD / "JW323.xml")
    d = dataclasses.replace(d, gemeente=gemeente,
                            declaratienummer=declaratienummer or d.declaratienummer)
    pad.write_bytes(schrijf_jw323(d))
    return pad


def _uitkomsten(uitleg: Path) -> list[tuple[str, list[str]]]:
    """Per line its status and retourcodes."""
    document = json.loads(uitleg.read_text(encoding="utf-8"))
    return [(p["status"], sorted(str(r.get("retourcode")) for r in p["redenen"]))
            for p in document["prestaties"]]


def test_toewijzing_van_andere_gemeente_telt_niet(tmp_path: Path) -> None:
    """Allocation 300101 of 0363 (newer, volume 0, another BSN) does not replace 300101 of
    0384: a message to 0384 is assessed as if 0363 had sent nothing."""
    alleen = _toewijzingen(tmp_path / "alleen")
    samen = _toewijzingen(tmp_path / "samen", ANDERE, volume=0, bsn="123456782",
                          toewijzingsdatum=date(2026, 3, 31))
    bericht = _bericht(tmp_path / "JW323.xml", EIGEN)
    basis = _regelwerk(alleen, tmp_path / "basis", bericht, cache=tmp_path)
    klaar = _regelwerk(samen, tmp_path / "uit", bericht, cache=tmp_path)
    assert basis.returncode == klaar.returncode == 0, klaar.stderr
    assert (tmp_path / "uit" / "JW323.uitleg.json").read_bytes() == \
        (tmp_path / "basis" / "JW323.uitleg.json").read_bytes()


def test_historie_per_gemeente(tmp_path: Path) -> None:
    """The same provider declares on 300101 in 0363 and then on 300101 in 0384 (same
    reference numbers, same DeclaratieNummer: unique per gemeente): the message to 0384 is
    assessed as if the one to 0363 had not been; one process or two workers, same bytes."""
    toewijzingen = _toewijzingen(tmp_path / "toewijzingen", ANDERE)
    andere = _bericht(tmp_path / "a_andere.xml", ANDERE)
    eigen = _bericht(tmp_path / "b_eigen.xml", EIGEN)
    basis = _regelwerk(toewijzingen, tmp_path / "basis", eigen, cache=tmp_path)
    een = _regelwerk(toewijzingen, tmp_path / "een", andere, eigen, cache=tmp_path)
    assert basis.returncode == een.returncode == 0, een.stderr
    verwacht = _uitkomsten(tmp_path / "basis" / "b_eigen.uitleg.json")
    assert _uitkomsten(tmp_path / "een" / "b_eigen.uitleg.json") == verwacht
    assert _uitkomsten(tmp_path / "een" / "a_andere.uitleg.json") == verwacht  # its own lane
    twee = _regelwerk(toewijzingen, tmp_path / "twee", andere, eigen, werkers=2,
                      cache=tmp_path)
    assert twee.returncode == 0 and "Traceback" not in twee.stderr, twee.stderr
    assert {p.name: p.read_bytes() for p in (tmp_path / "twee").iterdir()} == \
        {p.name: p.read_bytes() for p in (tmp_path / "een").iterdir()}


def test_bericht_van_gemeente_buiten_de_regio(tmp_path: Path) -> None:
    """A JW323 to a gemeente that is not amstelland's is not assessed: 0001, a located
    Dutch message, exit code 2; the allocations of that gemeente are counted, not used."""
    toewijzingen = _toewijzingen(tmp_path / "toewijzingen", BUITEN)
    bericht = tmp_path / "JW323.xml"  # the example's layout: Ontvanger on line 8, column 3
    bericht.write_text((VOORBEELD / "JW323.xml").read_text(encoding="utf-8").replace(
        f"<jw323:Ontvanger>{EIGEN}<", f"<jw323:Ontvanger>{BUITEN}<"), encoding="utf-8")
    klaar = _regelwerk(toewijzingen, tmp_path / "uit", bericht, cache=tmp_path)
    assert klaar.returncode == 2, klaar.stderr
    assert (f"technisch afgewezen (0001): {bericht}:8:3: de gemeente 0599 (Ontvanger) hoort "
            "niet bij regio amstelland (gemeenten 0363, 0362, 0384, 0437, 0451); het bericht "
            "is niet voor deze regio en is niet beoordeeld") in klaar.stderr
    aantal = sum(len(lees_jw301(p)) for p in (VOORBEELD / "JW301").glob("*.xml"))
    assert (f"let op: {aantal} toewijzing(en) van gemeenten buiten regio amstelland worden "
            f"niet gebruikt (0599: {aantal})") in klaar.stderr
    jw325 = (tmp_path / "uit" / "JW323.JW325.xml").read_text(encoding="utf-8")
    assert "<jw325:RetourCode>0001</jw325:RetourCode>" in jw325 and "0599" in jw325
    assert "Traceback" not in klaar.stderr


def test_bsn_verborgen_op_stderr_en_in_de_jw325(tmp_path: Path) -> None:
    """A JSON message with a BSN where a date belongs: the error quotes the value; on
    stderr and in the 0001 JW325 it is masked."""
    data = declaratie_naar_json(lees_jw323(VOORBEELD / "JW323.xml"))
    data["prestaties"][0]["begindatum"] = "999900018"
    bericht = tmp_path / "JW323.json"
    bericht.write_text(json.dumps(data), encoding="utf-8")
    klaar = _regelwerk(VOORBEELD / "JW301", tmp_path / "uit", bericht, cache=tmp_path)
    assert klaar.returncode == 2, klaar.stderr
    assert ("JW323.json:$.prestaties[0].begindatum: de waarde '*********' heeft niet de "
            "vorm") in klaar.stderr
    geschreven = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "uit").iterdir())
    assert "*********" in geschreven
    assert "999900018" not in klaar.stderr + klaar.stdout + geschreven


def test_onschrijfbare_uitvoer(tmp_path: Path) -> None:
    """An output folder that cannot be made: named, exit code 1, nothing assessed."""
    (tmp_path / "bestand").write_text("geen map")
    uitvoer = tmp_path / "bestand" / "uit"
    klaar = _regelwerk(VOORBEELD / "JW301", uitvoer, VOORBEELD / "JW323.xml", cache=tmp_path)
    assert klaar.returncode == 1, klaar.stderr
    assert klaar.stderr == (f"fout: {uitvoer}: de uitvoermap kan niet worden gemaakt of "
                            "beschreven (Not a directory)\n")


@pytest.mark.parametrize("aantal", [3, 25])
def test_alle_onleesbare_toewijzingen_genoemd(tmp_path: Path, aantal: int) -> None:
    """Several bad JW301 files: all named in one run (at most 20, the rest counted), in
    file order; a macOS AppleDouble file (`._*.xml`) is skipped, not an error."""
    map_ = _toewijzingen(tmp_path / "toewijzingen")
    (map_ / "._client1.xml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ")
    slecht = [map_ / f"slecht{i:02d}.xml" for i in range(aantal)]
    for pad in slecht:
        pad.write_text("", encoding="utf-8")
    klaar = _regelwerk(map_, tmp_path / "uit", VOORBEELD / "JW323.xml", cache=tmp_path)
    assert klaar.returncode == 1, klaar.stderr
    regels = klaar.stderr.splitlines()
    assert regels[0] == f"fout: toewijzing onleesbaar in {aantal} bestanden:"
    assert regels[1:min(aantal, 20) + 1] == [
        f"  {p}:1:1: de XML is niet goed gevormd: het document is leeg" for p in slecht[:20]]
    assert ("  ... en nog 5 bestanden" in regels) is (aantal == 25)
    assert "._client1" not in klaar.stderr and not (tmp_path / "uit").exists()


def test_appledouble_naast_toewijzingen(tmp_path: Path) -> None:
    map_ = _toewijzingen(tmp_path / "toewijzingen")
    (map_ / "._client1.xml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ")
    klaar = _regelwerk(map_, tmp_path / "uit", VOORBEELD / "JW323.xml", cache=tmp_path)
    assert klaar.returncode == 0, klaar.stderr


def test_cache_wis(tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "regelwerk"
    cache.mkdir(parents=True)
    (cache / "toewijzingen-0123.bin").write_bytes(b"x")
    klaar = subprocess.run([sys.executable, "-m", "cli.main", "cache", "wis"],
                           capture_output=True, text=True, cwd=REPO, timeout=60,
                           env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert klaar.returncode == 0, klaar.stderr
    assert klaar.stdout.strip() == f"1 cachebestand(en) verwijderd uit {cache}"
    assert list(cache.iterdir()) == []


def test_onleesbare_map_van_toewijzingen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder of allocations that may not be listed: named, exit code 1 (was 'interne
    fout', exit code 3). Root may list any folder, so the refusal is simulated."""
    from typer.testing import CliRunner

    from batch import toewijzing_cache
    from cli.main import app

    def geweigerd(map_: Path) -> object:
        raise PermissionError(13, "Permission denied", str(map_))

    monkeypatch.setattr(toewijzing_cache, "inventariseer", geweigerd)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    uitslag = CliRunner().invoke(app, [
        "controleer", "--contract", str(REGIO), "--toewijzingen", str(VOORBEELD / "JW301"),
        "--uitvoer", str(tmp_path / "uit"), str(VOORBEELD / "JW323.xml")])
    assert uitslag.exit_code == 1, uitslag.output
    assert uitslag.stderr == (f"fout: {VOORBEELD / 'JW301'}: de toewijzingen kunnen niet "
                              "worden gelezen (Permission denied)\n")
