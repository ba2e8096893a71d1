"""The allocations of a generated month: per client one to three allocations with their
period, volume and frequency, the absences of stays, and the JW301 versions in message order
(a planted allocation kind changes exactly one of these)."""

from __future__ import annotations

from datetime import date, time, timedelta

from engine.bsn import controlecijfer
from engine.model import Afwezigheid, Toewijzing
from proefdata.generator import Generator, Proeftoewijzing
from proefdata.rekenen import afronden, iso_weken, maandeinde, maandnummer
from proefdata.soorten import CATEGORIEEN, NIET_GEPLANT, TOEWIJZING_SOORTEN

_TIJDEN = tuple(time(8 + n // 60, n % 60, (n * 7) % 60) for n in range(0, 600, 7))


def maak_toewijzingen(g: Generator) -> None:
    """Allocations until their months add up to about the lines asked for."""
    verwacht = 0.0
    while verwacht < g.doel / (1 + 2 * g.creditaandeel):
        soort = "geldig"
        if g.rng.random() < g.kans_toewijzing / len(TOEWIJZING_SOORTEN):
            soort = "ongeldige_bsn"
        bsn = g.nieuwe_bsn(geldig=soort != "ongeldige_bsn")
        if soort == "ongeldige_bsn":
            # Drawn as before (the rest of the month does not move), but no longer planted:
            # since OP286 a BSN that fails the elfproef refuses every message it is in as a
            # whole (CS002), which would leave a third of a month unassessed. The client
            # gets the valid check digit; refused messages are tested on their own.
            bsn = bsn[:8] + (controlecijfer(bsn[:8]) or bsn[8])
        if soort != "ongeldige_bsn":
            g.geldige_bsns.append(bsn)
        gemeente = g.kies(g.gemeenten)
        aanbieder = g.kies(g.aanbieders)
        for _ in range(g.kies((1, 1, 1, 2, 2, 3))):
            t = _toewijzing(g, bsn, gemeente, aanbieder, soort)
            if t.soort in NIET_GEPLANT:
                t.soort = "geldig"
            maanden = maandnummer(min(t.einde, g.einde)) - maandnummer(
                max(t.ingang, g.begin)) + 1
            verwacht += min(maanden, 1) if t.frequentie == "6" else max(maanden, 0)


def _toewijzing(g: Generator, bsn: str, gemeente: str, aanbieder: str,
                soort: str) -> Proeftoewijzing:
    if soort == "geldig" and g.rng.random() < g.kans_toewijzing:
        soort = g.kies(TOEWIJZING_SOORTEN[:-1])
        if soort == "vervoer" and not g.vervoer:
            soort = "geldig"
    product = g.kies(g.vervoer if soort == "vervoer" else g.producten)
    ingang, einde = _looptijd(g, soort)
    t = Proeftoewijzing(g.nieuw_nummer(), bsn, gemeente, aanbieder, product,
                        product.categorie, ingang, einde, 0, product.eenheid, "4", None, soort,
                        product.eenheid)
    _omvang(g, t)
    if soort == "code_niet_in_categorie":
        t.categorie = g.kies([c for c in CATEGORIEEN if c != product.categorie])
    _afwezigheden(g, t)
    g.toewijzingen.append(t)
    _versies(g, t)
    return t


def _looptijd(g: Generator, soort: str) -> tuple[date, date]:
    rng = g.rng
    ingang = date.fromordinal(g.begin_dag - g.getal(30, 300))
    einde = date.fromordinal(g.einde_dag + g.getal(20, 400))
    if soort == "begin_voor_toewijzing" or (soort == "geldig" and rng.random() < 0.12):
        m = g.maanden[0] if soort != "geldig" else g.kies(g.maanden)
        ingang = m + timedelta(days=g.getal(3, 25))
    if soort == "einde_na_toewijzing" or (soort == "geldig" and rng.random() < 0.08):
        m = g.maanden[-1] if soort != "geldig" else g.kies(g.maanden)
        einde = max(ingang, m) + timedelta(days=g.getal(1, 20))
        einde = min(einde, maandeinde(m) - timedelta(days=1))
    return ingang, einde


def _omvang(g: Generator, t: Proeftoewijzing) -> None:
    rng, e = g.rng, t.product.eenheid
    if e == "04":
        t.frequentie, t.volume = ("2", g.getal(3, 9)) if rng.random() < 0.7 else (
            "4", g.getal(12, 40))
        keuze = rng.random()
        if keuze < 0.2:
            t.prestatie_eenheid = "01"  # minutes on an allocation in hours
        elif keuze < 0.3:
            t.eenheid = t.prestatie_eenheid = "01"  # an allocation in minutes
            t.volume *= 60
    elif e == "14":
        t.frequentie, t.volume = ("1", 1) if rng.random() < 0.5 else ("4", 31)
    elif e in ("16", "84"):
        t.frequentie, t.volume = "2", g.getal(3, 11)
    elif e == "82":
        t.frequentie, t.volume = ("6", 1) if rng.random() < 0.5 else ("4", 1)
    else:  # 83: the volume is an amount in cents
        t.frequentie, t.volume = "4", g.getal(50_000, 250_000)
    if t.soort == "volume_cumulatief":
        t.frequentie, t.prestatie_eenheid = "6", t.eenheid
        t.volume = max(2, t.volume * 2)
    if t.soort != "budget_overschreden" and rng.random() < 0.1:
        t.budget = 10_000_000


def _afwezigheden(g: Generator, t: Proeftoewijzing) -> None:
    if t.product.eenheid != "14" or g.rng.random() > 0.35:
        return
    for m in g.maanden:
        if g.rng.random() < 0.5:
            lengte = g.kies((2, 4, 7, 10, 15, 18, 21, 25))
            van = m + timedelta(days=g.getal(0, 28 - min(lengte, 27)))
            tot = min(van + timedelta(days=lengte - 1), maandeinde(m))
            # an absence is registered for a real BSN only (the CSV checks the
            # elfproef); tested after the draws, so the rest of the month is the same
            if van >= t.ingang and tot <= t.einde and t.soort != "ongeldige_bsn":
                t.afwezig[m] = (van, tot)
                g.afwezigheden.append(Afwezigheid(t.bsn, t.nummer, van, tot))


def _versies(g: Generator, t: Proeftoewijzing) -> None:
    """The JW301 versions: sometimes an earlier one with other values, then the one in
    force; a deleted allocation gets a last version with RedenWijziging 13."""
    dag = date.fromordinal(min(t.ingang, g.begin).toordinal() - g.getal(1, 20))
    tijd = g.kies(_TIJDEN)
    if g.rng.random() < 0.1:
        g.versies.append(_versie(t, dag, tijd, None, volume=max(1, t.volume // 2)))
        dag += timedelta(days=g.getal(1, 10))
        g.versies.append(_versie(t, dag, tijd, "01"))
    else:
        g.versies.append(_versie(t, dag, tijd, None))
    if t.soort == "verwijderde_toewijzing":
        g.versies.append(_versie(t, dag + timedelta(days=1), tijd, "13"))


def _versie(t: Proeftoewijzing, dag: date, tijd: time, reden: str | None,
            volume: int | None = None) -> Toewijzing:
    return Toewijzing(t.nummer, t.bsn, t.gemeente, t.aanbieder, t.categorie, t.product.code,
                      dag, tijd, t.ingang, t.einde, volume or t.volume, t.eenheid,
                      t.frequentie, t.budget, reden)


def zet_budgetten(g: Generator) -> None:
    """A budget below the first month's amount for the planted budget kind."""
    for t in g.toewijzingen:
        if t.soort == "budget_overschreden":
            t.budget = max(1, _verwacht_bedrag(g, t) // 3)
    budgetten = {t.nummer: t.budget for t in g.toewijzingen}
    g.versies = [v if v.budget == budgetten[v.toewijzingnummer] else
                 _met_budget(v, budgetten[v.toewijzingnummer]) for v in g.versies]


def _verwacht_bedrag(g: Generator, t: Proeftoewijzing) -> int:
    dag = max(t.ingang, g.begin)
    tarief = g.tarieven.tarief(t.product.code, t.product.eenheid, dag) or 100
    if t.eenheid == "83":
        return max(3, t.volume)
    return max(3, afronden(t.volume * tarief, 60) if t.eenheid == "01" else t.volume * tarief)


def _met_budget(v: Toewijzing, budget: int | None) -> Toewijzing:
    return Toewijzing(v.toewijzingnummer, v.bsn, v.gemeente, v.aanbieder, v.productcategorie,
                      v.productcode, v.toewijzingsdatum, v.toewijzingstijd, v.ingangsdatum,
                      v.einddatum, v.volume, v.eenheid, v.frequentie, budget, v.reden_wijziging)


def periodecap(t: Proeftoewijzing, van: date, tot: date, dagen: int) -> int:
    """The allocation's volume for the period van..tot (per day, per ISO week, per month)."""
    if t.frequentie == "1":
        return t.volume * dagen
    if t.frequentie == "2":
        return t.volume * iso_weken(van, tot)
    return t.volume
