"""Synthetic but realistic region months: providers, clients, allocations (JW301 versions),
absences and declarations (JW323) with a controlled share of every kind of error, debits
and credits. Deterministic by seed. Used by the differential test and the benchmark.

Every line is made valid first (the version in force of its allocation, the contract tariff
of the tariff table on the care's date, the minute rule, volumes well inside the caps,
attendance) and then, for a planted error, changed in exactly one way. `Regiomaand.soorten`
tells per line which kind was planted ("geldig" when none), `VERWACHTE_CODES` the national
retourcode that kind should produce.

Tariffs: a line in unit U takes the table's row (productcode, U) valid on its begindatum;
a line in minutes (01) takes the hour row (04): ProductTarief = hour tariff / 60 rounded,
IngediendBedrag = round(hour tariff x minutes / 60); euro (83) has no tariff. Allocations in
category 42 (transport) are only made as the planted kind "vervoer".
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any, TypeVar, cast

from engine.model import Afwezigheid, Context, DebetCredit, Declaratie, Prestatie, Toewijzing

# ---------------------------------------------------------------- tariff table


@dataclass(frozen=True, slots=True)
class Tariefregel:
    """One row of a contract's tarieven.csv (tarief in cents; geldig_tot inclusive)."""

    productcategorie: str
    productcode: str
    eenheid: str
    tarief: int
    geldig_vanaf: date
    geldig_tot: date | None
    soort: str

    def geldig_op(self, dag: date) -> bool:
        return self.geldig_vanaf <= dag and (self.geldig_tot is None or dag <= self.geldig_tot)


def _r(cat: str, code: str, eenheid: str, t25: int, t26: int,
       soort: str) -> tuple[Tariefregel, ...]:
    return (Tariefregel(cat, code, eenheid, t25, date(2025, 1, 1), date(2025, 12, 31), soort),
            Tariefregel(cat, code, eenheid, t26, date(2026, 1, 1), None, soort))


STANDAARD_TARIEVEN: tuple[Tariefregel, ...] = (
    *_r("45", "45A48", "04", 7645, 7810, "ambulant"),
    *_r("45", "45A53", "04", 9850, 10120, "ambulant"),
    *_r("45", "45A49", "04", 5120, 5230, "ambulant"),
    *_r("45", "45A07", "82", 345000, 352000, "profiel"),
    *_r("45", "45A08", "82", 690000, 700000, "profiel"),
    *_r("45", "45A01", "83", 0, 0, "ambulant"),
    *_r("46", "46A04", "16", 11250, 11480, "dagbehandeling"),
    *_r("43", "43A07", "14", 24500, 25100, "verblijf-langdurend"),
    *_r("43", "43A11", "14", 18000, 18450, "verblijf-kortdurend"),
    *_r("44", "44A06", "14", 15900, 16250, "verblijf-langdurend"),
    *_r("49", "49A02", "84", 4200, 4300, "ambulant"),
    *_r("42", "42A04", "84", 3250, 3350, "vervoer"),
)
"""A built-in table in the shape of a contract's tarieven.csv (codes from the jz21 list)."""


def lees_tarieven(pad: Path) -> tuple[Tariefregel, ...]:
    """The rows of a contract's tarieven.csv (columns productcategorie, productcode, eenheid,
    tarief, geldig_vanaf, geldig_tot, soort[, omschrijving])."""
    with open(pad, encoding="utf-8-sig", newline="") as f:
        return tuple(_tariefregel(r) for r in csv.DictReader(f))


def _tariefregel(r: dict[str, str]) -> Tariefregel:
    tot = r["geldig_tot"].strip()
    return Tariefregel(r["productcategorie"].strip(), r["productcode"].strip(),
                       r["eenheid"].strip(), int(r["tarief"]),
                       date.fromisoformat(r["geldig_vanaf"].strip()),
                       date.fromisoformat(tot) if tot else None, r["soort"].strip())


def schrijf_tarieven(tarieven: Iterable[Tariefregel]) -> str:
    """The table as tarieven.csv text."""
    uit = io.StringIO()
    uit.write("productcategorie,productcode,eenheid,tarief,geldig_vanaf,geldig_tot,soort,"
              "omschrijving\n")
    for t in tarieven:
        tot = t.geldig_tot.isoformat() if t.geldig_tot else ""
        uit.write(f"{t.productcategorie},{t.productcode},{t.eenheid},{t.tarief},"
                  f"{t.geldig_vanaf.isoformat()},{tot},{t.soort},{t.productcode}\n")
    return uit.getvalue()


class _Tarieven:
    """Lookup of the contract tariff on the care's date, by product code and unit."""

    def __init__(self, rijen: Sequence[Tariefregel]) -> None:
        self.rijen = tuple(rijen)
        self._per: dict[tuple[str, str], list[Tariefregel]] = {}
        for r in rijen:
            self._per.setdefault((r.productcode, r.eenheid), []).append(r)

        self._cache: dict[tuple[str, str, date], int | None] = {}

    def tarief(self, code: str, eenheid: str, dag: date) -> int | None:
        sleutel = (code, eenheid, dag)
        if sleutel in self._cache:
            return self._cache[sleutel]
        gevonden = next((r.tarief for r in self._per.get((code, eenheid), ()) if r.geldig_op(dag)),
                        None)
        self._cache[sleutel] = gevonden
        return gevonden


# ---------------------------------------------------------------- arithmetic of the domain


def afronden(teller: int, noemer: int) -> int:
    """teller / noemer rounded half up (amounts are never negative here)."""
    return (2 * teller + noemer) // (2 * noemer)


_TIJDEN = tuple(time(8 + n // 60, n % 60, (n * 7) % 60) for n in range(0, 600, 7))
_MAANDEINDE: dict[tuple[int, int], date] = {}


def maandeinde(dag: date) -> date:
    """The last day of the month of `dag`."""
    sleutel = (dag.year, dag.month)
    einde = _MAANDEINDE.get(sleutel)
    if einde is None:
        volgende = date(dag.year + dag.month // 12, dag.month % 12 + 1, 1)
        einde = _MAANDEINDE[sleutel] = volgende - timedelta(days=1)
    return einde


def volgende_maand(dag: date) -> date:
    return maandeinde(dag) + timedelta(days=1)


def iso_weken(van: date, tot: date) -> int:
    """The number of ISO weeks that touch van..tot (inclusive)."""
    maandag_van = van - timedelta(days=van.weekday())
    maandag_tot = tot - timedelta(days=tot.weekday())
    return (maandag_tot - maandag_van).days // 7 + 1


def bedrag_en_tarief(eenheid: str, volume: int, tarief: int | None,
                     uurtarief: int | None) -> tuple[int, int | None]:
    """(IngediendBedrag, ProductTarief) of a correct line. Minutes: the shown tariff is the
    hour tariff / 60 rounded, the amount round(hour tariff x minutes / 60); euro (83): the
    volume is the amount and there is no tariff."""
    if eenheid == "83":
        return volume, None
    if eenheid == "01":
        assert uurtarief is not None
        return afronden(uurtarief * volume, 60), afronden(uurtarief, 60)
    assert tarief is not None
    return volume * tarief, tarief


# ---------------------------------------------------------------- kinds of planted errors

REGEL_SOORTEN = (
    "onbekende_toewijzing", "verkeerde_bsn", "verkeerde_categorie", "verkeerde_code",
    "verkeerde_eenheid", "verkeerd_tarief", "verkeerd_bedrag", "volume_boven_periode",
    "dubbel_referentienummer", "afwezigheid_genegeerd",
)
TOEWIJZING_SOORTEN = (
    "begin_voor_toewijzing", "einde_na_toewijzing", "budget_overschreden",
    "verwijderde_toewijzing", "volume_cumulatief", "code_niet_in_categorie", "vervoer",
    "ongeldige_bsn",
)
BERICHT_SOORTEN = (
    "credit", "herdebet", "credit_zonder_debet", "dubbel_credit", "debet_zonder_credit",
    "dubbel_referentienummer_eerder", "dubbel_declaratienummer",
)
VERWACHTE_CODES: dict[str, str | None] = {
    "geldig": None, "credit": None, "herdebet": None,
    "onbekende_toewijzing": "9338", "verkeerde_bsn": "8187", "verkeerde_categorie": "9339",
    "verkeerde_code": "9340", "verkeerde_eenheid": "9341", "verkeerd_tarief": "0611",
    "verkeerd_bedrag": "9346", "volume_boven_periode": "9321",
    "dubbel_referentienummer": "8021", "afwezigheid_genegeerd": None,
    "begin_voor_toewijzing": "9307", "einde_na_toewijzing": "9308",
    "budget_overschreden": "9369", "verwijderde_toewijzing": "9384",
    "volume_cumulatief": "9322", "code_niet_in_categorie": "S329", "vervoer": None,
    "ongeldige_bsn": "0233", "credit_zonder_debet": "8017", "dubbel_credit": "9390",
    "debet_zonder_credit": "9389", "dubbel_referentienummer_eerder": "8021",
    "dubbel_declaratienummer": "9333",
}
"""The national code a planted kind should produce (None: decided by the region's articles
or no rejection). A line may get more codes than this one (e.g. 9339 also gives S329)."""

STANDAARD_GEMEENTEN = ("0193", "0148", "0160", "0166")


# ---------------------------------------------------------------- the result


@dataclass(slots=True)
class Regiomaand:
    """A generated region month (or months): allocation versions in message order, absence
    periods, declarations in processing order, and the planted kind of every line."""

    toewijzingen: list[Toewijzing]
    afwezigheden: list[Afwezigheid]
    declaraties: list[Declaratie]
    soorten: list[tuple[str, ...]]
    """per declaration, per line (same order as its prestaties): the planted kind"""
    tarieven: tuple[Tariefregel, ...]
    dagtekening: date

    @property
    def aantal_regels(self) -> int:
        return sum(len(d.prestaties) for d in self.declaraties)

    def geldende_toewijzingen(self) -> dict[str, Toewijzing]:
        from berichten.ijw.jw301 import geldende_toewijzingen

        return geldende_toewijzingen(self.toewijzingen)

    def context(self) -> Context:
        """The engine's context: versions in force and absences."""
        return Context(self.geldende_toewijzingen(), tuple(self.afwezigheden))


# ---------------------------------------------------------------- the generator


@dataclass(slots=True)
class _Product:
    categorie: str
    code: str
    eenheid: str
    soort: str


@dataclass(slots=True)
class _Toewijzing:
    """An allocation while generating: the version in force plus what was planted."""

    nummer: str
    bsn: str
    gemeente: str
    aanbieder: str
    product: _Product
    categorie: str
    ingang: date
    einde: date
    volume: int
    eenheid: str
    frequentie: str
    budget: int | None
    soort: str
    regel_eenheid: str
    """the unit its lines are declared in (01 for minutes on an hour allocation)"""
    afwezig: dict[date, tuple[date, date]] = field(default_factory=dict)
    """per month start: one absence period inside that month"""
    gedeclareerd: int = 0
    """volume declared so far (for the total-frequency allocations)"""


_Regel = tuple[str, str, str | None, str, str, str | None, date, date, int, str, int | None,
               int, DebetCredit]
"""A line without its volgnummer: Prestatie's fields from bsn on."""


@dataclass(slots=True)
class _Bericht:
    aanbieder: str
    gemeente: str
    maand: date
    regels: list[tuple[_Regel, str]] = field(default_factory=list)
    declaratienummer: str | None = None


class _Generator:
    """The random choices of one region month; `genereer_regiomaand` drives it."""

    def __init__(self, seed: int, aantal_regels: int, begin: date, maanden: int,
                 tarieven: Sequence[Tariefregel], gemeenten: Sequence[str],
                 foutaandeel: float, creditaandeel: float, aanbieders: int | None) -> None:
        self.rng = random.Random(seed)
        self.doel = max(1, aantal_regels)
        self.begin = begin.replace(day=1)
        self.maanden = [self.begin]
        for _ in range(max(1, maanden) - 1):
            self.maanden.append(volgende_maand(self.maanden[-1]))
        self.einde = maandeinde(self.maanden[-1])
        self._begin_dag, self._einde_dag = self.begin.toordinal(), self.einde.toordinal()
        self.tarieven = _Tarieven(tarieven)
        self.gemeenten = tuple(gemeenten)
        self.foutaandeel, self.creditaandeel = foutaandeel, creditaandeel
        self.producten, self.vervoer = self._producten()
        self.aanbieders = self._aanbieders(aanbieders)
        self.versies: list[Toewijzing] = []
        self.toewijzingen: list[_Toewijzing] = []
        self.afwezigheden: list[Afwezigheid] = []
        self.geldige_bsns: list[str] = []
        self._bsn_teller = self.getal(10_000_000, 40_000_000)
        self._nummer = self.getal(100_000, 500_000)
        self._ref: dict[str, int] = {}
        n = len(REGEL_SOORTEN) + len(TOEWIJZING_SOORTEN)
        self.kans_toewijzing = foutaandeel * len(TOEWIJZING_SOORTEN) / n
        self.kans_regel = foutaandeel * len(REGEL_SOORTEN) / n

    # -- set-up

    def _producten(self) -> tuple[list[_Product], list[_Product]]:
        gezien: dict[tuple[str, str], _Product] = {}
        for r in self.tarieven.rijen:
            if r.geldig_op(self.begin) or r.geldig_op(self.einde):
                gezien.setdefault((r.productcode, r.eenheid),
                                  _Product(r.productcategorie, r.productcode, r.eenheid, r.soort))
        alle = sorted(gezien.values(), key=lambda p: (p.code, p.eenheid))
        gewoon = [p for p in alle if p.categorie != "42"]
        if not gewoon:
            raise ValueError("de tarieventabel heeft geen bruikbare producten in deze periode")
        return gewoon, [p for p in alle if p.categorie == "42"]

    def _aanbieders(self, aantal: int | None) -> list[str]:
        if aantal is None:
            aantal = max(2, min(150, round((self.doel / len(self.maanden)) ** 0.5 / 3)))
        agbs: list[str] = []
        while len(agbs) < aantal:
            agb = f"{self.getal(10_000_000, 100_000_000)}"
            if agb not in agbs:
                agbs.append(agb)
        return agbs

    def getal(self, a: int, b: int) -> int:
        """A random integer a <= n < b (faster than randrange, which the hot path feels)."""
        return a + int(self.rng.random() * (b - a))

    def kies(self, keuzes: Sequence[_T]) -> _T:
        """A random element (faster than Random.choice)."""
        return keuzes[int(self.rng.random() * len(keuzes))]

    def nieuwe_bsn(self, geldig: bool = True) -> str:
        while True:
            self._bsn_teller += 1 + self.getal(0, 7)
            som = _GEWOGEN_HOOG[self._bsn_teller // 10_000] + _GEWOGEN_LAAG[
                self._bsn_teller % 10_000]
            cijfer = som % 11
            if cijfer != 10:
                if not geldig:
                    cijfer = (cijfer + 1 + self.getal(0, 8)) % 10
                return f"{self._bsn_teller:08d}{cijfer}"

    def nieuw_nummer(self) -> str:
        self._nummer += 1 + self.getal(0, 3)
        return str(self._nummer)

    def referentie(self, aanbieder: str) -> str:
        n = self._ref.get(aanbieder, 0) + 1
        self._ref[aanbieder] = n
        return f"{aanbieder[-4:]}{n:09d}"

    # -- allocations

    def maak_toewijzingen(self) -> None:
        verwacht = 0.0
        while verwacht < self.doel / (1 + 2 * self.creditaandeel):
            soort = "geldig"
            if self.rng.random() < self.kans_toewijzing / len(TOEWIJZING_SOORTEN):
                soort = "ongeldige_bsn"
            bsn = self.nieuwe_bsn(geldig=soort != "ongeldige_bsn")
            if soort != "ongeldige_bsn":
                self.geldige_bsns.append(bsn)
            gemeente = self.kies(self.gemeenten)
            aanbieder = self.kies(self.aanbieders)
            for _ in range(self.kies((1, 1, 1, 2, 2, 3))):
                t = self._toewijzing(bsn, gemeente, aanbieder, soort)
                maanden = _maandnummer(min(t.einde, self.einde)) - _maandnummer(
                    max(t.ingang, self.begin)) + 1
                verwacht += min(maanden, 1) if t.frequentie == "6" else max(maanden, 0)

    def _toewijzing(self, bsn: str, gemeente: str, aanbieder: str, soort: str) -> _Toewijzing:
        rng = self.rng
        if soort == "geldig" and rng.random() < self.kans_toewijzing:
            soort = self.kies(TOEWIJZING_SOORTEN[:-1])
            if soort == "vervoer" and not self.vervoer:
                soort = "geldig"
        product = self.kies(self.vervoer if soort == "vervoer" else self.producten)
        ingang, einde = self._looptijd(soort)
        t = _Toewijzing(self.nieuw_nummer(), bsn, gemeente, aanbieder, product,
                        product.categorie, ingang, einde, 0, product.eenheid, "4", None, soort,
                        product.eenheid)
        self._omvang(t)
        if soort == "code_niet_in_categorie":
            t.categorie = self.kies([c for c in _CATEGORIEEN if c != product.categorie])
        self._afwezigheden(t)
        self.toewijzingen.append(t)
        self._versies(t)
        return t

    def _looptijd(self, soort: str) -> tuple[date, date]:
        rng = self.rng
        ingang = date.fromordinal(self._begin_dag - self.getal(30, 300))
        einde = date.fromordinal(self._einde_dag + self.getal(20, 400))
        if soort == "begin_voor_toewijzing" or (soort == "geldig" and rng.random() < 0.12):
            m = self.maanden[0] if soort != "geldig" else self.kies(self.maanden)
            ingang = m + timedelta(days=self.getal(3, 25))
        if soort == "einde_na_toewijzing" or (soort == "geldig" and rng.random() < 0.08):
            m = self.maanden[-1] if soort != "geldig" else self.kies(self.maanden)
            einde = max(ingang, m) + timedelta(days=self.getal(1, 20))
            einde = min(einde, maandeinde(m) - timedelta(days=1))
        return ingang, einde

    def _omvang(self, t: _Toewijzing) -> None:
        rng, e = self.rng, t.product.eenheid
        if e == "04":
            t.frequentie, t.volume = ("2", self.getal(3, 9)) if rng.random() < 0.7 else (
                "4", self.getal(12, 40))
            keuze = rng.random()
            if keuze < 0.2:
                t.regel_eenheid = "01"  # minutes on an allocation in hours
            elif keuze < 0.3:
                t.eenheid = t.regel_eenheid = "01"  # an allocation in minutes
                t.volume *= 60
        elif e == "14":
            t.frequentie, t.volume = ("1", 1) if rng.random() < 0.5 else ("4", 31)
        elif e in ("16", "84"):
            t.frequentie, t.volume = "2", self.getal(3, 11)
        elif e == "82":
            t.frequentie, t.volume = ("6", 1) if rng.random() < 0.5 else ("4", 1)
        else:  # 83: the volume is an amount in cents
            t.frequentie, t.volume = "4", self.getal(50_000, 250_000)
        if t.soort == "volume_cumulatief":
            t.frequentie, t.regel_eenheid = "6", t.eenheid
            t.volume = max(2, t.volume * 2)
        if t.soort != "budget_overschreden" and rng.random() < 0.1:
            t.budget = 10_000_000

    def _afwezigheden(self, t: _Toewijzing) -> None:
        if t.product.eenheid != "14" or self.rng.random() > 0.35:
            return
        for m in self.maanden:
            if self.rng.random() < 0.5:
                lengte = self.kies((2, 4, 7, 10, 15, 18, 21, 25))
                van = m + timedelta(days=self.getal(0, 28 - min(lengte, 27)))
                tot = min(van + timedelta(days=lengte - 1), maandeinde(m))
                # an absence is registered for a real BSN only (the CSV checks the
                # elfproef); tested after the draws, so the rest of the month is the same
                if van >= t.ingang and tot <= t.einde and t.soort != "ongeldige_bsn":
                    t.afwezig[m] = (van, tot)
                    self.afwezigheden.append(Afwezigheid(t.bsn, t.nummer, van, tot))

    def _versies(self, t: _Toewijzing) -> None:
        """The JW301 versions: sometimes an earlier one with other values, then the one in
        force; a deleted allocation gets a last version with RedenWijziging 13."""
        dag = date.fromordinal(min(t.ingang, self.begin).toordinal() - self.getal(1, 20))
        tijd = self.kies(_TIJDEN)
        if self.rng.random() < 0.1:
            self.versies.append(self._versie(t, dag, tijd, None, volume=max(1, t.volume // 2)))
            dag += timedelta(days=self.getal(1, 10))
            self.versies.append(self._versie(t, dag, tijd, "01"))
        else:
            self.versies.append(self._versie(t, dag, tijd, None))
        if t.soort == "verwijderde_toewijzing":
            self.versies.append(self._versie(t, dag + timedelta(days=1), tijd, "13"))

    def _versie(self, t: _Toewijzing, dag: date, tijd: time, reden: str | None,
                volume: int | None = None) -> Toewijzing:
        return Toewijzing(t.nummer, t.bsn, t.gemeente, t.aanbieder, t.categorie, t.product.code,
                          dag, tijd, t.ingang, t.einde, volume or t.volume, t.eenheid,
                          t.frequentie, t.budget, reden)

    def zet_budgetten(self) -> None:
        """A budget below the first month's amount for the planted budget kind."""
        for t in self.toewijzingen:
            if t.soort == "budget_overschreden":
                t.budget = max(1, self._verwacht_bedrag(t) // 3)
        budgetten = {t.nummer: t.budget for t in self.toewijzingen}
        self.versies = [v if v.budget == budgetten[v.toewijzingnummer] else
                        _met_budget(v, budgetten[v.toewijzingnummer]) for v in self.versies]

    def _verwacht_bedrag(self, t: _Toewijzing) -> int:
        dag = max(t.ingang, self.begin)
        tarief = self.tarieven.tarief(t.product.code, t.product.eenheid, dag) or 100
        if t.eenheid == "83":
            return max(3, t.volume)
        return max(3, afronden(t.volume * tarief, 60) if t.eenheid == "01" else t.volume * tarief)

    # -- lines

    def maak_regel(self, t: _Toewijzing, maand: date) -> tuple[_Regel, str] | None:
        """The debit line of allocation `t` for `maand`, valid or with one planted error."""
        van, tot = max(maand, t.ingang), min(maandeinde(maand), t.einde)
        if van > tot:
            return None
        soort = t.soort
        if soort == "begin_voor_toewijzing":
            soort, van = ("begin_voor_toewijzing", maand) if van > maand else ("geldig", van)
        if soort == "einde_na_toewijzing":
            eind = maandeinde(maand)
            soort, tot = ("einde_na_toewijzing", eind) if tot < eind else ("geldig", tot)
        volume = self._volume(t, van, tot, maand)
        if volume is None:
            return None
        if t.soort == "volume_cumulatief":
            soort = "volume_cumulatief" if t.gedeclareerd + volume > t.volume else "geldig"
        t.gedeclareerd += volume
        if soort == "geldig" and t.soort == "geldig" and self.rng.random() < self.kans_regel:
            soort = self.kies(REGEL_SOORTEN)
        return self._regel(t, soort, van, tot, volume, maand)

    def _volume(self, t: _Toewijzing, van: date, tot: date, maand: date) -> int | None:
        rng = self.rng
        dagen = (tot - van).days + 1
        if t.eenheid == "14":
            afw = t.afwezig.get(maand)
            return max(1, dagen - _afwezig_niet_vergoed(t.product.soort, afw, van, tot))
        if t.frequentie == "6":
            if t.soort == "volume_cumulatief":
                return max(1, t.volume - t.gedeclareerd) if maand == self.maanden[0] else 1
            return t.volume if t.gedeclareerd == 0 else None
        volume = max(1, int(_periodecap(t, van, tot, dagen) * (0.3 + 0.3 * rng.random())))
        if t.eenheid == "04" and t.regel_eenheid == "01":
            return self.getal(30, max(31, volume * 60 - 29))
        return volume

    def _regel(self, t: _Toewijzing, soort: str, van: date, tot: date, volume: int,
               maand: date) -> tuple[_Regel, str]:
        """The valid line, then the planted change of `soort` applied to it."""
        soort, volume = self._volume_soort(t, soort, van, tot, volume, maand)
        eenheid = t.regel_eenheid
        tarief = self.tarieven.tarief(t.product.code, "04" if eenheid == "01" else eenheid, van)
        bedrag, getoond = bedrag_en_tarief(eenheid, volume, tarief or 0, tarief or 0)
        velden: list[Any] = [t.bsn, "", None, t.nummer, t.categorie, t.product.code, van, tot,
                             volume, eenheid, getoond, bedrag, "D"]
        plant = _PLANTERS.get(soort)
        if plant is not None and not plant(self, velden, t, tarief):
            soort = "geldig"
        if soort == "geldig" and t.soort in _TOEWIJZING_VOLGT:
            soort = t.soort
        if soort == "budget_overschreden" and t.budget is not None and velden[11] <= t.budget:
            soort = "geldig"
        return cast(_Regel, tuple(velden)), soort

    def _volume_soort(self, t: _Toewijzing, soort: str, van: date, tot: date, volume: int,
                      maand: date) -> tuple[str, int]:
        """The planted kinds that change the volume (they need the period)."""
        if soort == "afwezigheid_genegeerd":
            return (soort, (tot - van).days + 1) if maand in t.afwezig else ("geldig", volume)
        if soort == "volume_boven_periode":
            if t.frequentie in ("1", "2", "4") and t.eenheid == t.regel_eenheid:
                return soort, self._boven_periode(t, van, tot)
            return "geldig", volume
        return soort, volume

    # -- one small function per planted kind: change the line, say whether it applied

    def _onbekend(self, v: list[Any], t: _Toewijzing, tarief: int | None) -> bool:
        v[3] = str(900_000_000 + self.getal(0, 99_999_999))
        return True

    def _bsn(self, v: list[Any], t: _Toewijzing, tarief: int | None) -> bool:
        v[0] = self._andere_bsn(t.bsn)
        return True

    def _categorie(self, v: list[Any], t: _Toewijzing, tarief: int | None) -> bool:
        v[4] = self.kies([c for c in _CATEGORIEEN if c != v[4]])
        return True

    def _code(self, v: list[Any], t: _Toewijzing, tarief: int | None) -> bool:
        v[5] = self._andere_code(t.product)
        eigen = self.tarieven.tarief(v[5], "04" if v[9] == "01" else v[9], v[6])
        if eigen is not None:
            v[11], v[10] = bedrag_en_tarief(v[9], v[8], eigen, eigen)
        return True

    def _eenheid(self, v: list[Any], t: _Toewijzing, tarief: int | None) -> bool:
        v[9] = self.kies([e for e in ("04", "14", "16", "84") if e not in (t.eenheid, v[9])])
        return True

    def _tarief(self, v: list[Any], t: _Toewijzing, tarief: int | None) -> bool:
        if v[10] is None:
            return False
        v[10] = max(1, v[10] + self.kies((-1, 1)) * self.getal(1, 500))
        if v[10] == (tarief or 0) or v[10] == afronden(tarief or 0, 60):
            v[10] += 1
        return True

    def _bedrag(self, v: list[Any], t: _Toewijzing, tarief: int | None) -> bool:
        v[11] += self.getal(1, 1000)
        return True

    def _boven_periode(self, t: _Toewijzing, van: date, tot: date) -> int:
        cap = _periodecap(t, van, tot, (tot - van).days + 1)
        extra = 1 + self.getal(0, 5)
        return cap + extra

    def _andere_bsn(self, bsn: str) -> str:
        keuze = self.kies(self.geldige_bsns)
        return keuze if keuze != bsn else self.nieuwe_bsn()

    def _andere_code(self, product: _Product) -> str:
        zelfde = [p.code for p in self.producten
                  if p.categorie == product.categorie and p.code != product.code]
        if zelfde:
            return self.kies(zelfde)
        return product.categorie + "A99"


def _gewogen(gewichten: tuple[int, ...]) -> list[int]:
    """Weighted digit sums of all 4-digit numbers: the elfproef of 8 digits is two lookups."""
    return [sum(g * int(c) for g, c in zip(gewichten, f"{n:04d}", strict=True))
            for n in range(10_000)]


_GEWOGEN_HOOG = _gewogen((9, 8, 7, 6))
_GEWOGEN_LAAG = _gewogen((5, 4, 3, 2))
_T = TypeVar("_T")


_CATEGORIEEN = ("43", "44", "45", "46", "49", "50")
_TOEWIJZING_VOLGT = frozenset(("budget_overschreden", "verwijderde_toewijzing",
                               "code_niet_in_categorie", "vervoer", "ongeldige_bsn"))
"""allocation kinds that every otherwise valid line of the allocation carries"""
_PLANTERS = {
    "onbekende_toewijzing": _Generator._onbekend, "verkeerde_bsn": _Generator._bsn,
    "verkeerde_categorie": _Generator._categorie, "verkeerde_code": _Generator._code,
    "verkeerde_eenheid": _Generator._eenheid, "verkeerd_tarief": _Generator._tarief,
    "verkeerd_bedrag": _Generator._bedrag,
}


def _periodecap(t: _Toewijzing, van: date, tot: date, dagen: int) -> int:
    """The allocation's volume for the period van..tot (per day, per ISO week, per month)."""
    if t.frequentie == "1":
        return t.volume * dagen
    if t.frequentie == "2":
        return t.volume * iso_weken(van, tot)
    return t.volume


def _maandnummer(dag: date) -> int:
    return dag.year * 12 + dag.month


def _met_budget(v: Toewijzing, budget: int | None) -> Toewijzing:
    return Toewijzing(v.toewijzingnummer, v.bsn, v.gemeente, v.aanbieder, v.productcategorie,
                      v.productcode, v.toewijzingsdatum, v.toewijzingstijd, v.ingangsdatum,
                      v.einddatum, v.volume, v.eenheid, v.frequentie, budget, v.reden_wijziging)


def _afwezig_niet_vergoed(soort: str, afw: tuple[date, date] | None, van: date,
                          tot: date) -> int:
    """Absent days that may not be declared: all of them for short stays; for long stays
    those of an absence of at most 14 days, and beyond the first 14 of a longer one."""
    if afw is None:
        return 0
    begin, eind = max(afw[0], van), min(afw[1], tot)
    dagen = max(0, (eind - begin).days + 1)
    if soort == "verblijf-langdurend" and dagen > 14:
        return dagen - 14
    return dagen


def _met_ref(r: _Regel, ref: str, vorig: str | None = None,
             dc: DebetCredit | None = None) -> _Regel:
    return (r[0], ref, vorig, r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
            dc or r[12])


class _Berichten:
    """Turns the allocations into messages, month by month, in processing order."""

    def __init__(self, g: _Generator) -> None:
        self.g = g
        self.berichten: list[_Bericht] = []
        self._decnr: dict[str, int] = {}
        self._laatste_nr: dict[tuple[str, str], str] = {}
        self.gewijzigd: set[tuple[str, str]] = set()
        """(aanbieder, ReferentieNummer) of valid lines that a later planting changed"""

    def maak(self) -> list[_Bericht]:
        vorige: dict[str, list[tuple[_Toewijzing, _Regel]]] = {}
        for i, maand in enumerate(self.g.maanden):
            gewoon: dict[tuple[str, str], _Bericht] = {}
            gecrediteerd: dict[str, list[tuple[_Toewijzing, _Regel]]] = {}
            if i > 0:
                gecrediteerd = self._credits(vorige, gewoon, maand)
            nieuw = self._debetten(gewoon, maand)
            if i > 0:
                self._eerdere_referenties(gewoon, vorige)
            self._sluit(gewoon.values())
            nieuw = {a: [(t, r) for t, r in lijst if (a, r[1]) not in self.gewijzigd]
                     for a, lijst in nieuw.items()}
            if i > 0:
                self._correcties(vorige, gecrediteerd, nieuw, maand)
            vorige = nieuw
        return self.berichten

    def _bericht(self, berichten: dict[tuple[str, str], _Bericht], t: _Toewijzing,
                 maand: date) -> _Bericht:
        sleutel = (t.aanbieder, t.gemeente)
        b = berichten.get(sleutel)
        if b is None:
            b = berichten[sleutel] = _Bericht(t.aanbieder, t.gemeente, maand)
        return b

    def _debetten(self, gewoon: dict[tuple[str, str], _Bericht],
                  maand: date) -> dict[str, list[tuple[_Toewijzing, _Regel]]]:
        geldig: dict[str, list[tuple[_Toewijzing, _Regel]]] = {}
        for t in self.g.toewijzingen:
            uit = self.g.maak_regel(t, maand)
            if uit is None:
                continue
            regel, soort = uit
            regel = _met_ref(regel, self.g.referentie(t.aanbieder))
            self._bericht(gewoon, t, maand).regels.append((regel, soort))
            if soort == "geldig" and t.soort == "geldig":
                # only lines of clean allocations are credited or reused later: a planted
                # allocation error would make the follow-up outcome depend on the history
                geldig.setdefault(t.aanbieder, []).append((t, regel))
        return geldig

    def _credits(self, vorige: dict[str, list[tuple[_Toewijzing, _Regel]]],
                 gewoon: dict[tuple[str, str], _Bericht],
                 maand: date) -> dict[str, list[tuple[_Toewijzing, _Regel]]]:
        """Credit a share of last month's approved lines and declare them again, corrected."""
        gecrediteerd: dict[str, list[tuple[_Toewijzing, _Regel]]] = {}
        for aanbieder, regels in vorige.items():
            for t, r in regels:
                if self.g.rng.random() >= self.g.creditaandeel:
                    continue
                b = self._bericht(gewoon, t, maand)
                b.regels.append((_met_ref(r, self.g.referentie(aanbieder), r[1], "C"), "credit"))
                b.regels.append((_met_ref(self._minder(r), self.g.referentie(aanbieder)),
                                 "herdebet"))
                gecrediteerd.setdefault(aanbieder, []).append((t, r))
        return gecrediteerd

    def _minder(self, r: _Regel) -> _Regel:
        """The corrected line: a little less volume, the amount recomputed."""
        eenheid, volume = r[9], r[8]
        stap = 15 if eenheid == "01" else 100 if eenheid == "83" else 1
        nieuw = max(1, volume - stap)
        tarief = self.g.tarieven.tarief(r[5] or "", "04" if eenheid == "01" else eenheid, r[6])
        bedrag, getoond = bedrag_en_tarief(eenheid, nieuw, tarief or 0, tarief or 0)
        return (r[0], r[1], None, r[3], r[4], r[5], r[6], r[7], nieuw, eenheid, getoond,
                bedrag, "D")

    def _eerdere_referenties(self, gewoon: dict[tuple[str, str], _Bericht],
                             vorige: dict[str, list[tuple[_Toewijzing, _Regel]]]) -> None:
        """Reuse a ReferentieNummer of an earlier message on some valid new lines."""
        kans = self.g.foutaandeel / (len(REGEL_SOORTEN) + len(TOEWIJZING_SOORTEN))
        for b in gewoon.values():
            oud = vorige.get(b.aanbieder)
            if not oud:
                continue
            for _ in range(int(len(b.regels) * kans + self.g.rng.random())):
                i = self.g.getal(0, len(b.regels))
                r, soort = b.regels[i]
                if soort == "geldig":
                    ref = self.g.kies(oud)[1][1]
                    b.regels[i] = (_met_ref(r, ref), "dubbel_referentienummer_eerder")
                    self.gewijzigd.add((b.aanbieder, r[1]))

    def _correcties(self, vorige: dict[str, list[tuple[_Toewijzing, _Regel]]],
                    gecrediteerd: dict[str, list[tuple[_Toewijzing, _Regel]]],
                    nieuw: dict[str, list[tuple[_Toewijzing, _Regel]]], maand: date) -> None:
        """Per provider a small later message with the credit/debit mistakes, and once per
        month a message that reuses an earlier DeclaratieNummer."""
        aantal_soorten = len(REGEL_SOORTEN) + len(TOEWIJZING_SOORTEN)
        for k, (aanbieder, regels) in enumerate(vorige.items()):
            n = round(self.g.foutaandeel / aantal_soorten * len(regels)) or (1 if k == 0 else 0)
            if n == 0:
                continue
            gemeente = regels[0][0].gemeente
            b = _Bericht(aanbieder, gemeente, maand)
            eigen = [(t, r) for t, r in regels if t.gemeente == gemeente]
            al = {r[1] for _, r in gecrediteerd.get(aanbieder, [])}
            for _, r in self.g.rng.sample(eigen, min(n, len(eigen))):
                ref = self.g.referentie(aanbieder)
                b.regels.append((_met_ref(r, ref, "X" + ref, "C"), "credit_zonder_debet"))
            for r in [r for t, r in gecrediteerd.get(aanbieder, [])
                      if t.gemeente == gemeente][:n]:
                b.regels.append((_met_ref(r, self.g.referentie(aanbieder), r[1], "C"),
                                 "dubbel_credit"))
            for r in [r for _, r in eigen if r[1] not in al][:n]:
                b.regels.append((_met_ref(self._minder(r), self.g.referentie(aanbieder)),
                                 "debet_zonder_credit"))
            if b.regels:
                self._sluit([b])
        self._dubbel_nummer(nieuw, maand)

    def _dubbel_nummer(self, nieuw: dict[str, list[tuple[_Toewijzing, _Regel]]],
                       maand: date) -> None:
        for aanbieder, regels in nieuw.items():
            t = regels[0][0]
            oud = self._laatste_nr.get((aanbieder, t.gemeente))
            if oud is None:
                continue
            b = _Bericht(aanbieder, t.gemeente, maand, declaratienummer=oud)
            for t2, r2 in regels[:2]:
                if t2.gemeente == t.gemeente:
                    b.regels.append((_met_ref(r2, self.g.referentie(aanbieder)),
                                     "dubbel_declaratienummer"))
            self._sluit([b])
            return

    def _sluit(self, berichten: Iterable[_Bericht]) -> None:
        """Number the finished messages, plant in-message duplicate references, queue them."""
        for b in berichten:
            if not b.regels:
                continue
            self._dubbel_binnen(b)
            if b.declaratienummer is None:
                n = self._decnr.get(b.aanbieder, 0) + 1
                self._decnr[b.aanbieder] = n
                b.declaratienummer = f"D{b.maand:%Y%m}{n:04d}"
                self._laatste_nr[(b.aanbieder, b.gemeente)] = b.declaratienummer
            self.berichten.append(b)

    def _dubbel_binnen(self, b: _Bericht) -> None:
        for i, (r, soort) in enumerate(b.regels):
            if soort == "dubbel_referentienummer":
                if i == 0 or b.regels[i - 1][1] != "geldig":
                    b.regels[i] = (r, "geldig")
                    continue
                vorige, _ = b.regels[i - 1]
                b.regels[i - 1] = (vorige, "dubbel_referentienummer")
                self.gewijzigd.add((b.aanbieder, vorige[1]))
                b.regels[i] = (_met_ref(r, vorige[1]), soort)


def _declaratie(b: _Bericht, volgnummer: int) -> tuple[Declaratie, tuple[str, ...]]:
    """The message as a Declaratie, lines grouped per client as the XML nests them."""
    per_client: dict[str, list[tuple[_Regel, str]]] = {}
    for r, soort in b.regels:
        per_client.setdefault(r[0], []).append((r, soort))
    geordend = [x for groep in per_client.values() for x in groep]
    prestaties = tuple(Prestatie(i, *r) for i, (r, _) in enumerate(geordend))
    totaal = sum(p.ingediend_bedrag if p.debet_credit == "D" else -p.ingediend_bedrag
                 for p in prestaties)
    dag = volgende_maand(b.maand) + timedelta(days=4)
    assert b.declaratienummer is not None
    d = Declaratie(b.aanbieder, b.gemeente, f"B{b.maand:%Y%m}{volgnummer:05d}"[:12], dag,
                   b.declaratienummer, b.maand, maandeinde(b.maand), dag, totaal, prestaties)
    return d, tuple(s for _, s in geordend)


def genereer_regiomaand(seed: int, aantal_regels: int, *, begin: date = date(2026, 1, 1),
                        maanden: int = 2, tarieven: Sequence[Tariefregel] | None = None,
                        gemeenten: Sequence[str] = STANDAARD_GEMEENTEN,
                        foutaandeel: float = 0.1, creditaandeel: float = 0.05,
                        aanbieders: int | None = None) -> Regiomaand:
    """A region's months of declarations with about `aantal_regels` lines in total.

    `foutaandeel` is the share of lines with a planted error, spread evenly over the kinds
    (REGEL_SOORTEN, TOEWIJZING_SOORTEN, and the credit/number kinds of BERICHT_SOORTEN);
    `creditaandeel` the share of last month's approved lines that are credited and declared
    again. Tariffs come from `tarieven` (default STANDAARD_TARIEVEN), so lines match that
    contract's tarieven.csv unless an error is planted. Same arguments, same result.
    """
    from batch.geheugen import zonder_gc

    with zonder_gc():
        return _genereer(_Generator(seed, aantal_regels, begin, maanden,
                                    tarieven or STANDAARD_TARIEVEN, gemeenten, foutaandeel,
                                    creditaandeel, aanbieders))


def _genereer(g: _Generator) -> Regiomaand:
    g.maak_toewijzingen()
    g.zet_budgetten()
    declaraties: list[Declaratie] = []
    soorten: list[tuple[str, ...]] = []
    for i, b in enumerate(_Berichten(g).maak()):
        d, s = _declaratie(b, i + 1)
        declaraties.append(d)
        soorten.append(s)
    return Regiomaand(g.versies, g.afwezigheden, declaraties, soorten, g.tarieven.rijen,
                      g.maanden[0])


def schrijf_regiomaand(rm: Regiomaand, map: Path) -> None:
    """Write the month as the real files: `toewijzingen/` (one JW301 per client, gemeente and
    provider), `declaraties/` (one JW323 per declaration, names sort in processing order),
    `aanwezigheid.csv` and `tarieven.csv`. File names never contain a BSN."""
    from berichten.aanwezigheid import schrijf_aanwezigheid
    from berichten.ijw.jw301 import schrijf_jw301
    from berichten.ijw.jw323 import schrijf_jw323

    (map / "toewijzingen").mkdir(parents=True, exist_ok=True)
    (map / "declaraties").mkdir(parents=True, exist_ok=True)
    groepen: dict[tuple[str, str, str], list[Toewijzing]] = {}
    for v in rm.toewijzingen:
        groepen.setdefault((v.bsn, v.gemeente, v.aanbieder), []).append(v)
    for i, versies in enumerate(groepen.values(), start=1):
        dag = max(v.toewijzingsdatum for v in versies)
        (map / "toewijzingen" / f"jw301_{i:07d}.xml").write_bytes(
            schrijf_jw301(versies, f"T{i:09d}", dag))
    for i, d in enumerate(rm.declaraties, start=1):
        naam = f"jw323_{i:05d}_{d.aanbieder}_{d.declaratienummer}.xml"
        (map / "declaraties" / naam).write_bytes(schrijf_jw323(d))
    (map / "aanwezigheid.csv").write_text(schrijf_aanwezigheid(rm.afwezigheden))
    (map / "tarieven.csv").write_text(schrijf_tarieven(rm.tarieven))
