"""Helpers of the service tests: message builders; the real server process lives in
tests/hulp/echte_server.py (the browser tests use it too)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from echte_server import REPO as REPO  # re-exported: the service tests import them here
from echte_server import Server as Server
from echte_server import vrije_poort as vrije_poort

from berichten.ijw.jw323 import schrijf_jw323
from engine.model import DebetCredit, Declaratie, Prestatie

# ---------------------------------------------------------------- message builders

BSN = "999900006"
BSN2 = "999900018"
AANBIEDER = "65656055"


def prestatie(volgnummer: int, referentie: str, toewijzing: str = "1", volume: int = 4,
              dc: DebetCredit = "D", vorig: str | None = None, bsn: str = BSN) -> Prestatie:
    return Prestatie(volgnummer, bsn, referentie, vorig, toewijzing, "45", "45A03",
                     date(2026, 4, 1), date(2026, 4, 30), volume, "04", 1250, 1250 * volume, dc)


def declaratie(nummer: str, *prestaties: Prestatie, gemeente: str = "0384",
               aanbieder: str = AANBIEDER) -> Declaratie:
    regels = tuple(replace(p, volgnummer=i) for i, p in enumerate(prestaties))
    totaal = sum(p.ingediend_bedrag * (1 if p.debet_credit == "D" else -1) for p in regels)
    d = Declaratie(aanbieder, gemeente, "", date(2026, 5, 6), nummer,
                   date(2026, 4, 1), date(2026, 4, 30), date(2026, 5, 6), totaal, regels)
    # the BerichtIdentificatie from the content: the same message again keeps it, another
    # message (even with the same DeclaratieNummer) gets its own (TR056, 9056)
    return replace(d, bericht_identificatie="B" + d.inhoud_sleutel()[:11])


def jw323(d: Declaratie) -> bytes:
    return schrijf_jw323(d)


def toewijzingen_json(*nummers_volumes: tuple[str, int], gemeente: str = "0384",
                      tijd: str = "10:00:00", aanbieder: str = AANBIEDER) -> dict[str, object]:
    return {"toewijzingen": [{
        "toewijzingnummer": nummer, "bsn": BSN, "gemeente": gemeente, "aanbieder": aanbieder,
        "productcategorie": "45", "productcode": "45A03", "toewijzingsdatum": "2026-03-01",
        "toewijzingstijd": tijd, "ingangsdatum": "2026-01-01", "volume": volume,
        "eenheid": "04", "frequentie": "6", "budget": None, "reden_wijziging": None}
        for nummer, volume in nummers_volumes]}
