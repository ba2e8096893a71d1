"""Types for a rule book built by hand as IR (tests): the checker's rules of `dsl.typen`
applied to IR instead of rule text, written into `ir.Regelboek.typen` like the compiler does.

A rule book from rule files never needs this: `dsl.compiler` writes the types the checker
worked out while it translated. An IR combination the checker would refuse gets the type of
its left side (a test may build what no rule text can say).
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from dsl.typen import TypeFoutError, breedste, delen, optellen, vermenigvuldigen
from engine import ir
from engine.functies import FUNCTIES
from engine.periode import GROOTBOEK_TYPEN
from engine.velden import PER_KOLOM

_DAGEN = ir.Type("getal", "dag")


def getypt(regelboek: ir.Regelboek, *losse: ir.Expr) -> ir.Regelboek:
    """The rule book with the type of each of its expressions and of `losse` (expressions
    a test evaluates on their own) in `typen`."""
    typen = dict(regelboek.typen)
    typeer = _Typeerder(regelboek, typen)
    for berekening in (*regelboek.berekeningen, *regelboek.periodeberekeningen):
        typeer(berekening.expr)
    for regel in (*regelboek.regels, *regelboek.perioderegels):
        for expr in (regel.voorwaarde, regel.filter, *(e for _, e in regel.waarden),
                     *(e for _, e in regel.dekking)):
            if expr is not None:
                typeer(expr)
    for expr in losse:
        typeer(expr)
    return replace(regelboek, typen=MappingProxyType(typen))


class _Typeerder:
    def __init__(self, regelboek: ir.Regelboek, typen: dict[ir.Expr, ir.Type]) -> None:
        self.regelboek = regelboek
        self.typen = typen

    def __call__(self, expr: ir.Expr) -> ir.Type:
        if isinstance(expr, ir.Constante):
            return expr.type
        if expr not in self.typen:
            self.typen[expr] = self._type(expr)
        return self.typen[expr]

    def _type(self, expr: ir.Expr) -> ir.Type:
        match expr:
            case ir.Veld(naam=naam):
                if naam in PER_KOLOM:
                    return PER_KOLOM[naam].type
                return GROOTBOEK_TYPEN.get(naam, ir.TEKST)
            case ir.Parameter(naam=naam):
                versies = self.regelboek.parameters.get(naam, ())
                return versies[0].waarde.type if versies else ir.GETAL
            case ir.Verwijzing(naam=naam):
                types = [b.type for b in (*self.regelboek.berekeningen,
                                          *self.regelboek.periodeberekeningen) if b.naam == naam]
                return types[0] if types else ir.GETAL
            case ir.Rekensom():
                return self._rekensom(expr)
            case ir.Afronding(expr=binnen):
                return self(binnen)
            case ir.Als(voorwaarde=voorwaarde, dan=dan, anders=anders):
                self(voorwaarde)
                return breedste(self(dan), self(anders))
            case ir.Functie():
                return self._functie(expr)
            case ir.Periodetotaal():
                return self._periodetotaal(expr)
            case ir.Opzoeking():
                return self._opzoeking(expr)
            case ir.Aggregaat():
                return self._aggregaat(expr)
        for deel in _delen(expr):
            self(deel)
        return ir.WAARHEID  # a comparison, list test, en, of, niet

    def _rekensom(self, som: ir.Rekensom) -> ir.Type:
        links, rechts = self(som.links), self(som.rechts)
        if links.soort == "datum":
            return _DAGEN if rechts.soort == "datum" else ir.DATUM
        try:
            if som.op in ("+", "-"):
                return optellen(links, rechts, "", "", som.op == "-")
            if som.op == "*":
                return vermenigvuldigen(links, rechts, "", "")
            return delen(links, rechts, "", "")
        except TypeFoutError:
            return links

    def _functie(self, functie: ir.Functie) -> ir.Type:
        args = [self(a) for a in functie.args]
        definitie = FUNCTIES.get(functie.naam)
        if definitie is None:
            return ir.GETAL
        if definitie.resultaat.eenheid == "*" and args:
            return args[0]
        return definitie.resultaat

    def _opzoeking(self, opzoeking: ir.Opzoeking) -> ir.Type:
        for _, sleutel in opzoeking.sleutels:
            self(sleutel)
        self(opzoeking.peildatum)
        tabel = self.regelboek.tabellen.get(opzoeking.tabel)
        kolommen = {k.naam: k.type for k in tabel.kolommen} if tabel is not None else {}
        return kolommen.get(opzoeking.kolom, ir.GETAL)

    def _aggregaat(self, aggregaat: ir.Aggregaat | ir.Periodetotaal) -> ir.Type:
        if aggregaat.filter is not None:
            self(aggregaat.filter)
        if aggregaat.expr is None:
            return ir.GETAL
        binnen = self(aggregaat.expr)
        return ir.GETAL if aggregaat.functie == "aantal" else binnen


    def _periodetotaal(self, totaal: ir.Periodetotaal) -> ir.Type:
        return self._aggregaat(totaal)


def _delen(expr: ir.Expr) -> tuple[ir.Expr, ...]:
    match expr:
        case ir.Vergelijking(links=links, rechts=rechts):
            return (links, rechts)
        case ir.InLijst(expr=binnen, waarden=waarden):
            return (binnen, *waarden)
        case ir.En(delen=delen_) | ir.Of(delen=delen_):
            return delen_
        case ir.Niet(expr=binnen):
            return (binnen,)
    return ()
