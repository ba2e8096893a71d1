"""The json format: the report's own document when the issue fixes its keys, else a generic one.

The generic document:

    {"regio": str, "jaar": int, "soort": str, "titel": str,
     "kop": {label: waarde},
     "tabellen": {naam: [{kolom: waarde}]},
     "totalen": {naam: {kolom: waarde}}          (only tables with a totals row),
     "signalen": [{"code", "artikel", "lid", "regel", "zin", "aanbieder", "gemeente",
                   "periode", "waarden": {naam: waarde}}]}

Values as `cellen.machine` writes them: amounts integer cents, dates ISO, integral counts and
percentages as ints, other fractions as decimal strings rounded half away from zero to four
decimals (`"33.3333"`; a percentage is in percent: `"12.5000"` is 12.5 %)."""

from __future__ import annotations

import json
from typing import Any

from weergave.rapport.cellen import machine
from weergave.rapport.model import Cel, Rapport, Signaal, Tabel


def render(rapport: Rapport) -> bytes:
    inhoud = rapport.document if rapport.document is not None else document(rapport)
    return (json.dumps(inhoud, ensure_ascii=False, indent=2) + "\n").encode()


def document(rapport: Rapport) -> dict[str, Any]:
    """The generic document of a report without fixed keys."""
    return {
        "regio": rapport.regio, "jaar": rapport.jaar, "soort": rapport.soort,
        "titel": rapport.titel,
        "kop": dict(rapport.kop),
        "tabellen": {t.naam: [_rij(t, rij) for rij in t.rijen] for t in rapport.tabellen},
        "totalen": {t.naam: _rij(t, t.totaal) for t in rapport.tabellen
                    if t.totaal is not None},
        "signalen": [_signaal(s) for s in rapport.signalen],
    }


def _rij(tabel: Tabel, rij: tuple[Cel, ...]) -> dict[str, Any]:
    return {k.naam: machine(w, k.soort) for k, w in zip(tabel.kolommen, rij, strict=True)}


def _signaal(s: Signaal) -> dict[str, Any]:
    return {"code": s.code, "artikel": s.artikel, "lid": s.lid, "regel": s.regel,
            "zin": s.zin, "aanbieder": s.aanbieder, "gemeente": s.gemeente,
            "periode": s.periode, "waarden": dict(s.waarden)}
