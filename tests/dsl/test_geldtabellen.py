"""The year's money tables (ramingen, inwoners, verdeelsleutels): their columns, keys and
cells, each error at file:line:column with the Dutch sentence."""

from __future__ import annotations

import pytest

from dsl.tabellen import lees_tabel
from engine.ir import Bron


def _fouten(naam: str, tekst: str) -> list[tuple[int, int, str]]:
    tabel, fouten = lees_tabel(naam, f"{naam}.csv", tekst.encode(), "lokaal", Bron("c", 1, 1))
    assert (tabel is None) == bool(fouten)
    return [(f.line, f.column, f.bericht) for f in fouten]


def test_een_herschikking_is_geen_overlap() -> None:
    assert _fouten("ramingen", "aanbieder,gemeente,jaar,bedrag,geldig_vanaf\n"
                   "1,0193,2026,100,2025-11-01\n1,0193,2026,100,2026-07-01\n") == []


@pytest.mark.parametrize(("naam", "tekst", "verwacht"), [
    ("ramingen", "aanbieder,gemeente,jaar,bedrag\n",
     (1, 1, "de tabel ramingen heeft precies de kolommen aanbieder,gemeente,jaar,bedrag,"
      "geldig_vanaf; gevonden: aanbieder,gemeente,jaar,bedrag")),
    ("ramingen", "aanbieder,gemeente,jaar,bedrag,geldig_vanaf\n"
     "1,0193,2026,100,2025-11-01\n1,0193,2026,200,2025-11-01\n",
     (3, 1, "deze rij (1, 0193, 2026, 2025-11-01) staat al op regel 2; een raming per "
      "aanbieder, gemeente, jaar en datum mag maar één keer voorkomen")),
    ("ramingen", "aanbieder,gemeente,jaar,bedrag,geldig_vanaf\n1,0193,26,100,2025-11-01\n",
     (2, 8, "'26' in kolom 'jaar' is geen jaartal (vier cijfers, bijvoorbeeld 2026)")),
    ("ramingen", "aanbieder,gemeente,jaar,bedrag,geldig_vanaf\n1,193,2026,100,2025-11-01\n",
     (2, 3, "'193' in kolom 'gemeente' is geen gemeentecode (vier cijfers, bijvoorbeeld "
      "0193)")),
    ("ramingen", "aanbieder,gemeente,jaar,bedrag,geldig_vanaf\n,0193,2026,100,2025-11-01\n",
     (2, 1, "kolom 'aanbieder' mag niet leeg zijn")),
    ("inwoners", "gemeente,jaar,inwoners\n0193,2026,1,5\n",
     (2, 11, "'1,5' in kolom 'inwoners' heeft een decimale komma, en een komma scheidt "
      "kolommen; zet het getal tussen aanhalingstekens: \"1,5\"")),
    ("inwoners", "gemeente,jaar,inwoners\n0193,2026,0\n",
     (2, 11, "'0' in kolom 'inwoners' is geen positief heel getal")),
    ("verdeelsleutels", "sleutel,gemeente,jaar,aandeel\niu,0193,2026,-2\n",
     (2, 14, "'-2' in kolom 'aandeel' is negatief: een aandeel kan niet negatief zijn")),
])
def test_fout_op_regel_en_kolom(naam: str, tekst: str, verwacht: tuple[int, int, str]
                                ) -> None:
    assert _fouten(naam, tekst) == [verwacht]
