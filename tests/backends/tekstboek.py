"""A rule book of one signalling rule compiled from its condition in rule text, for tests
that need the compiler's output (its types) rather than IR built by hand."""

from __future__ import annotations

from dsl import regio
from dsl.compiler import Compiler
from dsl.parser import parse
from dsl.verzameling import Verzameling
from engine import ir

KOP = 'artikel 1 "a"\n  lid 1.1 "b"\n'


def boek_uit_tekst(voorwaarde: str) -> ir.Regelboek:
    """The rule '1.1/r' that signals `als <voorwaarde>`, showing its operands."""
    bron = (KOP + '    regel "r"\n      signaleren\n      voor elke prestatie\n'
            f'      als {voorwaarde}\n      uitleg "x"\n')
    ast, fouten = parse(bron, "t.regels")
    assert ast is not None and not fouten, fouten
    v = Verzameling("t", externe_tabellen=True)
    regio.voeg_bestand_toe(v, ast, bron, None, "standaard")
    return Compiler(v).compileer()
