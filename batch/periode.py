"""The quarter and year reports over the ledger (`regelwerk kwartaal`, `regelwerk
verantwoording`, and the same under `/v1/regios/{regio}/jaren/{jaar}/...`).

Both read one region's year of ledger rows into Polars (`opslag.grootboek.lees_jaar`), run
the period rules and the ceilings (`engine.periode`, `engine.plafond`), store the period's
signals in place of the ones stored before (idempotent) and build a
`weergave.rapport.model.Rapport`. A report counts clients and never lists them: no BSN
leaves the ledger. Every table is derived from the rule book: one table per period rule with
the values it shows, per provider (and gemeente or segment when the rule is grouped so)."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import polars as pl
from sqlmodel import Session

from batch.fouten import InvoerError
from batch.vastlegging import open_database
from dsl.fouten import RegelFoutenError
from dsl.loader import laad_contract
from engine import ir, periode, plafond
from engine.opmaak import rond_half_weg_van_nul
from engine.periode import Periode, PeriodeSignaal
from opslag import grootboek, periodesignalen
from weergave.rapport.model import Cel, Kolom, Rapport, Signaal, Soort, Tabel

_SOORT: dict[str, Soort] = {"geld": "bedrag", "datum": "datum", "tekst": "tekst",
                          "waarheid": "tekst"}


def kwartaalrapport(sessie: Session, boek: ir.Regelboek, regio: str, jaar: int,
                    kwartaal: int) -> Rapport:
    """Norms, core data and ceiling use per provider in one quarter, with its signals."""
    p = Periode(jaar, kwartaal)
    rijen = grootboek.lees_jaar(sessie, regio, jaar)
    kwartaalrijen = rijen.filter(pl.col("kwartaal") == kwartaal)
    signalen = _bewaar(sessie, boek, regio, rijen, p)
    gebruik = plafond.plafondgebruik(boek, rijen, jaar)
    tabellen = (*_regeltabellen(boek, kwartaalrijen, p),
                *((_plafondtabel(gebruik, p),) if gebruik else ()))
    return Rapport("kwartaal", f"Kwartaalrapport {regio} {p}", regio, jaar,
                   _kop(boek, regio, p, kwartaalrijen), tabellen, _signalen(signalen))


def verantwoordingsrapport(sessie: Session, boek: ir.Regelboek, regio: str, jaar: int,
                           ) -> Rapport:
    """The production account per provider per gemeente per product (volume and approved
    amount at the contract tariffs) and the year rules (the auditor's statement)."""
    p = Periode(jaar)
    rijen = grootboek.lees_jaar(sessie, regio, jaar)
    signalen = _bewaar(sessie, boek, regio, rijen, p)
    tabellen = (_productietabel(rijen), *_regeltabellen(boek, rijen, p))
    return Rapport("verantwoording", f"Productieverantwoording {regio} {jaar}", regio, jaar,
                   _kop(boek, regio, p, rijen), tabellen, _signalen(signalen))


def _bewaar(sessie: Session, boek: ir.Regelboek, regio: str, rijen: pl.DataFrame,
            p: Periode) -> list[PeriodeSignaal]:
    signalen = plafond.alle_signalen(boek, rijen, p)
    periodesignalen.vervang(sessie, regio, p, signalen, boek.hash, datetime.now(UTC))
    return signalen


def _kop(boek: ir.Regelboek, regio: str, p: Periode, rijen: pl.DataFrame,
         ) -> tuple[tuple[str, str], ...]:
    return (("regio", regio), ("periode", str(p)), ("regelset", boek.hash[:12]),
            ("grootboekregels", str(rijen.height)))


def _signalen(signalen: list[PeriodeSignaal]) -> tuple[Signaal, ...]:
    return tuple(Signaal(s.code, s.artikel, s.lid, s.regel, s.zin, s.aanbieder,
                         s.gemeente or s.segment, str(s.periode), s.waarden)
                 for s in signalen)


def _regeltabellen(boek: ir.Regelboek, rijen: pl.DataFrame, p: Periode) -> list[Tabel]:
    """Per period rule of this period: every group with the values the rule shows."""
    uit = []
    for regel in periode.perioderegels(boek, p):
        groep = ["aanbieder", *regel.per[2:]]
        kolommen = (*(Kolom(g, g, "code") for g in groep),
                    *(Kolom(_naam(n), n, _soort(boek, e)) for n, e in regel.waarden),
                    Kolom("signaal", "signaal", "tekst"))
        waarden = periode.groepswaarden(boek, regel, rijen, p)
        regelrijen = tuple((*(sleutel[g] for g in groep),
                            *(_cel(boek, e, w[n]) for n, e in regel.waarden),
                            (regel.retourcode or "ja") if vuurt else "")
                           for sleutel, w, vuurt in waarden)
        uit.append(Tabel(_naam(regel.naam), f"{regel.naam} (artikel {regel.lid or regel.artikel})",
                         kolommen, regelrijen))
    return uit


def _naam(tekst: str) -> str:
    return "_".join(tekst.lower().split())


def _soort(boek: ir.Regelboek, e: ir.Expr) -> Soort:
    t = boek.type(e)
    if t.soort == "getal":
        return "procent" if t.eenheid == "procent" else "aantal"
    return _SOORT.get(t.soort, "tekst")


def _cel(boek: ir.Regelboek, e: ir.Expr, waarde: ir.Waarde) -> Cel:
    """An exact cell: money in whole cents (a fraction of a cent rounded half away from
    zero, as every amount is), numbers as int or Fraction, truth as ja/nee."""
    if waarde is None:
        return None
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if boek.type(e).soort == "geld" and isinstance(waarde, Fraction):
        return rond_half_weg_van_nul(waarde)
    return waarde


def _plafondtabel(gebruik: list[plafond.Plafondgebruik], p: Periode) -> Tabel:
    maanden = range(p.begin.month, p.einde.month + 1)
    kolommen = (Kolom("aanbieder", "aanbieder", "code"), Kolom("segment", "segment", "tekst"),
                Kolom("soort", "hard of zacht", "tekst"),
                Kolom("plafond", "budgetplafond", "bedrag"),
                *(Kolom(f"productie_tm_maand_{m}", f"productie t/m maand {m}", "bedrag")
                  for m in maanden),
                Kolom("gebruik", "gebruik aan het eind (procent)", "procent"))
    rijen = tuple((g.aanbieder, g.segment, "hard" if g.hard else "zacht", g.bedrag,
                   *(g.tot_en_met(m) for m in maanden),
                   Fraction(g.tot_en_met(p.einde.month) * 100, g.bedrag) if g.bedrag else None)
                  for g in gebruik)
    return Tabel("plafondgebruik", "Gebruik van de budgetplafonds (goedgekeurde productie)",
                 kolommen, rijen)


def _productietabel(rijen: pl.DataFrame) -> Tabel:
    """Per provider, gemeente, product: volume and approved amount (credits netted)."""
    groep = ["aanbieder", "gemeente", "productcategorie", "productcode", "eenheid"]
    per = (rijen.group_by(groep)
           .agg(pl.col("volume").sum(), pl.col("goedgekeurd_bedrag").sum())
           .sort(groep))
    kolommen = (Kolom("aanbieder", "aanbieder", "code"), Kolom("gemeente", "gemeente", "code"),
                Kolom("productcategorie", "productcategorie", "code"),
                Kolom("productcode", "productcode", "code"), Kolom("eenheid", "eenheid", "code"),
                Kolom("volume", "volume", "aantal"),
                Kolom("goedgekeurd_bedrag", "goedgekeurd bedrag", "bedrag"))
    tabelrijen = tuple(tuple(int(x) if isinstance(x, int) else (x or "") for x in r)
                       for r in per.iter_rows())
    totaal = ("totaal", "", "", "", "", int(per["volume"].sum() or 0),
              int(per["goedgekeurd_bedrag"].sum() or 0))
    return Tabel("productieverantwoording", "Productieverantwoording per aanbieder, gemeente "
                 "en product (gewaardeerd tegen de contracttarieven)", kolommen, tabelrijen,
                 totaal)


def rapport_uit_database(url: str, contract: Path, jaar: int, kwartaal: int | None) -> Rapport:
    """The command line's report: the contract folder's rule book, the store at `url`; the
    period's signals are stored in one transaction with reading it. Bad input: InvoerError."""
    boek = _regelboek(contract)
    regio = contract.resolve().name
    engine = open_database(url)
    try:
        with Session(engine) as sessie, sessie.begin():
            if kwartaal is None:
                return verantwoordingsrapport(sessie, boek, regio, jaar)
            return kwartaalrapport(sessie, boek, regio, jaar, kwartaal)
    finally:
        engine.dispose()


def _regelboek(contract: Path) -> ir.Regelboek:
    if not (contract / "contract.regels").is_file():
        raise InvoerError(f"--contract {contract}: geen regiomap (contract.regels ontbreekt)")
    try:
        return laad_contract(contract)
    except RegelFoutenError as fouten:
        raise InvoerError(f"--contract {contract}: de regels bevatten fouten; "
                          f"'regelwerk valideer {contract}' toont ze\n{fouten}") from None
