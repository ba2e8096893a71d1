"""The corpus of wrong rule files: each names its expected line, column and message.

`fouten/*.regels` are single files (first line: `# verwacht: LINE:COLUMN: fragment`);
`voorbeeld/fouten_regio/<geval>/` are regions over the small test standard in
`voorbeeld/regels` (first line: `# verwacht: BESTAND:LINE:COLUMN: fragment`).
Both run through the API and, once for all, through `regelwerk valideer` as a subprocess.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from fractions import Fraction
from pathlib import Path

import pytest

from dsl.fouten import RegelFoutenError
from dsl.loader import laad_contract, valideer_tekst

HIER = Path(__file__).parent
STANDAARD = HIER / "voorbeeld" / "regels"
BESTANDEN = sorted((HIER / "fouten").glob("*.regels"))
REGIOS = sorted(p for p in (HIER / "voorbeeld" / "fouten_regio").iterdir() if p.is_dir())
REGELWERK = Path(sys.executable).parent / "regelwerk"


def _verwacht(tekst: str) -> tuple[str | None, int, int, str]:
    m = re.match(r"# verwacht: (?:([\w.]+):)?(\d+):(\d+): (.*)", tekst)
    assert m, "het eerste regel van een foutgeval zegt '# verwacht: LINE:COLUMN: fragment'"
    return m[1], int(m[2]), int(m[3]), m[4].strip()


def test_corpus_is_groot_genoeg() -> None:
    assert len(BESTANDEN) + len(REGIOS) >= 30


@pytest.mark.parametrize("pad", BESTANDEN, ids=lambda p: p.stem)
def test_fout_in_bestand(pad: Path) -> None:
    tekst = pad.read_text(encoding="utf-8")
    _, line, column, fragment = _verwacht(tekst)
    fouten = valideer_tekst(tekst, pad.name, STANDAARD)
    gevonden = [(f.line, f.column, f.bericht) for f in fouten]
    assert any(f.line == line and f.column == column and fragment in f.bericht
               for f in fouten), gevonden
    assert all(f.bestand == pad.name for f in fouten)


@pytest.mark.parametrize("map_", REGIOS, ids=lambda p: p.name)
def test_fout_in_regio(map_: Path) -> None:
    bestand, line, column, fragment = _verwacht((map_ / "contract.regels").read_text())
    with pytest.raises(RegelFoutenError) as info:
        laad_contract(map_, STANDAARD)
    fouten = info.value.fouten
    gevonden = [(Path(f.bestand).name, f.line, f.column, f.bericht) for f in fouten]
    assert any(Path(f.bestand).name == bestand and (f.line, f.column) == (line, column)
               and fragment in f.bericht for f in fouten), gevonden
    # the cause is in the region's files: no error inside a standard file it did not change
    assert all(map_ in Path(f.bestand).parents for f in fouten), gevonden


SCORES = tomllib.loads((HIER / "foutscores.toml").read_text(encoding="utf-8"))


def test_elk_foutgeval_heeft_een_score() -> None:
    """Every case carries a reviewer's score of what its message tells the user (1-5)."""
    assert set(SCORES["bestanden"]) == {p.stem for p in BESTANDEN}
    assert set(SCORES["regios"]) == {p.name for p in REGIOS}
    scores = [*SCORES["bestanden"].values(), *SCORES["regios"].values()]
    assert all(isinstance(s, int) and 1 <= s <= 5 for s in scores)


def test_de_gemiddelde_score_daalt_niet() -> None:
    scores = [*SCORES["bestanden"].values(), *SCORES["regios"].values()]
    gemiddeld = Fraction(sum(scores), len(scores))
    assert gemiddeld >= Fraction(str(SCORES["vloer"])), float(gemiddeld)


def test_weergave_met_caret_en_suggestie() -> None:
    tekst = (HIER / "fouten" / "01_onbekende_naam.regels").read_text()
    fout = valideer_tekst(tekst, "x.regels", STANDAARD)[0]
    regels = str(fout).splitlines()
    assert regels[0] == "x.regels:6:14: fout: onbekende naam 'geleverde volume'"
    assert regels[1].endswith("|       als de geleverde volume groter is dan 10")
    assert regels[2].index("^") == regels[1].index("geleverde")
    assert regels[3] == "  bedoelde u 'geleverd volume'?"


@pytest.mark.parametrize(("naam", "woord"), [
    ("50_sleutelwoord_typfout", "afwijzen"), ("51_clausule_typfout", "toon")])
def test_typfout_in_sleutelwoord_krijgt_suggestie(naam: str, woord: str) -> None:
    tekst = (HIER / "fouten" / f"{naam}.regels").read_text()
    (fout,) = valideer_tekst(tekst, "x.regels", STANDAARD)
    assert fout.suggestie == f"bedoelde u '{woord}'?"


def test_geen_suggestie_van_een_naam_die_er_alleen_op_lijkt() -> None:
    """'declaratietermijn' shares a long prefix with the field 'declaratienummer' but means
    something else: below the similarity threshold the message says what to do instead."""
    tekst = (HIER / "fouten" / "52_uitleg_noemt_vervallen_parameter.regels").read_text()
    (fout,) = valideer_tekst(tekst, "x.regels", STANDAARD)
    assert fout.suggestie is not None and "declaratienummer" not in fout.suggestie
    assert fout.suggestie.startswith("haal {declaratietermijn} uit de uitleg")


def test_geen_vervolgfout_na_een_onleesbare_datum() -> None:
    """Row 3's date is unreadable, so its validity is unknown: the overlap with row 2 that
    would follow from it is not reported, only the date with the form to write."""
    with pytest.raises(RegelFoutenError) as info:
        laad_contract(HIER / "voorbeeld" / "fouten_regio" / "csv_nederlandse_datum", STANDAARD)
    (fout,) = info.value.fouten
    assert fout.bericht.endswith("schrijf 2026-07-01")


def test_alle_fouten_van_een_bestand_tegelijk() -> None:
    tekst = (
        'artikel 1 "a"\n  lid 1.1 "b"\n'
        '    regel "R"\n      afwijzen met retourcode 9346 het\n      uitleg "x"\n'
        '    regel "S"\n      als x groter is dan\n    regel "T"\n      uitleg "y"\n'
    )
    fouten = valideer_tekst(tekst, "t.regels", STANDAARD)
    assert [(f.line, f.column) for f in fouten] == [(4, 36), (8, 5)]
    assert "verwacht 'als'" in fouten[0].bericht
    assert "de voorwaarde is niet af" in fouten[1].bericht


def test_semantische_fouten_tegelijk() -> None:
    tekst = (
        'artikel 1 "a"\n  lid 1.1 "b"\n'
        "    waarde p is het ingediend bedrag plus 3 uur\n"
        "    waarde q is de geleverde volume\n"
        "    waarde r is de productcode afgerond rekenkundig\n"
    )
    fouten = valideer_tekst(tekst, "t.regels", STANDAARD)
    assert [f.line for f in fouten] == [3, 4, 5]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(REGELWERK), *args], capture_output=True, text=True,
                          timeout=120, check=False)


def test_cli_valideer_op_het_hele_corpus() -> None:
    uit = _cli("valideer", *[str(p) for p in BESTANDEN], *[str(p) for p in REGIOS])
    assert uit.returncode == 1, uit.stdout + uit.stderr
    assert "Traceback" not in uit.stdout + uit.stderr
    for pad in BESTANDEN:
        _, line, column, _ = _verwacht(pad.read_text())
        assert f"{pad}:{line}:{column}: fout: " in uit.stdout, pad.name
    for map_ in REGIOS:
        bestand, line, column, _ = _verwacht((map_ / "contract.regels").read_text())
        assert f"{map_ / str(bestand)}:{line}:{column}: fout: " in uit.stdout, map_.name


def test_cli_valideer_foutloos_geeft_0() -> None:
    uit = _cli("valideer", str(STANDAARD), str(HIER / "voorbeeld" / "contracten"))
    assert uit.returncode == 0, uit.stdout
    assert "Geen fouten" in uit.stdout


def test_cli_onbekend_pad() -> None:
    uit = _cli("valideer", "bestaat/niet.regels")
    assert uit.returncode == 1
    assert "bestaat/niet.regels:1:1: fout: dit bestand of deze map bestaat niet" in uit.stdout


# ---------------------------------------------------------------- the contract's period


GEEN_LOOPTIJD = HIER / "voorbeeld" / "fouten_regio" / "geen_looptijd"


def test_contract_zonder_looptijd_met_plek_en_voorbeeld() -> None:
    """Fail closed (issue 11): a contract without a period would be in force on every date."""
    with pytest.raises(RegelFoutenError) as info:
        laad_contract(GEEN_LOOPTIJD, STANDAARD)
    (fout,) = info.value.fouten
    regels = str(fout).splitlines()
    assert regels[0] == (
        f"{GEEN_LOOPTIJD / 'contract.regels'}:2:1: fout: het contract 'Proef' zegt niet wanneer "
        "het geldt: zonder looptijd zou het op elke datum gelden en zou zorg van vóór of na de "
        "afgesproken periode tegen dit contract worden goedgekeurd; geef de looptijd op de kop "
        "van het contract")
    assert regels[1].endswith('| contract "Proef"') and regels[2].endswith("| ^")
    assert regels[3] == ("  voeg onder de kop toe, met de data van het contract: 'geldig vanaf "
                         "2026-01-01 tot en met 2026-12-31' (of alleen 'geldig vanaf "
                         "2026-01-01' voor een contract voor onbepaalde tijd)")


def test_contract_zonder_looptijd_samen_met_de_andere_fouten() -> None:
    tekst = (GEEN_LOOPTIJD / "contract.regels").read_text() + (
        'vervalt regel "Vervoer niet apart declarabe"\n')
    fouten = valideer_tekst(tekst, "contract.regels", STANDAARD)
    assert [(f.line, f.column, f.bericht.split(":")[0]) for f in fouten] == [
        (2, 1, "het contract 'Proef' zegt niet wanneer het geldt"),
        (7, 1, "regel 'Vervoer niet apart declarabe' bestaat niet in de standaard")]


def test_contract_voor_onbepaalde_tijd_mag() -> None:
    """An open end is allowed (docs/taal.md §7): every check still has a version on every
    date after the start (checked at load time), and the tariff table closes the dates
    after its last tariff."""
    tekst = (GEEN_LOOPTIJD / "contract.regels").read_text().replace(
        "  regio proef\n", "  regio proef\n  geldig vanaf 2025-01-01\n")
    assert valideer_tekst(tekst, "contract.regels", STANDAARD) == []
