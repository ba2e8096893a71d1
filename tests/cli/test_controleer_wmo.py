"""`regelwerk controleer` answers in the standard of the message: a WMO323 gets a WMO325
(valid against the derived schema) from the same national rules; a batch mixing standards,
a Wmo message for a contract without a Wmo part and a message of an unknown namespace each
get a Dutch error, never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from berichten.iwmo.standaard import IWMO_3_2
from berichten.schema import schema

REPO = Path(__file__).resolve().parents[2]
REGIO = REPO / "contracten" / "amstelland"
IWMO = REPO / "tests" / "berichten" / "berichten"
WMO_TARIEVEN = ("01,01A03,04,2900,2023-01-01,,ambulant,Hulp bij het huishouden per uur\n"
                "01,01A04,04,1500,2023-01-01,,ambulant,Hulp bij het huishouden per uur\n")


def _regelwerk(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "controleer", *map(str, args)],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )


@pytest.fixture
def met_wmo(tmp_path: Path) -> Path:
    """Amstelland with Wmo tariffs (the contract then covers iWmo) and the WMO301."""
    contract = tmp_path / "contract"
    contract.mkdir()
    shutil.copy(REGIO / "contract.regels", contract)
    shutil.copy(REGIO / "plafonds.csv", contract)  # the contract names it (issue 14)
    (contract / "tarieven.csv").write_text(
        (REGIO / "tarieven.csv").read_text(encoding="utf-8") + WMO_TARIEVEN, encoding="utf-8")
    (tmp_path / "toewijzingen").mkdir()
    shutil.copy(IWMO / "WMO301.xml", tmp_path / "toewijzingen")
    return tmp_path


def _basis(map_: Path, contract: Path) -> list[object]:
    return ["--contract", contract, "--toewijzingen", map_ / "toewijzingen",
            "--uitvoer", map_ / "uit"]


def test_wmo323_krijgt_een_wmo325(met_wmo: Path) -> None:
    klaar = _regelwerk(*_basis(met_wmo, met_wmo / "contract"), IWMO / "WMO323.xml")
    assert klaar.returncode == 0, klaar.stderr
    antwoord = met_wmo / "uit" / "WMO323.WMO325.xml"
    xsd = schema(IWMO_3_2, "WMO325")
    assert xsd.validate(etree.parse(str(antwoord))), xsd.error_log
    assert not (met_wmo / "uit" / "WMO323.JW325.xml").exists()
    uitleg = json.loads((met_wmo / "uit" / "WMO323.uitleg.json").read_text(encoding="utf-8"))
    codes = {r["retourcode"] for p in uitleg["prestaties"] for r in p["redenen"]}
    assert "9338" in codes  # the national check on allocations, written once, ran


def test_contract_zonder_wmo_deel(met_wmo: Path) -> None:
    klaar = _regelwerk(*_basis(met_wmo, REGIO), IWMO / "WMO323.xml")
    assert klaar.returncode != 0 and "Traceback" not in klaar.stderr
    assert "heeft geen iWmo-deel" in klaar.stderr and "WMO323.xml" in klaar.stderr
    assert not (met_wmo / "uit").exists()


def test_gemengde_batch(met_wmo: Path) -> None:
    klaar = _regelwerk(*_basis(met_wmo, met_wmo / "contract"), REGIO / "voorbeeld" / "JW323.xml",
                       IWMO / "WMO323.xml")
    assert klaar.returncode != 0 and "Traceback" not in klaar.stderr
    assert "verschillende standaarden" in klaar.stderr


def test_onbekende_naamruimte(met_wmo: Path) -> None:
    vreemd = met_wmo / "vreemd.xml"
    vreemd.write_text('<?xml version="1.0"?>\n<x:Bericht xmlns:x="urn:vreemd"/>\n')
    klaar = _regelwerk(*_basis(met_wmo, met_wmo / "contract"), vreemd)
    assert "Traceback" not in klaar.stderr
    assert "vreemd.xml:2:1" in klaar.stderr and "naamruimte 'urn:vreemd'" in klaar.stderr
    assert (met_wmo / "uit" / "vreemd.JW325.xml").is_file()  # answered with 0001


def test_jw323_voor_een_contract_met_alleen_wmo(tmp_path: Path) -> None:
    """The other way: a Wmo-only contract (amstelland_wmo) has no iJw part."""
    klaar = _regelwerk("--contract", REPO / "contracten" / "amstelland_wmo", "--toewijzingen",
                       REGIO / "voorbeeld" / "JW301", "--uitvoer", tmp_path / "uit",
                       REGIO / "voorbeeld" / "JW323.xml")
    assert klaar.returncode != 0 and "Traceback" not in klaar.stderr
    assert "heeft geen iJw-deel" in klaar.stderr and "JW323.xml" in klaar.stderr
    assert not (tmp_path / "uit").exists()


def test_het_wmo_voorbeeld(tmp_path: Path) -> None:
    voorbeeld = REPO / "contracten" / "amstelland_wmo" / "voorbeeld"
    klaar = _regelwerk("--contract", voorbeeld.parent, "--toewijzingen", voorbeeld / "WMO301",
                       "--uitvoer", tmp_path, voorbeeld / "WMO323.xml")
    assert klaar.returncode == 0, klaar.stderr
    xsd = schema(IWMO_3_2, "WMO325")
    assert xsd.validate(etree.parse(str(tmp_path / "WMO323.WMO325.xml"))), xsd.error_log
