"""Coverage of a region's suite: which rules and conditions no case exercises.

A rule is exercised when it fires in at least one case. A condition (an atom of the rule's
filter or voorwaarde, as listed in `Regel.dekking`) is exercised when the cases make it
true on some line and false on some line (for an atom of `als`: among the lines the rule
looks at). A condition on contract parameters alone cannot vary within a region; it is not
a gap. The atoms are evaluated by the real backend: each atom becomes a small signal rule
of a derived rule book that runs on the same werksets as the cases. The report for people
is written by `weergave.dekking`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from engine import ir
from toetsing.runner import GevalUitslag


@dataclass(frozen=True, slots=True)
class Atoom:
    regel: ir.Regel
    label: str
    expr: ir.Expr
    in_filter: bool


@dataclass(slots=True)
class Dekking:
    """What the cases of one region exercise, and what they leave out."""

    regelboek: ir.Regelboek
    gevuurd: set[str] = field(default_factory=set)
    waar: set[int] = field(default_factory=set)
    onwaar: set[int] = field(default_factory=set)
    atomen: list[Atoom] = field(default_factory=list)

    def stille_regels(self) -> list[ir.Regel]:
        """The rules no case makes fire, in the order of the rule book; the period rules
        (fired by a period case) after the rules per line."""
        return [r for r in (*self.regelboek.regels, *self.regelboek.perioderegels)
                if r.id not in self.gevuurd]

    def halve_atomen(self) -> list[tuple[Atoom, tuple[str, ...]]]:
        """The conditions some case leaves untried, with what they never were ('waar',
        'onwaar' or both); `weergave.dekking` writes them for people."""
        uit: list[tuple[Atoom, tuple[str, ...]]] = []
        for i, atoom in enumerate(self.atomen):
            ontbreekt = tuple(w for w, s in (("waar", self.waar), ("onwaar", self.onwaar))
                              if i not in s)
            if ontbreekt:
                uit.append((atoom, ontbreekt))
        return uit

    def volledig(self) -> bool:
        """Every rule fires in some case and every condition is both true and false."""
        return not self.stille_regels() and not self.halve_atomen()


def meet_dekking(regelboek: ir.Regelboek, uitslagen: Iterable[GevalUitslag]) -> Dekking:
    """Coverage over the results of `draai_geval(..., werksets=True)`."""
    from engine import backends

    dekking = Dekking(regelboek, atomen=list(atomen(regelboek)))
    afgeleid = _afgeleid_regelboek(regelboek, dekking.atomen)
    backend = backends.kies()
    for uitslag in uitslagen:
        dekking.gevuurd.update(_gevuurde_regels(uitslag))
        for werkset in uitslag.werksets:
            for treffer in backend.evalueer(afgeleid, werkset):
                nummer, soort = treffer.regel_id.rsplit("/", 2)[1:]
                (dekking.waar if soort == "waar" else dekking.onwaar).add(int(nummer))
    return dekking


def _gevuurde_regels(uitslag: GevalUitslag) -> Iterator[str]:
    for signaal in uitslag.periodesignalen:
        yield signaal.regel_id
    for beoordeling in uitslag.beoordelingen:
        for reden in (*beoordeling.redenen, *beoordeling.signalen):
            yield reden.regel_id
        for uitkomst in beoordeling.uitkomsten:
            for reden in (*uitkomst.redenen, *uitkomst.signalen):
                yield reden.regel_id


# ---------------------------------------------------------------- atoms


def atomen(regelboek: ir.Regelboek) -> Iterator[Atoom]:
    """Every condition atom of every rule that depends on the line (not on parameters alone)."""
    for regel in regelboek.regels:
        filter_atomen = list(_bladeren(regel.filter)) if regel.filter is not None else []
        paren = regel.dekking or tuple(
            (leesbaar(a), a) for a in [*filter_atomen, *_bladeren(regel.voorwaarde)])
        for label, expr in paren:
            if _hangt_af_van_regel(expr, regelboek):
                yield Atoom(regel, label, expr, expr in filter_atomen)


def _bladeren(expr: ir.Expr) -> Iterator[ir.Expr]:
    if isinstance(expr, ir.En | ir.Of):
        for deel in expr.delen:
            yield from _bladeren(deel)
    elif isinstance(expr, ir.Niet):
        yield from _bladeren(expr.expr)
    else:
        yield expr


def _hangt_af_van_regel(expr: object, regelboek: ir.Regelboek, diepte: int = 0) -> bool:
    """True if the expression reads a field of the line (directly or through a waarde)."""
    if isinstance(expr, ir.Veld | ir.Aggregaat | ir.Opzoeking):
        return True
    if isinstance(expr, ir.Verwijzing):
        if diepte > 50:
            return True
        return any(_hangt_af_van_regel(b.expr, regelboek, diepte + 1)
                   for b in regelboek.berekeningen if b.naam == expr.naam)
    if isinstance(expr, ir.Functie) and expr.naam in ("afwezige_dagen", "vergoede_afwezige_dagen"):
        return True
    return any(_hangt_af_van_regel(kind, regelboek, diepte) for kind in _kinderen(expr))


def _kinderen(expr: object) -> list[object]:
    if isinstance(expr, ir.Rekensom | ir.Vergelijking):
        return [expr.links, expr.rechts]
    if isinstance(expr, ir.Afronding | ir.Niet):
        return [expr.expr]
    if isinstance(expr, ir.InLijst):
        return [expr.expr, *expr.waarden]
    if isinstance(expr, ir.En | ir.Of):
        return list(expr.delen)
    if isinstance(expr, ir.Als):
        return [expr.voorwaarde, expr.dan, expr.anders]
    if isinstance(expr, ir.Functie):
        return list(expr.args)
    return []


def leesbaar(expr: object) -> str:
    """A short readable form of an atom, for rule books compiled without `dekking` labels."""
    if isinstance(expr, ir.Veld | ir.Parameter | ir.Verwijzing):
        return expr.naam.replace("_", " ")
    if isinstance(expr, ir.Constante):
        return repr(expr.waarde)
    if isinstance(expr, ir.Vergelijking | ir.Rekensom):
        return f"{leesbaar(expr.links)} {expr.op} {leesbaar(expr.rechts)}"
    if isinstance(expr, ir.Functie):
        return f"{expr.naam}({', '.join(leesbaar(a) for a in expr.args)})"
    if isinstance(expr, ir.InLijst):
        teken = "niet in" if expr.negatief else "in"
        return f"{leesbaar(expr.expr)} {teken} ({', '.join(leesbaar(w) for w in expr.waarden)})"
    return type(expr).__name__.lower()


def _afgeleid_regelboek(regelboek: ir.Regelboek, lijst: list[Atoom]) -> ir.Regelboek:
    regels = []
    for i, atoom in enumerate(lijst):
        bereik = None if atoom.in_filter else atoom.regel.filter
        for soort, voorwaarde in (("waar", atoom.expr), ("onwaar", ir.Niet(atoom.expr))):
            regels.append(replace(
                atoom.regel, id=f"dekking/{i}/{soort}", soort="signaleren", niveau="prestatie",
                retourcode=None, voorwaarde=voorwaarde, filter=bereik, waarden=(), dekking=()))
    return replace(regelboek, regels=tuple(regels), hash=f"{regelboek.hash}#dekking")
