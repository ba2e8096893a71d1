"""The loader owns the order of the phases: read files, parse, apply a region's changes to
the standard articles, read tables, check and compile (docs/taal.md §7).

`laad_contract` reads `<map>/contract.regels`, the standard files it uses and its CSV
tables; the result is cached by the content hash of every file involved, so a second call
on unchanged files only reads and hashes them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from dsl import regio
from dsl.compiler import compileer
from dsl.fouten import RegelFout, RegelFoutenError, lees_bestand, maak_fout
from dsl.lexer import LexFoutError, gedeclareerde_namen, ruwe_items
from dsl.nodes import Bestand
from dsl.parser import parse
from dsl.verzameling import Verzameling
from engine.ir import Regelboek

STANDAARD = Path(__file__).resolve().parent.parent / "regels"
"""The standard rule set of this repository."""

_BOEKEN: dict[str, Regelboek] = {}
_ASTS: dict[tuple[str, str, frozenset[str]], tuple[Bestand | None, list[RegelFout]]] = {}
MAX_BOEKEN = 64
MAX_ASTS = 4096


def _onthoud(sleutel: str, boek: Regelboek) -> Regelboek:
    """Keep a compiled book; the oldest goes when a long-running service saw many versions."""
    _BOEKEN[sleutel] = boek
    while len(_BOEKEN) > MAX_BOEKEN:
        _BOEKEN.pop(next(iter(_BOEKEN)))
    return boek


# ---------------------------------------------------------------- public surface


def laad_contract(map: Path, standaard: Path | None = None) -> Regelboek:
    """The compiled rule book of the region in `map` (raises RegelFoutenError)."""
    map = Path(map)
    standaard = Path(standaard) if standaard is not None else zoek_standaard(map)
    sleutel = _inhoud_sleutel("contract", [map, standaard])
    if sleutel in _BOEKEN:
        return _BOEKEN[sleutel]
    return _onthoud(sleutel, compileer(_contract_verzameling(map, standaard)))


def laad_standaard(standaard: Path | None = None) -> Regelboek:
    """The compiled rule book of every file under `standaard` (default: `regels/`)."""
    standaard = Path(standaard) if standaard is not None else STANDAARD
    sleutel = _inhoud_sleutel("standaard", [standaard])
    if sleutel in _BOEKEN:
        return _BOEKEN[sleutel]
    return _onthoud(sleutel, compileer(standaard_verzameling(standaard)))


def valideer_pad(pad: Path) -> list[RegelFout]:
    """Every error in a rule file or folder (recursively; a folder with contract.regels is
    checked as a region's contract, other .regels files as a standard set)."""
    pad = Path(pad)
    if not pad.exists():
        return [RegelFout(str(pad), 1, 1, "dit bestand of deze map bestaat niet")]
    if pad.is_file():
        return _valideer_bestand(pad)
    fouten: list[RegelFout] = []
    contracten = sorted(p.parent for p in pad.rglob("contract.regels"))
    for map in contracten:
        fouten.extend(_fouten_van(partial(laad_contract, map)))
    losse = [p for p in regelbestanden(pad)
             if not any(m in p.parents for m in contracten)]
    if losse:
        fouten.extend(_fouten_van(lambda: compileer(_verzameling_van(pad, losse))))
    return fouten


def valideer_paden(paden: Iterable[Path]) -> list[RegelFout]:
    """Every error in these files and folders (`regelwerk valideer`): an unreadable one is a
    located error too, and an error of a standard shows once, not once per region."""
    fouten: list[RegelFout] = []
    for pad in paden:
        try:
            fouten.extend(valideer_pad(pad))
        except OSError as e:  # unreadable file or folder: still a located error, no traceback
            fouten.append(RegelFout(str(e.filename or pad), 1, 1,
                                    f"niet te lezen ({e.strerror or type(e).__name__})"))
    return list(dict.fromkeys(fouten))


def valideer_tekst(tekst: str, bestandsnaam: str = "<invoer>",
                   standaard: Path | None = None) -> list[RegelFout]:
    """Every error in rule text (a contract's text is checked against the standard; its
    tables are not read, their columns are typed by name)."""
    standaard = Path(standaard) if standaard is not None else STANDAARD
    ast, fouten = parse(tekst, bestandsnaam, standaard_namen(standaard))
    if ast is None or fouten:
        return fouten
    if ast.contract is not None:
        return _fouten_van(lambda: compileer(_contract_uit_ast(
            ast, tekst, bestandsnaam, None, standaard)))
    v = Verzameling(naam=bestandsnaam, externe_tabellen=True)
    v.fouten.extend(regio.voeg_bestand_toe(v, ast, tekst, None, "standaard"))
    return _fouten_van(lambda: compileer(v))


def namen_voor(pad: Path) -> frozenset[str]:
    """Names declared in the rule book a file belongs to (for parsing it on its own)."""
    return standaard_namen(zoek_standaard(Path(pad).resolve().parent))


# ---------------------------------------------------------------- building blocks


def regelbestanden(map: Path) -> list[Path]:
    """Every .regels file under `map`, in name order."""
    return sorted(p for p in Path(map).rglob("*.regels") if p.is_file())


def zoek_standaard(map: Path) -> Path:
    """The `regels` folder beside or above `map` (contracten/x -> regels), else the repo's."""
    for ouder in [Path(map).resolve(), *Path(map).resolve().parents]:
        # the folder beside first: a checkout that is itself named 'regels' holds one
        kandidaat = ouder / "regels"
        if kandidaat.is_dir() and any(kandidaat.rglob("*.regels")):
            return kandidaat
        if ouder.name == "regels" and ouder.is_dir():
            return ouder
    return STANDAARD


def standaard_namen(standaard: Path) -> frozenset[str]:
    """Every parameter, waarde and local name declared in the standard's files."""
    namen: set[str] = set()
    for pad in regelbestanden(standaard):
        namen |= _namen_in(lees_bestand(pad).decode("utf-8", errors="replace"))
    return frozenset(namen)


def _namen_in(tekst: str) -> set[str]:
    try:
        return gedeclareerde_namen(list(ruwe_items(tekst)))
    except LexFoutError:
        return set()


def parse_bestand(pad: Path, namen: frozenset[str]) -> tuple[Bestand | None, list[RegelFout], str]:
    """The AST of a rule file (cached by content and names) with its errors and text."""
    inhoud = lees_bestand(pad)
    tekst = inhoud.decode("utf-8", errors="replace")
    sleutel = (str(pad), hashlib.sha256(inhoud).hexdigest(), namen)
    if sleutel not in _ASTS:
        if len(_ASTS) >= MAX_ASTS:
            _ASTS.clear()
        _ASTS[sleutel] = _geen_utf8(inhoud, tekst, str(pad)) or parse(tekst, str(pad), namen)
    ast, fouten = _ASTS[sleutel]
    return ast, list(fouten), tekst


def _geen_utf8(inhoud: bytes, tekst: str, bestand: str) -> tuple[None, list[RegelFout]] | None:
    try:
        inhoud.decode("utf-8")
    except UnicodeDecodeError as e:
        voor = inhoud[: e.start].decode("utf-8", errors="replace")
        line = voor.count("\n") + 1
        column = len(voor) - (voor.rfind("\n") + 1) + 1
        return None, [maak_fout(bestand, tekst, line, column, "dit teken is geen geldige UTF-8; "
                                "sla het bestand op als UTF-8")]
    return None


def standaard_verzameling(standaard: Path) -> Verzameling:
    """All files under `standaard` as one rule book."""
    return _verzameling_van(standaard, regelbestanden(standaard))


def _verzameling_van(basis: Path, paden: list[Path]) -> Verzameling:
    v = Verzameling(naam="standaard", externe_tabellen=True)
    namen = frozenset().union(*(_namen_in(lees_bestand(p).decode("utf-8", errors="replace"))
                                for p in paden)) if paden else frozenset()
    fouten: list[RegelFout] = []
    for pad in paden:
        ast, parse_fouten, tekst = parse_bestand(pad, namen)
        fouten.extend(parse_fouten)
        v.inhoud[str(pad)] = lees_bestand(pad)
        if ast is not None:
            v.fouten.extend(regio.voeg_bestand_toe(v, ast, tekst, pad.parent, "standaard"))
    if fouten:
        raise RegelFoutenError(fouten)  # syntax first: names of a broken file are unknown
    del basis
    return v


def _contract_verzameling(map: Path, standaard: Path) -> Verzameling:
    pad = map / "contract.regels"
    if not pad.is_file():
        raise RegelFoutenError([RegelFout(str(pad), 1, 1, "deze regio heeft geen contract.regels")])
    delen = [pad, *(p for p in regelbestanden(map) if p != pad)]
    namen = standaard_namen(standaard) | frozenset().union(
        *(_namen_in(lees_bestand(p).decode("utf-8", errors="replace")) for p in delen))
    gelezen = [parse_bestand(p, namen) for p in delen]
    fouten = [f for _, deel_fouten, _ in gelezen for f in deel_fouten]
    ast, _, tekst = gelezen[0]
    if ast is None or fouten:
        raise RegelFoutenError(fouten)
    extra = [(deel, deel_tekst) for deel, _, deel_tekst in gelezen[1:] if deel is not None]
    return _contract_uit_ast(ast, tekst, str(pad), map, standaard, extra)


def _contract_uit_ast(ast: Bestand, tekst: str, bestand: str, map: Path | None,
                      standaard: Path, extra: list[tuple[Bestand, str]] | None = None
                      ) -> Verzameling:
    namen = standaard_namen(standaard)
    bronnen: dict[str, tuple[Bestand, str, Path]] = {}
    fouten: list[RegelFout] = []
    for pad in regelbestanden(standaard):
        std_ast, std_fouten, std_tekst = parse_bestand(pad, namen)
        fouten.extend(std_fouten)
        if std_ast is not None:
            bronnen[str(pad)] = (std_ast, std_tekst, pad)
    if fouten:
        raise RegelFoutenError(fouten)
    return regio.bouw_contract(ast, tekst, bestand, map, standaard, bronnen, extra)


def _fouten_van(actie: Callable[[], object]) -> list[RegelFout]:
    try:
        actie()
    except RegelFoutenError as e:
        return e.fouten
    return []


def _valideer_bestand(pad: Path) -> list[RegelFout]:
    if pad.name == "contract.regels":
        return _fouten_van(lambda: laad_contract(pad.parent))
    if pad.suffix != ".regels":
        return [RegelFout(str(pad), 1, 1, "dit is geen regelbestand (.regels)")]
    standaard = zoek_standaard(pad.parent)
    if standaard in pad.resolve().parents:
        alle = _fouten_van(lambda: compileer(standaard_verzameling(standaard)))
        return [f for f in alle if Path(f.bestand).resolve() == pad.resolve()]
    return _fouten_van(lambda: compileer(_verzameling_van(pad.parent, [pad])))


def _inhoud_sleutel(soort: str, mappen: list[Path]) -> str:
    """sha256 over the paths and contents of every rule file and table in `mappen`."""
    h = hashlib.sha256(soort.encode())
    for map in mappen:
        h.update(str(Path(map).resolve()).encode())
        for pad in sorted(Path(map).rglob("*")):
            if pad.suffix in (".regels", ".csv") and pad.is_file():
                h.update(str(pad).encode())
                try:
                    h.update(hashlib.sha256(pad.read_bytes()).digest())
                except OSError:
                    h.update(b"onleesbaar")  # the loader reports it, located
    return h.hexdigest()
