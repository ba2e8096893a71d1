"""The fast paths of the vectorized backend against the scalar reference, on random werksets
of several messages: groupings by packed numbers (small keys, sorted runs, a coarser grouping
derived from a finer one, texts of digits as numbers, hashed texts with their collision
check), helper columns per date and per month index, the smallest ReferentieNummer per
message for group-level rules, and a werkset evaluated in parts of whole messages. Every
path is also forced on small data (module constants patched), so each is compared on its
own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rete_boek import BEREKENINGEN, REGELS, TARIEVEN, c, regel, rij, t, v, vgl, w

from dsl.irtypen import getypt
from engine import ir
from engine.backends.basis import Treffer
from engine.backends.scalar.backend import ScalarBackend
from engine.backends.vectorized import aggregaat
from engine.backends.vectorized import backend as vectorized
from engine.backends.vectorized import datum as vectorized_datum
from engine.backends.vectorized import groep as vectorized_groep
from engine.backends.vectorized.backend import VectorizedBackend
from engine.werkset import SCHEMA


def _aggregaat(functie: ir.Aggregatiefunctie, expr: ir.Expr | None, groep: tuple[str, ...],
               periode: ir.Periode = "geheel") -> ir.Aggregaat:
    return ir.Aggregaat(functie, expr, groep, periode)


BEDRAG_DEEL = ir.Rekensom("/", v("ingediend_bedrag"), c(3))
AGGREGATEN = (
    _aggregaat("som", v("geleverd_volume"), ("aanbieder", "toewijzingnummer"), "maand"),
    _aggregaat("som", v("geleverd_volume"), ("aanbieder", "toewijzingnummer")),
    _aggregaat("aantal", None, ("aanbieder", "bsn"), "kwartaal"),
    _aggregaat("maximum", v("ingediend_bedrag"), ("aanbieder", "bsn"), "isoweek"),
    _aggregaat("minimum", BEDRAG_DEEL, ("aanbieder", "productcode"), "jaar"),
    _aggregaat("gemiddelde", BEDRAG_DEEL, ("aanbieder",), "kwartaal"),
    _aggregaat("gemiddelde", v("geleverd_volume"), ("aanbieder", "referentienummer")),
    _aggregaat("som", ir.Rekensom("/", c(1), _aggregaat("aantal", None, ("aanbieder", "bsn"),
                                                         "kwartaal")), ("aanbieder",), "kwartaal"),
)
TERMIJN = ir.ParameterWaarde("termijn", c(2, ir.Type("getal", "maand")),
                             ir.Geldigheid(date(2025, 6, 1), None), "t", None, "standaard",
                             ir.Bron("t", 1, 1))
EXTRA = (
    *(regel(f"aggregaat {i}", None, vgl(">=", a, c(0)), filter_=None, soort="signaleren",
            waarden=(("waarde", a),)) for i, a in enumerate(AGGREGATEN)),
    regel("termijn", None, vgl(">", v("declaratiedagtekening"), ir.Functie(
        "plus_maanden", (v("einddatum"), ir.Parameter("termijn")))), filter_=None,
        soort="signaleren", waarden=(("einde", v("einddatum")),)),
    regel("maandeinde", None, vgl("<", ir.Functie("plus_maanden", (
        ir.Functie("eerste_dag_van_maand", (v("begindatum"),)),
        ir.Rekensom("-", c(14), ir.Functie("maand", (v("begindatum"),))))), v("einddatum")),
        filter_=None, soort="signaleren"),
    regel("declaratie", None, vgl(">", w("uurtarief"), c(7700, ir.GELD)), filter_=None,
          soort="signaleren", niveau="declaratie", waarden=(("tarief", w("uurtarief")),)),
    regel("client", None, vgl("==", v("eenheid"), t("04")), filter_=None,
          soort="signaleren", niveau="client"),
)
REGELBOEK = getypt(ir.Regelboek("snel", "test", ("0384",), (), {"termijn": (TERMIJN,)},
                                {"tarieven": TARIEVEN}, BEREKENINGEN, (*REGELS, *EXTRA), (),
                                "snel-boek", ()))

CIJFERS = "0123456789"
teksten = st.one_of(
    st.text(CIJFERS, min_size=1, max_size=4),  # digits of several lengths: "01" vs "1"
    st.sampled_from(["T1", "T2", "x", "ab"]),  # not digits: hashed
)


@st.composite
def werksets(draw: st.DrawFn) -> pl.DataFrame:
    rijen: list[dict[str, Any]] = []
    for bericht in range(draw(st.integers(1, 3))):
        for _ in range(draw(st.integers(1, 12))):
            begin = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 500)))
            rijen.append(rij(
                bericht=bericht, aanbieder=f"A{bericht}", declaratienummer=f"D{bericht}",
                bsn=draw(st.sampled_from(["123456782", "111222333", "12345678", "x"])),
                toewijzingnummer=draw(teksten), referentienummer=draw(teksten),
                productcode=draw(st.sampled_from(["45A48", "43A03", None])),
                eenheid=draw(st.sampled_from(["04", "14", "01"])),
                begindatum=begin, einddatum=begin + timedelta(days=draw(st.integers(0, 40))),
                declaratiedagtekening=begin + timedelta(days=draw(st.integers(0, 150))),
                geleverd_volume=draw(st.integers(-3, 20)),
                ingediend_bedrag=draw(st.one_of(st.none(), st.integers(-500, 99_999))),
                debet_credit=draw(st.sampled_from(["D", "D", "C"])),
            ))
    return pl.DataFrame([{**r, "rij": i} for i, r in enumerate(rijen)], schema=SCHEMA)


def _beknopt(regelboek: ir.Regelboek, werkset: pl.DataFrame,
             treffers: list[Treffer]) -> Iterator[Treffer]:
    """The reference for `evalueer_beknopt`: group-level firings on the smallest
    ReferentieNummer among the group's firing rows."""
    rijen = werkset.to_dicts()
    niveau = {r.id: r.niveau for r in regelboek.regels}
    kleinste: dict[tuple[Any, ...], str] = {}

    def groep(treffer: Treffer) -> tuple[Any, ...]:
        r = rijen[treffer.rij]
        client = r["bsn"] if niveau[treffer.regel_id] == "client" else None
        return (treffer.regel_id, r["bericht"], client)

    for treffer in treffers:
        ref = rijen[treffer.rij]["referentienummer"]
        if niveau[treffer.regel_id] != "prestatie" and ref is not None:
            kleinste[groep(treffer)] = min(kleinste.get(groep(treffer), ref), ref)
    for treffer in treffers:
        ref = rijen[treffer.rij]["referentienummer"]
        if niveau[treffer.regel_id] == "prestatie" or kleinste.get(groep(treffer)) == ref:
            yield treffer


def _gesorteerd(treffers: Any) -> list[Treffer]:
    return sorted(treffers, key=lambda t: (t.rij, t.regel_id))


PADEN = {
    "standaard (vensters, direct)": {},
    "indelingen en tabellen": {
        (aggregaat, "_KLEIN"): 0, (vectorized_datum, "_VERHOUDING"): 0},
    "alles gesorteerd, tabellen nooit": {
        (aggregaat, "_KLEIN"): 0, (vectorized_groep, "_KLEIN_BITS"): 0,
        (vectorized_datum, "_VERHOUDING"): 10**9},
    "hashbotsingen": {(aggregaat, "_KLEIN"): 0, (vectorized_groep, "_HASH_BITS_MAXIMAAL"): 1},
    "kleinste per bericht": {(vectorized, "_VEEL"): 0},
    # every message a part of its own, evaluated side by side in threads
    "in delen": {(vectorized, "_KLEIN"): 0, (vectorized, "_BROK"): 1,
                 (aggregaat, "_KLEIN"): 0},
}


@pytest.mark.parametrize("pad", list(PADEN))
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(werkset=werksets())
def test_vectorized_gelijk_aan_scalar(pad: str, werkset: pl.DataFrame,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    for (module, naam), waarde in PADEN[pad].items():
        monkeypatch.setattr(module, naam, waarde)
    verwacht = _gesorteerd(ScalarBackend().evalueer(REGELBOEK, werkset))
    backend = VectorizedBackend()
    assert _gesorteerd(backend.evalueer(REGELBOEK, werkset)) == verwacht
    assert _gesorteerd(backend.evalueer_beknopt(REGELBOEK, werkset)) == _gesorteerd(
        _beknopt(REGELBOEK, werkset, verwacht))


def test_indeling_met_botsingen_valt_terug_op_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectorized_groep, "_HASH_BITS_MAXIMAAL", 1)
    frame = pl.DataFrame({"b": [0, 0, 0, 1, 1, 0], "s": ["a", "b", "c", "a", "a", "b"]})
    indeling, _ = vectorized_groep.indeling(frame, [pl.col("b"), pl.col("s")], {})
    groepen = indeling.groep.to_list()
    assert groepen[1] == groepen[5] and groepen[3] == groepen[4]
    assert len({groepen[0], groepen[1], groepen[2], groepen[3]}) == 4


def test_cijferteksten_blijven_verschillend() -> None:
    frame = pl.DataFrame({"s": ["01", "1", "001", "1", None, "+1"]})
    getallen: dict[str, Any] = {}
    indeling, _ = vectorized_groep.indeling(frame, [pl.col("s")], getallen)
    groepen = indeling.groep.to_list()
    assert getallen["s"] is None  # "+1" is not digits only: hashed
    assert groepen[1] == groepen[3] and len(set(groepen)) == 5
    zonder_plus: dict[str, Any] = {}
    indeling, _ = vectorized_groep.indeling(frame.head(5), [pl.col("s")], zonder_plus)
    assert zonder_plus["s"] is not None and len(set(indeling.groep.to_list())) == 4


@pytest.mark.parametrize("klein", [0, 16])
def test_som_en_extreem_per_groep(klein: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectorized_groep, "_KLEIN_BITS", klein)
    frame = pl.DataFrame({"g": [3, 1, 3, 2, 1], "w": [1, None, 5, None, 2]})
    indeling, _ = vectorized_groep.indeling(frame, [pl.col("g")], {})
    assert (indeling.volgorde is None) == (klein > 0)
    assert indeling.som(frame["w"]).to_list() == [6, 2, 6, 0, 2]
    assert indeling.extreem(frame["w"], "maximum").to_list() == [5, 2, 5, None, 2]
    assert indeling.extreem(frame["w"], "minimum").to_list() == [1, 2, 1, None, 2]


@pytest.mark.parametrize("verhouding", [0, 10**9])
def test_datumtabel_en_waardetabel_met_lege_waarden(verhouding: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectorized_datum, "_VERHOUDING", verhouding)
    datums = [date(2025, 1, 31), None, date(2024, 2, 29), date(2025, 1, 31)]
    frame = pl.DataFrame({"d": datums, "n": [1, 2, None, 13]})
    stap = vectorized_datum.Datumstap("d", [[pl.col("d").dt.month_end().alias("_e")]], ["_e"])
    assert stap(frame, {})["_e"].to_list() == [date(2025, 1, 31), None, date(2024, 2, 29),
                                                date(2025, 1, 31)]
    verder = pl.DataFrame({"d": [date(1900, 1, 1), date(2900, 1, 1), None]})
    assert stap(verder, {})["_e"].to_list() == [date(1900, 1, 31), date(2900, 1, 31), None]
    waarde = vectorized_datum.Waardestap("n", [(pl.col("n") * 2).fill_null(-1).alias("_x")])
    assert waarde(frame, {})["_x"].to_list() == [2, 4, -1, 26]
