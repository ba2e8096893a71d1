"""Fail closed: a line is approved only when every mandatory check had a version in force
for its care date and said yes.

The backends evaluate the rules *in force* on a line's care date (the ProductPeriode's
begindatum); a rule that is not in force says nothing, and saying nothing is approving. So
a date on which a check has no version would be a date on which that check is skipped.
This module closes those dates, for every backend alike: `aangevuld` adds to a rule book the
rules that reject a line whose date is not covered, and `engine.beoordeling` hands every
backend that rule book. What is mandatory:

- **The contract's period** (`geldig vanaf ... tot ...` on the `contract` header,
  `Regelboek.looptijd`): a debit line whose care date lies outside it is rejected (0611, the
  nearest code: there is no contract tariff on that date; the JW325 list has no code of its
  own). Credits are not: they only take back earlier approved money, and the national
  credit rules (8017, 9390) check them on every date. A contract from rule files always
  has a period (`dsl.regio` refuses one without it, a located error), so no contract is in
  force on every date.
- **Every rejecting rule, from its first version to its last** (a rule *family*: the
  versions of one rule, the same artikel, lid and name): a date between two versions that
  neither covers is a gap in the law; a line on such a date is rejected with the rule's own
  code and a sentence saying no version was in force.
- **Every rejecting rule of the standard (not `lokaal`) over the whole contract period**: a
  region that uses the standard uses all of it, for all of its period.

The national iJw checks (`regels/istandaard/`) have no lower bound at all: they describe the
message, not a contract year, so they apply to every care date a 3.2 message can carry.

The same gaps are found at load time (`dsl.checks.gaten_in_versies`) and reported as located
errors, so a rule set from files never reaches the engine with a gap; the rules added here are
the engine's own guarantee for any rule book (built in code, or a future loader).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta

from engine import ir, opmaak
from engine.velden import PER_KOLOM

LOOPTIJD_CODE = "0611"
"""Retourcode for care outside the contract's period: borrowed from 0611 (the JW325 list has
no code of its own; 0611 says the line has no contractual tariff, which is what it means)."""

LOOPTIJD_REGEL = "Zorg binnen de looptijd van het contract"


def gaten(versies: Iterable[ir.Geldigheid], binnen: ir.Geldigheid | None = None
          ) -> list[ir.Geldigheid]:
    """The intervals where no version is in force: between the first version's start and the
    last version's end, and also over `binnen` (a period that must be covered whole)."""
    paren = sorted((g.vanaf or date.min, g.tot or date.max) for g in versies)
    if not paren:
        return []
    begin, eind = paren[0][0], max(tot for _, tot in paren)
    if binnen is not None:
        begin, eind = min(begin, binnen.vanaf or date.min), max(eind, binnen.tot or date.max)
    uit: list[tuple[date, date]] = []
    gedekt = begin  # covered up to here (exclusive)
    for vanaf, tot in paren:
        if vanaf > gedekt:
            uit.append((gedekt, vanaf))
        gedekt = max(gedekt, tot)
    if eind > gedekt:
        uit.append((gedekt, eind))
    return [ir.Geldigheid(None if a == date.min else a, None if b == date.max else b)
            for a, b in uit]


def familie(regel: ir.Regel) -> tuple[str, str | None, str]:
    """The versions of one rule share artikel, lid and name."""
    return regel.artikel, regel.lid, regel.naam


def aangevuld(regelboek: ir.Regelboek) -> ir.Regelboek:
    """The rule book with the rules that reject lines no mandatory check covers (the same
    object when there are none). Kept with the rule book, so a backend compiles it once."""
    return regelboek.afgeleid.geef("verplicht.aangevuld", lambda: _vul_aan(regelboek))


def _vul_aan(regelboek: ir.Regelboek) -> ir.Regelboek:
    extra = verplichte_regels(regelboek)
    uit = regelboek
    if extra:
        uit = replace(regelboek, regels=regelboek.regels + extra,
                      typen={**regelboek.typen, **_typen(extra)})
    if uit is not regelboek:
        uit.afgeleid.zet("verplicht.aangevuld", uit)  # adding twice adds nothing
    return uit


def _typen(regels: Iterable[ir.Regel]) -> dict[ir.Expr, ir.Type]:
    """The types of the added rules' expressions: only fields (typed by their definition),
    constants and conditions occur in them."""
    uit: dict[ir.Expr, ir.Type] = {}
    for regel in regels:
        for expr in (regel.voorwaarde, regel.filter, *(e for _, e in regel.waarden)):
            _typeer(expr, uit)
    return uit


def _typeer(expr: ir.Expr | None, uit: dict[ir.Expr, ir.Type]) -> None:
    match expr:
        case None | ir.Constante():
            return
        case ir.Veld(naam=naam):
            uit[expr] = PER_KOLOM[naam].type
        case ir.Vergelijking(links=links, rechts=rechts):
            uit[expr] = ir.WAARHEID
            _typeer(links, uit)
            _typeer(rechts, uit)
        case ir.Of(delen=delen):
            uit[expr] = ir.WAARHEID
            for deel in delen:
                _typeer(deel, uit)
        case ir.Niet(expr=binnen):
            uit[expr] = ir.WAARHEID
            _typeer(binnen, uit)
        case _:
            raise TypeError(f"onverwachte expressie in een verplichte regel: {expr!r}")


def verplichte_regels(regelboek: ir.Regelboek) -> tuple[ir.Regel, ...]:
    """The contract-period rule (when the book has a period) and one rule per gap of a
    rejecting rule family."""
    uit: list[ir.Regel] = []
    looptijd = regelboek.looptijd
    al_gedaan = any(r.id == f"contract/{LOOPTIJD_REGEL}" for r in regelboek.regels)
    if looptijd != ir.ALTIJD and not al_gedaan:
        uit.append(_looptijdregel(regelboek, looptijd))
    per_familie: dict[tuple[str, str | None, str], list[ir.Regel]] = {}
    for regel in regelboek.regels:
        if regel.soort == "afwijzen":
            per_familie.setdefault(familie(regel), []).append(regel)
    begrensd = looptijd != ir.ALTIJD
    for versies in per_familie.values():
        binnen = looptijd if begrensd and versies[0].herkomst != "lokaal" else None
        for gat in gaten((r.geldig for r in versies), binnen):
            uit.append(_gatregel(versies, gat))
    return tuple(uit)


def _looptijdregel(regelboek: ir.Regelboek, looptijd: ir.Geldigheid) -> ir.Regel:
    begin = ir.Veld("begindatum")
    buiten: list[ir.Expr] = []
    waarden: list[tuple[str, ir.Expr]] = [("begindatum", begin)]
    if looptijd.vanaf is not None:
        buiten.append(ir.Vergelijking("<", begin, ir.Constante(looptijd.vanaf, ir.DATUM)))
        waarden.append(("begin looptijd", ir.Constante(looptijd.vanaf, ir.DATUM)))
    if looptijd.tot is not None:
        buiten.append(ir.Vergelijking(">=", begin, ir.Constante(looptijd.tot, ir.DATUM)))
        waarden.append(("einde looptijd",
                        ir.Constante(looptijd.tot - timedelta(days=1), ir.DATUM)))
    periode = periode_zin(looptijd)
    return ir.Regel(
        id=f"contract/{LOOPTIJD_REGEL}", naam=LOOPTIJD_REGEL, soort="afwijzen",
        niveau="prestatie", retourcode=LOOPTIJD_CODE, artikel="contract", lid="looptijd",
        voorwaarde=buiten[0] if len(buiten) == 1 else ir.Of(tuple(buiten)),
        filter=ir.Niet(ir.Veld("is_credit")),
        uitleg=("De zorg begon op {begindatum}, buiten de looptijd van het contract "
                f"'{regelboek.naam}' ({periode}): op die datum is er geen contract, dus geen "
                "contracttarief, en de prestatie wordt niet goedgekeurd (retourcode 0611 is "
                "geleend: de retourcodelijst kent geen eigen code voor zorg buiten de "
                "contractperiode)."),
        waarden=tuple(waarden), geldig=ir.ALTIJD, herkomst="regio",
        bron=regelboek.looptijd_bron or ir.Bron("<contract>", 1, 1),
    )


def _gatregel(versies: Sequence[ir.Regel], gat: ir.Geldigheid) -> ir.Regel:
    eerste = versies[0]
    plek = eerste.artikel if eerste.lid is None else f"{eerste.artikel} lid {eerste.lid}"
    van = gat.vanaf.isoformat() if gat.vanaf else "altijd"
    return ir.Regel(
        id=f"{eerste.artikel}.{eerste.lid or ''}/{eerste.naam}/geen versie@{van}",
        naam=eerste.naam, soort="afwijzen", niveau="prestatie",
        retourcode=eerste.retourcode, artikel=eerste.artikel, lid=eerste.lid,
        voorwaarde=ir.Constante(True, ir.WAARHEID), filter=None,
        uitleg=(f"Op de datum van de zorg ({{begindatum}}) geldt geen versie van de regel "
                f"'{eerste.naam}' (artikel {plek}; geen versie {periode_zin(gat)}): deze "
                "verplichte controle kan niet worden gedaan, dus de prestatie wordt niet "
                "goedgekeurd (de retourcode is die van de regel zelf)."),
        waarden=(("begindatum", ir.Veld("begindatum")),), geldig=gat,
        herkomst=eerste.herkomst, bron=eerste.bron,
    )


def periode_zin(g: ir.Geldigheid) -> str:
    """A period inside the provider's explanation: 'van 1 januari 2026 tot en met 30 juni
    2026', dates in words as every sentence for a person writes them."""
    return _periode(g, opmaak.datum)


def periode_tekst(g: ir.Geldigheid) -> str:
    """A period in an error about a rule file: ISO dates, as the file writes them, so the
    writer finds them there."""
    return _periode(g, date.isoformat)


def _periode(g: ir.Geldigheid, schrijf: Callable[[date], str]) -> str:
    if g.vanaf is not None and g.tot is not None:
        return f"van {schrijf(g.vanaf)} tot en met {schrijf(g.tot - timedelta(days=1))}"
    if g.vanaf is not None:
        return f"vanaf {schrijf(g.vanaf)}"
    if g.tot is not None:
        return f"tot en met {schrijf(g.tot - timedelta(days=1))}"
    return "altijd"
