"""The explanation document of an assessment: every line, approved ones too, with its
reasons (retourcode, article, lid, rule, Dutch sentence, compared values) and the receipt;
as JSON-ready dict (`uitleg_document`) and as plain text for a person (`uitleg_tekst`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from itertools import chain, compress, repeat
from json.encoder import encode_basestring
from operator import attrgetter, ne
from typing import Any

from berichten.ijw.jw325 import declaratie_codes
from engine.model import DeclaratieBeoordeling, PrestatieUitkomst, Reden, Uitkomsten
from engine.opmaak import datum, geld


def uitleg_document(beoordeling: DeclaratieBeoordeling) -> dict[str, Any]:
    """The explanation in the shape of issue 3, plus `aanbieder`, `gemeente`,
    `technische_fout`, `client_retourcodes`, `redenen`/`signalen` at declaration level and
    `backend` in the receipt. Amounts are signed integer cents."""
    return {**_kop(beoordeling),
            "prestaties": [_prestatie(u) for u in beoordeling.uitkomsten],
            "ontvangstbewijs": _ontvangstbewijs(beoordeling)}


def uitleg_json(beoordeling: DeclaratieBeoordeling) -> str:
    """`json.dumps(uitleg_document(beoordeling), ensure_ascii=False)`, character for
    character, several times faster: the lines, most of them approved without remarks, are
    written from a template instead of as a dict per line."""
    kop = _ENCODER.encode(_kop(beoordeling))
    return (f"{kop[:-1]}, \"prestaties\": [{_prestaties_json(beoordeling.uitkomsten)}], "
            f"\"ontvangstbewijs\": {_ENCODER.encode(_ontvangstbewijs(beoordeling))}}}")


def _kop(b: DeclaratieBeoordeling) -> dict[str, Any]:
    d = b.declaratie
    technisch = b.technische_fout is not None
    return {
        "declaratienummer": d.declaratienummer,
        "aanbieder": d.aanbieder,
        "gemeente": d.gemeente,
        "bericht_identificatie": d.bericht_identificatie,
        "totaal_ingediend": d.totaal_ingediend,
        "totaal_toegekend": b.totaal_toegekend,
        "retourcodes": ["0001"] if technisch else list(declaratie_codes(b)),
        "technische_fout": b.technische_fout,
        "redenen": [_reden(r) for r in b.redenen],
        "signalen": [_reden(r) for r in b.signalen],
        "client_retourcodes": {bsn: list(c) for bsn, c in b.client_retourcodes.items()},
    }


def _ontvangstbewijs(b: DeclaratieBeoordeling) -> dict[str, Any]:
    return {
        "regelset_hash": b.ontvangstbewijs.regelset_hash,
        "artikelen_in_werking": list(b.ontvangstbewijs.artikelen_in_werking),
        "peildatum": b.ontvangstbewijs.peildatum.isoformat(),
        "engine_versie": b.ontvangstbewijs.engine_versie,
        "backend": b.ontvangstbewijs.backend,
    }


def _prestatie(u: PrestatieUitkomst) -> dict[str, Any]:
    return {
        "volgnummer": u.volgnummer,
        "referentienummer": u.referentienummer,
        "bsn": u.bsn,
        "status": u.status,
        "retourcodes": list(u.retourcodes),
        "toegekend_bedrag": u.toegekend_bedrag,
        "redenen": [_reden(r) for r in u.redenen],
        "signalen": [_reden(r) for r in u.signalen],
    }


def _reden(r: Reden) -> dict[str, Any]:
    return {
        "retourcode": r.retourcode,
        "artikel": r.artikel,
        "lid": r.lid,
        "regel": r.regel,
        "uitleg": r.uitleg,
        "waarden": dict(r.waarden),
        "bron": r.bron,
    }


# ---------------------------------------------------------------- JSON text

_ENCODER = json.JSONEncoder(ensure_ascii=False)
"""What json.dumps(..., ensure_ascii=False) uses, made once."""

_UIT_UITKOMST = attrgetter("volgnummer", "referentienummer", "bsn", "status",
                           "toegekend_bedrag")
_UIT_PRESTATIE = attrgetter("volgnummer", "referentienummer", "bsn", "ingediend_bedrag",
                            "debet_credit")
_OPMERKINGEN = attrgetter("retourcodes", "redenen", "signalen")

_KAAL = ('{"volgnummer": ', ', "referentienummer": "', '", "bsn": "', '", "status": "',
         '", "retourcodes": [], "toegekend_bedrag": ', ', "redenen": [], "signalen": []}')
"""A line without codes, reasons or signals as the encoder writes it: the pieces around its
five values. The texts go between the quotes as they are when none needs escaping."""

_STUKKEN = 2 * len(_KAAL) - 1
"""Pieces per line in the joined text: the fixed ones and the five values between them."""

_GETALLEN = tuple(range(100_000))
_NUMMERS = tuple(map(str, _GETALLEN))
"""The usual volgnummers 0, 1, 2, ... and their text."""


def _prestaties_json(uitkomsten: Sequence[PrestatieUitkomst]) -> str:
    """The lines as the encoder writes them in a list (without brackets): every line as a
    bare one (no codes, reasons or signals), column by column in C-level loops, then the
    few others written in full in their place. From the pipeline's `Uitkomsten` the bare
    lines are written from the Prestaties, without making their outcomes."""
    n = len(uitkomsten)
    if n == 0:
        return ""
    if isinstance(uitkomsten, Uitkomsten):
        volgnummers, nummers, bsns, bedragen, tekens = map(
            list, zip(*map(_UIT_PRESTATIE, uitkomsten.prestaties), strict=True))
        if tekens.count("D") != n:  # as goedgekeurd_zonder_opmerking: only D is a debit
            for i in compress(range(n), map(ne, tekens, repeat("D"))):
                bedragen[i] = -bedragen[i]
        statussen = ["goedgekeurd"] * n
        bijzonder: Iterable[int] = uitkomsten.bijzondere_rijen()
    else:
        volgnummers, nummers, bsns, statussen, bedragen = map(
            list, zip(*map(_UIT_UITKOMST, uitkomsten), strict=True))
        bijzonder = compress(range(n), map(any, map(_OPMERKINGEN, uitkomsten)))
    try:
        waarden = (_getallen_tekst(volgnummers), _binnen_quotes(nummers),
                   _binnen_quotes(bsns), _binnen_quotes(statussen), _getallen_tekst(bedragen))
    except TypeError:  # a value of another type than the model's: every line in full
        return ", ".join(map(_prestatie_json, uitkomsten))
    # one list of all pieces, filled per kind by slice assignment, joined once
    stukken: list[str] = [", " + _KAAL[0]] * (_STUKKEN * n)
    stukken[0] = _KAAL[0]
    for plek, kolom in enumerate(waarden):
        stukken[2 * plek + 1::_STUKKEN] = kolom
        stukken[2 * plek + 2::_STUKKEN] = [_KAAL[plek + 1]] * n
    for i in bijzonder:
        regel = _prestatie_json(uitkomsten[i])
        stukken[_STUKKEN * i:_STUKKEN * (i + 1)] = [(", " if i else "") + regel,
                                                    *repeat("", _STUKKEN - 1)]
    return "".join(stukken)


def _getallen_tekst(getallen: list[int]) -> list[str]:
    """Ints as the encoder writes them; TypeError for anything else (a bool, a float)."""
    if not set(map(type, getallen)) <= {int}:
        raise TypeError("geen int")
    n = len(getallen)
    if n <= len(_GETALLEN) and getallen == list(_GETALLEN[:n]):
        return list(_NUMMERS[:n])
    if len(_TEKSTEN) >= 200_000:
        _TEKSTEN.clear()
    for nieuw in set(getallen).difference(_TEKSTEN):
        _TEKSTEN[nieuw] = int.__repr__(nieuw)
    return list(map(_TEKSTEN.__getitem__, getallen))


_TEKSTEN: dict[int, str] = {}
"""Amounts as text: a month has many lines but far fewer different amounts."""


def _binnen_quotes(teksten: list[str]) -> list[str]:
    """Texts as the encoder writes them between its quotes (usually: unchanged); TypeError
    for anything but text."""
    samen = "".join(teksten)
    if (samen.isascii() and samen.encode("ascii").isalnum()) or not _ESCAPE.search(samen):
        return teksten
    return [encode_basestring(t)[1:-1] for t in teksten]


_ESCAPE = re.compile(r'["\\\x00-\x1f]')
"""What `encode_basestring` would escape."""


def _prestatie_json(u: PrestatieUitkomst) -> str:
    """`_ENCODER.encode(_prestatie(u))`, without the dicts when the values have the model's
    types (`encode_basestring` refuses anything but text, an int is checked), and with the
    parts of reasons that repeat from line to line written once."""
    volgnummer, nummer, bsn, status, bedrag = _UIT_UITKOMST(u)
    if type(volgnummer) is int and type(bedrag) is int:
        try:
            return (f'{{"volgnummer": {volgnummer}, "referentienummer": '
                    f'{encode_basestring(nummer)}, "bsn": {encode_basestring(bsn)}, '
                    f'"status": {encode_basestring(status)}, "retourcodes": '
                    f'[{", ".join(map(encode_basestring, u.retourcodes))}], '
                    f'"toegekend_bedrag": {bedrag}, '
                    f'"redenen": [{", ".join(map(_reden_json, u.redenen))}], '
                    f'"signalen": [{", ".join(map(_reden_json, u.signalen))}]}}')
        except TypeError:
            pass
    return _ENCODER.encode(_prestatie(u))


_VAST = attrgetter("retourcode", "artikel", "lid", "regel", "bron")
_REDEN_VAST: dict[tuple[str | None, ...], tuple[str, str]] = {}
"""The JSON around a reason's `uitleg` and `waarden`, by its fixed fields (text or None):
a rule gives the same for every line it rejects."""


def _reden_json(r: Reden) -> str:
    """As the encoder writes `_reden(r)`; TypeError when a text is not one."""
    sleutel = _VAST(r)
    vast = _REDEN_VAST.get(sleutel) or _reden_vast(sleutel)
    return f"{vast[0]}{encode_basestring(r.uitleg)}{_waarden_json(r.waarden)}{vast[1]}"


def _reden_vast(sleutel: tuple[Any, ...]) -> tuple[str, str]:
    code, artikel, lid, regel, bron = map(_ENCODER.encode, sleutel)
    vast = (f'{{"retourcode": {code}, "artikel": {artikel}, "lid": {lid}, '
            f'"regel": {regel}, "uitleg": ', f', "bron": {bron}}}')
    if all(type(v) is str or v is None for v in sleutel):  # (1 == True: keep types apart)
        if len(_REDEN_VAST) >= 10_000:
            _REDEN_VAST.clear()
        _REDEN_VAST[sleutel] = vast
    return vast


_SLEUTELS: dict[tuple[str, ...], tuple[str, ...]] = {}
"""The JSON before each value of a `waarden` dict, by its keys (fixed per rule)."""


def _waarden_json(waarden: dict[str, str]) -> str:
    """`, "waarden": {...}` for a dict of texts by texts; TypeError for anything else."""
    if type(waarden) is not dict:
        raise TypeError("geen dict")
    if not waarden:
        return ', "waarden": {}'
    sleutels = tuple(waarden)
    voor = _SLEUTELS.get(sleutels)
    if voor is None:
        voor = tuple((", " if i else ', "waarden": {') + encode_basestring(k) + ": "
                     for i, k in enumerate(sleutels))
        if len(_SLEUTELS) >= 10_000:
            _SLEUTELS.clear()
        _SLEUTELS[sleutels] = voor
    return "".join(chain.from_iterable(zip(voor, map(encode_basestring, waarden.values()),
                                           strict=True))) + "}"


def uitleg_tekst(beoordeling: DeclaratieBeoordeling) -> str:
    """The explanation as plain Dutch text for the provider: a summary, then every rejected
    line with its reasons, then the signals and the receipt. BSNs are not printed: a line
    is named by its number in the message ('prestatie 2': in Dutch a 'regel' is a rule) and
    its ReferentieNummer; dates in the sentences are written in words ('1 april 2026')."""
    b, d = beoordeling, beoordeling.declaratie
    regels = [f"Declaratie {d.declaratienummer} van aanbieder {d.aanbieder} aan gemeente "
              f"{d.gemeente}"]
    if b.technische_fout is not None:
        code = ", ".join(b.retourcodes) or "0001"
        regels += [f"Het bericht is technisch afgewezen (retourcode {code}); er is niets "
                   "beoordeeld.", f"Fout: {b.technische_fout}"]
        return "\n".join(regels) + "\n"
    afgewezen = [u for u in b.uitkomsten if u.status == "afgewezen"]
    regels += [
        f"Ingediend: {geld(d.totaal_ingediend)}; toegekend: {geld(b.totaal_toegekend)}.",
        f"{len(b.uitkomsten) - len(afgewezen)} van de {len(b.uitkomsten)} prestaties "
        f"goedgekeurd, {len(afgewezen)} afgewezen. Retourcodes declaratie: "
        f"{', '.join(declaratie_codes(b))}.",
    ]
    regels += [f"  Declaratie: {_reden_tekst(r)}" for r in b.redenen]
    for u in afgewezen:
        regels.append(f"P{_prestatie_naam(u)[1:]}: afgewezen, "
                      f"{', '.join(u.retourcodes)}")
        regels += [f"  - {_reden_tekst(r)}" for r in u.redenen]
    regels += _signalen(b)
    o = b.ontvangstbewijs
    regels.append(f"Ontvangstbewijs: regelset {o.regelset_hash[:12]}, peildatum "
                  f"{datum(o.peildatum)}, engine {o.engine_versie} ({o.backend}); "
                  f"artikelen in werking: {', '.join(o.artikelen_in_werking) or '-'}.")
    return "\n".join(regels) + "\n"


def _signalen(b: DeclaratieBeoordeling) -> list[str]:
    uit = [f"Signaal: {_reden_tekst(r)}" for r in b.signalen]
    for u in b.uitkomsten:
        uit += [f"Signaal bij {_prestatie_naam(u)}: {_reden_tekst(r)}"
                for r in u.signalen]
    return uit


def _prestatie_naam(u: PrestatieUitkomst) -> str:
    """'prestatie 2 (referentienummer RN002)': the line's number as the provider counts
    them in the message (from 1), then its own reference."""
    return f"prestatie {u.volgnummer + 1} (referentienummer {u.referentienummer})"


def _reden_tekst(r: Reden) -> str:
    plaats = f"artikel {r.artikel}" + (f" lid {r.lid}" if r.lid else "")
    code = f"{r.retourcode} " if r.retourcode else ""
    return f"{code}{r.uitleg} ({plaats}, regel \"{r.regel}\")"
