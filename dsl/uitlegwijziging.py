"""`wijzigt uitleg`: a region rewrites the text of a standard artikel, lid or rule (issue 16,
"Regions change text too"), so the rendering never contradicts a parameter it changed (43.4
"twee weken" above a 10-day limit).

The new text replaces the old one in the gathered rule book; the place of the change is kept
(`Verzameling.uitleg_bronnen`) so the page says "gewijzigd door de regio" and where. Every
error is located at the region's line: an artikel or lid that does not exist (naming the
leden the artikel does have), a rule that does not exist (with "bedoelde u"), a {name} in a
rule's new uitleg that the rule does not show.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from dsl import nodes as n
from dsl.formatter import expr_tekst
from dsl.suggesties import bedoelde_u
from dsl.verzameling import Geplaatst, Verzameling
from engine import ir
from engine.velden import PER_NAAM

Fout = Callable[[n.Pos, str, str | None], None]

_PLAATSHOUDER = re.compile(r"\{([^{}]+)\}")


def wijzig_uitleg(v: Verzameling, w: n.WijzigtUitleg, bron: ir.Bron, fout: Fout) -> None:
    """Apply `w` to `v`, or report why not (at the region's line)."""
    if w.soort == "regel":
        _regel(v, w, bron, fout)
    else:
        _artikel_of_lid(v, w, bron, fout)


def _vastleggen(v: Verzameling, sleutel: tuple[str, str], w: n.WijzigtUitleg,
                bron: ir.Bron, onderwerp: str) -> None:
    v.uitleg_bronnen[sleutel] = bron
    kort = w.tekst if len(w.tekst) <= 60 else w.tekst[:57].rstrip() + "..."
    v.wijzigingen.append(ir.Wijziging("wijzigt", onderwerp, f"nieuwe tekst: \"{kort}\"", bron))


def _artikel_of_lid(v: Verzameling, w: n.WijzigtUitleg, bron: ir.Bron, fout: Fout) -> None:
    standaard = [(i, g) for i, g in enumerate(v.artikelen) if g.herkomst == "standaard"]
    for i, g in standaard:
        if g.artikel.nummer == w.naam:
            v.artikelen[i] = replace(g, artikel=replace(g.artikel, uitleg=w.tekst))
            _vastleggen(v, ("artikel", w.naam), w, bron, f"uitleg van artikel {w.naam}")
            return
        leden = g.artikel.leden
        for j, lid in enumerate(leden):
            if lid.nummer == w.naam:
                nieuw = (*leden[:j], replace(lid, uitleg=w.tekst), *leden[j + 1:])
                v.artikelen[i] = replace(g, artikel=replace(g.artikel, leden=nieuw))
                _vastleggen(v, ("lid", w.naam), w, bron, f"uitleg van lid {w.naam}")
                return
    artikel = next((g.artikel for _, g in standaard
                    if w.naam.startswith(g.artikel.nummer + ".")), None)
    if artikel is not None:
        nummers = [lid.nummer for lid in artikel.leden]
        fout(w.pos, f"artikel {artikel.nummer} heeft geen lid {w.naam}; zijn leden zijn "
             f"{', '.join(nummers)}",
             f"schrijf 'wijzigt uitleg in artikel {bedoelde_u_nummer(w.naam, nummers)}: ...'")
        return
    nummers = [g.artikel.nummer for _, g in standaard]
    fout(w.pos, f"artikel {w.naam} staat niet in de standaard die dit contract gebruikt "
         f"(de artikelen zijn {', '.join(nummers)})",
         f"gebruikt het contract artikel {w.naam}, zet het dan bij 'gebruikt artikelen'; een "
         "eigen artikel van de regio krijgt zijn tekst in zijn eigen 'uitleg'")


def bedoelde_u_nummer(nummer: str, nummers: list[str]) -> str:
    """The lid number nearest to the one typed (43.5 -> 43.4): numbers are typed, not
    spelt, so the nearest is by value, not by letters."""
    def afstand(kandidaat: str) -> float:
        try:
            return abs(float(kandidaat.rpartition(".")[2]) - float(nummer.rpartition(".")[2]))
        except ValueError:
            return float("inf")

    return min(nummers, key=afstand) if nummers else nummer


def _regel(v: Verzameling, w: n.WijzigtUitleg, bron: ir.Bron, fout: Fout) -> None:
    gevonden = [(i, g) for i, g in enumerate(v.items) if isinstance(g.item, n.Regel)
                and g.item.naam == w.naam and g.plaats.herkomst == "standaard"]
    if not gevonden:
        namen = [g.item.naam for g in v.items if isinstance(g.item, n.Regel)]
        fout(w.pos, f"regel '{w.naam}' bestaat niet in de standaard", bedoelde_u(w.naam, namen))
        return
    regel = gevonden[0][1].item
    assert isinstance(regel, n.Regel)
    if not _plaatshouders_goed(v, regel, w, fout):
        return
    for i, g in gevonden:
        assert isinstance(g.item, n.Regel)
        v.items[i] = Geplaatst(replace(g.item, uitleg=w.tekst),
                               replace(g.plaats, herkomst="regio"))
    _vastleggen(v, ("regel", w.naam), w, bron, f"uitleg van regel {w.naam}")


def _plaatshouders_goed(v: Verzameling, regel: n.Regel, w: n.WijzigtUitleg,
                        fout: Fout) -> bool:
    """Every {name} of the new text is one the rule can show: one its old text named, one it
    shows, a field, a parameter or a value (else one error here, not in the standard)."""
    bekend = {_naam(m) for m in _PLAATSHOUDER.findall(regel.uitleg or "")}
    bekend |= {e.naam if isinstance(e, n.Naam) else expr_tekst(e) for e in regel.toon}
    bekend |= {d.naam for d in regel.waarbij} | set(PER_NAAM)
    bekend |= {g.item.naam for g in v.items if isinstance(g.item, n.Parameter | n.Waarde)}
    for m in _PLAATSHOUDER.findall(w.tekst):
        if _naam(m) not in bekend:
            fout(w.pos, f"de nieuwe uitleg noemt {{{m}}}, maar regel '{w.naam}' toont dat "
                 "niet en het is geen veld, parameter of waarde",
                 bedoelde_u(_naam(m), sorted(bekend)))
            return False
    return True


def _naam(plaatshouder: str) -> str:
    return " ".join(plaatshouder.split()).lower()
