"""A sample report for the renderers' tests (tests/weergave/rapport, tests/cli, tests/api):
every column kind, a credit, a fraction, an empty cell, a totals row, signals, and the
characters that break careless formats ('cliënt', '€', ';', quotes, '<')."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from hypothesis import strategies as st

from weergave.rapport.model import Kolom, Rapport, Signaal, Tabel

KOLOMMEN = (
    Kolom("aanbieder", "Aanbieder", "code"),
    Kolom("naam", "Naam", "tekst"),
    Kolom("goedgekeurd", "Goedgekeurd bedrag", "bedrag"),
    Kolom("clienten", "Cliënten", "aantal"),
    Kolom("gemiddeld", "Gemiddeld per cliënt", "aantal"),
    Kolom("aanwezig", "Aanwezig", "procent"),
    Kolom("peildatum", "Peildatum", "datum"),
)

NORMEN = Tabel(
    naam="normen", titel="Normen per aanbieder, tweede kwartaal", kolommen=KOLOMMEN,
    rijen=(
        ("01234567", "Zorg & Co; \"Het Anker\"", 123456789, 3, Fraction(7, 3),
         Fraction(25, 2), date(2026, 6, 30)),
        ("00000042", "Jeugdhulp <Oost>", -1250, 1, 1, None, date(2026, 4, 1)),
    ),
    totaal=(None, None, 123455539, 4, None, None, None),
    toelichting="Gemiddeld per cliënt: goedgekeurd bedrag gedeeld door verschillende cliënten.",
)

PLAFOND = Tabel(
    naam="plafonds", titel="Plafondgebruik",
    kolommen=(Kolom("segment", "Segment", "tekst"), Kolom("plafond", "Plafond", "bedrag"),
              Kolom("gebruik", "Gebruik", "procent")),
    rijen=(("verblijf", 10000000, Fraction(1, 3)), ("ambulant", 5000001, 100)),
)

SIGNAAL = Signaal(
    code="S495", artikel="49", lid="2", regel="gemiddelde_kosten",
    zin="De gemiddelde kosten per cliënt (€ 411.522,63) liggen boven de norm van € 400.000,00.",
    aanbieder="01234567", gemeente="0193", periode="2026-K2",
    waarden=(("gemiddeld", "€ 411.522,63"), ("norm", "€ 400.000,00")),
)

VOORBEELD = Rapport(
    soort="kwartaal", titel="Kwartaalrapport normen", regio="ijsselland", jaar=2026,
    kop=(("Kwartaal", "2"), ("Peildatum", "30 juni 2026"), ("Regelset", "abc123")),
    tabellen=(NORMEN, PLAFOND), signalen=(SIGNAAL,),
)

EEN_TABEL = Rapport(soort="verantwoording", titel="Productieverantwoording",
                    regio="amstelland", jaar=2026, tabellen=(PLAFOND,))

MET_DOCUMENT = Rapport(
    soort="vaststelling", titel="Vaststelling", regio="ijsselland", jaar=2026,
    tabellen=(PLAFOND,),
    document={"regio": "ijsselland", "jaar": 2026, "posten": [
        {"aanbieder": "01234567", "gemeente": "0193", "productie": 100, "boven_plafond": 0,
         "betaald": 90, "slotbedrag": 10}]})

BEDRAG = Kolom("bedrag", "Bedrag", "bedrag")


def bedragen_rapport(centen: list[int]) -> Rapport:
    """One amount column holding `centen`, and their total."""
    tabel = Tabel("bedragen", "Bedragen", (Kolom("nr", "Nr", "code"), BEDRAG),
                  tuple((str(i), c) for i, c in enumerate(centen)),
                  totaal=(None, sum(centen)))
    return Rapport(soort="test", titel="Bedragen", regio="x", jaar=2026, tabellen=(tabel,))


CENTEN = st.lists(st.integers(min_value=-(10**13), max_value=10**13), min_size=1, max_size=8)
"""Amounts up to € 100 billion either way: far beyond a region's year, within Excel's
15 significant digits."""
