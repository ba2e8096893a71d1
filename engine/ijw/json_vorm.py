"""The JSON forms of JW323 and JW301 for callers that do not speak XML: the same fields as
the XML, Dutch snake_case keys as in `engine.model`, amounts in integer cents, dates ISO.
Every violation is a BerichtFoutError naming the JSON path (e.g. `$.prestaties[3].bsn`).

Declaration: {"aanbieder", "gemeente", "bericht_identificatie", "bericht_dagtekening",
"declaratienummer", "declaratie_begindatum", "declaratie_einddatum",
"declaratiedagtekening", "totaal_ingediend" (signed: debits − credits), "prestaties": [{"bsn",
"referentienummer", "vorig_referentienummer"?, "toewijzingnummer", "productcategorie",
"productcode", "begindatum", "einddatum", "geleverd_volume", "eenheid", "producttarief"?,
"ingediend_bedrag" (unsigned), "debet_credit" ("D"/"C")}]}. `volgnummer` is the position.
Allocations: {"toewijzingen": [{the fields of engine.model.Toewijzing}]}.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, time
from typing import Any

from engine.ijw.fouten import BerichtFoutError
from engine.model import DebetCredit, Declaratie, Prestatie, Toewijzing

CATEGORIEEN = frozenset(["31", "32", "33", "34", "35", "36", "37", "38",
                         *(str(c) for c in range(40, 56))])
EENHEDEN = frozenset(["01", "04", "14", "16", "82", "83", "84"])
FREQUENTIES = frozenset(["1", "2", "4", "6"])
REDENEN = frozenset(f"{n:02d}" for n in range(1, 15))


class _Object:
    """A JSON object at a path, with typed, checked getters."""

    def __init__(self, waarde: object, pad: str) -> None:
        if not isinstance(waarde, Mapping):
            raise BerichtFoutError(f"{pad}: verwacht een object")
        self.w: Mapping[str, Any] = waarde
        self.pad = pad

    def fout(self, sleutel: str, bericht: str) -> BerichtFoutError:
        return BerichtFoutError(f"{self.pad}.{sleutel}: {bericht}")

    def ruw(self, sleutel: str, verplicht: bool = True) -> Any:
        if sleutel not in self.w or self.w[sleutel] is None:
            if verplicht:
                raise self.fout(sleutel, "ontbreekt")
            return None
        return self.w[sleutel]

    def tekst(self, sleutel: str, patroon: str = r"(?s)(?=.*\S).+", max_len: int = 200,
              verplicht: bool = True, privé: bool = False) -> str | None:
        v = self.ruw(sleutel, verplicht)
        if v is None:
            return None
        if not isinstance(v, str):
            raise self.fout(sleutel, "verwacht een tekst")
        if len(v) > max_len or not re.fullmatch(patroon, v):
            wat = "" if privé else f" '{v[:40]}'"
            raise self.fout(sleutel, f"de waarde{wat} heeft niet de vorm {_vorm(patroon)}")
        return v

    def vast(self, sleutel: str, patroon: str = r"(?s)(?=.*\S).+", max_len: int = 200,
             privé: bool = False) -> str:
        v = self.tekst(sleutel, patroon, max_len, True, privé)
        assert v is not None
        return v

    def code(self, sleutel: str, codes: frozenset[str], verplicht: bool = True) -> str | None:
        v = self.ruw(sleutel, verplicht)
        if v is None:
            return None
        if not isinstance(v, str) or v not in codes:
            raise self.fout(sleutel, f"'{v}' is geen toegestane code (toegestaan: "
                                     f"{', '.join(sorted(codes))})")
        return v

    def getal(self, sleutel: str, minimum: int, maximum: int,
              verplicht: bool = True) -> int | None:
        v = self.ruw(sleutel, verplicht)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.fout(sleutel, "verwacht een geheel getal (bedragen in centen)")
        if not minimum <= v <= maximum:
            raise self.fout(sleutel, f"{v} ligt niet tussen {minimum} en {maximum}")
        return v

    def datum(self, sleutel: str, verplicht: bool = True) -> date | None:
        v = self.tekst(sleutel, r"[0-9]{4}-[0-9]{2}-[0-9]{2}", 10, verplicht)
        if v is None:
            return None
        try:
            return date.fromisoformat(v)
        except ValueError:
            raise self.fout(sleutel, f"'{v}' is geen geldige datum (JJJJ-MM-DD)") from None

    def dag(self, sleutel: str) -> date:
        d = self.datum(sleutel)
        assert d is not None
        return d

    def nummer(self, sleutel: str) -> str:
        """A ToewijzingNummer: an integer 0..999999999, as number or text."""
        v = self.ruw(sleutel)
        if isinstance(v, str) and re.fullmatch(r"[0-9]{1,9}", v):
            v = int(v)
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 999_999_999:
            raise self.fout(sleutel, "verwacht een nummer van 0 tot en met 999999999")
        return str(v)

    def lijst(self, sleutel: str) -> Sequence[Any]:
        v = self.ruw(sleutel)
        if not isinstance(v, list) or not v:
            raise self.fout(sleutel, "verwacht een niet-lege lijst")
        return v


def _vorm(patroon: str) -> str:
    return {r"[0-9]{9}": "9 cijfers", r"[0-9]{8}": "8 cijfers (AGB-code)",
            r"[0-9]{4}": "4 cijfers (gemeentecode)",
            r"[a-zA-Z0-9]+": "letters en cijfers"}.get(patroon, "een niet-lege tekst")


# ---------------------------------------------------------------- declarations


def declaratie_uit_json(data: object) -> Declaratie:
    """A Declaratie from its JSON form; BerichtFoutError with the JSON path on any error."""
    o = _Object(data, "$")
    prestaties = tuple(_prestatie_uit(p, i) for i, p in enumerate(o.lijst("prestaties")))
    totaal = o.getal("totaal_ingediend", -999_999_999_999, 999_999_999_999)
    assert totaal is not None
    return Declaratie(
        aanbieder=o.vast("aanbieder", r"[0-9]{8}"),
        gemeente=o.vast("gemeente", r"[0-9]{4}"),
        bericht_identificatie=o.vast("bericht_identificatie", max_len=12),
        bericht_dagtekening=o.dag("bericht_dagtekening"),
        declaratienummer=o.vast("declaratienummer", r"[a-zA-Z0-9]+", 12),
        declaratie_begindatum=o.dag("declaratie_begindatum"),
        declaratie_einddatum=o.dag("declaratie_einddatum"),
        declaratiedagtekening=o.dag("declaratiedagtekening"),
        totaal_ingediend=totaal,
        prestaties=prestaties,
    )


def _prestatie_uit(data: object, i: int) -> Prestatie:
    o = _Object(data, f"$.prestaties[{i}]")
    dc = o.code("debet_credit", frozenset(("D", "C")))
    bedrag = o.getal("ingediend_bedrag", 0, 99_999_999)
    volume = o.getal("geleverd_volume", 0, 99_999_999)
    assert bedrag is not None and volume is not None
    return Prestatie(
        volgnummer=i,
        bsn=o.vast("bsn", r"[0-9]{9}", 9, privé=True),
        referentienummer=o.vast("referentienummer", r"(?s).+", 20),
        vorig_referentienummer=o.tekst("vorig_referentienummer", r"(?s).+", 20, False),
        toewijzingnummer=o.nummer("toewijzingnummer"),
        productcategorie=o.code("productcategorie", CATEGORIEEN) or "",
        productcode=o.vast("productcode", max_len=5),
        begindatum=o.dag("begindatum"),
        einddatum=o.dag("einddatum"),
        geleverd_volume=volume,
        eenheid=o.code("eenheid", EENHEDEN) or "",
        producttarief=o.getal("producttarief", 0, 99_999_999, verplicht=False),
        ingediend_bedrag=bedrag,
        debet_credit=_dc(dc),
    )


def _dc(dc: str | None) -> DebetCredit:
    return "C" if dc == "C" else "D"


def declaratie_naar_json(declaratie: Declaratie) -> dict[str, Any]:
    """The JSON form of a Declaratie (round-trips through `declaratie_uit_json`)."""
    d = declaratie
    return {
        "aanbieder": d.aanbieder, "gemeente": d.gemeente,
        "bericht_identificatie": d.bericht_identificatie,
        "bericht_dagtekening": d.bericht_dagtekening.isoformat(),
        "declaratienummer": d.declaratienummer,
        "declaratie_begindatum": d.declaratie_begindatum.isoformat(),
        "declaratie_einddatum": d.declaratie_einddatum.isoformat(),
        "declaratiedagtekening": d.declaratiedagtekening.isoformat(),
        "totaal_ingediend": d.totaal_ingediend,
        "prestaties": [_prestatie_naar(p) for p in d.prestaties],
    }


def _prestatie_naar(p: Prestatie) -> dict[str, Any]:
    return {
        "volgnummer": p.volgnummer, "bsn": p.bsn, "referentienummer": p.referentienummer,
        "vorig_referentienummer": p.vorig_referentienummer,
        "toewijzingnummer": p.toewijzingnummer, "productcategorie": p.productcategorie,
        "productcode": p.productcode, "begindatum": p.begindatum.isoformat(),
        "einddatum": p.einddatum.isoformat(), "geleverd_volume": p.geleverd_volume,
        "eenheid": p.eenheid, "producttarief": p.producttarief,
        "ingediend_bedrag": p.ingediend_bedrag, "debet_credit": p.debet_credit,
    }


# ---------------------------------------------------------------- allocations


def toewijzingen_uit_json(data: object) -> list[Toewijzing]:
    """Allocation versions from {"toewijzingen": [...]} (a bare list is accepted too)."""
    if isinstance(data, list):
        data = {"toewijzingen": data}
    o = _Object(data, "$")
    return [_toewijzing_uit(t, i) for i, t in enumerate(o.lijst("toewijzingen"))]


def _toewijzing_uit(data: object, i: int) -> Toewijzing:
    o = _Object(data, f"$.toewijzingen[{i}]")
    return Toewijzing(
        toewijzingnummer=o.nummer("toewijzingnummer"),
        bsn=o.vast("bsn", r"[0-9]{9}", 9, privé=True),
        gemeente=o.vast("gemeente", r"[0-9]{4}"),
        aanbieder=o.vast("aanbieder", r"[0-9]{8}"),
        productcategorie=o.code("productcategorie", CATEGORIEEN, verplicht=False),
        productcode=o.tekst("productcode", max_len=5, verplicht=False),
        toewijzingsdatum=o.dag("toewijzingsdatum"),
        toewijzingstijd=_tijd(o),
        ingangsdatum=o.dag("ingangsdatum"),
        einddatum=o.datum("einddatum", verplicht=False),
        volume=o.getal("volume", 0, 99_999_999, verplicht=False),
        eenheid=o.code("eenheid", EENHEDEN, verplicht=False),
        frequentie=o.code("frequentie", FREQUENTIES, verplicht=False),
        budget=o.getal("budget", 0, 99_999_999, verplicht=False),
        reden_wijziging=o.code("reden_wijziging", REDENEN, verplicht=False),
    )


def _tijd(o: _Object) -> time:
    v = o.vast("toewijzingstijd", r"[0-9]{2}:[0-9]{2}:[0-9]{2}", 8)
    try:
        return time.fromisoformat(v)
    except ValueError:
        raise o.fout("toewijzingstijd", f"'{v}' is geen geldige tijd (uu:mm:ss)") from None


def toewijzingen_naar_json(toewijzingen: Sequence[Toewijzing]) -> dict[str, Any]:
    """The JSON form of allocation versions (round-trips through `toewijzingen_uit_json`)."""
    return {"toewijzingen": [_toewijzing_naar(t) for t in toewijzingen]}


def _toewijzing_naar(t: Toewijzing) -> dict[str, Any]:
    return {
        "toewijzingnummer": t.toewijzingnummer, "bsn": t.bsn, "gemeente": t.gemeente,
        "aanbieder": t.aanbieder, "productcategorie": t.productcategorie,
        "productcode": t.productcode, "toewijzingsdatum": t.toewijzingsdatum.isoformat(),
        "toewijzingstijd": t.toewijzingstijd.isoformat(),
        "ingangsdatum": t.ingangsdatum.isoformat(),
        "einddatum": t.einddatum.isoformat() if t.einddatum else None,
        "volume": t.volume, "eenheid": t.eenheid, "frequentie": t.frequentie,
        "budget": t.budget, "reden_wijziging": t.reden_wijziging,
    }
