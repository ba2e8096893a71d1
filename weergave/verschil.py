"""`regelwerk verschil`: what a region does differently from the standard, and when (issue 16,
point 8 and "Reading and comparing").

Per region: every change of the contract (a parameter, a replaced or dropped rule, an own
article) with the period it holds in, and the region's tariff table as its versions: a row
added, a row that ends, a tariff changed on a date. A period (`op` one day, or `van`..`tot`)
keeps only what starts or ends in it ("what changes on 1 July?"). Several regions side by side:
the changed parameters' values and the tariffs on one date, a column per region.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from dsl.tabellen import sleutelkolommen
from engine import ir, opmaak
from engine.waarden import toon_waarde
from weergave.document import SOORTEN, plek, relatief

_GELDIG_KOLOMMEN = ("geldig_vanaf", "geldig_tot")


@dataclass(frozen=True, slots=True)
class Periode:
    """The days asked about, both ends included; None: no bound."""

    van: date | None = None
    tot: date | None = None

    def bevat(self, dag: date) -> bool:
        return (self.van is None or dag >= self.van) and (self.tot is None or dag <= self.tot)

    @property
    def begrensd(self) -> bool:
        return self.van is not None or self.tot is not None

    def tekst(self) -> str:
        if self.van is not None and self.van == self.tot:
            return f"op {opmaak.datum(self.van)}"
        van = f"van {opmaak.datum(self.van)}" if self.van else ""
        tot = f"tot en met {opmaak.datum(self.tot)}" if self.tot else ""
        return " ".join(d for d in (van, tot) if d)


@dataclass(frozen=True, slots=True)
class Contractwijziging:
    """One change of the contract relative to the standard, with when it holds."""

    soort: str
    onderwerp: str
    omschrijving: str
    geldig: str
    bron: str
    data: tuple[date, ...]
    """The days it starts and (the day after it) ends: what `--op` asks about."""

    @property
    def label(self) -> str:
        return SOORTEN.get(self.soort, self.soort)


@dataclass(frozen=True, slots=True)
class Tariefwijziging:
    """A row of a region's table that starts, ends or changes on `datum`."""

    datum: date
    soort: str  # toegevoegd, vervallen, gewijzigd
    tabel: str
    onderwerp: str
    omschrijving: str


@dataclass(slots=True)
class Regioverschil:
    map: str
    naam: str
    wijzigingen: list[Contractwijziging]
    tarieven: list[Tariefwijziging]
    tabellen: list[str] = field(default_factory=list)


def regioverschil(map_: str, regelboek: ir.Regelboek, periode: Periode) -> Regioverschil:
    """The region's changes and tariff versions, those in `periode` when it is bounded."""
    wijzigingen = [_contractwijziging(regelboek, w) for w in regelboek.wijzigingen]
    tarieven = [t for tabel in _eigen_tabellen(regelboek) for t in tariefwijzigingen(tabel)]
    if periode.begrensd:
        wijzigingen = [w for w in wijzigingen if any(periode.bevat(d) for d in w.data)]
        tarieven = [t for t in tarieven if periode.bevat(t.datum)]
    tabellen = [f"tabel {t.naam} ({relatief(t.bestand)}): {len(t.rijen)} rijen"
                for t in _eigen_tabellen(regelboek)]
    return Regioverschil(map_, regelboek.naam, wijzigingen,
                         sorted(tarieven, key=lambda t: (t.datum, t.tabel, t.onderwerp)),
                         tabellen)


def _eigen_tabellen(regelboek: ir.Regelboek) -> list[ir.Tabel]:
    return [t for t in regelboek.tabellen.values()
            if t.herkomst != "standaard" and t.geldigheid]


def _contractwijziging(regelboek: ir.Regelboek, w: ir.Wijziging) -> Contractwijziging:
    geldig = _binnen(w.geldig, regelboek.looptijd)
    data = tuple(d for d in (geldig.vanaf, geldig.tot) if d is not None)
    return Contractwijziging(w.soort, w.onderwerp, w.omschrijving, geldigheid_tekst(geldig),
                             plek(w.bron), data)


def _binnen(geldig: ir.Geldigheid, looptijd: ir.Geldigheid) -> ir.Geldigheid:
    """A change holds within the contract's period only."""
    vanaf = max((d for d in (geldig.vanaf, looptijd.vanaf) if d), default=None)
    tot = min((d for d in (geldig.tot, looptijd.tot) if d), default=None)
    return ir.Geldigheid(vanaf, tot)


def geldigheid_tekst(geldig: ir.Geldigheid) -> str:
    """'van 1 januari 2025 tot en met 31 december 2026', 'vanaf 1 juli 2026, geen einddatum'."""
    tot = opmaak.datum(geldig.tot - timedelta(days=1)) if geldig.tot else None
    if geldig.vanaf is None:
        return f"tot en met {tot}" if tot else "altijd"
    vanaf = opmaak.datum(geldig.vanaf)
    return f"van {vanaf} tot en met {tot}" if tot else f"vanaf {vanaf}, {opmaak.GEEN_EINDDATUM}"


# ---------------------------------------------------------------- tariffs


def tariefwijzigingen(tabel: ir.Tabel) -> list[Tariefwijziging]:
    """Every version step of every row of `tabel`: added (no version before it that ends the
    day it starts), changed (the version before ends that day), ended (no version follows)."""
    namen = [k.naam for k in tabel.kolommen]
    sleutels = sleutelkolommen(namen)
    per_rij: dict[tuple[ir.Waarde, ...], list[tuple[ir.Geldigheid, tuple[ir.Waarde, ...]]]] = {}
    for rij, geldig in zip(tabel.rijen, tabel.geldigheid, strict=True):
        per_rij.setdefault(tuple(rij[i] for i in sleutels), []).append((geldig, rij))
    uit: list[Tariefwijziging] = []
    for versies in per_rij.values():
        versies.sort(key=lambda v: v[0].vanaf or date.min)
        uit.extend(_stappen(tabel, sleutels, versies))
    return uit


def _stappen(tabel: ir.Tabel, sleutels: list[int],
             versies: Sequence[tuple[ir.Geldigheid, tuple[ir.Waarde, ...]]]
             ) -> Iterable[Tariefwijziging]:
    onderwerp = _onderwerp(tabel, sleutels, versies[0][1])
    vorige: tuple[ir.Geldigheid, tuple[ir.Waarde, ...]] | None = None
    for geldig, rij in versies:
        aansluitend = vorige is not None and vorige[0].tot == geldig.vanaf
        if vorige is not None and not aansluitend and vorige[0].tot is not None:
            yield _vervallen(tabel, onderwerp, vorige)
        if geldig.vanaf is not None:
            if aansluitend and vorige is not None:
                yield Tariefwijziging(geldig.vanaf, "gewijzigd", tabel.naam, onderwerp,
                                      _anders(tabel, sleutels, vorige[1], rij))
            else:
                yield Tariefwijziging(geldig.vanaf, "toegevoegd", tabel.naam, onderwerp,
                                      _waarden(tabel, sleutels, rij))
        vorige = (geldig, rij)
    if vorige is not None and vorige[0].tot is not None:
        yield _vervallen(tabel, onderwerp, vorige)


def _vervallen(tabel: ir.Tabel, onderwerp: str,
               versie: tuple[ir.Geldigheid, tuple[ir.Waarde, ...]]) -> Tariefwijziging:
    tot = versie[0].tot
    assert tot is not None
    laatste = opmaak.datum(tot - timedelta(days=1))
    return Tariefwijziging(tot, "vervallen", tabel.naam, onderwerp,
                           f"geldt tot en met {laatste}; daarna geen rij meer")


def _onderwerp(tabel: ir.Tabel, sleutels: list[int], rij: tuple[ir.Waarde, ...]) -> str:
    namen = [tabel.kolommen[i].naam for i in sleutels]
    if namen == ["productcode", "eenheid"]:
        return f"product {rij[sleutels[0]]}, eenheid {rij[sleutels[1]]}"
    return ", ".join(f"{n} {rij[i]}" for n, i in zip(namen, sleutels, strict=True))


def _waardekolommen(tabel: ir.Tabel, sleutels: list[int]) -> list[int]:
    return [i for i, k in enumerate(tabel.kolommen)
            if i not in sleutels and k.naam not in _GELDIG_KOLOMMEN]


def _toon(tabel: ir.Tabel, rij: tuple[ir.Waarde, ...], i: int) -> str:
    kolom = tabel.kolommen[i]
    return toon_waarde(rij[i], kolom.type, kolom.naam)


def _waarden(tabel: ir.Tabel, sleutels: list[int], rij: tuple[ir.Waarde, ...]) -> str:
    return "; ".join(f"{tabel.kolommen[i].naam} {_toon(tabel, rij, i)}"
                     for i in _waardekolommen(tabel, sleutels) if rij[i] not in (None, ""))


def _anders(tabel: ir.Tabel, sleutels: list[int], oud: tuple[ir.Waarde, ...],
            nieuw: tuple[ir.Waarde, ...]) -> str:
    delen = [f"{tabel.kolommen[i].naam} {_toon(tabel, oud, i)} → {_toon(tabel, nieuw, i)}"
             for i in _waardekolommen(tabel, sleutels) if oud[i] != nieuw[i]]
    return "; ".join(delen) or "alleen een nieuwe geldigheid, dezelfde waarden"


# ---------------------------------------------------------------- side by side


@dataclass(frozen=True, slots=True)
class Naast:
    """Regions side by side on one date: a row per changed item or tariff, a cell per region."""

    datum: date
    regios: list[str]
    rijen: list[tuple[str, list[str]]]


def naast_elkaar(regios: Sequence[tuple[str, ir.Regelboek]], datum: date) -> Naast:
    """The parameters any region changed, and every tariff of any region, on `datum`."""
    rijen: list[tuple[str, list[str]]] = []
    parameters = sorted({w.onderwerp.removeprefix("parameter ") for _, b in regios
                         for w in b.wijzigingen if w.onderwerp.startswith("parameter ")})
    for naam in parameters:
        rijen.append((f"parameter {naam}", [_parameter(b, naam, datum) for _, b in regios]))
    for onderwerp in sorted({w.onderwerp for _, b in regios for w in b.wijzigingen
                             if not w.onderwerp.startswith("parameter ")}):
        rijen.append((onderwerp, [_wijziging(b, onderwerp) for _, b in regios]))
    tarieven = [_tarieven_op(b, datum) for _, b in regios]
    for onderwerp in sorted({o for t in tarieven for o in t}):
        rijen.append((onderwerp, [t.get(onderwerp, "—") for t in tarieven]))
    return Naast(datum, [Path(m).name for m, _ in regios], rijen)


def _parameter(regelboek: ir.Regelboek, naam: str, datum: date) -> str:
    for versie in regelboek.parameters.get(naam, ()):
        if versie.geldig.geldt_op(datum):
            waarde = toon_waarde(versie.waarde.waarde, versie.waarde.type)
            return waarde + (" (regio)" if versie.herkomst != "standaard" else " (standaard)")
    return "—"


def _wijziging(regelboek: ir.Regelboek, onderwerp: str) -> str:
    for w in regelboek.wijzigingen:
        if w.onderwerp == onderwerp:
            return w.omschrijving
    return "standaard" if onderwerp.startswith(("regel ", "waarde ")) else "—"


def _tarieven_op(regelboek: ir.Regelboek, datum: date) -> dict[str, str]:
    uit: dict[str, str] = {}
    for tabel in _eigen_tabellen(regelboek):
        namen = [k.naam for k in tabel.kolommen]
        sleutels = sleutelkolommen(namen)
        waarde = namen.index("tarief") if "tarief" in namen else None
        for rij, geldig in zip(tabel.rijen, tabel.geldigheid, strict=True):
            if geldig.geldt_op(datum):
                onderwerp = f"{tabel.naam}: {_onderwerp(tabel, sleutels, rij)}"
                uit[onderwerp] = (_toon(tabel, rij, waarde) if waarde is not None
                                  else _waarden(tabel, sleutels, rij))
    return uit


# ---------------------------------------------------------------- text and HTML


def als_tekst(verschillen: Sequence[Regioverschil], periode: Periode,
              naast: Naast | None) -> list[str]:
    """The report as lines of text (the command's default output)."""
    regels: list[str] = []
    waar = f" {periode.tekst()}" if periode.begrensd else ""
    for v in verschillen:
        regels.append(f"{v.map}: {len(v.wijzigingen)} wijziging(en) ten opzichte van de "
                      f"standaard{waar}")
        for w in v.wijzigingen:
            regels.append(f"  {w.label:14} {w.onderwerp}: {w.omschrijving}")
            regels.append(f"  {'':14} geldig {w.geldig}  ({w.bron})")
        regels.extend(f"  {t}" for t in v.tabellen)
        if not v.tarieven:
            regels.append(f"    geen tariefwijzigingen{waar}")
        for t in v.tarieven:
            regels.append(f"    {opmaak.datum(t.datum):>17}  {t.soort:10} {t.onderwerp}: "
                          f"{t.omschrijving}")
    if naast is not None:
        regels.extend(_naast_tekst(naast))
    return regels


def _naast_tekst(naast: Naast) -> list[str]:
    breedte = max((len(o) for o, _ in naast.rijen), default=10)
    kolommen = [max(len(r), *(len(c[i]) for _, c in naast.rijen)) if naast.rijen else len(r)
                for i, r in enumerate(naast.regios)]
    kop = "  ".join(r.ljust(k) for r, k in zip(naast.regios, kolommen, strict=True))
    regels = ["", f"Naast elkaar op {opmaak.datum(naast.datum)}:",
              f"  {'':{breedte}}  {kop}"]
    for onderwerp, cellen in naast.rijen:
        rij = "  ".join(c.ljust(k) for c, k in zip(cellen, kolommen, strict=True))
        regels.append(f"  {onderwerp:{breedte}}  {rij}".rstrip())
    return regels


def als_html(verschillen: Sequence[Regioverschil], periode: Periode,
             naast: Naast | None) -> str:
    """The report as one HTML page (`--formaat html`)."""
    from weergave.sjablonen import render

    return render("verschil.html.j2", verschillen=verschillen, periode=periode,
                  naast=naast, datum=opmaak.datum)
