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

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, time
from decimal import Decimal
from typing import Any

from berichten.fouten import BerichtFoutError
from berichten.ijw.standaard import IJW_3_2
from engine.model import DebetCredit, Declaratie, Prestatie, Toewijzing

CATEGORIEEN = IJW_3_2.codes.productcategorie
EENHEDEN = IJW_3_2.codes.eenheid
FREQUENTIES = IJW_3_2.codes.frequentie
REDENEN = IJW_3_2.codes.reden_wijziging

# ---------------------------------------------------------------- reading JSON, bounded

MAX_DIEPTE = 32
"""Arrays and objects nested deeper than this are refused (the forms are three deep); Python's
json module and the readers after it would otherwise recurse until they fail."""
MAX_GETAL = 40
"""Characters of one JSON number: amounts are at most 13; Python refuses to convert an integer
of more than 4,300 digits, and converting one short of that already costs."""

_VERBODEN = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_VERBODEN_TEKEN = re.compile(f"[{_VERBODEN}]")
"""Characters no text field may hold: control characters (all but tab, line feed and carriage
return), lone surrogate halves and the non-characters U+FFFE/U+FFFF. XML 1.0 cannot carry
most of them (a JW325 holding one is not well-formed), PostgreSQL refuses NUL, and a lone
surrogate cannot be encoded as UTF-8."""
_VERBODEN_ESCAPE = re.compile(
    r"\\u(?:00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|[dD][89a-fA-F]|[fF]{3}[eEfF])")
"""A quick look at the raw text: can any string hold a forbidden character, escaped or (DEL
and C1) raw? Raw characters below U+0020 are already refused by the JSON syntax."""
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_C1 = re.compile("[\x7f-\x9f]")
_STRUCTUUR = re.compile(
    f"{_STRING}|[\\[{{]|[\\]}}]|[-0-9][-+.0-9eE]{{{MAX_GETAL},}}|NaN|-?Infinity")

_JSON_TEKST = {
    "Expecting value": "waarde verwacht",
    "Expecting property name enclosed in double quotes":
        "veldnaam tussen dubbele aanhalingstekens verwacht",
    "Expecting ',' delimiter": "komma verwacht",
    "Expecting ':' delimiter": "dubbele punt verwacht",
    "Extra data": "onverwachte tekst na het einde",
    "Unterminated string starting at": "tekst zonder afsluitend aanhalingsteken",
    "Invalid control character at": "ongeldig stuurteken",
    "Invalid \\escape": "ongeldige escape met \\",
    "Invalid \\uXXXX escape": "ongeldige \\u-escape",
}


class JsonFoutError(BerichtFoutError):
    """JSON that is refused: malformed (with line and column), or holding something no reader
    should meet (too deep, a huge number, a forbidden character), located by line and column
    or by `pad`, the path to the text inside the JSON (`$.prestaties[3].referentienummer`)."""

    def __init__(self, bericht: str, line: int | None = None, column: int | None = None,
                 pad: str | None = None) -> None:
        super().__init__(bericht, line, column)
        self.pad = pad


def lees_json(bron: bytes) -> Any:
    """Parse a JSON message (UTF-8, a BOM allowed) within bounds: nesting at most MAX_DIEPTE,
    numbers at most MAX_GETAL characters, no NaN/Infinity, and no forbidden character in any
    text or field name. Anything else is a located JsonFoutError, never another exception."""
    try:
        tekst = bron.decode("utf-8")
    except UnicodeDecodeError as err:
        line, column = _positie(bron[:err.start].decode("utf-8", "replace"), err.start)
        raise JsonFoutError("het JSON-bericht is geen geldige UTF-8-tekst", line, column
                            ) from None
    tekst = tekst.removeprefix("\ufeff")
    try:
        data = json.loads(tekst, parse_int=_geheel, parse_float=_gebroken,
                          parse_constant=_constante)
    except json.JSONDecodeError as err:
        raise JsonFoutError(f"ongeldige JSON: {_JSON_TEKST.get(err.msg, err.msg)}",
                            err.lineno, err.colno) from None
    except (_BuitenGrensError, ValueError, RecursionError):
        _vind_structuurfout(tekst)
        raise JsonFoutError("ongeldige JSON: de inhoud valt buiten de grenzen") from None
    if _diepte_boven_grens(data):
        _vind_structuurfout(tekst)
    if _VERBODEN_ESCAPE.search(tekst) or _C1.search(tekst):
        _controleer_tekens(data)
    return data


class _BuitenGrensError(Exception):
    """Raised from json's hooks; `_vind_structuurfout` then finds the place."""


def _geheel(stuk: str) -> int:
    if len(stuk) > MAX_GETAL:
        raise _BuitenGrensError
    return int(stuk)


def _gebroken(stuk: str) -> Decimal:
    """A fraction stays exact (no float is ever made of a message); the readers then refuse
    it where a whole number (cents, a volume) is asked."""
    if len(stuk) > MAX_GETAL:
        raise _BuitenGrensError
    return Decimal(stuk)


def _constante(stuk: str) -> Any:
    raise _BuitenGrensError


def _diepte_boven_grens(data: Any) -> bool:
    """Is any array or object nested deeper than MAX_DIEPTE (json itself allows ~1,000)?"""
    laag, diepte = [data], 0
    while laag:
        diepte += 1
        if diepte > MAX_DIEPTE:
            return True
        volgende: list[Any] = []
        for waarde in laag:
            kinderen = waarde.values() if isinstance(waarde, dict) else \
                waarde if isinstance(waarde, list) else ()
            volgende.extend(k for k in kinderen if isinstance(k, dict | list))
        laag = volgende
    return False


def _positie(tekst: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset` in `tekst`."""
    line = tekst.count("\n", 0, offset) + 1
    return line, offset - (tekst.rfind("\n", 0, offset) + 1) + 1


def _vind_structuurfout(tekst: str) -> None:
    diepte = 0
    for m in _STRUCTUUR.finditer(tekst):
        stuk = m.group()
        if stuk[0] == '"':
            continue
        line, column = _positie(tekst, m.start())
        if stuk in ("[", "{"):
            diepte += 1
            if diepte > MAX_DIEPTE:
                raise JsonFoutError(f"de JSON is hier dieper genest dan {MAX_DIEPTE} niveaus",
                                    line, column)
        elif stuk in ("]", "}"):
            diepte = max(diepte - 1, 0)
        elif "N" in stuk or "I" in stuk:
            raise JsonFoutError(f"'{stuk}' is geen geldige JSON-waarde", line, column)
        else:
            raise JsonFoutError(f"een getal van meer dan {MAX_GETAL} tekens is niet toegestaan",
                                line, column)


def _controleer_tekens(data: Any) -> None:
    """The first text or field name holding a forbidden character, by its path."""
    stapel: list[tuple[Any, str]] = [(data, "$")]
    while stapel:
        waarde, pad = stapel.pop()
        if isinstance(waarde, str):
            _controleer_tekst(waarde, pad)
        elif isinstance(waarde, dict):
            for sleutel, kind in reversed(list(waarde.items())):
                _controleer_tekst(sleutel, f"{pad} (een veldnaam)")
                stapel.append((kind, f"{pad}.{sleutel}"))
        elif isinstance(waarde, list):
            stapel.extend((kind, f"{pad}[{i}]") for i, kind in reversed(list(enumerate(waarde))))


def _controleer_tekst(tekst: str, pad: str) -> None:
    m = _VERBODEN_TEKEN.search(tekst)
    if m is not None:
        raise JsonFoutError(f"{pad}: {_verboden(m.group())}", pad=pad)


def _verboden(teken: str) -> str:
    return (f"de tekst bevat een teken dat niet is toegestaan (U+{ord(teken):04X}: een "
            "stuurteken, een losse surrogaathelft of een niet-teken)")


XSD_TEKST = r"[^\n\r]*\S[^\n\r]*"
r"""The iStandaard's `.*[^\s].*` (identifications, product codes): something that is not
white space, and no line break (an XSD `.` matches neither line feed nor carriage return)."""


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

    def tekst(self, sleutel: str, patroon: str = XSD_TEKST, max_len: int = 200,
              verplicht: bool = True, privé: bool = False) -> str | None:
        v = self.ruw(sleutel, verplicht)
        if v is None:
            return None
        if not isinstance(v, str):
            raise self.fout(sleutel, "verwacht een tekst")
        verboden = _VERBODEN_TEKEN.search(v)
        if verboden is not None:
            raise self.fout(sleutel, _verboden(verboden.group()))
        if len(v) > max_len or not re.fullmatch(patroon, v):
            wat = "" if privé else f" '{v[:40]}'"
            raise self.fout(sleutel, f"de waarde{wat} heeft niet de vorm {_vorm(patroon)}")
        return v

    def vast(self, sleutel: str, patroon: str = XSD_TEKST, max_len: int = 200,
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
            r"[0-9]{4}": "4 cijfers (gemeentecode)", r"[a-zA-Z0-9]+": "letters en cijfers",
            XSD_TEKST: "een niet-lege tekst op een regel"}.get(patroon, "een niet-lege tekst")


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
