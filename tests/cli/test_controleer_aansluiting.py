"""`regelwerk controleer` and TR318 (8214) over several messages of one provider in one batch:
the block's earlier messages give the later ones their previous declaration period
(`engine.werkset.blok`), a message refused as a whole does not.

The example message declares March 2026. 'januari' is that message moved to January; 'maart
met februari' is the example message with one more line, for February: after January,
February is a month the provider skipped while it delivered care, so the declaration is
rejected with 8214 (its lines 0233). Alone, or after a January message that was refused as a
whole (OP286), it is the provider's first declaration and is not judged."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from berichten.ijw.jw323 import lees_jw323, per_client, schrijf_jw323
from engine.bsn import elfproef
from engine.model import Declaratie, Prestatie

REPO = Path(__file__).resolve().parents[2]
REGIO = REPO / "contracten" / "amstelland"
VOORBEELD = REGIO / "voorbeeld"

pytestmark = pytest.mark.skipif(
    not (VOORBEELD / "JW323.xml").is_file(), reason="voorbeeldregio ontbreekt"
)


def _regelwerk(uit: Path, *berichten: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "controleer", "--contract", str(REGIO),
         "--toewijzingen", str(VOORBEELD / "JW301"), "--aanwezigheid",
         str(VOORBEELD / "aanwezigheid.csv"), "--uitvoer", str(uit), *map(str, berichten)],
        capture_output=True, text=True, cwd=REPO, timeout=300)


def _in_maand(p: Prestatie, begin: date, einde: date, voorvoegsel: str) -> Prestatie:
    return dataclasses.replace(p, begindatum=begin, einddatum=einde,
                               referentienummer=voorvoegsel + p.referentienummer[1:])


def _januari(d: Declaratie) -> Declaratie:
    begin, einde = date(2026, 1, 1), date(2026, 1, 31)
    return dataclasses.replace(
        d, bericht_identificatie="JAN1", declaratienummer="JAN1",
        declaratie_begindatum=begin, declaratie_einddatum=einde,
        prestaties=tuple(_in_maand(p, begin, einde, "J") for p in d.prestaties))


def _maart_met_februari(d: Declaratie) -> Declaratie:
    februari = dataclasses.replace(
        _in_maand(d.prestaties[0], date(2026, 2, 1), date(2026, 2, 28), "F"),
        volgnummer=len(d.prestaties))
    return dataclasses.replace(d, prestaties=(*d.prestaties, februari))


def _met_slechte_bsn(d: Declaratie) -> Declaratie:
    """The message with its first client's BSN failing the elfproef (CS002: refused whole)."""
    eerste = next(iter(per_client(d.prestaties)))
    slecht = next(eerste[:8] + c for c in "0123456789" if not elfproef(eerste[:8] + c))
    return dataclasses.replace(d, prestaties=tuple(
        dataclasses.replace(p, bsn=slecht) if p.bsn == eerste else p for p in d.prestaties))


def _uitleg(pad: Path) -> dict[str, object]:
    uitleg: dict[str, object] = json.loads(pad.read_text(encoding="utf-8"))
    return uitleg


@pytest.fixture
def berichten(tmp_path: Path) -> dict[str, Path]:
    voorbeeld = lees_jw323(VOORBEELD / "JW323.xml")
    paden = {}
    for naam, bericht in (("a_januari", _januari(voorbeeld)),
                          ("a_januari_geweigerd", _met_slechte_bsn(_januari(voorbeeld))),
                          ("b_maart_met_februari", _maart_met_februari(voorbeeld))):
        paden[naam] = tmp_path / f"{naam}.xml"
        paden[naam].write_bytes(schrijf_jw323(bericht))
    return paden


def _codes(uitleg: dict[str, object]) -> set[str]:
    """Every retourcode in an explanation (declaration and lines)."""
    return set(_alle_codes(uitleg))


def _alle_codes(waarde: object) -> list[str]:
    if isinstance(waarde, dict):
        uit = [str(waarde["retourcode"])] if waarde.get("retourcode") else []
        return uit + [c for w in waarde.values() for c in _alle_codes(w)]
    if isinstance(waarde, list):
        return [c for w in waarde for c in _alle_codes(w)]
    return []


def test_een_overgeslagen_maand_met_zorg_in_dezelfde_run(
        tmp_path: Path, berichten: dict[str, Path]) -> None:
    klaar = _regelwerk(tmp_path / "uit", berichten["a_januari"],
                       berichten["b_maart_met_februari"])
    assert klaar.returncode == 0, klaar.stderr
    assert "Traceback" not in klaar.stderr
    uitleg = _uitleg(tmp_path / "uit" / "b_maart_met_februari.uitleg.json")
    assert "8214" in _codes(uitleg)
    prestaties = uitleg["prestaties"]
    assert isinstance(prestaties, list) and len(prestaties) == 7
    assert all(p["status"] == "afgewezen" for p in prestaties)
    tekst = json.dumps(uitleg, ensure_ascii=False)
    assert "de vorige declaratieperiode eindigde op 2026-01-31" in tekst
    assert "had op 2026-02-01 moeten beginnen" in tekst
    jw325 = (tmp_path / "uit" / "b_maart_met_februari.JW325.xml").read_text(encoding="utf-8")
    assert "8214" in jw325


def test_als_eerste_declaratie_niet_beoordeeld(
        tmp_path: Path, berichten: dict[str, Path]) -> None:
    klaar = _regelwerk(tmp_path / "uit", berichten["b_maart_met_februari"])
    assert klaar.returncode == 0, klaar.stderr
    assert "8214" not in _codes(_uitleg(tmp_path / "uit" / "b_maart_met_februari.uitleg.json"))


def test_een_geweigerd_bericht_telt_niet_als_vorige(
        tmp_path: Path, berichten: dict[str, Path]) -> None:
    klaar = _regelwerk(tmp_path / "uit", berichten["a_januari_geweigerd"],
                       berichten["b_maart_met_februari"])
    assert klaar.returncode == 2, klaar.stderr  # the refused message: 0001
    assert "a_januari_geweigerd.xml" in klaar.stderr and "CS002" in klaar.stderr
    uitleg = _uitleg(tmp_path / "uit" / "b_maart_met_februari.uitleg.json")
    assert "8214" not in _codes(uitleg)
    alleen = _regelwerk(tmp_path / "alleen", berichten["b_maart_met_februari"])
    assert alleen.returncode == 0, alleen.stderr
    zonder_bewijs = {k: v for k, v in uitleg.items() if k != "ontvangstbewijs"}
    assert zonder_bewijs == {k: v for k, v in _uitleg(
        tmp_path / "alleen" / "b_maart_met_februari.uitleg.json").items()
        if k != "ontvangstbewijs"}
