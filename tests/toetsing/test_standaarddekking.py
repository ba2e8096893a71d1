"""The coverage table of iJw 3.2 (`toetsing.standaarddekking`, `weergave.standaarddekking`):
every rule of the standard has a filled row, a rule file's citation fills its row before the
data file, and every inconsistency is a located Dutch error."""

from __future__ import annotations

import dataclasses
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from toetsing.standaarddekking import (
    Bronnen,
    DekkingFoutError,
    dekkingstabel,
    lees_catalogus,
)
from weergave.standaarddekking import markdown, waar

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "istandaard-dekking.md"
GEDEELD = REPO.parent.parent / "shared" / "ijw" / "regels"
"""The standard's own material beside the worktrees (not in a fresh clone: then skipped)."""

NIEUW = textwrap.dedent('''\
    artikel "iJw-proef" "Proef"
      bron "iStandaard iJw release 3.2"
      uitleg "Een proefartikel."

      lid "iJw-9319" "Productperiode na de declaratieperiode"
        regel "Productperiode niet na de declaratie"
          bron "iJw 3.2, {code}, retourcode 9319"
          afwijzen met retourcode 9319
          voor elke prestatie waarvoor niet creditprestatie
          als de begindatum later is dan de einddatum van de toewijzing
          uitleg "De productperiode ligt na de declaratieperiode."
''')


def _bronnen(tmp_path: Path, yaml_tekst: str | None = None, nieuw: str | None = None) -> Bronnen:
    regels = tmp_path / "regels"
    shutil.copytree(REPO / "regels", regels)
    if nieuw is not None:
        (regels / "istandaard" / "proef.regels").write_text(nieuw, encoding="utf-8")
    dekking = regels / "istandaard" / "dekking.yaml"
    if yaml_tekst is not None:
        dekking.write_text(yaml_tekst, encoding="utf-8")
    return Bronnen(regels=regels, dekking=dekking)


def _fouten(bronnen: Bronnen) -> list[str]:
    with pytest.raises(DekkingFoutError) as e:
        dekkingstabel(bronnen)
    return e.value.fouten


def _met_extra(regels: str) -> str:
    return (REPO / "regels" / "istandaard" / "dekking.yaml").read_text(encoding="utf-8") + regels


# ---------------------------------------------------------------- the table itself


def test_elke_regel_heeft_een_gevulde_rij() -> None:
    rijen = dekkingstabel()
    catalogus = lees_catalogus(Bronnen().catalogus)
    assert [r.regel.code for r in rijen] == [r.code for r in catalogus]
    assert {r.regel.soort for r in rijen} == {"TR", "OP", "CS"}
    for rij in rijen:
        tekst = waar(rij.plek, {r.regel.code: r.plek for r in rijen})
        assert tekst.strip() and not tekst.rstrip().endswith(":"), rij.regel.code
        assert rij.regel.onderwerp and rij.regel.berichten, rij.regel.code


def test_docs_bestand_is_bij() -> None:
    assert DOCS.read_text(encoding="utf-8") == markdown(dekkingstabel()), (
        "docs/istandaard-dekking.md is niet bij: draai 'regelwerk standaard dekking'")


def test_tabel_heeft_geen_lege_cel() -> None:
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith("| Regel"):
            cellen = [c.strip() for c in line.strip("|").split(" | ")]
            assert len(cellen) == 5 and all(cellen), line


def test_bestaand_regelbestand_via_retourcode() -> None:
    rijen = {r.regel.code: r for r in dekkingstabel()}
    tr307 = rijen["TR307"].plek
    assert tr307.soort == "regelbestand"
    assert [(v.bestand, v.regel, v.via) for v in tr307.vindplaatsen] == [
        ("regels/istandaard/toewijzing.regels", "Begin binnen de toewijzing", "retourcode 9307")]
    # 0001 belongs to many constraints: not a way to recognise one; CS002 is found by the
    # docstring of berichten.weigering._bsn (the message layer), not by its retourcode
    assert (rijen["CS002"].plek.soort, rijen["CS002"].plek.tekst) == (
        "berichtlaag", "berichten.weigering._bsn")


@pytest.mark.skipif(not GEDEELD.is_dir(), reason="het bronmateriaal van iJw 3.2 staat er niet")
def test_catalogus_volgt_het_bronmateriaal() -> None:
    """Every TR, OP and CS of the material that concerns JW301/JW323/JW325 is listed, with
    the same messages and retourcode."""
    drie = {"JW301", "JW323", "JW325"}
    verwacht: dict[str, tuple[set[str], str | None]] = {}
    for pad in sorted((GEDEELD / "technische-regels").glob("TR*.md")):
        tekst = pad.read_text(encoding="utf-8")
        gebruik = tekst.split("## Gebruik in berichten", 1)[1].split("---", 1)[0]
        rc = re.search(r"\| Retourcode \| (.*?) \|", tekst)
        code = rc.group(1) if rc and rc.group(1) != "n.v.t." else None
        verwacht[pad.stem] = (set(re.findall(r"JW\d{3}", gebruik)) & drie, code)
    for pad in sorted((GEDEELD / "bedrijfsregels").glob("OP*.md")):
        rij = re.search(r"^\|\s*Berichttypen?\s*\|\s*(.*?)\s*\|", pad.read_text("utf-8"), re.M)
        assert rij is not None, pad
        verwacht[pad.stem] = (set(re.findall(r"JW\d{3}", rij.group(1))) & drie, None)
    cs = (GEDEELD / "condities-constraints" / "Condities_constraints_per_data-element.md")
    for blok in re.split(r"^# Regel ", cs.read_text(encoding="utf-8"), flags=re.M)[1:]:
        meta = dict(re.findall(r"^- ([^:]+): (.*)$", blok, re.M))
        if blok.startswith("CS") and meta.get("Bericht") in drie:
            berichten, _ = verwacht.setdefault(blok.split()[0], (set(), None))
            berichten.add(meta["Bericht"])
            verwacht[blok.split()[0]] = (berichten, meta.get("Retourcode"))
    verwacht = {c: v for c, v in verwacht.items() if v[0]}
    catalogus = {r.code: (set(r.berichten), r.retourcode) for r in lees_catalogus(
        Bronnen().catalogus)}
    assert catalogus == verwacht


# ---------------------------------------------------------------- found in rule files


def test_genoemde_code_vult_de_rij_voor_de_yaml(tmp_path: Path) -> None:
    bronnen = _bronnen(tmp_path, nieuw=NIEUW.format(code="CS337"))
    rijen = {r.regel.code: r for r in dekkingstabel(bronnen)}
    plek = rijen["CS337"].plek  # dekking.yaml says nog_niet: the rule file goes first
    assert plek.soort == "regelbestand"
    assert [(v.bestand, v.regel, v.via, v.line) for v in plek.vindplaatsen] == [
        ("regels/istandaard/proef.regels", "Productperiode niet na de declaratie", "regelcode", 6)]
    assert waar(plek) == ("regelbestand `regels/istandaard/proef.regels`: "
            "'Productperiode niet na de declaratie'")
    assert "| CS337 |" in markdown(list(rijen.values()))


def test_onbekende_code_in_regelbestand_is_een_fout(tmp_path: Path) -> None:
    bronnen = _bronnen(tmp_path, nieuw=NIEUW.format(code="TR999"))
    assert _fouten(bronnen) == [
        "regels/istandaard/proef.regels:6:5: fout: regel 'Productperiode niet na de declaratie' "
        "noemt TR999 in zijn bron, maar iJw 3.2 kent geen TR999 voor JW301, JW323 of JW325"]


# ---------------------------------------------------------------- errors of the data file


@pytest.mark.parametrize(("extra", "fout"), [
    ("TR999:\n  nog_niet: \"issue 14\"\n",
     "{n}:{l}:1: fout: TR999 is geen regel van iJw 3.2 voor JW301, JW323 of JW325"),
    ("OP003:\n  niet_van_toepassing: \"\"\n",
     "{n}:{l2}:3: fout: OP003: 'niet_van_toepassing' is leeg; schrijf op waarom de regel "
     "niet geldt"),
    ("OP003:\n  niet_van_toepassing:\n",
     "{n}:{l2}:3: fout: OP003: 'niet_van_toepassing' is leeg; schrijf op waarom de regel "
     "niet geldt"),
    ("TR056:\n  nog_niet: \" \"\n",
     "{n}:{l2}:3: fout: TR056: 'nog_niet' is leeg; schrijf op welk issue het doet en wat"),
    ("CS025:\n  xsd: \"JW323.xsd: Bestaatniet\"\n",
     "{n}:{l2}:3: fout: CS025: het schema JW323.xsd kent geen element Bestaatniet"),
    ("TR337:\n  berichtlaag: berichten.ijw.jw325.bestaat_niet\n",
     "{n}:{l2}:3: fout: TR337: de functie bestaat_niet bestaat niet in berichten.ijw.jw325"),
    ("OP267:\n  zie: TR998\n",
     "{n}:{l}:1: fout: OP267: zie TR998, maar iJw 3.2 kent geen TR998 voor JW301, JW323 of "
     "JW325"),
    ("OP003:\n  xsd: \"JW323.xsd: Bsn\"\n  nog_niet: \"later\"\n",
     "{n}:{l2}:3: fout: OP003: geef precies één van regel, xsd, berichtlaag, zie, "
     "niet_van_toepassing, nog_niet (nu xsd en nog_niet)"),
    ("OP003:\n  waarom: \"zomaar\"\n",
     "{n}:{l2}:3: fout: OP003: onbekend veld 'waarom'; kies uit regel, xsd, berichtlaag, zie, "
     "niet_van_toepassing, nog_niet en toelichting"),
    ("CS339:\n  regel: \"regels/istandaard/tarief.regels: Bestaat niet\"\n",
     "{n}:{l2}:3: fout: CS339: regels/istandaard/tarief.regels heeft geen regel 'Bestaat niet'"),
])
def test_fout_in_dekking_yaml(tmp_path: Path, extra: str, fout: str) -> None:
    basis = (REPO / "regels" / "istandaard" / "dekking.yaml").read_text(encoding="utf-8")
    if extra.split(":", 1)[0] in {"OP003", "TR056", "CS025", "TR337", "OP267", "CS339"}:
        code = extra.split(":", 1)[0]  # replace the entry: drop the existing block
        blokken = re.split(r"(?m)^(?=\S)", basis)
        basis = "".join(b for b in blokken if not b.startswith(f"{code}:"))
    l = basis.count("\n") + 1  # noqa: E741
    bronnen = _bronnen(tmp_path, basis + extra)
    assert fout.format(n="regels/istandaard/dekking.yaml", l=l, l2=l + 1) in _fouten(bronnen)


def test_regel_zonder_plek_is_een_fout(tmp_path: Path) -> None:
    basis = (REPO / "regels" / "istandaard" / "dekking.yaml").read_text(encoding="utf-8")
    blokken = re.split(r"(?m)^(?=\S)", basis)
    zonder = "".join(b for b in blokken if not b.startswith("OP003:"))
    regel = next(r for r in lees_catalogus(Bronnen().catalogus) if r.code == "OP003")
    assert _fouten(_bronnen(tmp_path, zonder)) == [
        f"regels/istandaard/ijw-3.2-regels.csv:{regel.line}: fout: OP003 staat nergens: geen "
        "regelbestand noemt het en regels/istandaard/dekking.yaml zegt er niets over"]


def test_ongeldige_yaml_is_een_geplaatste_fout(tmp_path: Path) -> None:
    fouten = _fouten(_bronnen(tmp_path, "OP003: [\n"))
    assert fouten[0].startswith("regels/istandaard/dekking.yaml:2:1: fout: geen geldige YAML")


# ---------------------------------------------------------------- found in the message layer

WEIGERING = '''\
"""A message-level check."""


def _bsn() -> None:
    """CS002: every BSN passes the elfproef."""


def _periode() -> None:
    """CS100 and CS340 on the DeclaratiePeriode."""


def _hulp() -> None:
    """Mentions TR056 later, which does not count."""


def _rest() -> None:
    """TR135, OP286, CS325 and CS337: what the real module also carries out."""
'''


def _berichtlaag(tmp_path: Path, tekst: str) -> Path:
    laag = tmp_path / "berichten"
    shutil.copytree(REPO / "berichten", laag)
    (laag / "weigering.py").write_text(tekst, encoding="utf-8")
    return laag


def test_berichtlaag_vult_de_rij_aan_de_docstring(tmp_path: Path) -> None:
    # TR056 only in the data file: the message layer's docstring does not begin with it
    bronnen = dataclasses.replace(
        _bronnen(tmp_path, _met_extra('TR056:\n  nog_niet: "issue 13: later"\n')),
        berichtlaag=_berichtlaag(tmp_path, WEIGERING))
    rijen = {r.regel.code: r.plek for r in dekkingstabel(bronnen)}
    assert (rijen["CS002"].soort, rijen["CS002"].tekst) == (
        "berichtlaag", "berichten.weigering._bsn")
    assert rijen["CS100"].tekst == rijen["CS340"].tekst == "berichten.weigering._periode"
    assert rijen["TR056"].soort == "nog_niet"  # only a docstring that begins with the code
    assert waar(rijen["CS002"]) == ("berichtlaag `berichten.weigering._bsn`; gevonden aan de "
                                    "regelcode in de docstring")


def test_onbekende_code_in_de_berichtlaag_is_een_fout(tmp_path: Path) -> None:
    laag = _berichtlaag(tmp_path, 'def _x() -> None:\n    """CS999: bestaat niet."""\n')
    assert [f for f in _fouten(Bronnen(berichtlaag=laag)) if f.startswith("berichten/")] == [
        "berichten/weigering.py:1:1: fout: functie _x noemt CS999 in zijn docstring, maar "
        "iJw 3.2 kent geen CS999 voor JW301, JW323 of JW325"]
