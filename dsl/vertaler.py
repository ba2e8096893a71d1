"""Expressions from AST to IR, typed and unit-checked on the way (docs/taal.md §5 and §6).

`Vertaler.expr` returns the IR expression with its type, and writes the type down in
`typen` (the compiler hands that table to the rule book as `ir.Regelboek.typen`, which the
engine reads instead of working types out again). Every error (unknown name, unit
mismatch, wrong argument) is recorded with its position and the translation goes on with
an `ONBEKEND` type, so one run finds all errors of a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol, cast

from dsl import nodes as n
from dsl.formatter import expr_tekst
from dsl.fouten import RegelFout, maak_fout
from dsl.suggesties import bedoelde_u
from dsl.typen import (
    ONBEKEND,
    TypeFoutError,
    beschrijf,
    breedste,
    delen,
    is_onbekend,
    numeriek,
    optellen,
    past_op,
    vergelijkbaar,
    vermenigvuldigen,
)
from engine import ir, periode
from engine.functies import FUNCTIES
from engine.velden import GROEPEN, PER_KOLOM, PER_NAAM

Getypt = tuple[ir.Expr, ir.Type]


class Omgeving(Protocol):
    """What the translator needs to know about the rule book."""

    def zoek(self, naam: str) -> Getypt | None:
        """A parameter or computed value by name (fields are resolved by the translator)."""

    def alle_namen(self) -> list[str]:
        """Every name a rule may use, for suggestions."""

    def tabel_kolommen(self, tabel: str) -> dict[str, ir.Type] | None:
        """The columns of a table, or None when there is no such table."""

    def tabel_namen(self) -> list[str]:
        """Every table name, for suggestions."""

    def sporen(self, naam: str) -> frozenset[str]:
        """What a computed value reads: 'veld' (a line's field outside a period total),
        'totaal' (a period total); empty for a parameter."""


@dataclass
class Vertaler:
    """Translates the expressions of one file against an `Omgeving`."""

    omgeving: Omgeving
    bestand: str
    tekst: str
    fouten: list[RegelFout] = field(default_factory=list)
    lokaal: dict[str, Getypt] = field(default_factory=dict)
    typen: dict[ir.Expr, ir.Type] = field(default_factory=dict)
    """The type of every expression translated (`ir.Regelboek.typen`)."""
    modus: str = "vrij"
    """'prestatie' (a rule per line), 'periode' (a period rule) or 'vrij' (a waarde: its
    `sporen` say which rules may use it)."""
    sporen: set[str] = field(default_factory=set)
    """'veld' when a line's field was read outside a period total, 'totaal' when a period
    total was used."""
    in_totaal: bool = False

    def fout(self, pos: n.Pos, bericht: str, suggestie: str | None = None) -> None:
        self.fouten.append(maak_fout(self.bestand, self.tekst, pos.line, pos.column, bericht,
                                     suggestie))

    # -------------------------------------------------------- entry points

    def voorwaarde(self, expr: n.Expr, wat: str) -> ir.Expr:
        """A condition: must be waar/onwaar."""
        uit, t = self.expr(expr)
        if t.soort != "waarheid" and not is_onbekend(t):
            self.fout(expr.pos, f"{wat} moet waar of onwaar zijn, maar dit is een waarde "
                      f"({beschrijf(t)}): vergelijk het met iets, zoals 'groter is dan'")
        return uit

    def expr(self, expr: n.Expr) -> Getypt:
        """The IR of `expr` with its type."""
        methode: Callable[[n.Expr], Getypt] = getattr(self, "_" + type(expr).__name__.lower())
        uit, t = methode(expr)
        return self.getypt(uit, t), t

    def getypt(self, expr: ir.Expr, t: ir.Type) -> ir.Expr:
        """`expr`, its type written down for the rule book (the engine reads it there)."""
        if not isinstance(expr, ir.Constante):
            self.typen.setdefault(expr, t)
        return expr

    # -------------------------------------------------------- literals and names

    def _getal(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Getal)
        return ir.Constante(_exact(e.waarde), ir.Type("getal", e.eenheid)), ir.Type("getal",
                                                                                     e.eenheid)

    def _geld(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Geld)
        return ir.Constante(e.centen, ir.GELD), ir.GELD

    def _tekst(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Tekst)
        return ir.Constante(e.waarde, ir.TEKST), ir.TEKST

    def _datum(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Datum)
        return ir.Constante(e.waarde, ir.DATUM), ir.DATUM

    def _waarheid(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Waarheid)
        return ir.Constante(e.waarde, ir.WAARHEID), ir.WAARHEID

    def _naam(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Naam)
        return self.naam(e.naam, e.pos)

    def naam(self, naam: str, pos: n.Pos) -> Getypt:
        """A name: local value, field, parameter or computed value."""
        if naam in self.lokaal:
            return self.lokaal[naam]
        if self.in_totaal and naam in periode.GROOTBOEK_NAMEN:
            kolom, t = periode.GROOTBOEK_NAMEN[naam]
            return self.getypt(ir.Veld(kolom), t), t
        if naam in periode.PERIODE_NAMEN and not self.in_totaal:
            self._spoor_van(naam, frozenset({"totaal"}), pos)
            return self.getypt(ir.Veld(periode.PERIODE_NAMEN[naam]), ir.DATUM), ir.DATUM
        veld = PER_NAAM.get(naam)
        if veld is not None:
            self._veld(naam, veld.kolom, pos)
            return self.getypt(ir.Veld(veld.kolom), veld.type), veld.type
        gevonden = self.omgeving.zoek(naam)
        if gevonden is not None:
            if isinstance(gevonden[0], ir.Verwijzing):
                self._spoor_van(naam, self.omgeving.sporen(naam), pos)
            return self.getypt(*gevonden), gevonden[1]
        namen = [*self.lokaal, *PER_NAAM, *self.omgeving.alle_namen()]
        suggestie = bedoelde_u(naam, namen)
        if naam[:1].isdigit():
            suggestie = f"een code zet u tussen aanhalingstekens: \"{naam.upper()}\""
        self.fout(pos, f"onbekende naam '{naam}'", suggestie)
        return ir.Constante(None, ONBEKEND), ONBEKEND

    def _veld(self, naam: str, kolom: str, pos: n.Pos) -> None:
        """A line's field: in a period total it must be in the ledger; outside one it is
        a value of one line, which a period rule does not have."""
        if self.in_totaal:
            if kolom not in periode.GROOTBOEK_KOLOMMEN:
                self.fout(pos, f"'{naam}' staat niet in het grootboek; een totaal in de "
                          "periode kan alleen gaan over: "
                          + ", ".join(sorted(periode.GROOTBOEK_NAMEN)))
            return
        self._spoor_van(naam, frozenset({"veld"}), pos)

    def _spoor_van(self, naam: str, sporen: frozenset[str], pos: n.Pos) -> None:
        if "veld" in sporen and not self.in_totaal and self.modus == "periode":
            self.fout(pos, f"'{naam}' is een gegeven van één prestatie, maar deze regel loopt "
                      "per periode over het grootboek",
                      f"zet het in een totaal, zoals 'de som van {naam} over de prestaties in "
                      "de periode'")
        if "totaal" in sporen and self.modus == "prestatie":
            self.fout(pos, f"'{naam}' is een totaal over een periode van het grootboek; een "
                      "regel per prestatie kan het niet gebruiken",
                      "geef de regel 'per aanbieder per kwartaal' of 'per aanbieder per jaar'")
        if "totaal" in sporen and self.in_totaal:
            self.fout(pos, f"'{naam}' is al een totaal over de periode; een totaal in een "
                      "totaal kan niet")
        if not self.in_totaal:
            self.sporen.update(sporen)

    # -------------------------------------------------------- arithmetic

    def _rekensom(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Rekensom)
        links, lt = self.expr(e.links)
        rechts, rt = self.expr(e.rechts)
        if e.op in ("plus", "min") and lt.soort == "datum":
            return self._datum_plus(e, links, rechts, rt)
        wat_l, wat_r = _wat(e.links), _wat(e.rechts)
        try:
            if e.op in ("plus", "min"):
                t = optellen(lt, rt, wat_l, wat_r, e.op == "min")
                return ir.Rekensom("+" if e.op == "plus" else "-", links, rechts), t
            if e.op == "maal":
                t = vermenigvuldigen(lt, rt, wat_l, wat_r)
                return ir.Rekensom("*", links, rechts), t
            t = delen(lt, rt, wat_l, wat_r)
            links, rechts = self._gelijke_eenheid(links, lt, rechts, rt)
            return ir.Rekensom("/", links, self._procent(rechts, rt)), t
        except TypeFoutError as fout:
            self.fout(e.pos, str(fout))
            return ir.Constante(None, ONBEKEND), ONBEKEND

    def _datum_plus(self, e: n.Rekensom, datum: ir.Expr, duur: ir.Expr, t: ir.Type) -> Getypt:
        if is_onbekend(t):
            return datum, ir.DATUM
        if t.soort != "getal" or t.eenheid not in ("dag", "week", "maand"):
            self.fout(e.rechts.pos, f"bij een datum kunt u alleen dagen, weken of maanden "
                      f"optellen, geen {beschrijf(t)}; voor het verschil tussen twee datums: "
                      "'het aantal dagen van A tot en met B'")
            return datum, ir.DATUM
        if t.eenheid == "week":
            duur = self.getypt(ir.Rekensom("*", duur, ir.Constante(7, ir.GETAL)), t)
        if e.op == "min":
            duur = self.getypt(ir.Rekensom("-", ir.Constante(0, ir.GETAL), duur), t)
        functie = "plus_maanden" if t.eenheid == "maand" else "plus_dagen"
        return ir.Functie(functie, (datum, duur)), ir.DATUM

    def _afronding(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Afronding)
        binnen, t = self.expr(e.expr)
        if not numeriek(t) and not is_onbekend(t):
            self.fout(e.pos, f"alleen getallen en bedragen worden afgerond, geen {beschrijf(t)}")
            return binnen, t
        stap = self._stap(e, t)
        return ir.Afronding(binnen, _modus(e.modus), stap), t

    def _stap(self, e: n.Afronding, t: ir.Type) -> Fraction:
        if e.stap_eenheid is None:
            return Fraction(1)
        grootte = e.stap if e.stap is not None else Fraction(1)
        if t.soort == "geld":
            per = {"euro": 100, "cent": 1}.get(e.stap_eenheid)
            if per is None:
                self.fout(e.pos, f"een bedrag rondt u af op euro's of centen, niet op "
                          f"{e.stap_eenheid}")
                return Fraction(1)
            return grootte * per
        omrekening = _omrekening(e.stap_eenheid, t.eenheid)
        if omrekening is None:
            self.fout(e.pos, f"afronden op {e.stap_eenheid} past niet bij {beschrijf(t)}")
            return Fraction(1)
        return grootte * omrekening

    # -------------------------------------------------------- conditions

    def _vergelijking(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Vergelijking)
        links, lt = self.expr(e.links)
        rechts, rt = self.expr(e.rechts)
        if not vergelijkbaar(lt, rt):
            self.fout(e.pos, f"u vergelijkt {beschrijf(lt)} ({_wat(e.links)}) met "
                      f"{beschrijf(rt)} ({_wat(e.rechts)})")
        elif e.op not in ("==", "!=") and lt.soort in ("tekst", "waarheid"):
            self.fout(e.pos, f"{beschrijf(lt)} kunnen alleen gelijk of ongelijk zijn, "
                      "niet groter of kleiner")
        return ir.Vergelijking(_teken(e.op), links, rechts), ir.WAARHEID

    def _lijsttest(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Lijsttest)
        binnen, t = self.expr(e.expr)
        waarden: list[ir.Expr] = []
        for w in e.waarden:
            uit, wt = self.expr(w)
            if not vergelijkbaar(t, wt):
                self.fout(w.pos, f"de lijst bevat {beschrijf(wt)}, maar {_wat(e.expr)} is "
                          f"{beschrijf(t)}")
            waarden.append(uit)
        return ir.InLijst(binnen, tuple(waarden), e.negatief), ir.WAARHEID

    def _bekendtest(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Bekendtest)
        binnen, _ = self.expr(e.expr)
        test = self.getypt(ir.Functie("bekend", (binnen,)), ir.WAARHEID)
        return (ir.Niet(test) if e.negatief else test), ir.WAARHEID

    def _bestaat(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Bestaat)
        veld = self.getypt(ir.Veld("toewijzing_bekend"), PER_KOLOM["toewijzing_bekend"].type)
        return (ir.Niet(veld) if e.negatief else veld), ir.WAARHEID

    def _logisch(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Logisch)
        delen_ = tuple(self.voorwaarde(d, f"elk deel van '{e.op}'") for d in e.delen)
        uit: ir.Expr = ir.En(delen_) if e.op == "en" else ir.Of(delen_)
        return uit, ir.WAARHEID

    def _niet(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Niet)
        return ir.Niet(self.voorwaarde(e.expr, "wat na 'niet' komt")), ir.WAARHEID

    def _indien(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Indien)
        voorwaarde = self.voorwaarde(e.voorwaarde, "de voorwaarde na 'indien'")
        dan, dt = self.expr(e.dan)
        anders, at = self.expr(e.anders)
        if not vergelijkbaar(dt, at):
            self.fout(e.pos, f"de twee uitkomsten van 'indien' passen niet bij elkaar: "
                      f"{beschrijf(dt)} ({_wat(e.dan)}) en {beschrijf(at)} ({_wat(e.anders)})")
        return ir.Als(voorwaarde, dan, anders), breedste(dt, at)

    # -------------------------------------------------------- functions, tables, aggregates

    def _aanroep(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Aanroep)
        definitie = FUNCTIES.get(e.functie)
        if self.in_totaal:
            return self._grootboekfunctie(e)
        args = [self.expr(a) for a in e.args]
        if definitie is None:
            self.fout(e.pos, f"onbekende functie '{e.functie}'",
                      bedoelde_u(e.functie, FUNCTIES))
            return ir.Constante(None, ONBEKEND), ONBEKEND
        for (_, t), gevraagd, arg in zip(args, definitie.args, e.args, strict=False):
            if not past_op(t, gevraagd):
                self.fout(arg.pos, f"'{_wat(arg)}' is {beschrijf(t)}, maar hier hoort "
                          f"{_enkelvoud(gevraagd)}")
        resultaat = definitie.resultaat
        if resultaat.eenheid == "*":
            resultaat = args[0][1]
        return ir.Functie(e.functie, tuple(a for a, _ in args)), resultaat

    def _grootboekfunctie(self, e: n.Aanroep) -> Getypt:
        """In a period total only the ledger's day counts of a stay line: the days of the
        product period and the absent days in it (stored per row)."""
        kolom = periode.GROOTBOEK_FUNCTIES.get(e.functie)
        if kolom is None:
            self.fout(e.pos, f"'{e.functie}' kan niet over het grootboek; in een totaal in de "
                      "periode kunnen alleen 'het aantal dagen in de productperiode' en 'het "
                      "aantal afwezige dagen in de productperiode'")
            return ir.Constante(None, ONBEKEND), ONBEKEND
        t = FUNCTIES[e.functie].resultaat
        return self.getypt(ir.Veld(kolom), t), t

    def _opzoeking(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Opzoeking)
        kolommen = self.omgeving.tabel_kolommen(e.tabel)
        if kolommen is None:
            suggestie = bedoelde_u(e.tabel, self.omgeving.tabel_namen())
            if e.tabel == "tarieven":
                suggestie = ("de regio levert deze tabel: zet 'tabel tarieven uit "
                             "\"tarieven.csv\"' in contract.regels")
            self.fout(e.pos, f"onbekende tabel '{e.tabel}'", suggestie)
            return ir.Constante(None, ONBEKEND), ONBEKEND
        sleutels = tuple(self._sleutel(e, naam, waarde, kolommen) for naam, waarde in e.sleutels)
        peildatum = self.getypt(ir.Veld("begindatum"), PER_KOLOM["begindatum"].type)
        if e.op is not None:
            peildatum, t = self.expr(e.op)
            if t.soort != "datum" and not is_onbekend(t):
                self.fout(e.op.pos, f"na 'op' hoort een datum, geen {beschrijf(t)}")
        t_kolom = self._kolom(e, e.kolom, kolommen)
        return ir.Opzoeking(e.tabel, e.kolom, sleutels, peildatum), t_kolom

    def _kolom(self, e: n.Opzoeking, kolom: str, kolommen: dict[str, ir.Type]) -> ir.Type:
        sleutel = kolom.replace(" ", "_")
        if sleutel not in kolommen:
            self.fout(e.pos, f"tabel '{e.tabel}' heeft geen kolom '{kolom}'",
                      bedoelde_u(sleutel, kolommen))
            return ONBEKEND
        return kolommen[sleutel]

    def _sleutel(
        self, e: n.Opzoeking, naam: str, waarde: n.Expr | None, kolommen: dict[str, ir.Type]
    ) -> tuple[str, ir.Expr]:
        t_kolom = self._kolom(e, naam, kolommen)
        if waarde is None:
            uit, t = self.naam(naam, e.pos)
        else:
            uit, t = self.expr(waarde)
        if not vergelijkbaar(t, t_kolom):
            self.fout(e.pos, f"kolom '{naam}' bevat {beschrijf(t_kolom)}, maar de gezochte "
                      f"waarde is {beschrijf(t)}")
        return naam.replace(" ", "_"), uit

    def _aggregaat(self, e: n.Expr) -> Getypt:
        assert isinstance(e, n.Aggregaat)
        if e.periode == "periode" or e.functie == "clienten":
            return self._periodetotaal(e)
        if self.in_totaal or self.modus == "periode":
            self.fout(e.pos, "een regel per periode telt over het grootboek, niet over de "
                      "prestaties van één bericht", "schrijf 'in de periode' achter 'over de "
                      "prestaties'")
        binnen, t = self._binnen(e)
        groep: list[str] = []
        for g in e.groepen:
            groep.extend(k for k in GROEPEN[g] if k not in groep)
        filt = None
        if e.filter is not None:
            filt = self.voorwaarde(e.filter, "de voorwaarde na 'waarvoor'")
        periode: ir.Periode = _periode(e.periode)
        uit = ir.Aggregaat(_aggregatie(e.functie), binnen, tuple(groep), periode, filt)
        return uit, t

    def _binnen(self, e: n.Aggregaat) -> tuple[ir.Expr | None, ir.Type]:
        """What an aggregate sums (None for a count) and its type: a number or money."""
        if e.expr is None:
            return None, ir.GETAL
        binnen, t = self.expr(e.expr)
        if not numeriek(t) and not is_onbekend(t):
            self.fout(e.expr.pos, f"de {e.functie} gaat over getallen of bedragen, niet "
                      f"over {beschrijf(t)}")
        return binnen, t

    def _periodetotaal(self, e: n.Aggregaat) -> Getypt:
        if e.periode != "periode":
            self.fout(e.pos, "het aantal verschillende cliënten telt over het grootboek",
                      "schrijf 'in de periode' erachter")
        if e.groepen:
            self.fout(e.pos, "een totaal in de periode telt over de groep van de regel ('per "
                      "aanbieder per kwartaal ...'), niet 'van dezelfde ...'")
        if self.modus == "prestatie":
            self.fout(e.pos, "een totaal 'in de periode' telt over het grootboek; een regel "
                      "per prestatie kan het niet gebruiken", "geef de regel 'per aanbieder per "
                      "kwartaal' of 'per aanbieder per jaar', of tel over de prestaties van het "
                      "bericht ('van dezelfde aanbieder in hetzelfde kwartaal')")
        elif self.in_totaal:
            self.fout(e.pos, "een totaal in een totaal kan niet")
        else:
            self.sporen.add("totaal")
        buiten, self.in_totaal = self.in_totaal, True
        binnen, t = self._binnen(e)
        filt = None if e.filter is None else self.voorwaarde(e.filter, "de voorwaarde na "
                                                             "'waarvoor'")
        self.in_totaal = buiten
        functie = cast(ir.Periodefunctie, e.functie)
        return ir.Periodetotaal(functie, binnen, filt), t

    # Units stay as written in the IR: the engine converts where uur meets minuut and scales a
    # procent factor in a product (by the types of Regelboek.typen, shared by all backends).
    # Only a division is converted here, because the engine divides the numbers as they come.
    def _procent(self, expr: ir.Expr, t: ir.Type) -> ir.Expr:
        if t.soort == "getal" and t.eenheid == "procent":
            return self.getypt(ir.Rekensom("/", expr, ir.Constante(100, ir.GETAL)), t)
        return expr

    def _gelijke_eenheid(self, a: ir.Expr, at: ir.Type, b: ir.Expr, bt: ir.Type
                         ) -> tuple[ir.Expr, ir.Expr]:
        """Hours next to minutes: convert the hours to minutes so both sides are comparable
        (the product keeps the type 'uur' the checker gives uur maal getal)."""
        if {at.eenheid, bt.eenheid} == {"uur", "minuut"}:
            zestig = ir.Constante(60, ir.GETAL)
            if at.eenheid == "uur":
                return self.getypt(ir.Rekensom("*", a, zestig), at), b
            return a, self.getypt(ir.Rekensom("*", b, zestig), bt)
        return a, b


# ---------------------------------------------------------------- helpers


def _exact(waarde: Fraction) -> int | Fraction:
    return int(waarde) if waarde.denominator == 1 else waarde


def _wat(e: n.Expr) -> str:
    """How the expression was written, for messages."""
    return expr_tekst(e)


def _enkelvoud(t: ir.Type) -> str:
    if t.soort == "getal" and t.eenheid and t.eenheid != "*":
        return f"een aantal {beschrijf(t)}"
    return {"datum": "een datum", "tekst": "een tekst", "geld": "een bedrag",
            "waarheid": "waar of onwaar"}.get(t.soort, "een getal")


def _omrekening(stap_eenheid: str, eenheid: str | None) -> Fraction | None:
    if stap_eenheid == eenheid or eenheid in (None, "prestatie"):
        return Fraction(1)
    if (stap_eenheid, eenheid) == ("uur", "minuut"):
        return Fraction(60)
    if (stap_eenheid, eenheid) == ("minuut", "uur"):
        return Fraction(1, 60)
    return None


def _modus(modus: str) -> ir.Afrondingsmodus:
    if modus == "naar_boven":
        return "naar_boven"
    if modus == "naar_beneden":
        return "naar_beneden"
    return "rekenkundig"


_TEKENS: dict[str, ir.Vergelijkingsteken] = {
    "<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "==", "!=": "!="}


def _teken(op: str) -> ir.Vergelijkingsteken:
    return _TEKENS[op]


_PERIODEN: dict[str, ir.Periode] = {
    "maand": "maand", "isoweek": "isoweek", "kwartaal": "kwartaal", "jaar": "jaar"}


def _periode(periode: str | None) -> ir.Periode:
    return _PERIODEN.get(periode or "", "geheel")


_AGGREGATIES: dict[str, ir.Aggregatiefunctie] = {
    "som": "som", "aantal": "aantal", "gemiddelde": "gemiddelde", "maximum": "maximum",
    "minimum": "minimum"}


def _aggregatie(functie: str) -> ir.Aggregatiefunctie:
    return _AGGREGATIES[functie]
