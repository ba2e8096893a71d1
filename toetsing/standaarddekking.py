"""Coverage of the standard: where regelwerk carries out each iJw 3.2 rule (TR, OP, CS).

The flow of `regelwerk standaard dekking`: read the standard's rules that concern JW301,
JW323 and JW325 (`regels/istandaard/ijw-3.2-regels.csv`: code, messages, retourcode, subject
in our words); scan every rule file under `regels/` for the rule codes its rules cite in
`bron` (and, for a rule whose `bron` cites iJw without a rule code, a retourcode that belongs
to exactly one rule of the standard); scan the message layer (`berichten/**/*.py`) for
functions whose docstring begins with rule codes ('CS002: ...', 'CS100 and CS340 ...');
read `regels/istandaard/dekking.yaml` for the rest (XSD, message layer, another rule
of the standard, not applicable, not yet). What the rule files say goes first, then the
message layer, then the data file, so a new rule or check fills its row by itself.

The result is one `Rij` per rule of the standard, never blank; every inconsistency (a code
the standard does not have, an empty reason, an XSD element or function that does not
exist, a rule with no place at all) is a located Dutch error. `weergave.standaarddekking`
writes the table for people.
"""

from __future__ import annotations

import ast
import csv
import io
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast

import yaml

from dsl import nodes
from dsl.fouten import RegelFoutenError
from dsl.loader import parse_bestand, regelbestanden, standaard_namen

WORTEL = Path(__file__).resolve().parent.parent
"""The repository: `regels/`, `berichten/`, `docs/` live here."""

CODE = re.compile(r"\b(TR|OP|CS)(\d{3})\b")
DOCSTRING_CODES = re.compile(
    r"^((?:TR|OP|CS)\d{3})((?:\s*(?:,|and|en)\s*(?:TR|OP|CS)\d{3})*)\b")
SOORTEN = ("regel", "xsd", "berichtlaag", "zie", "niet_van_toepassing", "nog_niet")
Soort = Literal["regelbestand", "regel", "xsd", "berichtlaag", "zie", "niet_van_toepassing",
                "nog_niet"]


@dataclass(frozen=True, slots=True)
class StandaardRegel:
    """One rule of the standard, as the catalogue lists it."""

    code: str
    berichten: tuple[str, ...]
    retourcode: str | None
    elementen: str
    onderwerp: str
    line: int

    @property
    def soort(self) -> str:
        return self.code[:2]


@dataclass(frozen=True, slots=True)
class Vindplaats:
    """A rule in a rule file that carries out a rule of the standard."""

    bestand: str
    regel: str
    line: int
    column: int
    via: str
    """'regelcode' when `bron` names the code, else 'retourcode <code>'."""


@dataclass(frozen=True, slots=True)
class Plek:
    """Where regelwerk carries out one rule of the standard (or why not)."""

    soort: Soort
    tekst: str
    toelichting: str | None = None
    vindplaatsen: tuple[Vindplaats, ...] = ()
    zie: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rij:
    regel: StandaardRegel
    plek: Plek


@dataclass(frozen=True, slots=True)
class Bronnen:
    """The files the table is made from (a test points some of them elsewhere)."""

    wortel: Path = WORTEL
    regels: Path = WORTEL / "regels"
    catalogus: Path = WORTEL / "regels" / "istandaard" / "ijw-3.2-regels.csv"
    dekking: Path = WORTEL / "regels" / "istandaard" / "dekking.yaml"
    xsd: Path = WORTEL / "berichten" / "ijw" / "xsd"
    berichtlaag: Path = WORTEL / "berichten"

    def toon(self, pad: Path) -> str:
        """A path as the table and the errors show it: relative to the repository."""
        for basis in (self.wortel, self.regels.parent, self.berichtlaag.parent):
            try:
                return Path(pad).resolve().relative_to(basis.resolve()).as_posix()
            except ValueError:
                continue
        return Path(pad).as_posix()


@dataclass(slots=True)
class _Fouten:
    lijst: list[str] = field(default_factory=list)

    def voeg(self, plek: str, line: int | None, column: int | None, bericht: str) -> None:
        waar = plek if line is None else f"{plek}:{line}" + ("" if column is None else f":{column}")
        self.lijst.append(f"{waar}: fout: {bericht}")


class DekkingFoutError(Exception):
    """The table cannot be made: every reason, located, in Dutch."""

    def __init__(self, fouten: list[str]) -> None:
        self.fouten = fouten
        super().__init__("\n".join(fouten))


# ---------------------------------------------------------------- the catalogue


def lees_catalogus(pad: Path, bronnen: Bronnen | None = None) -> list[StandaardRegel]:
    """The rules of the standard from the catalogue CSV (raises DekkingFoutError)."""
    bronnen = bronnen or Bronnen()
    fouten = _Fouten()
    naam = bronnen.toon(pad)
    regels: list[StandaardRegel] = []
    gezien: set[str] = set()
    tekst = Path(pad).read_text(encoding="utf-8")
    for i, rij in enumerate(csv.DictReader(io.StringIO(tekst)), start=2):
        code = (rij.get("code") or "").strip()
        if not CODE.fullmatch(code):
            fouten.voeg(naam, i, 1, f"'{code}' is geen regelcode (TR, OP of CS met drie cijfers)")
            continue
        if code in gezien:
            fouten.voeg(naam, i, 1, f"{code} staat twee keer in de lijst")
        gezien.add(code)
        onderwerp = (rij.get("onderwerp") or "").strip()
        if not onderwerp:
            fouten.voeg(naam, i, None, f"{code}: het onderwerp is leeg")
        regels.append(StandaardRegel(
            code=code, berichten=tuple((rij.get("berichten") or "").split()),
            retourcode=(rij.get("retourcode") or "").strip() or None,
            elementen=(rij.get("elementen") or "").strip(), onderwerp=onderwerp, line=i))
    if fouten.lijst:
        raise DekkingFoutError(fouten.lijst)
    return regels


# ---------------------------------------------------------------- the rule files


def _regels_in(bestand: nodes.Bestand) -> Iterator[nodes.Regel]:
    for artikel in bestand.artikelen:
        for item in artikel.items:
            if isinstance(item, nodes.Regel):
                yield item
        for lid in artikel.leden:
            for item in lid.items:
                if isinstance(item, nodes.Regel):
                    yield item


def vind_in_regels(catalogus: list[StandaardRegel], bronnen: Bronnen
                   ) -> tuple[dict[str, list[Vindplaats]], list[str]]:
    """Per rule code: the rules in rule files that carry it out; and the errors (a cited code
    the standard does not have)."""
    codes = {r.code for r in catalogus}
    per_retourcode: dict[str, list[str]] = {}
    for r in catalogus:
        if r.retourcode:
            per_retourcode.setdefault(r.retourcode, []).append(r.code)
    fouten = _Fouten()
    gevonden: dict[str, list[Vindplaats]] = {}
    namen = standaard_namen(bronnen.regels)
    for pad in regelbestanden(bronnen.regels):
        ast_, parse_fouten, _ = parse_bestand(pad, namen)
        if parse_fouten or ast_ is None:
            raise RegelFoutenError(parse_fouten)
        for regel in _regels_in(ast_):
            bron = regel.bron or ""
            genoemd = ["".join(m) for m in CODE.findall(bron)]
            for code in genoemd:
                if code not in codes:
                    fouten.voeg(bronnen.toon(pad), regel.pos.line, regel.pos.column,
                                f"regel '{regel.naam}' noemt {code} in zijn bron, maar iJw 3.2 "
                                f"kent geen {code} voor JW301, JW323 of JW325")
                    continue
                gevonden.setdefault(code, []).append(Vindplaats(
                    bronnen.toon(pad), regel.naam, regel.pos.line, regel.pos.column, "regelcode"))
            kandidaten = per_retourcode.get(regel.code or "", [])
            if not genoemd and "ijw" in bron.lower() and len(kandidaten) == 1:
                gevonden.setdefault(kandidaten[0], []).append(Vindplaats(
                    bronnen.toon(pad), regel.naam, regel.pos.line, regel.pos.column,
                    f"retourcode {regel.code}"))
    return gevonden, fouten.lijst


# ---------------------------------------------------------------- the message layer


def vind_in_berichtlaag(catalogus: list[StandaardRegel], bronnen: Bronnen
                        ) -> tuple[dict[str, list[str]], list[str]]:
    """Per rule code: the message-layer functions (`module.functie`) whose docstring begins
    with it; and the errors (a code the standard does not have)."""
    codes = {r.code for r in catalogus}
    fouten = _Fouten()
    gevonden: dict[str, list[str]] = {}
    for pad in sorted(Path(bronnen.berichtlaag).rglob("*.py")):
        module = ".".join(pad.relative_to(bronnen.berichtlaag.parent).with_suffix("").parts)
        try:
            boom = ast.parse(pad.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue  # not ours to judge: the tests of that module say what is wrong
        for knoop in ast.walk(boom):
            if not isinstance(knoop, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            m = DOCSTRING_CODES.match(ast.get_docstring(knoop) or "")
            if m is None:
                continue
            for code in ["".join(c) for c in CODE.findall(m.group(0))]:
                if code not in codes:
                    fouten.voeg(bronnen.toon(pad), knoop.lineno, knoop.col_offset + 1,
                                f"functie {knoop.name} noemt {code} in zijn docstring, maar "
                                f"iJw 3.2 kent geen {code} voor JW301, JW323 of JW325")
                    continue
                gevonden.setdefault(code, []).append(f"{module}.{knoop.name}")
    return gevonden, fouten.lijst


# ---------------------------------------------------------------- the data file


def _tekst(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value).strip()
    return None


def lees_dekking(catalogus: list[StandaardRegel], gevonden: Collection[str],
                 bronnen: Bronnen) -> tuple[dict[str, Plek], list[str]]:
    """Per rule code: the place the data file gives; and its errors, located. `gevonden`:
    the codes found by themselves (a `zie` may point at them)."""
    naam = bronnen.toon(bronnen.dekking)
    fouten = _Fouten()
    try:
        wortel = yaml.compose(Path(bronnen.dekking).read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        fouten.voeg(naam, mark.line + 1 if mark else None, mark.column + 1 if mark else None,
                    "geen geldige YAML")
        return {}, fouten.lijst
    if wortel is None:
        return {}, []
    if not isinstance(wortel, yaml.MappingNode):
        fouten.voeg(naam, 1, 1, "verwacht per regelcode een blok (TR056: ...)")
        return {}, fouten.lijst
    codes = {r.code for r in catalogus}
    plekken: dict[str, Plek] = {}
    zie_waar: dict[str, tuple[int, int]] = {}
    for sleutel, waarde in wortel.value:
        code = _tekst(sleutel) or ""
        line, column = sleutel.start_mark.line + 1, sleutel.start_mark.column + 1
        if code not in codes:
            fouten.voeg(naam, line, column,
                        f"{code} is geen regel van iJw 3.2 voor JW301, JW323 of JW325")
            continue
        if code in plekken:
            fouten.voeg(naam, line, column, f"{code} staat twee keer in dit bestand")
            continue
        plek = _plek(code, waarde, naam, fouten, bronnen)
        if plek is not None:
            plekken[code] = plek
            if plek.soort == "zie":
                zie_waar[code] = (line, column)
    for code, (line, column) in zie_waar.items():
        for doel in plekken[code].zie:
            if doel not in codes:
                fouten.voeg(naam, line, column, f"{code}: zie {doel}, maar iJw 3.2 kent geen "
                            f"{doel} voor JW301, JW323 of JW325")
            elif doel not in gevonden and plekken.get(doel, Plek("zie", "")).soort == "zie":
                fouten.voeg(naam, line, column, f"{code}: zie {doel}, maar {doel} verwijst zelf "
                            "door of staat nergens; noem de regel die het uitvoert")
    return plekken, fouten.lijst


def _plek(code: str, waarde: yaml.Node, naam: str, fouten: _Fouten,
          bronnen: Bronnen) -> Plek | None:
    line, column = waarde.start_mark.line + 1, waarde.start_mark.column + 1
    if not isinstance(waarde, yaml.MappingNode):
        fouten.voeg(naam, line, column, f"{code}: verwacht een blok met één van "
                    f"{', '.join(SOORTEN)}")
        return None
    velden: dict[str, tuple[str | None, int, int]] = {}
    for k, v in waarde.value:
        veld = _tekst(k) or ""
        pos = (k.start_mark.line + 1, k.start_mark.column + 1)
        if veld not in (*SOORTEN, "toelichting"):
            fouten.voeg(naam, *pos, f"{code}: onbekend veld '{veld}'; kies uit "
                        f"{', '.join(SOORTEN)} en toelichting")
            return None
        velden[veld] = (_tekst(v), *pos)
    soorten = [s for s in SOORTEN if s in velden]
    if len(soorten) != 1:
        fouten.voeg(naam, line, column, f"{code}: geef precies één van {', '.join(SOORTEN)}"
                    + (f" (nu {' en '.join(soorten)})" if soorten else ""))
        return None
    soort = soorten[0]
    tekst, vl, vk = velden[soort]
    if not tekst:
        fouten.voeg(naam, vl, vk, f"{code}: '{soort}' is leeg; schrijf op "
                    + ("waarom de regel niet geldt" if soort == "niet_van_toepassing"
                       else "welk issue het doet en wat" if soort == "nog_niet"
                       else "waar de regel wordt uitgevoerd"))
        return None
    toelichting = velden.get("toelichting", (None, 0, 0))
    if "toelichting" in velden and not toelichting[0]:
        fouten.voeg(naam, toelichting[1], toelichting[2], f"{code}: de toelichting is leeg")
        return None
    fout = _controleer(soort, tekst, bronnen)
    if fout:
        fouten.voeg(naam, vl, vk, f"{code}: {fout}")
        return None
    zie = tuple(c.strip() for c in tekst.split(",")) if soort == "zie" else ()
    return Plek(cast(Soort, soort), tekst, toelichting[0], zie=zie)


def _controleer(soort: str, tekst: str, bronnen: Bronnen) -> str | None:
    """Why a place the data file names does not exist (None when it does)."""
    if soort == "xsd":
        bestand, _, element = (d.strip() for d in tekst.partition(":"))
        pad = bronnen.xsd / bestand
        if not element or not pad.is_file():
            return f"het schema '{bestand}' bestaat niet (schrijf 'JW323.xsd: Element')"
        if f'name="{element}"' not in pad.read_text(encoding="utf-8"):
            return f"het schema {bestand} kent geen element {element}"
    elif soort == "berichtlaag":
        module, _, functie = tekst.rpartition(".")
        pad = bronnen.wortel / Path(*module.split(".")).with_suffix(".py")
        if not module or not pad.is_file():
            return f"de module {module or tekst} bestaat niet"
        boom = ast.parse(pad.read_text(encoding="utf-8"))
        if not any(isinstance(n, ast.FunctionDef | ast.ClassDef) and n.name == functie
                   for n in boom.body):
            return f"de functie {functie} bestaat niet in {module}"
    elif soort == "zie":
        if not all(CODE.fullmatch(c.strip()) for c in tekst.split(",")):
            return f"'{tekst}' is geen lijst van regelcodes (TR341, TR338)"
    elif soort == "regel":
        bestand, _, regel = (d.strip() for d in tekst.partition(":"))
        pad = bronnen.regels.parent / bestand
        if not regel or not pad.is_file():
            return f"het regelbestand '{bestand}' bestaat niet (schrijf '<bestand>: <regelnaam>')"
        ast_, _, _ = parse_bestand(pad, standaard_namen(bronnen.regels))
        if ast_ is None or regel not in {r.naam for r in _regels_in(ast_)}:
            return f"{bestand} heeft geen regel '{regel}'"
    return None


# ---------------------------------------------------------------- the table


def dekkingstabel(bronnen: Bronnen | None = None) -> list[Rij]:
    """One row per rule of the standard, in the catalogue's order (raises DekkingFoutError,
    or RegelFoutenError when a rule file does not parse)."""
    bronnen = bronnen or Bronnen()
    catalogus = lees_catalogus(bronnen.catalogus, bronnen)
    gevonden, fouten = vind_in_regels(catalogus, bronnen)
    in_berichtlaag, laag_fouten = vind_in_berichtlaag(catalogus, bronnen)
    plekken, yaml_fouten = lees_dekking(catalogus, set(in_berichtlaag) | set(gevonden), bronnen)
    fouten += laag_fouten + yaml_fouten
    rijen: list[Rij] = []
    for regel in catalogus:
        if regel.code in gevonden:
            plek = Plek("regelbestand", "", vindplaatsen=tuple(gevonden[regel.code]))
        elif regel.code in in_berichtlaag:
            plek = Plek("berichtlaag", ", ".join(in_berichtlaag[regel.code]),
                        "gevonden aan de regelcode in de docstring")
        elif regel.code in plekken:
            plek = plekken[regel.code]
        else:
            fouten.append(
                f"{bronnen.toon(bronnen.catalogus)}:{regel.line}: fout: {regel.code} staat "
                f"nergens: geen regelbestand noemt het en {bronnen.toon(bronnen.dekking)} "
                "zegt er niets over")
            continue
        rijen.append(Rij(regel, plek))
    if fouten:
        raise DekkingFoutError(fouten)
    return rijen
