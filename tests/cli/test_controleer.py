"""`regelwerk controleer` as a user runs it: a real process, real files, schema-valid JW325."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from berichten.ijw.jw323 import lees_jw323, schrijf_jw323
from berichten.ijw.standaard import IJW_3_2
from berichten.schema import schema

REPO = Path(__file__).resolve().parents[2]
REGIO = REPO / "contracten" / "amstelland"
VOORBEELD = REGIO / "voorbeeld"

pytestmark = pytest.mark.skipif(
    not (VOORBEELD / "JW323.xml").is_file(), reason="voorbeeldregio ontbreekt"
)


def _regelwerk(*args: object, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "controleer", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=300,
    )


def _basis(uitvoer: Path) -> list[object]:
    return ["--contract", REGIO, "--toewijzingen", VOORBEELD / "JW301", "--aanwezigheid",
            VOORBEELD / "aanwezigheid.csv", "--uitvoer", uitvoer]


def _geldig(pad: Path) -> None:
    xsd = schema(IJW_3_2, "JW325")
    assert xsd.validate(etree.parse(str(pad))), xsd.error_log


def test_voorbeeldbericht(tmp_path: Path) -> None:
    klaar = _regelwerk(*_basis(tmp_path), VOORBEELD / "JW323.xml")
    assert klaar.returncode == 0, klaar.stderr
    assert "Traceback" not in klaar.stderr
    assert "JW323.xml" in klaar.stdout and "AMS" in klaar.stdout
    _geldig(tmp_path / "JW323.JW325.xml")
    uitleg = json.loads((tmp_path / "JW323.uitleg.json").read_text(encoding="utf-8"))
    aantal = len(lees_jw323(VOORBEELD / "JW323.xml").prestaties)
    assert len(uitleg["prestaties"]) == aantal
    afgewezen = [p for p in uitleg["prestaties"] if p["status"] == "afgewezen"]
    assert afgewezen and all(p["redenen"] for p in afgewezen)
    assert uitleg["ontvangstbewijs"]["backend"] == "vectorized"


def test_tweede_bericht_ziet_de_historie(tmp_path: Path) -> None:
    """The same message twice: the second has only reference numbers already used (8021)."""
    origineel = lees_jw323(VOORBEELD / "JW323.xml")
    # its own BerichtIdentificatie: the same one twice is refused whole (TR056, 9056)
    kopie = dataclasses.replace(origineel, declaratienummer="KOPIE1",
                                bericht_identificatie="KOPIE1")
    (tmp_path / "kopie.xml").write_bytes(schrijf_jw323(kopie))
    uit = tmp_path / "uit"
    klaar = _regelwerk(*_basis(uit), VOORBEELD / "JW323.xml", tmp_path / "kopie.xml")
    assert klaar.returncode == 0, klaar.stderr
    tweede = json.loads((uit / "kopie.uitleg.json").read_text(encoding="utf-8"))
    assert all(p["status"] == "afgewezen" for p in tweede["prestaties"])
    assert all("8021" in p["retourcodes"] for p in tweede["prestaties"])
    _geldig(uit / "kopie.JW325.xml")


def test_schema_ongeldig_bericht_krijgt_0001(tmp_path: Path) -> None:
    kapot = tmp_path / "kapot.xml"
    kapot.write_text("<jw323:Bericht xmlns:jw323='x'><open></jw323:Bericht>", encoding="utf-8")
    uit = tmp_path / "uit"
    klaar = _regelwerk(*_basis(uit), kapot, VOORBEELD / "JW323.xml", "--formaat", "tekst")
    assert klaar.returncode == 2
    assert "technisch afgewezen (0001)" in klaar.stderr and "kapot.xml:1" in klaar.stderr
    assert "Traceback" not in klaar.stderr
    _geldig(uit / "kapot.JW325.xml")
    assert "0001" in (uit / "kapot.JW325.xml").read_text(encoding="utf-8")
    assert "technisch afgewezen" in (uit / "kapot.uitleg.txt").read_text(encoding="utf-8")
    assert (uit / "JW323.JW325.xml").is_file()  # the next message is still assessed


@pytest.mark.parametrize(("inhoud", "melding"), [
    ("[" * 1000 + "]" * 1000, "kapot.json:1:"),
    ('{"aanbieder": ' + "9" * 5000 + "}", "kapot.json:1:"),
    ('{"aanbieder": "\\ud800"}', "$.aanbieder"),
])
def test_json_bericht_buiten_de_grenzen_krijgt_0001(tmp_path: Path, inhoud: str,
                                                    melding: str) -> None:
    """The CLI reads a JSON JW323 within the service's bounds: a located 0001, no traceback
    (before, a 1000-deep body or a 5000-digit number escaped as a RecursionError/ValueError)."""
    kapot = tmp_path / "kapot.json"
    kapot.write_text(inhoud, encoding="utf-8")
    klaar = _regelwerk(*_basis(tmp_path / "uit"), kapot)
    assert klaar.returncode == 2, klaar.stderr
    assert "technisch afgewezen (0001)" in klaar.stderr and melding in klaar.stderr
    assert "Traceback" not in klaar.stderr
    _geldig(tmp_path / "uit" / "kapot.JW325.xml")


@pytest.mark.parametrize(
    ("vervang", "melding"),
    [
        ({"bericht": "/bestaat/niet.xml"}, "het bericht bestaat niet"),
        ({"--toewijzingen": "/bestaat/niet"}, "de toewijzingen bestaan niet"),
        ({"--contract": "/bestaat/niet"}, "geen regiomap"),
        ({"--aanwezigheid": "/bestaat/niet.csv"}, "aanwezigheidsregistratie bestaat niet"),
    ],
)
def test_slechte_invoer(tmp_path: Path, vervang: dict[str, str], melding: str) -> None:
    args = _basis(tmp_path / "uit")
    for optie, waarde in vervang.items():
        if optie in args:
            args[args.index(optie) + 1] = waarde
    bericht = vervang.get("bericht", VOORBEELD / "JW323.xml")
    klaar = _regelwerk(*args, bericht)
    assert klaar.returncode == 1
    assert melding in klaar.stderr and "Traceback" not in klaar.stderr
    assert not (tmp_path / "uit").exists()  # nothing assessed, nothing written


def test_contract_met_fouten(tmp_path: Path) -> None:
    regio = tmp_path / "regio"
    regio.mkdir()
    (regio / "contract.regels").write_text(
        'contract "Kapot"\n  regio kapot\n  gebruikt istandaaard\n', encoding="utf-8"
    )
    args = _basis(tmp_path / "uit")
    args[1] = regio
    klaar = _regelwerk(*args, VOORBEELD / "JW323.xml")
    assert klaar.returncode == 1
    assert "contract.regels:3:" in klaar.stderr and "Traceback" not in klaar.stderr


def test_veel_toewijzingen_parallel_gelezen_als_sequentieel(tmp_path: Path) -> None:
    """A folder of thousands of JW301 files is read by several processes; same result."""
    from batch.toewijzingen import lees_jw301_parallel
    from berichten.ijw.jw301 import lees_jw301
    from proefdata import genereer_regiomaand, schrijf_regiomaand

    schrijf_regiomaand(genereer_regiomaand(3, 8000), tmp_path)
    bestanden = sorted((tmp_path / "toewijzingen").glob("*.xml"))
    assert len(bestanden) >= 2000  # else the parallel path is not taken
    assert lees_jw301_parallel(bestanden) == [v for p in bestanden for v in lees_jw301(p)]


def test_gemeente_buiten_het_contract_wordt_geweigerd(tmp_path: Path) -> None:
    """Issue 16, wall 9: amstelland's example (gemeente 0384) checked against ijsselland,
    which has no 0384, is refused with a located Dutch error that names the gemeenten the
    contract covers; on stderr, in the explanation and in the JW325; never assessed."""
    ijsselland = REPO / "contracten" / "ijsselland"
    klaar = _regelwerk("--contract", ijsselland, "--toewijzingen", VOORBEELD / "JW301",
                       "--uitvoer", tmp_path, "--formaat", "tekst", VOORBEELD / "JW323.xml")
    assert klaar.returncode == 2, klaar.stderr
    assert "Traceback" not in klaar.stderr
    fout = (f"{VOORBEELD / 'JW323.xml'}:8:3: de gemeente 0384 (Ontvanger) hoort niet bij regio "
            "ijsselland (gemeenten 0193, 0148, 0160, 0166, 0175, 0177, 0180, 1708, 1896); het "
            "bericht is niet voor deze regio en is niet beoordeeld")
    assert fout.replace(str(REPO) + "/", "") in klaar.stderr or fout in klaar.stderr
    uitleg = (tmp_path / "JW323.uitleg.txt").read_text(encoding="utf-8")
    assert "retourcode 0001); er is niets beoordeeld" in uitleg
    assert "hoort niet bij regio ijsselland (gemeenten 0193," in uitleg
    assert "Prestatie" not in uitleg
    _geldig(tmp_path / "JW323.JW325.xml")
