"""A region's contract as data over the standard (docs/taal.md §7).

The contract says which standard articles it uses, changes parameters (`wijzigt`), replaces
or drops rules and values (`vervangt`, `vervalt`) and adds local articles and rules
(`lokaal`). Two changes of one item collide (an error naming both places); a change of
something the standard lacks is an error with the nearest existing name as suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from dsl import nodes as n
from dsl.formatter import literaal_tekst
from dsl.fouten import RegelFout, RegelFoutenError, leesfout_reden, maak_fout
from dsl.suggesties import bedoelde_u
from dsl.tabellen import lees_tabel
from dsl.uitlegwijziging import wijzig_uitleg
from dsl.verzameling import (
    Geplaatst,
    GeplaatstArtikel,
    Verzameling,
    geldigheid,
    plaats_items,
)
from engine import ir


@dataclass
class _Context:
    v: Verzameling
    bestand: str
    tekst: str
    fouten: list[RegelFout] = field(default_factory=list)
    gewijzigd: dict[tuple[str, str], tuple[str, ir.Bron, n.Wijziging]] = field(
        default_factory=dict)

    def fout(self, pos: n.Pos, bericht: str, suggestie: str | None = None) -> None:
        self.fouten.append(maak_fout(self.bestand, self.tekst, pos.line, pos.column, bericht,
                                     suggestie))

    def bron(self, pos: n.Pos) -> ir.Bron:
        return ir.Bron(self.bestand, pos.line, pos.column)


# ---------------------------------------------------------------- adding files and articles


def voeg_bestand_toe(v: Verzameling, ast: n.Bestand, tekst: str, map: Path | None,
                     herkomst: ir.Herkomst) -> list[RegelFout]:
    """Add every artikel of a standard file; returns the errors (tables, misplaced parts)."""
    ctx = _Context(v, ast.naam, tekst)
    v.teksten[ast.naam] = tekst
    v.inhoud.setdefault(ast.naam, tekst.encode())
    if ast.contract is not None:
        ctx.fout(ast.contract.pos, "'contract' hoort alleen in contract.regels van een regio")
    for w in ast.wijzigingen:
        ctx.fout(w.pos, "wijzigingen (wijzigt, vervangt, vervalt) horen alleen in "
                 "contract.regels van een regio")
    for artikel in ast.artikelen:
        _voeg_artikel_toe(ctx, artikel, map, herkomst)
        _geen_lokaal(ctx, artikel)
    return ctx.fouten


def _voeg_artikel_toe(ctx: _Context, artikel: n.Artikel, map: Path | None,
                      herkomst: ir.Herkomst) -> None:
    ctx.v.artikelen.append(GeplaatstArtikel(artikel, ctx.bestand, herkomst))
    for g in plaats_items(artikel, ctx.bestand, herkomst):
        ctx.v.items.append(g)
        if isinstance(g.item, n.Tabel):
            _lees(ctx, g.item, map, herkomst)


def _geen_lokaal(ctx: _Context, artikel: n.Artikel) -> None:
    delen: list[tuple[bool, n.Pos]] = [(artikel.lokaal, artikel.pos)]
    for lid in artikel.leden:
        delen.append((lid.lokaal, lid.pos))
        delen.extend((i.lokaal, i.pos) for i in lid.items if isinstance(i, n.Regel))
    delen.extend((i.lokaal, i.pos) for i in artikel.items if isinstance(i, n.Regel))
    for lokaal, pos in delen:
        if lokaal:
            ctx.fout(pos, "'lokaal' hoort alleen bij een eigen regel of artikel in het "
                     "contract van een regio, niet in de standaard")


def _lees(ctx: _Context, tabel: n.Tabel, map: Path | None,
          herkomst: ir.Herkomst) -> None:
    if map is None:
        ctx.v.tabellen[tabel.naam] = None
        return
    pad = map / tabel.bestand
    if not pad.is_file():
        ctx.fout(tabel.pos, f"tabelbestand '{tabel.bestand}' bestaat niet naast dit "
                 f"regelbestand (gezocht: {pad})")
        ctx.v.tabellen.setdefault(tabel.naam, None)
        return
    try:
        inhoud = pad.read_bytes()
    except OSError as e:
        ctx.fout(tabel.pos, f"tabelbestand '{tabel.bestand}' is niet te lezen: "
                 f"{leesfout_reden(e)} ({pad})")
        ctx.v.tabellen.setdefault(tabel.naam, None)
        return
    ctx.v.inhoud[str(pad)] = inhoud
    gelezen, fouten = lees_tabel(tabel.naam, str(pad), inhoud, herkomst, ctx.bron(tabel.pos))
    ctx.fouten.extend(fouten)
    ctx.v.tabellen[tabel.naam] = gelezen
    ctx.v.tabel_bronnen[tabel.naam] = ctx.bron(tabel.pos)


# ---------------------------------------------------------------- a contract


_GEEN_LOOPTIJD = (
    "het contract '{naam}' zegt niet wanneer het geldt: zonder looptijd zou het op elke "
    "datum gelden en zou zorg van vóór of na de afgesproken periode tegen dit contract worden "
    "goedgekeurd; geef de looptijd op de kop van het contract")
"""Fail closed: a contract without a period would be in force on every date (issue 11)."""

_LOOPTIJD_VOORBEELD = (
    "voeg onder de kop toe, met de data van het contract: 'geldig vanaf 2026-01-01 tot en met "
    "2026-12-31' (of alleen 'geldig vanaf 2026-01-01' voor een contract voor onbepaalde tijd)")


def bouw_contract(ast: n.Bestand, tekst: str, bestand: str, map: Path | None,
                  standaard: Path, bronnen: dict[str, tuple[n.Bestand, str, Path]],
                  extra: list[tuple[n.Bestand, str]] | None = None) -> Verzameling:
    """The Verzameling of a region: the used standard, its changes, its local articles.
    `extra`: the region's other rule files (more changes and local articles)."""
    contract = ast.contract
    if contract is None:
        bericht = ("contract.regels begint met 'contract \"naam\"' en zegt welke artikelen "
                   "het gebruikt")
        raise RegelFoutenError([maak_fout(bestand, tekst, 1, 1, bericht)])
    v = Verzameling(naam=contract.naam, regio=contract.regio or (map.name if map else None),
                    gemeenten=contract.gemeenten)
    ctx = _Context(v, bestand, tekst)
    if contract.geldig is None:
        ctx.fout(contract.pos, _GEEN_LOOPTIJD.format(naam=contract.naam), _LOOPTIJD_VOORBEELD)
    else:
        v.looptijd = geldigheid(contract.geldig)
        v.looptijd_bron = ctx.bron(contract.geldig.pos if contract.geldig.pos.line
                                   else contract.pos)
    v.teksten[bestand] = tekst
    v.inhoud[bestand] = tekst.encode()
    _gebruik_standaard(ctx, contract, standaard, bronnen)
    for tabel in contract.tabellen:
        _lees(ctx, tabel, map, "regio")
    _regio_deel(ctx, ast, map)
    for deel, deel_tekst in extra or []:
        deel_ctx = _Context(v, deel.naam, deel_tekst, gewijzigd=ctx.gewijzigd)
        v.teksten[deel.naam] = deel_tekst
        v.inhoud[deel.naam] = deel_tekst.encode()
        if deel.contract is not None:
            deel_ctx.fout(deel.contract.pos, "een regio heeft één contract, in contract.regels")
        _regio_deel(deel_ctx, deel, map)
        v.fouten.extend(deel_ctx.fouten)
    v.fouten.extend(ctx.fouten)
    return v


def _regio_deel(ctx: _Context, ast: n.Bestand, map: Path | None) -> None:
    for w in ast.wijzigingen:
        _pas_toe(ctx, w)
    for artikel in ast.artikelen:
        _lokaal_artikel(ctx, artikel, map)


def _gebruik_standaard(ctx: _Context, contract: n.Contract, standaard: Path,
                       bronnen: dict[str, tuple[n.Bestand, str, Path]]) -> None:
    istandaard = Path(standaard) / "istandaard"
    artikelen: dict[str, tuple[n.Artikel, n.Bestand, str, Path]] = {}
    for std_ast, std_tekst, pad in bronnen.values():
        in_istandaard = istandaard in pad.parents
        if in_istandaard and contract.istandaard:
            ctx.fouten.extend(voeg_bestand_toe(ctx.v, std_ast, std_tekst, pad.parent,
                                               "standaard"))
        elif not in_istandaard:
            for artikel in std_ast.artikelen:
                artikelen[artikel.nummer] = (artikel, std_ast, std_tekst, pad)
    for nummer in contract.artikelen:
        if nummer not in artikelen:
            ctx.fout(contract.pos, f"artikel {nummer} bestaat niet in de standaard",
                     bedoelde_u(nummer, artikelen) or _bestaande_artikelen(artikelen))
            continue
        artikel, std_ast, std_tekst, pad = artikelen[nummer]
        std_ctx = _Context(ctx.v, std_ast.naam, std_tekst)
        ctx.v.teksten[std_ast.naam] = std_tekst
        ctx.v.inhoud.setdefault(std_ast.naam, std_tekst.encode())
        _voeg_artikel_toe(std_ctx, artikel, pad.parent, "standaard")
        ctx.fouten.extend(std_ctx.fouten)


def _bestaande_artikelen(artikelen: Iterable[str]) -> str | None:
    """The articles the standard does have (numbers are not spelt, so no 'bedoelde u')."""
    nummers = sorted(artikelen, key=lambda a: (len(a), a))
    if not nummers:
        return None
    return "de standaard heeft de artikelen " + ", ".join(nummers)


# ---------------------------------------------------------------- changes


def _botsing(ctx: _Context, doel: tuple[str, str], w: n.Wijziging, soort: str) -> bool:
    """Record a change of `doel`; a second change of the same item is an error."""
    eerder = ctx.gewijzigd.get(doel)
    if eerder is not None and not _verschillende_perioden(eerder[2], w):
        ctx.fout(w.pos, f"{doel[0]} '{doel[1]}' wordt al gewijzigd op "
                 f"{eerder[1]} ({eerder[0]}); twee wijzigingen van hetzelfde "
                 "onderdeel botsen")
        return True
    ctx.gewijzigd.setdefault(doel, (soort, ctx.bron(w.pos), w))
    return False


def _verschillende_perioden(a: n.Wijziging, b: n.Wijziging) -> bool:
    if not isinstance(a, n.Wijzigt) or not isinstance(b, n.Wijzigt):
        return False
    if a.geldig is None or b.geldig is None:
        return False
    return not geldigheid(a.geldig).overlapt(geldigheid(b.geldig))


def _pas_toe(ctx: _Context, w: n.Wijziging) -> None:
    if isinstance(w, n.WijzigtUitleg):
        # the text of a rule collides with another change of that rule; an article's text
        # with a second rewrite of the same text
        doel = ("regel", w.naam) if w.soort == "regel" else ("uitleg", w.naam)
        if not _botsing(ctx, doel, w, "wijzigt uitleg"):
            wijzig_uitleg(ctx.v, w, ctx.bron(w.pos), ctx.fout)
    elif isinstance(w, n.Wijzigt):
        _wijzigt(ctx, w)
    elif isinstance(w, n.Vervangt):
        _vervangt(ctx, w)
    else:
        _vervalt(ctx, w)


def _zoek(ctx: _Context, soort: type, naam: str) -> list[Geplaatst]:
    return [g for g in ctx.v.items if isinstance(g.item, soort)
            and getattr(g.item, "naam") == naam and g.plaats.herkomst == "standaard"]  # noqa: B009


def _namen(ctx: _Context, soort: type) -> list[str]:
    return [getattr(g.item, "naam") for g in ctx.v.items if isinstance(g.item, soort)]  # noqa: B009


def _wijzigt(ctx: _Context, w: n.Wijzigt) -> None:
    overal = _zoek(ctx, n.Parameter, w.naam)
    gevonden = overal
    if w.artikel is not None:
        gevonden = [g for g in overal if w.artikel in (g.plaats.artikel, g.plaats.lid)]
    eerder_gewijzigd = ("parameter", w.naam) in ctx.gewijzigd
    if not gevonden and overal and w.artikel is not None:
        _verkeerd_artikel(ctx, w, overal[0])
        return
    if not gevonden and not eerder_gewijzigd:
        waar = f" in artikel {w.artikel}" if w.artikel else ""
        anders = [naam for naam in _namen(ctx, n.Parameter) if naam != w.naam]
        ctx.fout(w.pos, f"parameter '{w.naam}' bestaat niet in de standaard{waar}",
                 bedoelde_u(w.naam, anders))
        return
    if _botsing(ctx, ("parameter", w.naam), w, "wijzigt"):
        return
    if len({(g.plaats.artikel, g.plaats.lid) for g in gevonden}) > 1:
        ctx.fout(w.pos, f"parameter '{w.naam}' staat in meer dan een artikel; zeg welk: "
                 f"'wijzigt parameter {w.naam} in artikel N: ...'")
        return
    origineel = gevonden[0] if gevonden else _zoek_regio(ctx, w.naam)
    if origineel is None:
        return
    if not _controleer_type(ctx, w, origineel):
        # keep the standard's version: with the wrong unit in place, every rule using the
        # parameter would report it again inside a standard file the region never touched
        return
    for g in gevonden:
        ctx.v.items.remove(g)
    nieuw = n.Parameter(w.naam, w.waarde, w.geldig, pos=w.pos)
    ctx.v.items.append(Geplaatst(nieuw, replace(origineel.plaats, bestand=ctx.bestand,
                                                herkomst="regio")))
    oud = origineel.item
    assert isinstance(oud, n.Parameter)
    ctx.v.wijzigingen.append(ir.Wijziging(
        "wijzigt", f"parameter {w.naam}",
        f"{literaal_tekst(w.waarde)} in plaats van {literaal_tekst(oud.waarde)}", ctx.bron(w.pos),
        _geldig(w.geldig)))


def _zoek_regio(ctx: _Context, naam: str) -> Geplaatst | None:
    for g in ctx.v.items:
        if isinstance(g.item, n.Parameter) and g.item.naam == naam:
            return g
    return None


def _verkeerd_artikel(ctx: _Context, w: n.Wijzigt, g: Geplaatst) -> None:
    """The parameter exists, but not where the change says: name where it does live."""
    plek = f"artikel {g.plaats.artikel}" + (f" lid {g.plaats.lid}" if g.plaats.lid else "")
    juist = g.plaats.lid or g.plaats.artikel
    ctx.fout(w.pos, f"parameter '{w.naam}' staat niet in artikel {w.artikel}: zij staat in "
             f"{plek} ({g.bron})",
             f"schrijf 'wijzigt parameter {w.naam} in artikel {juist}: ...'")


def _controleer_type(ctx: _Context, w: n.Wijzigt, origineel: Geplaatst) -> bool:
    """Whether the new value has the standard's kind and unit (else an error, here)."""
    oud = origineel.item
    assert isinstance(oud, n.Parameter)
    if _soort_van(oud.waarde) == _soort_van(w.waarde):
        return True
    suggestie = None
    if isinstance(oud.waarde, n.Getal) and oud.waarde.eenheid is not None:
        voorbeeld = literaal_tekst(oud.waarde)
        suggestie = (f"schrijf de waarde in dezelfde eenheid als de standaard, bijvoorbeeld "
                     f"'wijzigt parameter {w.naam}: {voorbeeld}'")
    ctx.fout(w.waarde.pos, f"de standaard geeft '{w.naam}' als {literaal_tekst(oud.waarde)}; "
             f"{literaal_tekst(w.waarde)} past daar niet bij (andere soort of eenheid)",
             suggestie)
    return False


def _soort_van(e: n.Literal_) -> tuple[str, str | None]:
    if isinstance(e, n.Getal):
        return "getal", e.eenheid
    return type(e).__name__, None


def _vervangt(ctx: _Context, w: n.Vervangt) -> None:
    soort = n.Regel if w.soort == "regel" else n.Waarde
    gevonden = _zoek(ctx, soort, w.naam)
    if (w.soort, w.naam) in ctx.gewijzigd:
        _botsing(ctx, (w.soort, w.naam), w, "vervangt")
        return
    if not gevonden:
        ctx.fout(w.pos, f"{w.soort} '{w.naam}' bestaat niet in de standaard",
                 bedoelde_u(w.naam, _namen(ctx, soort)))
        return
    if _botsing(ctx, (w.soort, w.naam), w, "vervangt"):
        return
    for g in gevonden:
        ctx.v.items.remove(g)
    plaats = replace(gevonden[0].plaats, bestand=ctx.bestand, herkomst="regio")
    ctx.v.items.append(Geplaatst(w.nieuw, plaats))
    nieuw_naam = w.nieuw.naam
    ctx.v.wijzigingen.append(ir.Wijziging(
        "vervangt", f"{w.soort} {w.naam}", f"vervangen door {w.soort} '{nieuw_naam}'",
        ctx.bron(w.pos), _geldig(getattr(w.nieuw, "geldig", None))))


def _vervalt(ctx: _Context, w: n.Vervalt) -> None:
    gevonden = _zoek(ctx, n.Regel, w.naam)
    if ("regel", w.naam) in ctx.gewijzigd:
        _botsing(ctx, ("regel", w.naam), w, "vervalt")
        return
    if not gevonden:
        ctx.fout(w.pos, f"regel '{w.naam}' bestaat niet in de standaard",
                 bedoelde_u(w.naam, _namen(ctx, n.Regel)))
        return
    if _botsing(ctx, ("regel", w.naam), w, "vervalt"):
        return
    for g in gevonden:
        ctx.v.items.remove(g)
    ctx.v.wijzigingen.append(ir.Wijziging("vervalt", f"regel {w.naam}",
                                          "geldt niet in deze regio", ctx.bron(w.pos)))


# ---------------------------------------------------------------- local articles


def _lokaal_artikel(ctx: _Context, artikel: n.Artikel, map: Path | None) -> None:
    bestaand = {a.artikel.nummer for a in ctx.v.artikelen}
    if artikel.nummer in bestaand:
        ctx.fout(artikel.pos, f"artikel {artikel.nummer} bestaat al in de standaard; verander "
                 "het met 'wijzigt', 'vervangt' of 'vervalt', of geef het eigen artikel een "
                 "ander nummer")
        return
    if not artikel.lokaal:
        ctx.fout(artikel.pos, f"artikel {artikel.nummer} is een eigen artikel van de regio: "
                 "markeer het met 'lokaal' achter de titel")
    for lid in artikel.leden:
        for item in lid.items:
            _lokale_regel(ctx, item)
    for item in artikel.items:
        _lokale_regel(ctx, item)
    _voeg_artikel_toe(ctx, artikel, map, "lokaal")
    ctx.v.wijzigingen.append(ir.Wijziging("voegt_toe", f"artikel {artikel.nummer}",
                                          f"eigen artikel '{artikel.titel}'",
                                          ctx.bron(artikel.pos), _geldig(artikel.geldig)))


def _geldig(geldig: n.Geldig | None) -> ir.Geldigheid:
    return ir.ALTIJD if geldig is None else geldigheid(geldig)


def _lokale_regel(ctx: _Context, item: n.Item) -> None:
    if isinstance(item, n.Regel) and not item.lokaal:
        ctx.fout(item.pos, f"regel '{item.naam}' is een eigen regel van de regio: markeer "
                 "haar met 'lokaal' achter de naam")



