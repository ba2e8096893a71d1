"""Checks over a whole rule book that no single expression can see: versions of one
parameter, waarde or regel whose validity overlaps or leaves a gap, standard rules that do
not cover the contract's period, names used twice, names that hide a field. Every check
returns its errors; none stops at the first."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from dsl import nodes as n
from dsl.fouten import RegelFout, maak_fout
from dsl.verzameling import Geplaatst, Verzameling
from engine import ir
from engine.velden import PER_NAAM
from engine.verplicht import gaten, periode_tekst

Check = Callable[[Verzameling], list[RegelFout]]


def _fout(v: Verzameling, g: Geplaatst, bericht: str) -> RegelFout:
    tekst = v.teksten.get(g.plaats.bestand, "")
    return maak_fout(g.plaats.bestand, tekst, g.item.pos.line, g.item.pos.column, bericht)


def _soort(item: n.Item) -> str:
    return {n.Parameter: "parameter", n.Waarde: "waarde", n.Regel: "regel"}.get(
        type(item), "tabel")


def _per_naam(items: Iterable[Geplaatst], soort: type) -> dict[str, list[Geplaatst]]:
    uit: dict[str, list[Geplaatst]] = {}
    for g in items:
        if isinstance(g.item, soort):
            uit.setdefault(getattr(g.item, "naam"), []).append(g)  # noqa: B009
    return uit


def overlappende_versies(v: Verzameling) -> list[RegelFout]:
    """Two versions of one parameter, waarde or regel whose validity overlaps."""
    fouten: list[RegelFout] = []
    for soort in (n.Parameter, n.Waarde, n.Regel):
        for naam, versies in _per_naam(v.items, soort).items():
            for i, later in enumerate(versies):
                for eerder in versies[:i]:
                    if later.geldigheid.overlapt(eerder.geldigheid):
                        fouten.append(_fout(v, later, _overlap_bericht(later, eerder, naam)))
                        break
    return fouten


def gaten_in_versies(v: Verzameling) -> list[RegelFout]:
    """Fail closed (engine.verplicht): a date between two versions of one parameter, waarde
    or regel that neither covers is a gap in the law, reported at the version after it."""
    fouten: list[RegelFout] = []
    for soort in (n.Parameter, n.Waarde, n.Regel):
        for sleutel, versies in _families(v.items, soort).items():
            for gat in gaten(g.geldigheid for g in versies):
                na = next(g for g in versies if g.geldigheid.vanaf == gat.tot)
                voor = [g for g in versies if g.geldigheid.tot == gat.vanaf]
                fouten.append(_fout(v, na, _gat_bericht(na, sleutel[-1], gat, voor)))
    return fouten


def _families(items: Iterable[Geplaatst], soort: type) -> dict[tuple[str, ...], list[Geplaatst]]:
    """The versions per item: a rule by artikel, lid and name, the others by name."""
    uit: dict[tuple[str, ...], list[Geplaatst]] = {}
    for g in items:
        if isinstance(g.item, soort):
            naam: str = getattr(g.item, "naam")  # noqa: B009
            sleutel = ((g.plaats.artikel, g.plaats.lid or "", naam) if soort is n.Regel
                       else (naam,))
            uit.setdefault(sleutel, []).append(g)
    return uit


def _gat_bericht(na: Geplaatst, naam: str, gat: ir.Geldigheid, voor: list[Geplaatst]) -> str:
    soort = _soort(na.item)
    wat = f"{soort} '{naam}'" if soort != "regel" else f"regel \"{naam}\""
    eerder = f" (de vorige versie staat op {voor[0].bron})" if voor else ""
    gevolg = ("een verplichte controle zou dan niet gelden en prestaties van die datums zouden "
              "ongetoetst worden goedgekeurd" if soort == "regel" else
              "regels die haar gebruiken zouden dan een lege waarde zien")
    return (f"{wat} heeft geen versie {periode_tekst(gat)}{eerder}: {gevolg}; laat de "
            "versies op elkaar aansluiten")


def standaard_over_looptijd(v: Verzameling) -> list[RegelFout]:
    """Every rejecting rule, parameter and waarde of the standard the contract uses (also as
    the region changed it; not `lokaal`) is in force on every date of the contract's period;
    reported at the contract's `geldig`. A parameter the region changes only from a later
    date would otherwise be empty before it, and a rule comparing with it would not fire."""
    if v.looptijd == ir.ALTIJD or v.looptijd_bron is None:
        return []
    fouten: list[RegelFout] = []
    bron = v.looptijd_bron
    tekst = v.teksten.get(bron.bestand, "")
    for soort in (n.Parameter, n.Waarde, n.Regel):
        for sleutel, versies in _families(v.items, soort).items():
            if versies[0].plaats.herkomst == "lokaal" or (
                    soort is n.Regel and not _afwijzend(versies[0])):
                continue
            eigen = gaten(g.geldigheid for g in versies)
            for gat in gaten((g.geldigheid for g in versies), v.looptijd):
                if gat in eigen:
                    continue  # reported at the version after it
                fouten.append(maak_fout(bron.bestand, tekst, bron.line, bron.column,
                                        _looptijd_bericht(versies[0], sleutel[-1], gat)))
    return fouten


def _looptijd_bericht(g: Geplaatst, naam: str, gat: ir.Geldigheid) -> str:
    soort = _soort(g.item)
    wat = f"{soort} '{naam}'" if soort != "regel" else f"regel \"{naam}\""
    return (f"{wat} ({g.bron}) geldt niet {periode_tekst(gat)}, binnen de looptijd van het "
            "contract: het contract gebruikt de standaard voor zijn hele looptijd, en "
            "prestaties van die datums zouden niet volledig getoetst worden; pas de looptijd "
            "of de geldigheid aan")


def _afwijzend(g: Geplaatst) -> bool:
    return isinstance(g.item, n.Regel) and g.item.soort == "afwijzen"


def _overlap_bericht(later: Geplaatst, eerder: Geplaatst, naam: str) -> str:
    soort = _soort(later.item)
    wat = f"{soort} '{naam}'" if soort != "regel" else f"regel \"{naam}\""
    return (f"{wat} bestaat ook op {eerder.bron} en beide versies gelden tegelijk "
            f"({_periode(later.geldigheid)} en {_periode(eerder.geldigheid)}); geef ze "
            "geldigheden die elkaar niet overlappen")


def _periode(g: ir.Geldigheid) -> str:
    vanaf = g.vanaf.isoformat() if g.vanaf else "altijd"
    return f"vanaf {vanaf}" + (f" tot {g.tot.isoformat()}" if g.tot else "")


def dubbele_namen(v: Verzameling) -> list[RegelFout]:
    """A parameter and a waarde with one name, or either with the name of a field."""
    fouten: list[RegelFout] = []
    parameters = _per_naam(v.items, n.Parameter)
    for naam, versies in _per_naam(v.items, n.Waarde).items():
        if naam in parameters:
            fouten.append(_fout(v, versies[0], f"'{naam}' is al een parameter op "
                                f"{parameters[naam][0].bron}; kies een andere naam"))
    for soort in (n.Parameter, n.Waarde):
        for naam, versies in _per_naam(v.items, soort).items():
            if naam in PER_NAAM:
                fouten.append(_fout(v, versies[0], f"'{naam}' is de naam van een veld van de "
                                    "prestatie; kies een andere naam"))
    return fouten


def dubbele_tabellen(v: Verzameling) -> list[RegelFout]:
    """A table declared twice."""
    fouten: list[RegelFout] = []
    for naam, versies in _per_naam(v.items, n.Tabel).items():
        for g in versies[1:]:
            fouten.append(_fout(v, g, f"tabel '{naam}' is al gedeclareerd op {versies[0].bron}"))
    return fouten


def dubbele_artikelen(v: Verzameling) -> list[RegelFout]:
    """An artikel number used twice, or a lid number twice within one artikel."""
    fouten: list[RegelFout] = []
    gezien: dict[str, str] = {}
    for a in v.artikelen:
        plek = f"{a.bestand}:{a.artikel.pos.line}:{a.artikel.pos.column}"
        tekst = v.teksten.get(a.bestand, "")
        if a.artikel.nummer in gezien:
            fouten.append(maak_fout(a.bestand, tekst, a.artikel.pos.line, a.artikel.pos.column,
                                    f"artikel {a.artikel.nummer} bestaat ook op "
                                    f"{gezien[a.artikel.nummer]}; geef het een ander nummer"))
        gezien.setdefault(a.artikel.nummer, plek)
        leden: dict[str, n.Pos] = {}
        for lid in a.artikel.leden:
            if lid.nummer in leden:
                eerder = leden[lid.nummer]
                fouten.append(maak_fout(a.bestand, tekst, lid.pos.line, lid.pos.column,
                                        f"lid {lid.nummer} staat al in dit artikel op "
                                        f"{a.bestand}:{eerder.line}:{eerder.column}; geef het "
                                        "een ander nummer"))
            leden.setdefault(lid.nummer, lid.pos)
    return fouten


def leden_bij_hun_artikel(v: Verzameling) -> list[RegelFout]:
    """A lid numbered `A.B` belongs to artikel A: `lid 63.1` inside `artikel 62` would reach
    the provider's explanation as "artikel 62 lid 63.1" (issue 16). Leden without a dot
    (`lid "iJw-9346"`) are names, not numbers, and are free."""
    fouten: list[RegelFout] = []
    for a in v.artikelen:
        tekst = v.teksten.get(a.bestand, "")
        for lid in a.artikel.leden:
            artikel, punt, rest = lid.nummer.rpartition(".")
            if punt and artikel != a.artikel.nummer:
                fouten.append(maak_fout(
                    a.bestand, tekst, lid.pos.line, lid.pos.column,
                    f"lid {lid.nummer} hoort niet bij artikel {a.artikel.nummer}: het nummer "
                    "van een lid begint met het nummer van zijn artikel",
                    f"schrijf 'lid {a.artikel.nummer}.{rest}', of zet het lid onder "
                    f"'artikel {artikel}'"))
    return fouten


CHECKS: tuple[Check, ...] = (overlappende_versies, gaten_in_versies, standaard_over_looptijd,
                             dubbele_namen, dubbele_tabellen, dubbele_artikelen,
                             leden_bij_hun_artikel)
"""The rule-book checks, in order (a pipeline of small functions)."""


def controleer(v: Verzameling) -> list[RegelFout]:
    """Every error of every check."""
    return [fout for check in CHECKS for fout in check(v)]


def kolomtype(kolom: str) -> ir.Type:
    """The type of a table column by its name (docs/taal.md §3)."""
    if kolom in ("tarief", "bedrag") or kolom.endswith("_bedrag"):
        return ir.GELD
    if kolom in ("geldig_vanaf", "geldig_tot") or kolom.endswith("datum"):
        return ir.DATUM
    if kolom in ("volume", "aantal", "inwoners", "aandeel"):  # aandeel, inwoners: issue 15
        return ir.GETAL
    return ir.TEKST


TARIEF_KOLOMMEN = ("productcategorie", "productcode", "eenheid", "tarief", "geldig_vanaf",
                   "geldig_tot", "soort", "omschrijving")


def kolommen_volgens_naam(tabel: str) -> dict[str, ir.Type] | None:
    """The columns of a table a region supplies, when only its name is known."""
    if tabel == "tarieven":
        return {k: kolomtype(k) for k in TARIEF_KOLOMMEN}
    return None


class AlleKolommen(dict[str, ir.Type]):
    """The columns of a declared table whose file was not read (checking text alone):
    every column exists, typed by its name."""

    def __contains__(self, kolom: object) -> bool:
        return isinstance(kolom, str)

    def __missing__(self, kolom: str) -> ir.Type:
        return kolomtype(kolom)
