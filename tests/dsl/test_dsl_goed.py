"""Good sources and what they compile to, as data: `goed/expressies.yaml` (expression ->
IR and type, or the type error), `goed/proef.yaml` (a whole region's rule book in summary),
and a few sources with their expected AST."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from dsl import nodes as n
from dsl import regio
from dsl.compiler import Compiler
from dsl.loader import laad_contract
from dsl.parser import parse
from dsl.verzameling import Verzameling
from engine import ir
from engine.ir import (  # noqa: F401 - names used by eval of the golden IR text
    Afronding,
    Aggregaat,
    Als,
    Constante,
    En,
    Functie,
    InLijst,
    Niet,
    Of,
    Opzoeking,
    Parameter,
    Rekensom,
    Type,
    Veld,
    Vergelijking,
    Verwijzing,
)
from engine.verplicht import verplichte_regels

HIER = Path(__file__).parent
GEVALLEN = yaml.safe_load((HIER / "goed" / "expressies.yaml").read_text(encoding="utf-8"))
KOP = ('artikel 1 "a"\n  lid 1.1 "b"\n    parameter uurtarief is € 76,45\n'
       "    parameter maximale afwezigheid is 14 dagen\n    parameter termijn is 3 maanden\n"
       "    parameter norm is 90 procent\n")


def _vertaal(expr: str) -> tuple[ir.Expr, str, list[str]]:
    bron = KOP + f"    waarde x is {expr}\n"
    ast, fouten = parse(bron, "t.regels")
    assert ast is not None and not fouten, fouten
    v = Verzameling("t", externe_tabellen=True)
    regio.voeg_bestand_toe(v, ast, bron, None, "standaard")
    compiler = Compiler(v)
    t = compiler.zoek("x")
    assert t is not None
    versie = compiler.berekeningen["x"].gecompileerd[0]
    return versie.expr, str(t[1]), [f.bericht for f in compiler.fouten]


@pytest.mark.parametrize("geval", GEVALLEN["goed"], ids=lambda g: g["bron"][:50])
def test_expressie_naar_ir(geval: dict[str, str]) -> None:
    expr, soort, fouten = _vertaal(geval["bron"])
    assert fouten == []
    assert soort == geval["type"]
    assert expr == eval(geval["ir"])


@pytest.mark.parametrize("geval", GEVALLEN["fout"], ids=lambda g: g["bron"][:50])
def test_typefout(geval: dict[str, str]) -> None:
    _, _, fouten = _vertaal(geval["bron"])
    assert fouten and geval["fout"] in fouten[0]


def test_geen_float_in_constanten() -> None:
    expr, _, _ = _vertaal("1,5 maal € 76,45")
    assert expr == Rekensom("*", Constante(Fraction(3, 2), Type("getal")), Constante(7645,
                                                                                     ir.GELD))


# ---------------------------------------------------------------- a whole region


def _samenvatting(boek: ir.Regelboek) -> dict[str, Any]:
    return {
        "naam": boek.naam,
        "regio": boek.regio,
        "gemeenten": list(boek.gemeenten),
        "artikelen": [f"{a.nummer} {a.herkomst}" for a in boek.artikelen],
        "regels": [f"{r.id} | {r.soort} {r.niveau} {r.retourcode} | {r.herkomst}"
                   for r in boek.regels],
        "parameters": {naam: [f"{v.waarde.waarde} {v.waarde.type} {v.herkomst} "
                              f"{v.geldig.vanaf} {v.geldig.tot}" for v in versies]
                       for naam, versies in boek.parameters.items()},
        "berekeningen": [b.naam for b in boek.berekeningen],
        "tabellen": {naam: len(t.rijen) for naam, t in boek.tabellen.items()},
        "wijzigingen": [f"{w.soort}: {w.onderwerp}: {w.omschrijving}" for w in boek.wijzigingen],
        "looptijd": f"{boek.looptijd.vanaf} {boek.looptijd.tot} "
                    f"{boek.looptijd_bron and boek.looptijd_bron.line}",
        "verplicht": [f"{r.id} | {r.retourcode} | {r.geldig.vanaf} {r.geldig.tot}"
                      for r in verplichte_regels(boek)],
    }


def test_regio_proef_volgens_golden() -> None:
    boek = laad_contract(HIER / "voorbeeld" / "contracten" / "proef", HIER / "voorbeeld" / "regels")
    verwacht = yaml.safe_load((HIER / "goed" / "proef.yaml").read_text(encoding="utf-8"))
    assert _samenvatting(boek) == verwacht


def test_regio_proef_details() -> None:
    boek = laad_contract(HIER / "voorbeeld" / "contracten" / "proef", HIER / "voorbeeld" / "regels")
    lokaal = boek.regel("60.1/Declareren binnen drie maanden")
    assert lokaal.herkomst == "lokaal"
    assert lokaal.voorwaarde == Vergelijking(
        ">", Veld("declaratiedagtekening"),
        Functie("plus_maanden", (Veld("einddatum"), Parameter("declaratietermijn"))))
    # shown: the operands of the comparison, then the names the uitleg mentions
    assert [naam for naam, _ in lokaal.waarden] == [
        "declaratiedagtekening", "de einddatum plus de declaratietermijn", "declaratietermijn",
        "einddatum"]
    vervangen = boek.regel("43.2/Vervoer alleen met toestemming")
    assert (vervangen.artikel, vervangen.lid, vervangen.herkomst) == ("43", "43.2", "regio")
    assert vervangen.bron.bestand.endswith("contract.regels")
    tarieven = boek.tabellen["tarieven"]
    assert tarieven.rijen[0][3] == 7645
    assert tarieven.geldigheid[0] == ir.Geldigheid(date(2025, 1, 1), date(2026, 1, 1))
    dekking = dict(boek.regel("iJw.iJw-9346/Bedrag is volume maal tarief").dekking)
    assert list(dekking) == ['eenheid niet gelijk aan "83"',
                             "het ingediend bedrag niet gelijk is aan het berekend bedrag"]


def test_berekeningen_in_afhankelijkheidsvolgorde() -> None:
    boek = laad_contract(HIER / "voorbeeld" / "contracten" / "proef", HIER / "voorbeeld" / "regels")
    gezien: set[str] = set()
    for b in boek.berekeningen:
        assert _verwijzingen(b.expr) <= gezien, b.naam
        gezien.add(b.naam)


def _verwijzingen(e: object) -> set[str]:
    if isinstance(e, Verwijzing):
        return {e.naam}
    if isinstance(e, tuple):
        return set().union(*(_verwijzingen(x) for x in e)) if e else set()
    velden = getattr(e, "__dataclass_fields__", None)
    if velden is None:
        return set()
    return set().union(*(_verwijzingen(getattr(e, v)) for v in velden))


# ---------------------------------------------------------------- sources and their AST

AST_GEVALLEN = [
    ('artikel 43 "Facturatie"\n  geldig vanaf 2018-01-01 tot en met 2025-12-31\n',
     n.Bestand("t", None, (n.Artikel("43", "Facturatie", False, None, None,
                                     n.Geldig(date(2018, 1, 1), date(2025, 12, 31), True),
                                     (), ()),), ())),
    ('artikel 1 "a"\n  parameter grens is € 100.000\n  parameter n is 1,5\n',
     n.Bestand("t", None, (n.Artikel("1", "a", False, None, None, None, (
         n.Parameter("grens", n.Geld(10_000_000)),
         n.Parameter("n", n.Getal(Fraction(3, 2), None))), ()),), ())),
    ('artikel 1 "a"\n  waarde w is het geleverd volume plus 2 maal 3 uur\n',
     n.Bestand("t", None, (n.Artikel("1", "a", False, None, None, None, (
         n.Waarde("w", n.Rekensom("plus", n.Naam("geleverd volume"), n.Rekensom(
             "maal", n.Getal(Fraction(2), None), n.Getal(Fraction(3), "uur")))),), ()),), ())),
    ('artikel 1 "a"\n  waarde w is a of b en niet c\n',
     n.Bestand("t", None, (n.Artikel("1", "a", False, None, None, None, (
         n.Waarde("w", n.Logisch("of", (n.Naam("a"), n.Logisch("en", (
             n.Naam("b"), n.Niet(n.Naam("c"))))))),), ()),), ())),
    ('vervalt regel "X"\n', n.Bestand("t", None, (), (n.Vervalt("X"),))),
]


@pytest.mark.parametrize(("bron", "verwacht"), AST_GEVALLEN, ids=range(len(AST_GEVALLEN)))
def test_ast(bron: str, verwacht: n.Bestand) -> None:
    ast, fouten = parse(bron, "t")
    assert fouten == []
    assert ast == verwacht


def test_posities_in_de_ast() -> None:
    ast, _ = parse('artikel 1 "a"\n  lid 1.1 "b"\n    parameter p is 3 uur\n', "t")
    assert ast is not None
    lid = ast.artikelen[0].leden[0]
    assert lid.pos == n.Pos(2, 3)
    assert lid.items[0].pos == n.Pos(3, 5)
    param = lid.items[0]
    assert isinstance(param, n.Parameter) and param.waarde.pos == n.Pos(3, 20)
