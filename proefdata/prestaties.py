"""The lines (prestaties) of a generated month: per allocation and month the valid debit line,
then, for a planted error, the one change of its kind (one small function per kind)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, cast

from engine.model import DebetCredit
from proefdata.generator import Generator, Product, Proeftoewijzing
from proefdata.rekenen import afronden, afwezig_niet_vergoed, bedrag_en_tarief, maandeinde
from proefdata.soorten import CATEGORIEEN, PRESTATIE_SOORTEN, TOEWIJZING_VOLGT
from proefdata.toewijzingen import periodecap

Prestatievelden = tuple[str, str, str | None, str, str, str | None, date, date, int, str,
                        int | None, int, DebetCredit]
"""A line without its volgnummer: Prestatie's fields from bsn on."""


def met_ref(p: Prestatievelden, ref: str, vorig: str | None = None,
            dc: DebetCredit | None = None) -> Prestatievelden:
    """The line with another ReferentieNummer (and previous one, and debit/credit)."""
    return (p[0], ref, vorig, p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11],
            dc or p[12])


def maak_prestatie(g: Generator, t: Proeftoewijzing,
                   maand: date) -> tuple[Prestatievelden, str] | None:
    """The debit line of allocation `t` for `maand`, valid or with one planted error."""
    van, tot = max(maand, t.ingang), min(maandeinde(maand), t.einde)
    if van > tot:
        return None
    soort = t.soort
    if soort == "begin_voor_toewijzing":
        soort, van = ("begin_voor_toewijzing", maand) if van > maand else ("geldig", van)
    if soort == "einde_na_toewijzing":
        eind = maandeinde(maand)
        soort, tot = ("einde_na_toewijzing", eind) if tot < eind else ("geldig", tot)
    volume = _volume(g, t, van, tot, maand)
    if volume is None:
        return None
    if t.soort == "volume_cumulatief":
        soort = "volume_cumulatief" if t.gedeclareerd + volume > t.volume else "geldig"
    t.gedeclareerd += volume
    if soort == "geldig" and t.soort == "geldig" and g.rng.random() < g.kans_prestatie:
        soort = g.kies(PRESTATIE_SOORTEN)
    return _prestatie(g, t, soort, van, tot, volume, maand)


def _volume(g: Generator, t: Proeftoewijzing, van: date, tot: date, maand: date) -> int | None:
    dagen = (tot - van).days + 1
    if t.eenheid == "14":
        afw = t.afwezig.get(maand)
        return max(1, dagen - afwezig_niet_vergoed(t.product.soort, afw, van, tot))
    if t.frequentie == "6":
        if t.soort == "volume_cumulatief":
            return max(1, t.volume - t.gedeclareerd) if maand == g.maanden[0] else 1
        return t.volume if t.gedeclareerd == 0 else None
    volume = max(1, int(periodecap(t, van, tot, dagen) * (0.3 + 0.3 * g.rng.random())))
    if t.eenheid == "04" and t.prestatie_eenheid == "01":
        return g.getal(30, max(31, volume * 60 - 29))
    return volume


def _prestatie(g: Generator, t: Proeftoewijzing, soort: str, van: date, tot: date, volume: int,
               maand: date) -> tuple[Prestatievelden, str]:
    """The valid line, then the planted change of `soort` applied to it."""
    soort, volume = _volume_soort(g, t, soort, van, tot, volume, maand)
    eenheid = t.prestatie_eenheid
    tarief = g.tarieven.tarief(t.product.code, "04" if eenheid == "01" else eenheid, van)
    bedrag, getoond = bedrag_en_tarief(eenheid, volume, tarief or 0, tarief or 0)
    velden: list[Any] = [t.bsn, "", None, t.nummer, t.categorie, t.product.code, van, tot,
                         volume, eenheid, getoond, bedrag, "D"]
    plant = _PLANTERS.get(soort)
    if plant is not None and not plant(g, velden, t, tarief):
        soort = "geldig"
    if soort == "geldig" and t.soort in TOEWIJZING_VOLGT:
        soort = t.soort
    if soort == "budget_overschreden" and t.budget is not None and velden[11] <= t.budget:
        soort = "geldig"
    return cast(Prestatievelden, tuple(velden)), soort


def _volume_soort(g: Generator, t: Proeftoewijzing, soort: str, van: date, tot: date,
                  volume: int, maand: date) -> tuple[str, int]:
    """The planted kinds that change the volume (they need the period)."""
    if soort == "afwezigheid_genegeerd":
        return (soort, (tot - van).days + 1) if maand in t.afwezig else ("geldig", volume)
    if soort == "volume_boven_periode":
        if t.frequentie in ("1", "2", "4") and t.eenheid == t.prestatie_eenheid:
            return soort, _boven_periode(g, t, van, tot)
        return "geldig", volume
    return soort, volume


def _boven_periode(g: Generator, t: Proeftoewijzing, van: date, tot: date) -> int:
    cap = periodecap(t, van, tot, (tot - van).days + 1)
    extra = 1 + g.getal(0, 5)
    return cap + extra


# -- one small function per planted kind: change the line, say whether it applied


def _onbekend(g: Generator, v: list[Any], t: Proeftoewijzing, tarief: int | None) -> bool:
    v[3] = str(900_000_000 + g.getal(0, 99_999_999))
    return True


def _bsn(g: Generator, v: list[Any], t: Proeftoewijzing, tarief: int | None) -> bool:
    v[0] = g.andere_bsn(t.bsn)
    return True


def _categorie(g: Generator, v: list[Any], t: Proeftoewijzing, tarief: int | None) -> bool:
    v[4] = g.kies([c for c in CATEGORIEEN if c != v[4]])
    return True


def _code(g: Generator, v: list[Any], t: Proeftoewijzing, tarief: int | None) -> bool:
    v[5] = _andere_code(g, t.product)
    eigen = g.tarieven.tarief(v[5], "04" if v[9] == "01" else v[9], v[6])
    if eigen is not None:
        v[11], v[10] = bedrag_en_tarief(v[9], v[8], eigen, eigen)
    return True


def _eenheid(g: Generator, v: list[Any], t: Proeftoewijzing, tarief: int | None) -> bool:
    v[9] = g.kies([e for e in ("04", "14", "16", "84") if e not in (t.eenheid, v[9])])
    return True


def _tarief(g: Generator, v: list[Any], t: Proeftoewijzing, tarief: int | None) -> bool:
    if v[10] is None:
        return False
    v[10] = max(1, v[10] + g.kies((-1, 1)) * g.getal(1, 500))
    if v[10] == (tarief or 0) or v[10] == afronden(tarief or 0, 60):
        v[10] += 1
    return True


def _bedrag(g: Generator, v: list[Any], t: Proeftoewijzing, tarief: int | None) -> bool:
    v[11] += g.getal(1, 1000)
    return True


def _andere_code(g: Generator, product: Product) -> str:
    zelfde = [p.code for p in g.producten
              if p.categorie == product.categorie and p.code != product.code]
    if zelfde:
        return g.kies(zelfde)
    return product.categorie + "A99"


_Planter = Callable[[Generator, list[Any], Proeftoewijzing, "int | None"], bool]
_PLANTERS: dict[str, _Planter] = {
    "onbekende_toewijzing": _onbekend, "verkeerde_bsn": _bsn, "verkeerde_categorie": _categorie,
    "verkeerde_code": _code, "verkeerde_eenheid": _eenheid, "verkeerd_tarief": _tarief,
    "verkeerd_bedrag": _bedrag,
}
