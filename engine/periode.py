"""Period rules over the ledger: a provider's quarter or year, not one message.

A period rule (`Regelboek.perioderegels`, written `per aanbieder per kwartaal` or `per
aanbieder per jaar`, optionally `en per gemeente` / `en per segment`) is evaluated once per
group of ledger rows. Its totals (`ir.Periodetotaal`) are aggregated by Polars in one
`group_by` over the period's rows, never in a Python loop per row; what is built on them
(averages, percentages, the comparison with a norm) is evaluated exactly, per group, by the
reference evaluator (a region has tens of providers, not millions). A signal never changes
an answer already given: it is a finding about the period, stored beside the ledger.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import polars as pl

from engine import ir
from engine.backends.basis import referentie
from engine.waarden import toon_waarde, vul_uitleg

GROOTBOEK_KOLOMMEN: Mapping[str, str] = {
    "geleverd_volume": "volume",
    "ingediend_bedrag": "ingediend_bedrag",
    "goedgekeurd_bedrag": "goedgekeurd_bedrag",
    "status": "status",
    "productcategorie": "productcategorie",
    "productcode": "productcode",
    "eenheid": "eenheid",
    "debet_credit": "debet_credit",
    "begindatum": "zorg_begindatum",
    "einddatum": "zorg_einddatum",
    "dagen": "dagen",
    "afwezige_dagen": "afwezige_dagen",
}
"""A line's field (its `engine.velden` column) -> the ledger column a period total reads."""

GROOTBOEK_NAMEN: Mapping[str, tuple[str, ir.Type]] = {
    "goedgekeurd bedrag": ("goedgekeurd_bedrag", ir.GELD),
    "status": ("status", ir.TEKST),
}
"""Names only the ledger has (the outcome of the line), usable inside a period total."""

GROOTBOEK_TYPEN: Mapping[str, ir.Type] = {
    "goedgekeurd_bedrag": ir.GELD, "status": ir.TEKST, "dagen": ir.Type("getal", "dag"),
    "afwezige_dagen": ir.Type("getal", "dag")}
"""The types of the ledger's own columns (for rule books built by hand, `dsl.irtypen`)."""

GROOTBOEK_FUNCTIES: Mapping[str, str] = {"dagen": "dagen", "afwezige_dagen": "afwezige_dagen"}
"""Built-ins a period total may use: the ledger stores a stay line's days and absent days."""

GROOTBOEK_SCHEMA: Mapping[str, Any] = {
    "aanbieder": pl.String, "gemeente": pl.String, "bsn": pl.String,
    "productcategorie": pl.String, "productcode": pl.String, "eenheid": pl.String,
    "jaar": pl.Int64, "kwartaal": pl.Int64, "maand": pl.Int64,
    "volume": pl.Int64, "ingediend_bedrag": pl.Int64, "goedgekeurd_bedrag": pl.Int64,
    "status": pl.String, "debet_credit": pl.String, "zorg_begindatum": pl.Date,
    "zorg_einddatum": pl.Date, "dagen": pl.Int64, "afwezige_dagen": pl.Int64}
"""The ledger columns a period rule or report reads (a BSN only to count clients)."""

PERIODE_NAMEN: Mapping[str, str] = {
    "begin van de periode": "begindatum", "einde van de periode": "einddatum"}
"""The period's first and last day, in a period rule (its row's begindatum and einddatum)."""


@dataclass(frozen=True, slots=True)
class Periode:
    """A quarter (kwartaal 1..4) or a whole year (kwartaal None)."""

    jaar: int
    kwartaal: int | None = None

    @property
    def begin(self) -> date:
        return date(self.jaar, 1 if self.kwartaal is None else 3 * self.kwartaal - 2, 1)

    @property
    def einde(self) -> date:
        if self.kwartaal is None or self.kwartaal == 4:
            return date(self.jaar, 12, 31)
        return date(self.jaar, 3 * self.kwartaal + 1, 1) - timedelta(days=1)

    @property
    def soort(self) -> str:
        return "jaar" if self.kwartaal is None else "kwartaal"

    def __str__(self) -> str:
        return str(self.jaar) if self.kwartaal is None else f"{self.jaar}-K{self.kwartaal}"


@dataclass(frozen=True, slots=True)
class PeriodeSignaal:
    """A period rule that fired for one group: a finding, dated by its period."""

    code: str
    regel_id: str
    regel: str
    artikel: str
    lid: str
    periode: Periode
    aanbieder: str
    gemeente: str
    segment: str
    waarden: tuple[tuple[str, str], ...]
    zin: str


def perioderegels(boek: ir.Regelboek, periode: Periode) -> list[ir.Regel]:
    """The period rules of this kind of period in force on its first day."""
    return [r for r in boek.perioderegels
            if r.per[1] == periode.soort and r.geldig.geldt_op(periode.begin)]


def signalen(boek: ir.Regelboek, rijen: pl.DataFrame, periode: Periode) -> list[PeriodeSignaal]:
    """Every signal of the period rules over `rijen` (the ledger rows of one region and
    this period), in the order of the rules, then of provider, gemeente and segment."""
    uit: list[PeriodeSignaal] = []
    omgeving = _omgeving(boek)
    for regel in perioderegels(boek, periode):
        for sleutel, totalen in groepstotalen(boek, regel, rijen, periode):
            signaal = _beoordeel(boek, omgeving, regel, periode, sleutel, totalen)
            if signaal is not None:
                uit.append(signaal)
    return uit


def _omgeving(boek: ir.Regelboek) -> referentie.Omgeving:
    """The reference evaluator, with the period values beside the line values."""
    return referentie.Omgeving(replace(boek, berekeningen=(*boek.berekeningen,
                                                           *boek.periodeberekeningen)))


def groepstotalen(boek: ir.Regelboek, regel: ir.Regel, rijen: pl.DataFrame, periode: Periode,
                  ) -> Iterator[tuple[dict[str, str], dict[ir.Periodetotaal, ir.Waarde]]]:
    """Per group of the rule: its key (aanbieder, gemeente, segment) and its totals."""
    totalen = _totalen_van(boek, regel)
    groep = ["aanbieder", *(g for g in regel.per[2:])]
    frame = met_segment(boek, rijen) if "segment" in groep else rijen
    if frame.is_empty():
        return
    aggs: list[pl.Expr] = []
    for i, totaal in enumerate(totalen):
        aggs.extend(_aggregaten(boek, totaal, f"t{i}", periode))
    if not aggs:
        aggs.append(pl.len().alias("_n"))
    tabel = frame.group_by(groep).agg(aggs).sort(groep)
    for rij in tabel.iter_rows(named=True):
        sleutel = {g: str(rij[g] or "") for g in groep}
        yield sleutel, {t: _waarde_van(t, rij, f"t{i}") for i, t in enumerate(totalen)}


def met_segment(boek: ir.Regelboek, rijen: pl.DataFrame) -> pl.DataFrame:
    """The rows with their segment (a row of no segment is left out: it has no ceiling)."""
    paren = [(code, naam) for naam, codes in boek.segmenten.items() for code in codes]
    if not paren:
        return rijen.head(0).with_columns(pl.lit("").alias("segment"))
    codes = pl.DataFrame({"_code": [c for c, _ in paren], "segment": [s for _, s in paren]})
    per_code = rijen.join(codes, left_on="productcode", right_on="_code", how="left")
    per_cat = rijen.join(codes, left_on="productcategorie", right_on="_code", how="left")
    segment = per_code["segment"].fill_null(per_cat["segment"])
    return rijen.with_columns(segment.alias("segment")).filter(pl.col("segment").is_not_null())


def _totalen_van(boek: ir.Regelboek, regel: ir.Regel) -> list[ir.Periodetotaal]:
    """Every period total the rule reads, through its period values too (in order, once)."""
    per_naam: dict[str, list[ir.Berekening]] = {}
    for b in boek.periodeberekeningen:
        per_naam.setdefault(b.naam, []).append(b)
    gevonden: dict[ir.Periodetotaal, None] = {}
    gezien: set[str] = set()

    def loop(e: object) -> None:
        if isinstance(e, ir.Periodetotaal):
            gevonden.setdefault(e)
            return
        if isinstance(e, ir.Verwijzing) and e.naam in per_naam and e.naam not in gezien:
            gezien.add(e.naam)
            for b in per_naam[e.naam]:
                loop(b.expr)
            return
        if isinstance(e, tuple):
            for x in e:
                loop(x)
        elif hasattr(e, "__dataclass_fields__"):
            for veld in e.__dataclass_fields__:
                loop(getattr(e, veld))

    loop(regel.voorwaarde)
    loop(tuple(w for _, w in regel.waarden))
    return list(gevonden)


def _aggregaten(boek: ir.Regelboek, t: ir.Periodetotaal, naam: str, periode: Periode,
                ) -> list[pl.Expr]:
    filt = (pl.lit(True) if t.filter is None
            else _polars(boek, t.filter, periode).fill_null(False))
    if t.functie == "clienten":
        return [pl.col("bsn").filter(filt).n_unique().alias(naam)]
    if t.functie == "aantal" or t.expr is None:
        return [filt.cast(pl.Int64).sum().alias(naam)]
    waarde = _polars(boek, t.expr, periode).filter(filt)
    if t.functie == "som":
        return [waarde.sum().alias(naam)]
    if t.functie == "gemiddelde":  # exact: sum and count, divided as a Fraction per group
        return [waarde.sum().alias(naam), waarde.count().alias(naam + "_n")]
    return [(waarde.max() if t.functie == "maximum" else waarde.min()).alias(naam)]


def _waarde_van(t: ir.Periodetotaal, rij: dict[str, Any], naam: str) -> ir.Waarde:
    waarde = rij[naam]
    if t.functie == "gemiddelde":
        aantal = rij[naam + "_n"]
        return None if not aantal else Fraction(int(waarde), int(aantal))
    if isinstance(waarde, float):  # never reached for cents and counts; guard exactness
        raise referentie.EvaluatieError(f"een totaal gaf een kommagetal: {waarde}")
    return waarde  # type: ignore[no-any-return]


_TEKENS = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}


def _polars(boek: ir.Regelboek, e: ir.Expr, periode: Periode) -> pl.Expr:
    """An expression inside a period total, as a Polars column expression over ledger rows."""
    if isinstance(e, ir.Veld):
        return pl.col(GROOTBOEK_KOLOMMEN[e.naam])
    if isinstance(e, ir.Constante | ir.Parameter):
        waarde = _constant(boek, e, periode)
        return pl.lit(int(waarde) if isinstance(waarde, Fraction) and waarde.denominator == 1
                      else waarde)
    if isinstance(e, ir.Rekensom) and e.op in ("+", "-", "*"):
        a, b = _polars(boek, e.links, periode), _polars(boek, e.rechts, periode)
        return a + b if e.op == "+" else a - b if e.op == "-" else a * b
    if isinstance(e, ir.Vergelijking):
        a, b = _polars(boek, e.links, periode), _polars(boek, e.rechts, periode)
        uit: pl.Expr = getattr(a, _TEKENS[e.op])(b)
        return uit
    if isinstance(e, ir.InLijst):
        waarden = [_constant(boek, w, periode) for w in e.waarden]
        binnen = _polars(boek, e.expr, periode).is_in(waarden)
        return ~binnen if e.negatief else binnen
    if isinstance(e, ir.En | ir.Of):
        delen = [_polars(boek, d, periode) for d in e.delen]
        return pl.all_horizontal(delen) if isinstance(e, ir.En) else pl.any_horizontal(delen)
    if isinstance(e, ir.Niet):
        return ~_polars(boek, e.expr, periode)
    if isinstance(e, ir.Functie) and e.naam == "bekend":
        return _polars(boek, e.args[0], periode).is_not_null()
    raise referentie.EvaluatieError(
        f"{type(e).__name__} kan (nog) niet binnen een totaal over het grootboek")


def _rij(periode: Periode, totalen: dict[ir.Periodetotaal, ir.Waarde]) -> dict[str, Any]:
    """The row a period rule is evaluated on: the period's days and its group's totals."""
    return {"begindatum": periode.begin, "einddatum": periode.einde, "periodetotalen": totalen}


def _constant(boek: ir.Regelboek, e: ir.Expr, periode: Periode) -> ir.Waarde:
    rij = {"begindatum": periode.begin}
    return referentie.evalueer(e, rij, referentie.Omgeving(boek))


def _beoordeel(boek: ir.Regelboek, omgeving: referentie.Omgeving, regel: ir.Regel,
               periode: Periode, sleutel: dict[str, str],
               totalen: dict[ir.Periodetotaal, ir.Waarde]) -> PeriodeSignaal | None:
    rij: dict[str, Any] = _rij(periode, totalen)
    if not referentie.waar(regel.voorwaarde, rij, omgeving):
        return None
    getoond = tuple((naam, toon_waarde(referentie.evalueer(e, rij, omgeving),
                                       boek.type(e), naam))
                    for naam, e in regel.waarden)
    return PeriodeSignaal(
        code=regel.retourcode or "", regel_id=regel.id, regel=regel.naam,
        artikel=regel.artikel, lid=regel.lid or "", periode=periode,
        aanbieder=sleutel["aanbieder"], gemeente=sleutel.get("gemeente", ""),
        segment=sleutel.get("segment", ""), waarden=getoond,
        zin=vul_uitleg(regel.uitleg, dict(getoond)))


def groepswaarden(boek: ir.Regelboek, regel: ir.Regel, rijen: pl.DataFrame, periode: Periode,
                  ) -> list[tuple[dict[str, str], dict[str, ir.Waarde], bool]]:
    """Per group of the rule: its key, the exact values it shows, and whether it fires."""
    omgeving = _omgeving(boek)
    uit = []
    for sleutel, totalen in groepstotalen(boek, regel, rijen, periode):
        rij = _rij(periode, totalen)
        uit.append((sleutel, {naam: referentie.evalueer(e, rij, omgeving)
                              for naam, e in regel.waarden},
                    referentie.waar(regel.voorwaarde, rij, omgeving)))
    return uit


def waarden_van(boek: ir.Regelboek, namen: tuple[str, ...], rijen: pl.DataFrame,
                periode: Periode, per: tuple[str, ...] = ("aanbieder", "kwartaal"),
                ) -> list[tuple[dict[str, str], dict[str, ir.Waarde]]]:
    """The period values `namen` per group, as exact values (None where unknown)."""
    regel = ir.Regel(id="waarden", naam="waarden", soort="signaleren", niveau="prestatie",
                     retourcode=None, artikel="", lid=None,
                     voorwaarde=ir.Constante(True, ir.WAARHEID), filter=None, uitleg="",
                     waarden=tuple((naam, ir.Verwijzing(naam)) for naam in namen),
                     geldig=ir.ALTIJD, herkomst="standaard", bron=ir.Bron("", 0, 0), per=per)
    return [(sleutel, w) for sleutel, w, _ in groepswaarden(boek, regel, rijen, periode)]
