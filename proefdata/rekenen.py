"""The arithmetic of the domain that a valid generated line must follow: rounding, months and
ISO weeks, amount and tariff per unit, and the absent days that may not be declared."""

from __future__ import annotations

from datetime import date, timedelta


def afronden(teller: int, noemer: int) -> int:
    """teller / noemer rounded half up (amounts are never negative here)."""
    return (2 * teller + noemer) // (2 * noemer)


_MAANDEINDE: dict[tuple[int, int], date] = {}


def maandeinde(dag: date) -> date:
    """The last day of the month of `dag`."""
    sleutel = (dag.year, dag.month)
    einde = _MAANDEINDE.get(sleutel)
    if einde is None:
        volgende = date(dag.year + dag.month // 12, dag.month % 12 + 1, 1)
        einde = _MAANDEINDE[sleutel] = volgende - timedelta(days=1)
    return einde


def volgende_maand(dag: date) -> date:
    return maandeinde(dag) + timedelta(days=1)


def maandnummer(dag: date) -> int:
    return dag.year * 12 + dag.month


def iso_weken(van: date, tot: date) -> int:
    """The number of ISO weeks that touch van..tot (inclusive)."""
    maandag_van = van - timedelta(days=van.weekday())
    maandag_tot = tot - timedelta(days=tot.weekday())
    return (maandag_tot - maandag_van).days // 7 + 1


def bedrag_en_tarief(eenheid: str, volume: int, tarief: int | None,
                     uurtarief: int | None) -> tuple[int, int | None]:
    """(IngediendBedrag, ProductTarief) of a correct line. Minutes: the shown tariff is the
    hour tariff / 60 rounded, the amount round(hour tariff x minutes / 60); euro (83): the
    volume is the amount and there is no tariff."""
    if eenheid == "83":
        return volume, None
    if eenheid == "01":
        assert uurtarief is not None
        return afronden(uurtarief * volume, 60), afronden(uurtarief, 60)
    assert tarief is not None
    return volume * tarief, tarief


def afwezig_niet_vergoed(soort: str, afw: tuple[date, date] | None, van: date,
                         tot: date) -> int:
    """Absent days that may not be declared: all of them for short stays; for long stays
    those of an absence of at most 14 days, and beyond the first 14 of a longer one."""
    if afw is None:
        return 0
    begin, eind = max(afw[0], van), min(afw[1], tot)
    dagen = max(0, (eind - begin).days + 1)
    if soort == "verblijf-langdurend" and dagen > 14:
        return dagen - 14
    return dagen
