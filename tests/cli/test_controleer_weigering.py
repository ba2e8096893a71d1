"""`regelwerk controleer` and the refusal of whole messages (OP286, `berichten.weigering`):
a message with one BSN that fails the elfproef (CS002), a message identification sent before
(TR056) or a Dagtekening after today (TR135) is answered with the code in the JW325's header,
nothing of it is assessed or recorded, and the corrected message with the same numbers is
then accepted as if the refused one was never sent.

Before OP286 was followed, the client with the bad BSN got 0001, its lines 0233, and the
message's other clients were assessed and recorded (so the corrected resend got 9333)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from lxml import etree

from berichten.ijw.jw323 import lees_jw323, per_client, schrijf_jw323
from berichten.ijw.standaard import IJW_3_2
from berichten.schema import schema
from engine.bsn import elfproef
from engine.model import Declaratie

REPO = Path(__file__).resolve().parents[2]
REGIO = REPO / "contracten" / "amstelland"
VOORBEELD = REGIO / "voorbeeld"
J = "{" + IJW_3_2.met_rol("retour").namespace + "}"

pytestmark = pytest.mark.skipif(
    not (VOORBEELD / "JW323.xml").is_file(), reason="voorbeeldregio ontbreekt"
)


def _regelwerk(uit: Path, *berichten: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "controleer", "--contract", str(REGIO),
         "--toewijzingen", str(VOORBEELD / "JW301"), "--aanwezigheid",
         str(VOORBEELD / "aanwezigheid.csv"), "--uitvoer", str(uit), *map(str, berichten)],
        capture_output=True, text=True, cwd=REPO, timeout=300)


def _kop_codes(pad: Path) -> list[str]:
    """The JW325 (schema-valid) header's codes, and that nothing was answered per line."""
    xsd = schema(IJW_3_2, "JW325")
    boom = etree.parse(str(pad))
    assert xsd.validate(boom), xsd.error_log
    assert boom.find(f"{J}DeclaratieAntwoord") is None
    return [c.text or "" for c in boom.iterfind(f"{J}Header/{J}RetourCodes/{J}RetourCode")]


def _ongeldig(bsn: str) -> str:
    """`bsn` with another last digit, failing the elfproef."""
    for cijfer in "0123456789":
        kandidaat = bsn[:8] + cijfer
        if not elfproef(kandidaat):
            return kandidaat
    raise AssertionError("geen ongeldig BSN")


def _met_slechte_bsn(d: Declaratie) -> tuple[Declaratie, str]:
    """The message with the second client's BSN broken (its lines keep everything else)."""
    tweede = list(per_client(d.prestaties))[1]
    slecht = _ongeldig(tweede)
    return dataclasses.replace(d, prestaties=tuple(
        dataclasses.replace(p, bsn=slecht) if p.bsn == tweede else p
        for p in d.prestaties)), slecht


def _uitleg(pad: Path) -> dict[str, object]:
    uitleg: dict[str, object] = json.loads(pad.read_text(encoding="utf-8"))
    uitleg.pop("ontvangstbewijs", None)
    return uitleg


def test_slechte_bsn_weigert_het_hele_bericht_en_de_herkansing_wordt_aanvaard(
        tmp_path: Path) -> None:
    origineel = lees_jw323(VOORBEELD / "JW323.xml")
    fout, slecht = _met_slechte_bsn(origineel)
    (tmp_path / "a_fout.xml").write_bytes(schrijf_jw323(fout))
    (tmp_path / "b_hersteld.xml").write_bytes(schrijf_jw323(origineel))  # same numbers
    klaar = _regelwerk(tmp_path / "uit", tmp_path / "a_fout.xml", tmp_path / "b_hersteld.xml")
    assert klaar.returncode == 2, klaar.stderr
    assert "Traceback" not in klaar.stderr
    assert ("technisch afgewezen (0001): " in klaar.stderr
            and "a_fout.xml: Declaratie/Clienten/Client[2]/Bsn: het burgerservicenummer van "
            "client 2 doorstaat de elfproef niet (CS002, retourcode 0001)" in klaar.stderr)
    assert slecht not in klaar.stderr
    assert _kop_codes(tmp_path / "uit" / "a_fout.JW325.xml") == ["0001"]
    assert slecht not in (tmp_path / "uit" / "a_fout.uitleg.json").read_text(encoding="utf-8")
    # the corrected message is answered exactly as if the refused one was never sent
    alleen = _regelwerk(tmp_path / "alleen", tmp_path / "b_hersteld.xml")
    assert alleen.returncode == 0, alleen.stderr
    assert (_uitleg(tmp_path / "uit" / "b_hersteld.uitleg.json")
            == _uitleg(tmp_path / "alleen" / "b_hersteld.uitleg.json"))
    codes = json.dumps(_uitleg(tmp_path / "uit" / "b_hersteld.uitleg.json"))
    assert "9333" not in codes and "8021" not in codes


def test_dubbele_berichtidentificatie_9056(tmp_path: Path) -> None:
    origineel = lees_jw323(VOORBEELD / "JW323.xml")
    ander = dataclasses.replace(origineel, declaratienummer="ANDER1", prestaties=tuple(
        dataclasses.replace(p, referentienummer="X" + p.referentienummer[1:])
        for p in origineel.prestaties))
    (tmp_path / "ander.xml").write_bytes(schrijf_jw323(ander))
    klaar = _regelwerk(tmp_path / "uit", VOORBEELD / "JW323.xml", tmp_path / "ander.xml")
    assert klaar.returncode == 2, klaar.stderr
    assert (f"ander.xml: Header/BerichtIdentificatie/Identificatie: aanbieder "
            f"{origineel.aanbieder} heeft gemeente {origineel.gemeente} al een "
            f"declaratiebericht met identificatie '{origineel.bericht_identificatie}' gestuurd"
            in klaar.stderr)
    assert "(TR056, retourcode 9056)" in klaar.stderr
    assert _kop_codes(tmp_path / "uit" / "ander.JW325.xml") == ["9056"]
    # with its own identification the same message is assessed
    eigen = dataclasses.replace(ander, bericht_identificatie="EIGEN1")
    (tmp_path / "eigen.xml").write_bytes(schrijf_jw323(eigen))
    tweede = _regelwerk(tmp_path / "uit2", VOORBEELD / "JW323.xml", tmp_path / "eigen.xml")
    assert tweede.returncode == 0, tweede.stderr


@pytest.mark.parametrize(("veld", "pad"), [
    ("bericht_dagtekening", "Header/BerichtIdentificatie/Dagtekening"),
    ("declaratiedagtekening", "Declaratie/DeclaratieDagtekening"),
])
def test_dagtekening_in_de_toekomst_8848(tmp_path: Path, veld: str, pad: str) -> None:
    morgen = date.today() + timedelta(days=1)
    bericht = dataclasses.replace(lees_jw323(VOORBEELD / "JW323.xml"), **{veld: morgen})
    (tmp_path / "morgen.xml").write_bytes(schrijf_jw323(bericht))
    klaar = _regelwerk(tmp_path / "uit", tmp_path / "morgen.xml")
    assert klaar.returncode == 2, klaar.stderr
    assert (f"morgen.xml: {pad}: de dagtekening {morgen.isoformat()} ligt na de "
            f"verwerkingsdatum {date.today().isoformat()} (TR135, retourcode 8848)"
            in klaar.stderr)
    assert _kop_codes(tmp_path / "uit" / "morgen.JW325.xml") == ["8848"]


def test_dezelfde_identificatie_aan_een_andere_gemeente_is_geen_9056(tmp_path: Path) -> None:
    """TR056 per sender and receiving gemeente: a gemeente knows only the messages sent to
    it, and every gemeente of the region has its own history (its lane)."""
    origineel = lees_jw323(VOORBEELD / "JW323.xml")
    andere = next(g for g in ("0363", "0362", "0437") if g != origineel.gemeente)
    elders = dataclasses.replace(origineel, gemeente=andere, declaratienummer="ELDERS1")
    (tmp_path / "elders.xml").write_bytes(schrijf_jw323(elders))
    klaar = _regelwerk(tmp_path / "uit", VOORBEELD / "JW323.xml", tmp_path / "elders.xml")
    assert "9056" not in klaar.stderr and "technisch afgewezen" not in klaar.stderr
    boom = etree.parse(str(tmp_path / "uit" / "elders.JW325.xml"))
    assert "9056" not in [c.text for c in boom.iter(f"{J}RetourCode")]
