"""The html format: a standalone page (inline CSS, no network) that prints well.

Accessible: lang="nl", every table a caption and column headers (`scope="col"`), totals in
`tfoot`; numbers right-aligned in Dutch notation. The template `rapport.html.j2` has blocks
(`kop_extra`, `voor_tabellen`, `na_tabellen`) a richer page (the year report) extends."""

from __future__ import annotations

from dataclasses import dataclass

from weergave.rapport.cellen import NUMERIEK, kopregels, lezen, totaalrij, voor_wie
from weergave.rapport.model import Cel, Kolom, Rapport, Signaal, Tabel
from weergave.sjablonen import render as render_sjabloon

SJABLOON = "rapport.html.j2"


@dataclass(frozen=True, slots=True)
class Weergave:
    """A cell or header as the template shows it."""

    tekst: str
    getal: bool


@dataclass(frozen=True, slots=True)
class TabelWeergave:
    naam: str
    titel: str
    toelichting: str
    kolommen: tuple[Weergave, ...]
    rijen: tuple[tuple[Weergave, ...], ...]
    totaal: tuple[Weergave, ...] | None


def render(rapport: Rapport, sjabloon: str = SJABLOON) -> bytes:
    return render_sjabloon(sjabloon, **waarden(rapport)).encode()


def waarden(rapport: Rapport) -> dict[str, object]:
    """What the template gets; a template that extends `rapport.html.j2` gets the same."""
    return {"titel": rapport.titel, "regio": rapport.regio, "jaar": rapport.jaar,
            "kop": kopregels(rapport),
            "tabellen": [tabel_weergave(t) for t in rapport.tabellen],
            "signalen": [_signaal(s) for s in rapport.signalen], "rapport": rapport}


def tabel_weergave(tabel: Tabel) -> TabelWeergave:
    totaal = totaalrij(tabel)
    return TabelWeergave(
        tabel.naam, tabel.titel, tabel.toelichting,
        tuple(Weergave(k.kop, k.soort in NUMERIEK) for k in tabel.kolommen),
        tuple(_rij(tabel.kolommen, rij) for rij in tabel.rijen),
        None if totaal is None else _rij(tabel.kolommen, totaal))


def _rij(kolommen: tuple[Kolom, ...], rij: tuple[Cel, ...]) -> tuple[Weergave, ...]:
    return tuple(Weergave(lezen(w, k.soort), k.soort in NUMERIEK)
                 for k, w in zip(kolommen, rij, strict=True))


def _signaal(s: Signaal) -> dict[str, object]:
    return {"code": s.code, "artikel": s.artikel, "lid": s.lid, "regel": s.regel,
            "zin": s.zin, "wie": voor_wie(s), "waarden": s.waarden}
