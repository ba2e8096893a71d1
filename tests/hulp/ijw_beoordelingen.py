"""Hand-built assessments of the sample JW323, for the JW325 and explanation tests."""

from __future__ import annotations

import dataclasses
from datetime import date

from ijw_hulp import BERICHTEN

from berichten.ijw.jw323 import lees_jw323
from engine.model import (
    Declaratie,
    DeclaratieBeoordeling,
    Ontvangstbewijs,
    PrestatieUitkomst,
    Reden,
    Uitkomsten,
)

BEWIJS = Ontvangstbewijs("ab" * 32, ("iJw-tarief", "43"), date(2026, 4, 1), "0.1.0",
                         "vectorized")


def voorbeeld() -> Declaratie:
    return lees_jw323(BERICHTEN / "JW323.xml")


def reden(code: str) -> Reden:
    return Reden(code, "iJw-tarief", "iJw-0611", "Tarief volgens contract", "r1",
                 f"Uitleg bij {code}.", {"producttarief": "€ 12,50"}, "tarief.regels:20")


def beoordeel(declaratie: Declaratie, afgewezen: dict[int, tuple[str, ...]] | None = None,
              clienten: dict[str, tuple[str, ...]] | None = None,
              declaratie_codes: tuple[str, ...] = (),
              technische_fout: str | None = None) -> DeclaratieBeoordeling:
    """Lines in `afgewezen` (by volgnummer) are rejected with those codes; a client in
    `clienten` is rejected whole (its lines 0233); declaration codes reject every line."""
    afgewezen = dict(afgewezen or {})
    clienten = clienten or {}
    uitkomsten = []
    for p in declaratie.prestaties:
        codes = afgewezen.get(p.volgnummer, ())
        if p.bsn in clienten or declaratie_codes:
            codes = ("0233",)
        teken = 1 if p.debet_credit == "D" else -1
        uitkomsten.append(PrestatieUitkomst(
            p.volgnummer, p.referentienummer, p.bsn, "afgewezen" if codes else "goedgekeurd",
            codes, tuple(reden(c) for c in codes if c != "0233"), (),
            0 if codes else teken * p.ingediend_bedrag))
    return DeclaratieBeoordeling(
        declaratie, declaratie_codes, tuple(reden(c) for c in declaratie_codes), clienten,
        tuple(uitkomsten), (), sum(u.toegekend_bedrag for u in uitkomsten), BEWIJS,
        technische_fout)


def als_uitkomsten(b: DeclaratieBeoordeling) -> DeclaratieBeoordeling:
    """The same assessment with its outcomes as the pipeline hands them to the writers: an
    `Uitkomsten` that makes only the lines with codes, reasons or signals (by their row)."""
    alle = tuple(b.uitkomsten)
    bijzonder = {rij for rij, u in enumerate(alle) if u.retourcodes or u.redenen or u.signalen}
    afgewezen = sum(1 for u in alle if u.status == "afgewezen")
    lui = Uitkomsten(b.declaratie.prestaties, bijzonder, set(), False, alle.__getitem__,
                     afgewezen)
    return dataclasses.replace(b, uitkomsten=lui)
