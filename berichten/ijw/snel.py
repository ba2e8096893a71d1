"""The fast path of message input: a regular grammar for the plain shape of JW323 and JW301
messages (no comments, entities, CDATA, attributes or prefixes other than the basisschema's
(`ijw:`) and the message's own; only values of the characters below) that accepts *only*
schema-valid messages, and reads them without building a tree.

The grammar is built from a standard's record (`berichten.standaard.Standaard`): its
namespaces and prefixes, message codes, versions and code lists are data, so WMO323 and
WMO301 (iWmo 3.2, the same structure) have their own grammar by the same code (`grammatica`,
built once per standard).

Every value is matched against its XSD type's facets, narrowed where that is simpler (a
ReferentieNummer of printable ASCII, an integer without a sign, ...); a date or time must
also exist on the calendar. Whatever the grammar does not accept returns None and goes the
lxml way (parse, validate, read), which gives the located error or the same objects: the
fast path may only decline, never decide. `tests/berichten/test_snel.py` checks this against
lxml on many damaged messages.
"""

from __future__ import annotations

import dataclasses
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import time
from functools import cache
from itertools import chain, compress, count, repeat
from operator import sub
from typing import Any, Generic, TypeVar, cast

from berichten.bron import datum, datums
from berichten.herkenning import STANDAARDEN
from berichten.ijw.standaard import IJW_3_2
from berichten.standaard import Bericht, Standaard
from engine.model import Declaratie, Prestatie, Toewijzing

STANDAARD = IJW_3_2

# ---------------------------------------------------------------- grammar pieces

_W = r"[ \t\r\n]*+"
"""Whitespace between elements (XML's four characters; \\f and \\v are not XML)."""

_T = r"[!-%'-;=?-~]"
"""One character of a plain text value: printable ASCII without space, `&`, `<` and `>`
(so no escaping, and never the forbidden `]]>`)."""

_NAAMTEKEN = r"[!-%'-;=?-~\u00c0-\u024f]"
"""One non-space character of a name: plain text or a Latin letter with a diacritic."""

_DATUM = r"([0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]))"
_TIJD = r"((?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])"
_NUMMER = r"0*+([1-9][0-9]{0,8})"
"""LDT_Nummer (0..999999999); the group is its canonical form, as `str(int(...))` gives
(the value 0 declines)."""

_BEDRAG = r"([0-9]{1,8})"
"""LDT_Bedrag, LDT_Volume, LDT_Budget: 0..99999999 (leading zeros beyond 8 digits decline)."""

_VERSIE = r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)"


def _keuze(codes: frozenset[str]) -> str:
    """A group capturing exactly one code of a code list, as character classes per leading
    part (`(3[12345678]|4[0123456789]|5[012345])`): as fast as a hand-written range."""
    per_begin: dict[str, list[str]] = {}
    for code in sorted(codes):
        per_begin.setdefault(re.escape(code[:-1]), []).append(re.escape(code[-1]))
    return "(" + "|".join(f"{begin}[{''.join(eind)}]" for begin, eind in per_begin.items()) + ")"


_XML_DECLARATIE = r'(?:<\?xml version="1\.0" encoding="(?:UTF|utf)-8"\?>)?' + _W


_COMMENTAAR = rf"[ ]*+{_NAAMTEKEN}[ !-%'-;=?-~\u00c0-\u024f]*+"
"""LDT_Commentaar (any text with a non-space), narrowed to one line of plain text."""


def _naam(lengte: int) -> str:
    """A name of at most `lengte` characters (LDT_Naam, LDT_Voorvoegsel): single spaces
    between words, none around them, so the XSD pattern `.*[^\\s].*` holds."""
    return rf"(?=[^<]{{1,{lengte}}}<){_NAAMTEKEN}(?:[ ]?{_NAAMTEKEN})*+"


def _e(voorvoegsel: str, naam: str, waarde: str) -> str:
    """A simple element with its value, then optional whitespace."""
    return f"<{voorvoegsel}:{naam}>{waarde}</{voorvoegsel}:{naam}>{_W}"


def _c(voorvoegsel: str, naam: str, *kinderen: str) -> str:
    """A complex element with its children in order."""
    return f"<{voorvoegsel}:{naam}>{_W}{''.join(kinderen)}</{voorvoegsel}:{naam}>{_W}"


def _optioneel(*delen: str) -> str:
    return f"(?:{''.join(delen)})?"


def _begin(standaard: Standaard, bericht: Bericht) -> str:
    """XML declaration, the root's start tag with its two namespaces, and the Header up to
    and including XsdVersie; groups: afzender, ontvanger, identificatie, dagtekening."""
    p, vb = bericht.voorvoegsel, standaard.basis_voorvoegsel
    # escaped: a dot in a namespace is literal, not any character
    ns = re.escape(f'xmlns:{p}="{bericht.namespace}"')
    basis = re.escape(f'xmlns:{vb}="{standaard.basis_namespace}"')
    gemeente, aanbieder = "[0-9]{4}", "[0-9]{8}"
    # an allocation goes from the gemeente to the provider, a declaration the other way
    afzender, ontvanger = ((gemeente, aanbieder) if bericht.rol == "toewijzing"
                           else (aanbieder, gemeente))
    return (
        f"{_XML_DECLARATIE}<{p}:Bericht[ \t\r\n]++(?:{ns}[ \t\r\n]++{basis}|{basis}"
        f"[ \t\r\n]++{ns}){_W}>{_W}<{p}:Header>{_W}"
        + _e(p, "BerichtCode", re.escape(bericht.berichtcode))
        + _e(p, "BerichtVersie", re.escape(standaard.berichtversie))
        + _e(p, "BerichtSubversie", re.escape(standaard.berichtsubversie))
        + _e(p, "Afzender", f"({afzender})") + _e(p, "Ontvanger", f"({ontvanger})")
        + _c(p, "BerichtIdentificatie", _e(vb, "Identificatie", f"({_T}{{1,12}})"),
             _e(vb, "Dagtekening", _DATUM))
        + _c(p, "XsdVersie", _e(vb, "BasisschemaXsdVersie", _VERSIE),
             _e(vb, "BerichtXsdVersie", _VERSIE))
        + f"</{p}:Header>{_W}")


# ---------------------------------------------------------------- the grammar of a standard


@dataclass(frozen=True)
class Grammatica:
    """The compiled grammar of one standard's declaration and allocation messages."""

    standaard: Standaard
    j323_kop: re.Pattern[str]
    """Everything before the first Prestatie; groups: aanbieder, gemeente, identificatie,
    dagtekening, declaratienummer, begin, eind, declaratiedagtekening, totaal, teken, first
    BSN."""
    j323_prestatie: re.Pattern[str]
    """One line and what closes it; groups 1-12: ReferentieNummer, VorigReferentieNummer,
    ToewijzingNummer, ProductCategorie, ProductCode, Begindatum, Einddatum, GeleverdVolume,
    Eenheid, ProductTarief, Bedrag, DebetCredit; 13: the BSN of the client that starts next."""
    j323_staart: re.Pattern[str]
    j301_kop: re.Pattern[str]
    """Everything before the first ToegewezenProduct; groups: gemeente, aanbieder,
    identificatie, dagtekening, BSN, geboortedatum."""
    j301_product: re.Pattern[str]
    """One version; groups: ToewijzingNummer, Categorie, Code, Toewijzingsdatum,
    Toewijzingstijd, Ingangsdatum, Einddatum, RedenWijziging, Volume, Eenheid, Frequentie,
    Budget."""
    j301_staart: re.Pattern[str]


@cache
def grammatica(standaard: Standaard = STANDAARD) -> Grammatica:
    """The grammar of `standaard`'s messages, from its record: prefixes, namespaces, message
    codes, versions and code lists (built once per standard)."""
    g = Grammatica(standaard, *_grammatica_323(standaard), *_grammatica_301(standaard))
    if g.j323_prestatie.groups + 1 != _STAP:  # the line reader slices the split by it
        raise ValueError(f"de grammatica van {standaard.naam} heeft een andere vorm")
    return g


def _grammatica_323(standaard: Standaard) -> tuple[re.Pattern[str], ...]:
    bericht = standaard.met_rol("declaratie")
    v, vb, codes = bericht.voorvoegsel, standaard.basis_voorvoegsel, standaard.codes
    kop = re.compile(
        _begin(standaard, bericht)
        + f"<{v}:Declaratie>" + _W
        + _e(v, "DeclaratieNummer", "([a-zA-Z0-9]{1,12})")
        + _c(v, "DeclaratiePeriode", _e(vb, "Begindatum", _DATUM),
             _e(vb, "Einddatum", _DATUM))
        + _e(v, "DeclaratieDagtekening", _DATUM)
        + _c(v, "TotaalIngediendBedrag", _e(vb, "TotaalBedrag", "([0-9]{1,12})"),
             _e(vb, "DebetCredit", "([CD])"))
        + f"<{v}:Clienten>{_W}<{v}:Client>{_W}" + _e(v, "Bsn", "([0-9]{9})")
        + f"<{v}:Prestaties>{_W}")
    prestatie = re.compile(
        f"<{v}:Prestatie>" + _W
        + _c(v, "ProductReferentie", _e(vb, "ReferentieNummer", f"({_T}{{1,20}})"),
             _optioneel(_e(vb, "VorigReferentieNummer", f"({_T}{{1,20}})")))
        + _e(v, "ToewijzingNummer", _NUMMER)
        + _e(v, "ProductCategorie", _keuze(codes.productcategorie))
        + _e(v, "ProductCode", f"({_T}{{1,5}})")
        + _c(v, "ProductPeriode", _e(vb, "Begindatum", _DATUM),
             _e(vb, "Einddatum", _DATUM))
        + _e(v, "GeleverdVolume", _BEDRAG)
        + _e(v, "Eenheid", _keuze(codes.eenheid))
        + _optioneel(_e(v, "ProductTarief", _BEDRAG))
        + _c(v, "IngediendBedrag", _e(vb, "Bedrag", _BEDRAG),
             _e(vb, "DebetCredit", "([CD])"))
        + f"</{v}:Prestatie>" + _W
        # what may follow a line: the next line, the next client (its BSN is group 13), or
        # the end of the clients
        + f"(?:</{v}:Prestaties>{_W}</{v}:Client>{_W}(?:<{v}:Client>{_W}"
        + _e(v, "Bsn", "([0-9]{9})")
        + f"<{v}:Prestaties>{_W}|(?=</{v}:Clienten>))|(?=<{v}:Prestatie>))")
    staart = re.compile(f"</{v}:Clienten>{_W}</{v}:Declaratie>{_W}</{v}:Bericht>{_W}")
    return kop, prestatie, staart


def _grammatica_301(standaard: Standaard) -> tuple[re.Pattern[str], ...]:
    bericht = standaard.met_rol("toewijzing")
    v, vb, codes = bericht.voorvoegsel, standaard.basis_voorvoegsel, standaard.codes
    kop = re.compile(
        _begin(standaard, bericht)
        + f"<{v}:Client>{_W}" + _e(v, "Bsn", "([0-9]{9})")
        + _c(v, "Geboortedatum", _e(vb, "Datum", _DATUM),
             _optioneel(_e(vb, "DatumGebruik", "[123]")))
        + _e(v, "Geslacht", "[012]")
        + _c(v, "Naam",
             _c(vb, "Geslachtsnaam", _e(vb, "Achternaam", _naam(200)),
                _optioneel(_e(vb, "Voorvoegsel", _naam(10)))),
             _optioneel(_c(vb, "Partnernaam", _e(vb, "Achternaam", _naam(200)),
                           _optioneel(_e(vb, "Voorvoegsel", _naam(10))))),
             _optioneel(_e(vb, "Voornamen", _naam(200))),
             _optioneel(_e(vb, "Voorletters", "[a-zA-Z]{1,6}")),
             _e(vb, "NaamGebruik", "[1-6]"))
        + f"<{v}:Contactgegevens>{_W}(?:<{v}:Contact>{_W}" + _e(v, "Soort", "0[1-4]")
        + f"</{v}:Contact>{_W})++</{v}:Contactgegevens>{_W}"
        + f"<{v}:ToegewezenProducten>{_W}")
    product = re.compile(
        f"<{v}:ToegewezenProduct>" + _W
        + _e(v, "ToewijzingNummer", _NUMMER)
        + _optioneel(_e(v, "ReferentieAanbieder", f"{_T}{{1,36}}"))
        + _optioneel(_c(v, "Product", _e(vb, "Categorie", _keuze(codes.productcategorie)),
                        _optioneel(_e(vb, "Code", f"({_T}{{1,5}})"))))
        + _e(v, "Toewijzingsdatum", _DATUM)
        + _e(v, "Toewijzingstijd", _TIJD)
        + _e(v, "Ingangsdatum", _DATUM)
        + _optioneel(_e(v, "Einddatum", _DATUM))
        + _optioneel(_e(v, "RedenWijziging", _keuze(codes.reden_wijziging)))
        + _optioneel(_c(v, "Omvang", _e(vb, "Volume", _BEDRAG),
                        _e(vb, "Eenheid", _keuze(codes.eenheid)),
                        _e(vb, "Frequentie", _keuze(codes.frequentie))))
        + _optioneel(_e(v, "Budget", _BEDRAG))
        + _optioneel(_e(v, "Commentaar", _COMMENTAAR))
        + f"</{v}:ToegewezenProduct>" + _W)
    staart = re.compile(
        f"</{v}:ToegewezenProducten>{_W}</{v}:Client>{_W}</{v}:Bericht>{_W}")
    return kop, product, staart


# ---------------------------------------------------------------- JW323

_STAP = 14
"""`re.split` gives, per match, the text before it and then its groups (13 per line, the
same in every standard's grammar: `grammatica` holds it)."""


def lees_jw323_snel(data: bytes, standaard: Standaard = STANDAARD) -> Declaratie | None:
    """The Declaratie of a plain, schema-valid JW323 (or the declaration message of
    `standaard`, e.g. WMO323); None when the grammar declines."""
    try:
        tekst = data.decode("ascii")
    except UnicodeDecodeError:
        return None
    g = grammatica(standaard)
    kop = g.j323_kop.match(tekst)
    if kop is None or (kop.group(10) == "C" and int(kop.group(9)) == 0):
        return None  # a zero total marked credit (CS325): lxml says where
    # the text before the first line must be exactly the header, between two lines
    # nothing, and after the last one the closing tags
    delen = g.j323_prestatie.split(tekst)
    if (len(delen[0]) != kop.end() or any(delen[_STAP:-1:_STAP])
            or not g.j323_staart.fullmatch(delen[-1])):
        return None
    try:
        return _declaratie(kop, delen)
    except ValueError:  # a date that is not on the calendar: lxml names it
        return None


def _declaratie(kop: re.Match[str], delen: list[str | None]) -> Declaratie:
    (aanbieder, gemeente, identificatie, dagtekening, nummer, begin, eind, dec_dagtekening,
     totaal, teken, bsn) = kop.groups()
    return Declaratie(
        aanbieder=aanbieder, gemeente=gemeente, bericht_identificatie=identificatie,
        bericht_dagtekening=datum(dagtekening), declaratienummer=nummer,
        declaratie_begindatum=datum(begin), declaratie_einddatum=datum(eind),
        declaratiedagtekening=datum(dec_dagtekening),
        totaal_ingediend=int(totaal) if teken == "D" else -int(totaal),
        prestaties=_prestaties(delen, bsn))


def _prestaties(delen: list[str | None], eerste_bsn: str) -> tuple[Prestatie, ...]:
    """The lines, built column by column: each column is a strided slice of the split,
    converted and set on all lines by C-level loops (map), which at a million lines is
    several times faster than a Python loop per line."""
    def kolom(groep: int) -> list[Any]:
        return delen[groep::_STAP]

    n = len(delen) // _STAP
    gedeeld: dict[str, str] = {}
    kolommen = {
        "volgnummer": range(n),
        "bsn": _bsns(eerste_bsn, kolom(13), n),
        "referentienummer": kolom(1),
        "vorig_referentienummer": kolom(2),
        "toewijzingnummer": kolom(3),
        "productcategorie": _gedeeld(kolom(4), gedeeld),
        "productcode": _gedeeld(kolom(5), gedeeld),
        "begindatum": datums(kolom(6)),
        "einddatum": datums(kolom(7)),
        "geleverd_volume": _getallen(kolom(8)),
        "eenheid": _gedeeld(kolom(9), gedeeld),
        "producttarief": _getallen(kolom(10)),
        "ingediend_bedrag": _getallen(kolom(11)),
        "debet_credit": kolom(12),
    }
    return tuple(_PRESTATIE.veel(kolommen))


def _bsns(eerste: str, volgende: list[str | None], n: int) -> Iterator[str]:
    """The BSN of every line: a client's BSN repeated over its lines. `volgende[i]` is the
    BSN of the client that starts after line i (None when the same client goes on)."""
    grenzen = [0, *compress(count(1), volgende), n]
    lengtes = map(sub, grenzen[1:], grenzen[:-1])
    return chain.from_iterable(map(repeat, chain((eerste,), filter(None, volgende)), lengtes))


def _gedeeld(teksten: list[str], gedeeld: dict[str, str]) -> Iterator[str]:
    """The same codes as one str object each (a million lines share a few dozen)."""
    return map(gedeeld.setdefault, teksten, teksten)


def _getallen(teksten: list[str | None]) -> list[Any]:
    """Ints (None stays None) of digit texts; cached, as a month has many lines but far
    fewer different volumes, tariffs and amounts."""
    if len(_GETALLEN) >= 200_000:
        _GETALLEN.clear()
        _GETALLEN[None] = None
    for nieuw in set(teksten).difference(_GETALLEN):
        _GETALLEN[nieuw] = int(nieuw)  # type: ignore[arg-type]  # None is in the cache
    return list(map(_GETALLEN.__getitem__, teksten))


_GETALLEN: dict[str | None, int | None] = {None: None}


T = TypeVar("T")


class _Bouwer(Generic[T]):
    """Makes objects of a frozen, slotted dataclass several times faster than its
    __init__, which must set every field through object.__setattr__ (the price of frozen).

    A plain slotted twin that `dataclasses` makes from the same fields has the same memory
    layout; its __init__ stores the slots directly, and then the object gets the real class
    by `__class__` assignment, which Python allows between such layouts. The result is an
    ordinary object of the class, equal to what its constructor makes. Should the class
    ever get a __post_init__ or lose its slots, the constructor is used instead.
    """

    def __init__(self, klasse: type[T]) -> None:
        self.klasse = klasse
        self.namen = tuple(veld.name for veld in dataclasses.fields(klasse))  # type: ignore[arg-type]
        tweeling: Any = dataclasses.make_dataclass(
            f"_{klasse.__name__}Tweeling", [(naam, Any) for naam in self.namen], slots=True,
            eq=False, repr=False, match_args=False)
        self._maak: Callable[..., Any] = tweeling if _verwisselbaar(tweeling, klasse) else klasse

    def een(self, *waarden: Any) -> T:
        obj = self._maak(*waarden)
        if type(obj) is not self.klasse:
            obj.__class__ = self.klasse
        return cast(T, obj)

    def veel(self, kolommen: dict[str, Iterable[Any]]) -> list[T]:
        """One object per row of the columns (by field name)."""
        objecten = list(map(self._maak, *(kolommen[naam] for naam in self.namen)))
        if self._maak is not self.klasse:
            deque(map(setattr, objecten, repeat("__class__"), repeat(self.klasse)), maxlen=0)
        return objecten


def _verwisselbaar(tweeling: type, klasse: type) -> bool:
    if hasattr(klasse, "__post_init__") or not hasattr(klasse, "__slots__"):
        return False
    proef = tweeling(*(None for _ in dataclasses.fields(klasse)))
    try:
        proef.__class__ = klasse
    except TypeError:
        return False
    return True


_PRESTATIE = _Bouwer(Prestatie)
_TOEWIJZING = _Bouwer(Toewijzing)


# ---------------------------------------------------------------- JW301

_TIJDEN: dict[str, time] = {}


def lees_jw301_snel(data: bytes) -> list[Toewijzing] | None:
    """Every version in a plain, schema-valid JW301 or WMO301; None when the grammar
    declines."""
    rijen = jw301_rijen_snel(data)
    return None if rijen is None else [_TOEWIJZING.een(*rij) for rij in rijen]


def jw301_rijen_snel(data: bytes) -> list[tuple[Any, ...]] | None:
    """Like `lees_jw301_snel`, every version as the tuple of Toewijzing's fields (what the
    allocation cache is built from, without an object per version). The standard is the
    one whose grammar takes the header (the root's namespace decides within its first
    characters; iJw is tried first)."""
    try:
        tekst = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    for standaard in STANDAARDEN:
        g = grammatica(standaard)
        kop = g.j301_kop.match(tekst)
        if kop is not None:
            break
    else:
        return None
    eind = kop.end()
    versies = []
    for product in g.j301_product.finditer(tekst, eind):
        if product.start() != eind:
            return None
        versies.append(product)
        eind = product.end()
    if not versies or not g.j301_staart.fullmatch(tekst, eind):
        return None
    try:
        return _rijen(kop, versies)
    except ValueError:  # a date that is not on the calendar: lxml names it
        return None


def _rijen(kop: re.Match[str], producten: list[re.Match[str]]) -> list[tuple[Any, ...]]:
    gemeente, aanbieder, _, dagtekening, bsn, geboren = kop.groups()
    datum(dagtekening)  # not used, but must exist
    datum(geboren)
    return [_versie(p.groups(), bsn, gemeente, aanbieder) for p in producten]


def _versie(g: tuple[str | Any, ...], bsn: str, gemeente: str, aanbieder: str,
            ) -> tuple[Any, ...]:
    """The fields of Toewijzing, in its order."""
    (nummer, categorie, code, toegewezen, tijd, ingang, eind, reden, volume, eenheid,
     frequentie, budget) = g
    return (nummer, bsn, gemeente, aanbieder, categorie, code, datum(toegewezen), _tijd(tijd),
            datum(ingang), datum(eind) if eind is not None else None,
            int(volume) if volume is not None else None, eenheid, frequentie,
            int(budget) if budget is not None else None, reden)


def _tijd(tekst: str) -> time:
    t = _TIJDEN.get(tekst)
    if t is None:
        if len(_TIJDEN) > 100_000:
            _TIJDEN.clear()
        t = _TIJDEN[tekst] = time.fromisoformat(tekst)
    return t
