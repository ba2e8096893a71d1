"""Year cases of a region's suite (`contracten/<regio>/jaargevallen/*.yaml`, issue 15): given
ledger rows (the region's estimates and inhabitants come from its own tables), the months the
payment run pays, and the expected advance schedule, settlement and risk sharing to the cent,
in the JSON documents' keys. Each case runs on a fresh SQLite store.

```yaml
- naam: P x Q met eenmalig voorschot en een hard plafond
  jaar: 2026
  segmenten: {verblijf: ["43", "44"]}          # optional: else the contract's segments
  plafonds: [{aanbieder: "12345678", segment: verblijf, bedrag: 120000001, hard: true}]
                                               # optional: else plafonds.csv
  grootboek:                                   # zorg: the care month; beoordeeld: assessed
    - [12345678, "0193", "43", 2026-01, 100000000, 2026-02-05]
  betaalruns: [1, 2, 3]
  verwacht:
    voorschotten: [{aanbieder: ..., gemeente: ..., termijnen: [...], eenmalig: 0, totaal: 0}]
    vaststelling: [{aanbieder, gemeente, productie, boven_plafond, betaald, slotbedrag}]
    verevening: [{gemeente, kosten, bijdrage, saldo}]
```
A wrong case is an error at its file and line; a difference names the key and both values."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import SQLModel

from betalen import jaar as jaarmodule
from betalen import rapporten
from betalen.betaalrun import betaalrun
from betalen.plafonds import Plafond
from engine.ir import Regelboek
from opslag.database import maak_engine, transactie
from opslag.grootboek import schrijf_rijen
from proefdata import grootboek
from toetsing.fouten import GevalFoutError
from toetsing.yamlbron import Knoop, lees_yaml

VERWACHT = ("voorschotten", "vaststelling", "verevening")
_LIJST = {"voorschotten": "voorschotten", "vaststelling": "posten", "verevening": "gemeenten"}


@dataclass(frozen=True, slots=True)
class Jaargeval:
    naam: str
    line: int
    jaar: int
    segmenten: Mapping[str, frozenset[str]]
    plafonds: tuple[Plafond, ...]
    rijen: tuple[tuple[str, str, str, date, int, date], ...]
    betaalruns: tuple[int, ...]
    verwacht: Mapping[str, Any]
    heeft_plafonds: bool = False
    """The case gives its ceilings (an empty list: none) instead of plafonds.csv."""


def _maand(waarde: Any, bestand: str, line: int) -> date:
    tekst = str(waarde)
    try:
        jaar, maand = tekst.split("-")[:2]
        return date(int(jaar), int(maand), 1)
    except ValueError:
        raise GevalFoutError(bestand, line, f"'{tekst}' is geen zorgmaand (JJJJ-MM)") from None


def _rij(waarde: Any, bestand: str, line: int) -> tuple[str, str, str, date, int, date]:
    if not isinstance(waarde, list) or len(waarde) != 6:
        raise GevalFoutError(bestand, line, "een grootboekrij is [aanbieder, gemeente, "
                             "productcategorie, zorgmaand, bedrag in centen, beoordeeld op]")
    aanbieder, gemeente, categorie, zorg, bedrag, beoordeeld = waarde
    if not isinstance(bedrag, int) or not isinstance(beoordeeld, date):
        raise GevalFoutError(bestand, line, f"grootboekrij {waarde}: het bedrag is in hele "
                             "centen en 'beoordeeld op' een datum (JJJJ-MM-DD)")
    return (str(aanbieder), str(gemeente), str(categorie), _maand(zorg, bestand, line),
            bedrag, beoordeeld)


def _geval(k: Knoop, bestand: str) -> Jaargeval:
    onbekend = set(k) - {"naam", "jaar", "segmenten", "plafonds", "grootboek", "betaalruns",
                         "verwacht"}
    if onbekend or "naam" not in k or "jaar" not in k:
        raise GevalFoutError(bestand, k.line, "een jaargeval heeft naam en jaar, en verder "
                             "alleen segmenten, plafonds, grootboek, betaalruns en verwacht"
                             + (f" (onbekend: {', '.join(sorted(onbekend))})" if onbekend
                                else ""))
    verwacht = k.get("verwacht") or {}
    if set(verwacht) - set(VERWACHT):
        raise GevalFoutError(bestand, k.line, f"verwacht kent {', '.join(VERWACHT)}")
    plafonds = tuple(Plafond(str(p["aanbieder"]), str(p["segment"]), int(k["jaar"]),
                             int(p["bedrag"]), bool(p["hard"]), f"{bestand}:{p.line}")
                     for p in k.get("plafonds") or ())
    return Jaargeval(
        str(k["naam"]), k.line, int(k["jaar"]),
        {s: frozenset(str(c) for c in cs) for s, cs in (k.get("segmenten") or {}).items()},
        plafonds, tuple(_rij(r, bestand, k.line) for r in k.get("grootboek") or ()),
        tuple(int(m) for m in k.get("betaalruns") or ()), verwacht, "plafonds" in k)


def laad_jaargevallen(pad: Path) -> list[Jaargeval]:
    inhoud = lees_yaml(pad)
    if not isinstance(inhoud, list) or not all(isinstance(k, Knoop) for k in inhoud):
        raise GevalFoutError(str(pad), 1, "een bestand met jaargevallen is een lijst van "
                             "gevallen")
    return [_geval(k, str(pad)) for k in inhoud]


def draai_jaargeval(boek: Regelboek, geval: Jaargeval) -> list[str]:
    """The differences between what the case expects and what the year gives (empty: the
    case passes)."""
    with tempfile.TemporaryDirectory() as map_:
        engine = maak_engine(f"sqlite:///{Path(map_) / 'jaar.sqlite'}")
        try:
            return _draai(engine, boek, geval)
        finally:
            engine.dispose()


def _draai(engine: Any, boek: Regelboek, geval: Jaargeval) -> list[str]:
    regio = boek.regio or boek.naam
    j = jaarmodule.laad(boek, geval.jaar, geval.segmenten or None, geval.plafonds
                        if geval.heeft_plafonds else None)
    with transactie(engine) as sessie:
        tabel = SQLModel.metadata.tables["declaratie"]
        d = int(sessie.execute(insert(tabel).returning(tabel.c.id),
                               grootboek.declaratie(regio)).scalar_one())
        schrijf_rijen(sessie, iter([grootboek.rij(regio, d, a, g, c, zorg, bedrag, beoordeeld)
                                    for a, g, c, zorg, bedrag, beoordeeld in geval.rijen]))
    for maand in geval.betaalruns:
        with transactie(engine) as sessie:
            betaalrun(sessie, j, maand, date(geval.jaar, maand, 1))
    with transactie(engine) as sessie:
        stand = jaarmodule.vaststelling(sessie, j)
        documenten = {
            "voorschotten": rapporten.voorschotten(j, jaarmodule.voorschotten(j)).document,
            "vaststelling": rapporten.vaststelling(j, stand).document,
            "verevening": rapporten.verevening(
                j, jaarmodule.verevening(sessie, j, stand)).document}
    verschillen = []
    for soort, verwacht in geval.verwacht.items():
        gekregen = (documenten[soort] or {}).get(_LIJST[soort])
        if _gewoon(verwacht) != gekregen:
            verschillen.append(f"{soort}: verwacht {_gewoon(verwacht)}, gekregen {gekregen}")
    return verschillen


def _gewoon(waarde: Any) -> Any:
    """YAML values as the JSON documents hold them (Knoop is a dict; codes as text)."""
    if isinstance(waarde, list):
        return [_gewoon(w) for w in waarde]
    if isinstance(waarde, dict):
        return {k: str(v) if k in ("aanbieder", "gemeente") else _gewoon(v)
                for k, v in waarde.items()}
    return waarde
