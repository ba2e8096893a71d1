"""From a `Verzameling` (the items of one rule book) to an immutable `engine.ir.Regelboek`.

The compiler runs the checks of `dsl.checks`, types every expression (`dsl.vertaler`) and
writes those types into the rule book (`ir.Regelboek.typen`, what the engine reads),
orders the computed values so each only refers to earlier ones (a cycle is an error) and
collects every error before it raises `RegelFoutenError` once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from dsl import checks, codelijst, contractcodes
from dsl import nodes as n
from dsl.formatter import expr_tekst
from dsl.fouten import RegelFout, RegelFoutenError, maak_fout
from dsl.suggesties import bedoelde_u
from dsl.typen import ONBEKEND, vergelijkbaar
from dsl.vertaler import Getypt, Vertaler
from dsl.verzameling import Geplaatst, Verzameling, geldigheid
from engine import ir
from engine.velden import PER_NAAM

RETOURCODE = re.compile(r"^[0-9A-Z]{4}$")
PLAATSHOUDER = re.compile(r"\{([^{}]+)\}")


@dataclass
class _Berekening:
    versies: list[Geplaatst]
    type: ir.Type | None = None
    gecompileerd: list[ir.Berekening] = field(default_factory=list)
    bezig: bool = False


class Compiler:
    """Compiles one `Verzameling`; also the `Omgeving` its expressions are typed against."""

    def __init__(self, verzameling: Verzameling) -> None:
        self.v = verzameling
        self.fouten: list[RegelFout] = list(verzameling.fouten)
        self.parameters: dict[str, list[Geplaatst]] = {}
        self.berekeningen: dict[str, _Berekening] = {}
        self.volgorde: list[str] = []
        self.stapel: list[str] = []
        self.typen: dict[ir.Expr, ir.Type] = {}
        """the checker's type of every expression, for `ir.Regelboek.typen`"""
        for g in verzameling.items:
            if isinstance(g.item, n.Parameter):
                self.parameters.setdefault(g.item.naam, []).append(g)
            elif isinstance(g.item, n.Waarde):
                self.berekeningen.setdefault(g.item.naam, _Berekening([])).versies.append(g)

    # -------------------------------------------------------- Omgeving

    def zoek(self, naam: str) -> Getypt | None:
        if naam in self.parameters:
            return ir.Parameter(naam), self._parameter_type(naam)
        if naam in self.berekeningen:
            return ir.Verwijzing(naam), self._berekening(naam)
        return None

    def alle_namen(self) -> list[str]:
        return [*self.parameters, *self.berekeningen]

    def tabel_kolommen(self, tabel: str) -> dict[str, ir.Type] | None:
        if tabel in self.v.tabellen:
            inhoud = self.v.tabellen[tabel]
            if inhoud is not None:
                return {k.naam: k.type for k in inhoud.kolommen}
            return checks.kolommen_volgens_naam(tabel) or checks.AlleKolommen()
        if self.v.externe_tabellen:
            return checks.kolommen_volgens_naam(tabel)
        return None

    def tabel_namen(self) -> list[str]:
        return list(self.v.tabellen)

    # -------------------------------------------------------- helpers

    def vertaler(self, bestand: str) -> Vertaler:
        return Vertaler(self, bestand, self.v.teksten.get(bestand, ""), self.fouten,
                        typen=self.typen)

    def fout(self, g: Geplaatst, bericht: str, suggestie: str | None = None,
             pos: n.Pos | None = None) -> None:
        p = pos or g.item.pos
        tekst = self.v.teksten.get(g.plaats.bestand, "")
        self.fouten.append(maak_fout(g.plaats.bestand, tekst, p.line, p.column, bericht,
                                     suggestie))

    # -------------------------------------------------------- parameters

    def _parameter_type(self, naam: str) -> ir.Type:
        return _literaal_type(self._parameter_literaal(self.parameters[naam][0]))

    def _parameter_literaal(self, g: Geplaatst) -> n.Literal_:
        assert isinstance(g.item, n.Parameter)
        return g.item.waarde

    def _parameters(self) -> dict[str, tuple[ir.ParameterWaarde, ...]]:
        uit: dict[str, tuple[ir.ParameterWaarde, ...]] = {}
        for naam, versies in self.parameters.items():
            eerste = _literaal_type(self._parameter_literaal(versies[0]))
            lijst = []
            for g in versies:
                literaal = self._parameter_literaal(g)
                t = _literaal_type(literaal)
                if not vergelijkbaar(t, eerste) or t.eenheid != eerste.eenheid:
                    self.fout(g, f"parameter '{naam}' is hier {t}, maar elders {eerste}")
                constante = self._constante(g, literaal)
                lijst.append(ir.ParameterWaarde(naam, constante, g.geldigheid, g.plaats.artikel,
                                                g.plaats.lid, g.plaats.herkomst, g.bron))
            uit[naam] = tuple(lijst)
        return uit

    def _constante(self, g: Geplaatst, literaal: n.Literal_) -> ir.Constante:
        uit, _ = self.vertaler(g.plaats.bestand).expr(literaal)
        assert isinstance(uit, ir.Constante)
        return uit

    # -------------------------------------------------------- computed values

    def _berekening(self, naam: str) -> ir.Type:
        b = self.berekeningen[naam]
        if b.type is not None:
            return b.type
        if b.bezig:
            self._cyclus(naam)
            return ONBEKEND
        b.bezig = True
        self.stapel.append(naam)
        for g in b.versies:
            self._compileer_versie(naam, b, g)
        self.stapel.pop()
        b.bezig = False
        b.type = b.type or ONBEKEND
        self.volgorde.append(naam)
        return b.type

    def _compileer_versie(self, naam: str, b: _Berekening, g: Geplaatst) -> None:
        assert isinstance(g.item, n.Waarde)
        expr, t = self.vertaler(g.plaats.bestand).expr(g.item.expr)
        if b.type is None:
            b.type = t
        elif not vergelijkbaar(t, b.type):
            self.fout(g, f"waarde '{naam}' is hier {t}, maar in een andere versie {b.type}")
        b.gecompileerd.append(ir.Berekening(naam, expr, t, g.geldigheid, g.plaats.artikel,
                                            g.plaats.lid, g.plaats.herkomst, g.bron))

    def _cyclus(self, naam: str) -> None:
        kring = [*self.stapel[self.stapel.index(naam):], naam]
        g = self.berekeningen[naam].versies[0]
        self.fout(g, "deze waarden verwijzen in een kring naar elkaar: "
                  + " -> ".join(f"'{k}'" for k in kring))

    # -------------------------------------------------------- rules

    def _regel(self, g: Geplaatst, versies: int) -> ir.Regel | None:
        r = g.item
        assert isinstance(r, n.Regel)
        vertaler = self.vertaler(g.plaats.bestand)
        self._waarbij(vertaler, r)
        filt = None if r.filter is None else vertaler.voorwaarde(r.filter, "de voorwaarde na "
                                                                 "'voor elke prestatie met'")
        voorwaarde: ir.Expr = ir.Constante(False, ir.WAARHEID)
        if r.voorwaarde is not None:
            voorwaarde = vertaler.voorwaarde(r.voorwaarde, "de voorwaarde na 'als'")
        waarden = self._toon(vertaler, r)
        dekking = self._dekking(vertaler, r)
        vertaler.lokaal.clear()
        if not self._regel_compleet(g, r, waarden):
            return None
        assert r.soort is not None
        if r.soort == "afwijzen" and g.plaats.herkomst != "standaard" and r.code:
            fout = contractcodes.fout_voor_contractregel(r.naam, r.code)
            if fout is not None:
                self.fout(g, *fout)
                return None
        geldig = g.geldigheid
        return ir.Regel(
            id=_regel_id(g, geldig if versies > 1 else None), naam=r.naam, soort=r.soort,
            niveau=r.niveau, retourcode=r.code,
            artikel=g.plaats.artikel, lid=g.plaats.lid, voorwaarde=voorwaarde, filter=filt,
            uitleg=r.uitleg or "", waarden=waarden, geldig=geldig, herkomst=g.plaats.herkomst,
            bron=g.bron, dekking=dekking, uitleg_bron=self.v.uitleg_bronnen.get(("regel", r.naam)),
        )

    def _waarbij(self, vertaler: Vertaler, r: n.Regel) -> None:
        for d in r.waarbij:
            if d.naam in PER_NAAM or d.naam in self.parameters or d.naam in self.berekeningen:
                vertaler.fout(d.pos, f"'{d.naam}' bestaat al; kies voor deze waarde een "
                              "andere naam")
            vertaler.lokaal[d.naam] = vertaler.expr(d.expr)

    def _toon(self, vertaler: Vertaler, r: n.Regel) -> tuple[tuple[str, ir.Expr], ...]:
        """The values shown with a decision: `toon`, else the operands of the comparisons;
        plus every known name the uitleg mentions as {naam}."""
        bronnen = r.toon or _operanden(r.voorwaarde)
        uit: dict[str, ir.Expr] = {}
        for e in bronnen:
            naam = e.naam if isinstance(e, n.Naam) else expr_tekst(e)
            uit.setdefault(naam, vertaler.expr(e)[0])
        for m in PLAATSHOUDER.finditer(r.uitleg or ""):
            naam = " ".join(m.group(1).split()).lower()
            if naam not in uit and self._bekend(vertaler, naam):
                uit[naam] = vertaler.naam(naam, r.pos)[0]
        return tuple(uit.items())

    def _bekend(self, vertaler: Vertaler, naam: str) -> bool:
        return (naam in vertaler.lokaal or naam in PER_NAAM or naam in self.parameters
                or naam in self.berekeningen)

    def _dekking(self, vertaler: Vertaler, r: n.Regel) -> tuple[tuple[str, ir.Expr], ...]:
        atomen = [*_atomen(r.filter), *_atomen(r.voorwaarde)]
        uit: dict[str, ir.Expr] = {}
        fouten_voor = len(self.fouten)
        for a in atomen:
            uit.setdefault(expr_tekst(a), vertaler.expr(a)[0])
        del self.fouten[fouten_voor:]  # already reported while translating the whole condition
        return tuple(uit.items())

    def _regel_compleet(self, g: Geplaatst, r: n.Regel,
                        waarden: tuple[tuple[str, ir.Expr], ...]) -> bool:
        fouten_voor = len(self.fouten)
        if r.soort is None:
            self.fout(g, f"regel '{r.naam}' zegt niet wat er gebeurt: voeg 'afwijzen met "
                      "retourcode CODE' of 'signaleren' toe")
        elif r.soort == "afwijzen" and not RETOURCODE.match(r.code or ""):
            self.fout(g, f"retourcode '{r.code}' heeft niet de vorm van een iJw-retourcode: "
                      "4 cijfers of hoofdletters, zoals 9346 of S329")
        elif r.soort == "afwijzen" and r.code and codelijst.ontbreekt_in(r.code):
            self._onbekende_retourcode(g, r.code, r.code_pos)
        if r.voorwaarde is None:
            self.fout(g, f"regel '{r.naam}' heeft geen voorwaarde: voeg 'als ...' toe")
        if r.uitleg is None:
            self.fout(g, f"regel '{r.naam}' heeft geen uitleg: voeg 'uitleg \"...\"' toe, een "
                      "zin die de aanbieder begrijpt")
        else:
            self._plaatshouders(g, r, [naam for naam, _ in waarden])
        return len(self.fouten) == fouten_voor

    def _onbekende_retourcode(self, g: Geplaatst, code: str, pos: n.Pos) -> None:
        standaarden = " en ".join(codelijst.ontbreekt_in(code))
        buren = ", ".join(codelijst.dichtstbij(code))
        self.fout(g, f"retourcode {code} staat niet in de codelijst WJ001 van {standaarden}: "
                  "een antwoordbericht met deze code zou het schema niet halen",
                  f"bestaande codes in de buurt: {buren}; kies de code die de afwijzing "
                  "beschrijft (docs/taal.md, 'retourcode')", pos if pos.line else None)

    def _plaatshouders(self, g: Geplaatst, r: n.Regel, getoond: list[str]) -> None:
        for m in PLAATSHOUDER.finditer(r.uitleg or ""):
            naam = " ".join(m.group(1).split()).lower()
            if naam not in getoond:
                namen = [*getoond, *PER_NAAM, *self.parameters, *self.berekeningen]
                suggestie = bedoelde_u(naam, namen) or (
                    f"haal {{{naam}}} uit de uitleg, of geef de regel een waarde met die naam "
                    f"('waarbij {naam} is ...' of 'toon ...')")
                self.fout(g, f"de uitleg noemt {{{naam}}}, maar dat is geen getoonde waarde, "
                          "veld, parameter of waarde", suggestie)

    # -------------------------------------------------------- the whole book

    def compileer(self) -> ir.Regelboek:
        """The Regelboek, or RegelFoutenError with every error found."""
        self.fouten.extend(checks.controleer(self.v))
        parameters = self._parameters()
        for naam in self.berekeningen:
            self._berekening(naam)
        regels = self._regels()
        if self.fouten:
            raise RegelFoutenError(self._naar_de_wijziging(self.fouten))
        berekeningen = tuple(b for naam in self.volgorde
                             for b in self.berekeningen[naam].gecompileerd)
        return ir.Regelboek(
            naam=self.v.naam, regio=self.v.regio, gemeenten=self.v.gemeenten,
            artikelen=tuple(_artikel(a.artikel, a.bestand, a.herkomst, self.v.uitleg_bronnen)
                            for a in self.v.artikelen),
            parameters=MappingProxyType(parameters),
            tabellen=MappingProxyType({k: t for k, t in self.v.tabellen.items() if t is not None}),
            berekeningen=berekeningen, regels=regels, wijzigingen=tuple(self.v.wijzigingen),
            hash=boek_hash(self.v.inhoud), bestanden=tuple(sorted(self.v.inhoud)),
            looptijd=self.v.looptijd, looptijd_bron=self.v.looptijd_bron,
            typen=MappingProxyType(self.typen),
        )

    def _naar_de_wijziging(self, fouten: list[RegelFout]) -> list[RegelFout]:
        """An error inside a standard file the region did not change, on a line using a
        parameter or waarde the region changed, is caused by that change: report it once, at
        the region's line (issue 16), naming where the standard uses it."""
        standaard = {a.bestand for a in self.v.artikelen if a.herkomst == "standaard"}
        wijzigingen = [(w, w.onderwerp.partition(" ")[2]) for w in self.v.wijzigingen
                       if w.soort in ("wijzigt", "vervangt")
                       and w.onderwerp.startswith(("parameter ", "waarde "))]
        if not standaard or not wijzigingen:
            return fouten
        uit: list[RegelFout] = []
        gemeld: set[ir.Bron] = set()
        for f in fouten:
            oorzaak = next(((w, naam) for w, naam in wijzigingen if f.bestand in standaard
                            and re.search(rf"\b{re.escape(naam)}\b", f.line_tekst.lower())),
                           None)
            if oorzaak is None:
                uit.append(f)
                continue
            w, naam = oorzaak
            if w.bron not in gemeld:
                gemeld.add(w.bron)
                uit.append(maak_fout(
                    w.bron.bestand, self.v.teksten.get(w.bron.bestand, ""), w.bron.line,
                    w.bron.column, f"deze wijziging van '{naam}' past niet bij hoe de standaard "
                    f"haar gebruikt: op {f.bestand}:{f.line}:{f.column} geeft dat '{f.bericht}'",
                    f"geef '{naam}' dezelfde soort en eenheid als in de standaard, of vervang "
                    "ook wat haar gebruikt"))
        return uit

    def _regels(self) -> tuple[ir.Regel, ...]:
        regels = [g for g in self.v.items if isinstance(g.item, n.Regel)]
        aantallen: dict[str, int] = {}
        for g in regels:
            assert isinstance(g.item, n.Regel)
            aantallen[g.item.naam] = aantallen.get(g.item.naam, 0) + 1
        uit = []
        for g in regels:
            assert isinstance(g.item, n.Regel)
            regel = self._regel(g, aantallen[g.item.naam])
            if regel is not None:
                uit.append(regel)
        return tuple(uit)


def compileer(verzameling: Verzameling) -> ir.Regelboek:
    """Compile a rule book; raises RegelFoutenError with all its errors."""
    try:
        return Compiler(verzameling).compileer()
    except RecursionError:
        bestand = next(iter(verzameling.teksten), "<invoer>")
        raise RegelFoutenError([RegelFout(bestand, 1, 1, "een uitdrukking is te lang of te "
                                          "diep genest; splits haar met 'waarde'")]) from None


def boek_hash(inhoud: dict[str, bytes]) -> str:
    """sha256 over every file's base name and content: the same files give the same hash
    wherever they are and however the path was written."""
    delen = sorted((Path(naam).name, hashlib.sha256(data).hexdigest())
                   for naam, data in inhoud.items())
    return hashlib.sha256(repr(delen).encode()).hexdigest()


def _literaal_type(e: n.Literal_) -> ir.Type:
    if isinstance(e, n.Getal):
        return ir.Type("getal", e.eenheid)
    if isinstance(e, n.Geld):
        return ir.GELD
    if isinstance(e, n.Tekst):
        return ir.TEKST
    if isinstance(e, n.Datum):
        return ir.DATUM
    return ir.WAARHEID


def _regel_id(g: Geplaatst, versie: ir.Geldigheid | None) -> str:
    artikel, lid = g.plaats.artikel, g.plaats.lid
    plek = artikel if lid is None else (lid if lid.startswith(artikel + ".") else
                                        f"{artikel}.{lid}")
    assert isinstance(g.item, n.Regel)
    uit = f"{plek}/{g.item.naam}"
    if versie is not None and versie.vanaf is not None:
        uit += f"@{versie.vanaf.isoformat()}"
    return uit


def _operanden(e: n.Expr | None) -> list[n.Expr]:
    """The non-constant operands of every comparison in a condition (the default 'toon')."""
    uit: list[n.Expr] = []
    for atoom in _atomen(e):
        if isinstance(atoom, n.Vergelijking):
            kandidaten = [atoom.links, atoom.rechts]
        elif isinstance(atoom, n.Lijsttest | n.Bekendtest):
            kandidaten = [atoom.expr]
        else:
            kandidaten = []
        uit.extend(k for k in kandidaten if not isinstance(k, n.Getal | n.Geld | n.Tekst |
                                                           n.Datum | n.Waarheid))
    return uit


def _atomen(e: n.Expr | None) -> list[n.Expr]:
    """The leaves of a condition under 'en', 'of' and 'niet'."""
    if e is None:
        return []
    if isinstance(e, n.Logisch):
        return [a for d in e.delen for a in _atomen(d)]
    if isinstance(e, n.Niet):
        return _atomen(e.expr)
    return [e]


def _artikel(a: n.Artikel, bestand: str, herkomst: ir.Herkomst,
             herschreven: Mapping[tuple[str, str], ir.Bron]) -> ir.Artikel:
    leden = tuple(ir.Lid(lid.nummer, lid.titel, lid.uitleg or "",
                         "lokaal" if lid.lokaal else herkomst,
                         ir.Bron(bestand, lid.pos.line, lid.pos.column),
                         herschreven.get(("lid", lid.nummer))) for lid in a.leden)
    return ir.Artikel(a.nummer, a.titel, a.bron, a.uitleg or "", geldigheid(a.geldig), leden,
                      herkomst, ir.Bron(bestand, a.pos.line, a.pos.column),
                      herschreven.get(("artikel", a.nummer)))
