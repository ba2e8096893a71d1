"""What the loader hands the compiler: every item of a rule book with its place and origin.

The loader decides *which* items are in (standard articles, a region's changes and local
rules); the checks and the compiler only look at the result, so regions stay data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from dsl import nodes as n
from dsl.fouten import RegelFout
from engine import ir


@dataclass(frozen=True, slots=True)
class Plaats:
    """Where an item sits: its file, artikel and lid, the validity it inherits, its origin."""

    bestand: str
    artikel: str
    lid: str | None
    geldig: n.Geldig | None
    herkomst: ir.Herkomst


@dataclass(frozen=True, slots=True)
class Geplaatst:
    item: n.Item
    plaats: Plaats

    @property
    def bron(self) -> ir.Bron:
        return ir.Bron(self.plaats.bestand, self.item.pos.line, self.item.pos.column)

    @property
    def geldigheid(self) -> ir.Geldigheid:
        return geldigheid(self.item.geldig if not isinstance(self.item, n.Tabel) else None,
                          self.plaats.geldig)


@dataclass(frozen=True, slots=True)
class GeplaatstArtikel:
    artikel: n.Artikel
    bestand: str
    herkomst: ir.Herkomst


@dataclass
class Verzameling:
    """A rule book before compilation."""

    naam: str
    regio: str | None = None
    gemeenten: tuple[str, ...] = ()
    artikelen: list[GeplaatstArtikel] = field(default_factory=list)
    items: list[Geplaatst] = field(default_factory=list)
    tabellen: dict[str, ir.Tabel | None] = field(default_factory=dict)
    """Declared tables; None: declared but not read (checking text without its folder)."""
    tabel_bronnen: dict[str, ir.Bron] = field(default_factory=dict)
    wijzigingen: list[ir.Wijziging] = field(default_factory=list)
    uitleg_bronnen: dict[tuple[str, str], ir.Bron] = field(default_factory=dict)
    """Texts the region rewrote (`wijzigt uitleg`), by ("artikel"|"lid"|"regel", number or
    name): where it did, for the rendering's 'gewijzigd door de regio'."""
    teksten: dict[str, str] = field(default_factory=dict)
    """The text of every rule file, by name (for error lines)."""
    inhoud: dict[str, bytes] = field(default_factory=dict)
    """The bytes of every file it is compiled from (rule files and tables), for the hash."""
    fouten: list[RegelFout] = field(default_factory=list)
    """Errors found while gathering (tables, region changes); the compiler adds its own
    and reports them all at once."""
    externe_tabellen: bool = False
    """The standard on its own: tables a region supplies (tarieven) may be missing."""
    looptijd: ir.Geldigheid = ir.ALTIJD
    """The contract's period (its header's `geldig`); ALTIJD for the standard alone."""
    looptijd_bron: ir.Bron | None = None


def geldigheid(eigen: n.Geldig | None, geerfd: n.Geldig | None = None) -> ir.Geldigheid:
    """Half-open validity of an item: its own, else the inherited one, else always."""
    g = eigen or geerfd
    if g is None:
        return ir.ALTIJD
    tot = g.tot + timedelta(days=1) if g.tot is not None and g.tot_en_met else g.tot
    return ir.Geldigheid(g.vanaf, tot)


def plaats_items(artikel: n.Artikel, bestand: str, herkomst: ir.Herkomst) -> list[Geplaatst]:
    """Every item of an artikel with its place (leden inherit the artikel's validity)."""
    uit = [Geplaatst(i, Plaats(bestand, artikel.nummer, None, artikel.geldig, herkomst))
           for i in artikel.items]
    for lid in artikel.leden:
        geldig = lid.geldig or artikel.geldig
        uit.extend(Geplaatst(i, Plaats(bestand, artikel.nummer, lid.nummer, geldig, herkomst))
                   for i in lid.items)
    return uit
