"""The JSON forms: round trips and located (JSON path) Dutch errors."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from ijw_beoordelingen import voorbeeld
from ijw_hulp import BERICHTEN

from berichten.fouten import BerichtFoutError
from berichten.ijw.json_vorm import (
    declaratie_naar_json,
    declaratie_uit_json,
    toewijzingen_naar_json,
    toewijzingen_uit_json,
)
from berichten.ijw.jw301 import lees_jw301


def test_declaratie_heen_en_terug_via_tekst() -> None:
    d = voorbeeld()
    tekst = json.dumps(declaratie_naar_json(d))
    assert declaratie_uit_json(json.loads(tekst)) == d


def test_toewijzingen_heen_en_terug_via_tekst() -> None:
    versies = lees_jw301(BERICHTEN / "JW301.xml")
    tekst = json.dumps(toewijzingen_naar_json(versies))
    assert toewijzingen_uit_json(json.loads(tekst)) == versies
    assert toewijzingen_uit_json(json.loads(tekst)["toewijzingen"]) == versies


def test_volgnummer_is_de_positie() -> None:
    data = declaratie_naar_json(voorbeeld())
    data["prestaties"].reverse()
    assert [p.volgnummer for p in declaratie_uit_json(data).prestaties] == [0, 1, 2, 3, 4]


def test_toewijzingnummer_als_getal_of_tekst() -> None:
    data = declaratie_naar_json(voorbeeld())
    data["prestaties"][0]["toewijzingnummer"] = 10072
    data["prestaties"][1]["toewijzingnummer"] = "0010073"
    nummers = [p.toewijzingnummer for p in declaratie_uit_json(data).prestaties[:2]]
    assert nummers == ["10072", "10073"]


FOUTEN: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "json_fouten.yaml").read_text())


def _met(pad: list[Any], waarde: Any, weg: bool) -> dict[str, Any]:
    data = copy.deepcopy(declaratie_naar_json(voorbeeld()))
    doel: Any = data
    for stap in pad[:-1]:
        doel = doel[stap]
    if weg:
        del doel[pad[-1]]
    else:
        doel[pad[-1]] = waarde
    return data


@pytest.mark.parametrize("geval", FOUTEN, ids=[g["bericht"].split(":")[0] for g in FOUTEN])
def test_fout_met_json_pad(geval: dict[str, Any]) -> None:
    with pytest.raises(BerichtFoutError) as info:
        declaratie_uit_json(_met(geval["pad"], geval.get("waarde"), geval.get("weg", False)))
    assert str(info.value).startswith(geval["bericht"])
    assert "12345678" not in str(info.value)


def test_geen_object() -> None:
    with pytest.raises(BerichtFoutError, match=r"^\$: verwacht een object"):
        declaratie_uit_json([1, 2])


@pytest.mark.parametrize(("sleutel", "waarde", "bericht"), [
    ("toewijzingstijd", "25:00:00",
     "$.toewijzingen[1].toewijzingstijd: '25:00:00' is geen geldige tijd"),
    ("frequentie", "3", "$.toewijzingen[1].frequentie: '3' is geen toegestane code"),
    ("reden_wijziging", "15", "$.toewijzingen[1].reden_wijziging: '15' is geen toegestane code"),
    ("budget", -1, "$.toewijzingen[1].budget: -1 ligt niet tussen 0 en 99999999"),
])
def test_toewijzing_fout_met_json_pad(sleutel: str, waarde: Any, bericht: str) -> None:
    data = toewijzingen_naar_json(lees_jw301(BERICHTEN / "JW301.xml"))
    data["toewijzingen"][1][sleutel] = waarde
    with pytest.raises(BerichtFoutError) as info:
        toewijzingen_uit_json(data)
    assert str(info.value).startswith(bericht)


def test_een_breuk_in_json_wordt_nooit_een_float() -> None:
    """Money is never float: a fraction in a JSON body is read exactly (Decimal)."""
    from decimal import Decimal

    from berichten.ijw.json_vorm import lees_json

    assert lees_json(b'{"bedrag": 12.50}') == {"bedrag": Decimal("12.50")}
    assert not isinstance(lees_json(b"[0.1]")[0], float)
