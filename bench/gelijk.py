"""Byte comparison: what regelwerk writes for people and back offices, before and after a change.

    python -m bench.gelijk                 compare with bench/gelijk.sha256 (exit 1 on a difference)
    python -m bench.gelijk --bewaar        write bench/gelijk.sha256 anew (after an intended change)
    python -m bench.gelijk --map DIR       keep the outputs in DIR (to diff two runs by hand)
    python -m bench.gelijk --zonder-maand  the example regions only (seconds, not a minute)

A refactoring must not change one byte of the answers. This runs the `regelwerk` command as a
back office would (a subprocess, so it tests the command and not an import path) on:
- the example month of each region in `contracten/` in its own standard (JW301 + JW323 gives
  JW325, WMO301 + WMO323 gives WMO325; + explanation as JSON and as text, on the vectorized
  and the rete backend), the articles in force (`toon`), and the suite with
  its coverage report (`test --dekking`);
- a generated month of 100,000 lines for amstelland (seed 7), written to disk as JW301/JW323
  files: its JW325 files and explanations, and a hash of the input so a changed generator shows.
Every file is hashed (SHA-256) with its path relative to the output folder; stdout of the
commands too, where it is not a timing. The manifest is sorted, so a diff of two manifests
names what changed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from berichten.herkenning import STANDAARDEN
from engine import backends

REPO = Path(__file__).resolve().parents[1]
MANIFEST = Path(__file__).with_name("gelijk.sha256")
PRESTATIES = 100_000
SEED = 7


def _regelwerk(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    omgeving = {**os.environ, "XDG_CACHE_HOME": str(cache), "REGELWERK_FASEN": "", "COLUMNS": "160"}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=REPO,
                          capture_output=True, text=True, env=omgeving, check=False)


def _bewaar_uitvoer(klaar: subprocess.CompletedProcess[str], pad: Path, uit: Path) -> None:
    """A command's exit code and stdout are part of what it answers; its timing, the
    temporary folder it wrote to and the checkout's own path are not."""
    tekst = klaar.stdout.replace(str(uit), "UIT").replace(str(REPO), "REPO")
    tekst = re.sub(r"in \d+(\.\d+)? s\b", "in … s", tekst)
    tekst = "".join(regel.strip() + "\n" for regel in tekst.splitlines())  # centred titles
    pad.parent.mkdir(parents=True, exist_ok=True)
    pad.write_text(f"exit {klaar.returncode}\n{tekst}", encoding="utf-8")


def _voorbeelden(uit: Path, cache: Path) -> None:
    for regio in sorted(p for p in (REPO / "contracten").iterdir() if (p / "voorbeeld").is_dir()):
        voorbeeld = regio / "voorbeeld"
        # the example's standard: the one whose allocation folder (JW301, WMO301) it has
        standaard = next(s for s in STANDAARDEN
                         if (voorbeeld / s.met_rol("toewijzing").naam).is_dir())
        toewijzingen = voorbeeld / standaard.met_rol("toewijzing").naam
        declaratie = voorbeeld / f"{standaard.met_rol('declaratie').naam}.xml"
        extra = []
        if (voorbeeld / "aanwezigheid.csv").exists():
            extra = ["--aanwezigheid", str(voorbeeld / "aanwezigheid.csv")]
        for backend in (backends.STANDAARD, "rete"):
            for formaat in ("json", "tekst"):
                doel = uit / regio.name / f"{backend}-{formaat}"
                klaar = _regelwerk("controleer", "--contract", str(regio), "--toewijzingen",
                                   str(toewijzingen), *extra, str(declaratie),
                                   "--uitvoer", str(doel), "--formaat", formaat,
                                   "--backend", backend, cache=cache)
                _bewaar_uitvoer(klaar, doel / "stdout.txt", uit)
        klaar = _regelwerk("toon", str(regio), "--datum", "2026-01-01", "--uitvoer",
                           str(uit / regio.name / "artikelen.html"), cache=cache)
        _bewaar_uitvoer(klaar, uit / regio.name / "toon.txt", uit)
        klaar = _regelwerk("test", str(regio), "--dekking", cache=cache)
        _bewaar_uitvoer(klaar, uit / regio.name / "test-dekking.txt", uit)


def _maand(uit: Path, cache: Path) -> None:
    """A generated month on disk, then `controleer` on it (as bench.regiomaand does end to end)."""
    from bench.regiomaand import schrijf_bestanden

    contract = REPO / "contracten" / "amstelland"
    invoer = uit.parent / "maand-invoer"
    schrijf_bestanden(contract, PRESTATIES, SEED, invoer)
    (uit / "maand").mkdir(parents=True, exist_ok=True)
    (uit / "maand" / "invoer.sha256").write_text(_manifest(invoer), encoding="utf-8")
    bestanden = sorted((invoer / "declaraties").glob("*.xml"))
    klaar = _regelwerk("controleer", "--contract", str(contract), "--toewijzingen",
                       str(invoer / "toewijzingen"), "--aanwezigheid",
                       str(invoer / "aanwezigheid.csv"), "--uitvoer", str(uit / "maand" / "uit"),
                       *map(str, bestanden), cache=cache)
    _bewaar_uitvoer(klaar, uit / "maand" / "stdout.txt", uit)


def _manifest(map_: Path) -> str:
    regels = []
    for pad in sorted(p for p in map_.rglob("*") if p.is_file()):
        som = hashlib.sha256(pad.read_bytes()).hexdigest()
        regels.append(f"{som}  {pad.relative_to(map_).as_posix()}\n")
    return "".join(regels)


def _verschil(oud: str, nieuw: str) -> list[str]:
    def als_dict(tekst: str) -> dict[str, str]:
        return {r.split("  ", 1)[1]: r.split("  ", 1)[0] for r in tekst.splitlines() if r}

    a, b = als_dict(oud), als_dict(nieuw)
    return [f"{'anders' if p in a and p in b else 'weg' if p in a else 'nieuw'}: {p}"
            for p in sorted(a.keys() | b.keys()) if a.get(p) != b.get(p)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bewaar", action="store_true")
    parser.add_argument("--map", type=Path)
    parser.add_argument("--zonder-maand", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gelijk-") as tijdelijk:
        werk = Path(tijdelijk)
        uit = (args.map or werk / "uit").resolve()
        _voorbeelden(uit, werk / "cache")
        if not args.zonder_maand:
            _maand(uit, werk / "cache")
        nieuw = _manifest(uit)
    if args.bewaar:
        MANIFEST.write_text(nieuw, encoding="utf-8")
        print(f"{MANIFEST.relative_to(REPO)}: {len(nieuw.splitlines())} bestanden")
        return 0
    oud = MANIFEST.read_text(encoding="utf-8")
    if args.zonder_maand:
        oud = "".join(r + "\n" for r in oud.splitlines()
                      if not r.split("  ", 1)[1].startswith("maand/"))
    verschillen = _verschil(oud, nieuw)
    for regel in verschillen:
        print(regel)
    print(f"{len(nieuw.splitlines())} bestanden, {len(verschillen)} verschillen")
    return 1 if verschillen else 0


if __name__ == "__main__":
    raise SystemExit(main())
