"""One vocabulary: every built-in function has a Dutch phrase, an implementation in every
registered backend and a rendering; the rule language, the formatter, the renderer and the
engine read the same words (engine.woorden)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from dsl import woorden as dsl_woorden
from engine import backends, ir
from engine import woorden as taal
from engine.backends.basis.functies import FUNCTIES_PYTHON
from engine.backends.vectorized.functies import FUNCTIES_POLARS
from engine.functies import FUNCTIES
from engine.waarden import toon_waarde
from weergave.expressies import tekst

IMPLEMENTATIES = {naam: backends.inschrijving(naam).klasse().functies
                  for naam in backends.namen()}
"""Each registered backend's function table, as its class declares it."""


def test_de_tabellen_zijn_die_van_de_backends() -> None:
    assert IMPLEMENTATIES["vectorized"] is FUNCTIES_POLARS
    assert IMPLEMENTATIES["scalar"] is FUNCTIES_PYTHON


def _argument(soort: ir.Type, i: int) -> ir.Constante:
    if soort.soort == "datum":
        return ir.Constante(date(2026, 1, 1 + i), ir.DATUM)
    if soort.soort == "geld":
        return ir.Constante(Fraction(1250 + i), ir.GELD)
    if soort.soort == "getal":
        eenheid = None if soort.eenheid == "*" else soort.eenheid
        return ir.Constante(Fraction(3 + i), ir.Type("getal", eenheid))
    return ir.Constante(f"tekst{i}", ir.TEKST)


@pytest.mark.parametrize("naam", sorted(FUNCTIES))
def test_functie_heeft_frase_implementaties_en_weergave(naam: str) -> None:
    assert naam in taal.FUNCTIEZINNEN, f"functie {naam}: geen frase in engine.woorden"
    for backend, tabel in IMPLEMENTATIES.items():
        assert naam in tabel, f"functie {naam}: geen implementatie in backend {backend}"
    args = tuple(_argument(t, i) for i, t in enumerate(FUNCTIES[naam].args))
    zin = tekst(ir.Functie(naam, args))
    for arg in args:
        gezien = f'"{arg.waarde}"' if isinstance(arg.waarde, str) else toon_waarde(
            arg.waarde, arg.type)
        assert gezien in zin, f"functie {naam}: de weergave '{zin}' mist {gezien}"
    assert f"{naam}(" not in zin


def test_geen_frase_zonder_functie() -> None:
    assert set(taal.FUNCTIEZINNEN) == set(FUNCTIES)
    assert set(taal.NIET_ZINNEN) <= set(FUNCTIES)


def test_eenheden_een_keer_en_in_goed_nederlands() -> None:
    assert set(taal.EENHEDEN) == set(ir.EENHEDEN)
    assert toon_waarde(3, ir.Type("getal", "uur")) == "3 uur"
    assert toon_waarde(1, ir.Type("getal", "minuut")) == "1 minuut"
    assert toon_waarde(90, ir.Type("getal", "minuut")) == "90 minuten"
    assert toon_waarde(Fraction(5, 2), ir.Type("getal", "procent")) == "2,5 procent"
    assert toon_waarde(2, ir.Type("getal", "dagdeel")) == "2 dagdelen"
    for eenheid, woorden in taal.EENHEDEN.items():  # the language reads every form
        for woord in (woorden.woord, woorden.na_getal, woorden.meervoud):
            assert dsl_woorden.EENHEDEN[woord] == eenheid


def test_de_weergave_leest_dezelfde_woorden_als_de_taal() -> None:
    """The renderer's phrases are phrases the rule language reads."""
    assert set(taal.VERGELIJKING_ZIN.values()) <= set(dsl_woorden.VERGELIJKINGEN)
    assert set(taal.VERGELIJKING_BIJZIN.values()) <= set(dsl_woorden.VERGELIJKINGEN)
    for frase in taal.GROEPEN.values():
        assert dsl_woorden.FRASES[frase] == "GROEP"
    for frase in taal.PERIODE_GROEPEN.values():
        assert dsl_woorden.FRASES[frase] == "PERIODE"
    for f, frase in taal.AGGREGATEN.items():
        if f != "aantal":
            assert dsl_woorden.FRASES[frase] == "AGG"


@pytest.mark.parametrize(("functie", "kop"), [
    ("som", "de som van"), ("gemiddelde", "het gemiddelde van"),
    ("maximum", "het maximum van"), ("minimum", "het minimum van"),
])
def test_aggregaat_met_het_goede_lidwoord(functie: ir.Aggregatiefunctie, kop: str) -> None:
    """The renderer wrote 'de maximum van', where the language reads 'het maximum van'."""
    bedrag = ir.Veld("ingediend_bedrag")
    zin = tekst(ir.Aggregaat(functie, bedrag, ("aanbieder", "bsn"), "maand"))
    assert zin == (f"{kop} de ingediend bedrag over de prestaties van dezelfde client "
                   "in dezelfde maand")
