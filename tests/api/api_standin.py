"""A small stand-in for the rule language and the engine, used only by the service tests.

It lets the tests control exactly which rules fire (uniqueness, 9333, 9338, 9322, 8017) and
which rule sets load, so they test the service: persistence, history, locking, access,
reloads, errors. Everything else (reading JW301/JW323/JSON/CSV, writing the JW325 and the
explanation) is the real code; test_api_echt.py runs the real rule books end to end.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from api.motor import EchteMotor, Regelfout, RegelsetFoutError
from engine.ir import Regelboek
from engine.model import (
    Context,
    Declaratie,
    DeclaratieBeoordeling,
    Historie,
    Ontvangstbewijs,
    PrestatieUitkomst,
    Reden,
)


def contract(gemeenten: str, extra: str = "") -> str:
    """A stand-in contract file: a `gemeenten` line; the word FOUT makes it fail to load."""
    return f"gemeenten {gemeenten}\n{extra}"


def _reden(code: str, uitleg: str, **waarden: str) -> Reden:
    return Reden(code, "43", "43.1", f"regel {code}", f"43.1/{code}", uitleg, dict(waarden),
                 "contract.regels:1")


@dataclass
class StandInMotor(EchteMotor):
    """Stand-in rules; `wacht` (an Event) makes `beoordeel` block until it is set."""

    wacht: threading.Event | None = None
    bezig: threading.Event = field(default_factory=threading.Event)
    fout: Exception | None = None

    def laad_contract(self, map: Path, standaard: Path | None) -> Regelboek:
        tekst = (map / "contract.regels").read_text()
        for nummer, line in enumerate(tekst.splitlines(), start=1):
            if "FOUT" in line:
                raise RegelsetFoutError([Regelfout("contract.regels", nummer, line.index("FOUT")
                                                   + 1, "onbekend woord 'FOUT'", "fout")])
        gemeenten = tekst.splitlines()[0].split()[1:]
        return Regelboek(map.name, map.name, tuple(gemeenten), (), {}, {}, (), (), (),
                         hashlib.sha256(tekst.encode()).hexdigest(), ("contract.regels",))

    def valideer_tekst(self, tekst: str, bestandsnaam: str) -> list[Regelfout]:
        return [Regelfout(bestandsnaam, i, line.index("FOUT") + 1, "onbekend woord 'FOUT'")
                for i, line in enumerate(tekst.splitlines(), start=1) if "FOUT" in line]

    def beoordeel(self, regelboek: Regelboek, declaratie: Declaratie, context: Context,
                  historie: Historie, backend: str) -> DeclaratieBeoordeling:
        self.bezig.set()
        if self.wacht is not None:
            self.wacht.wait(10)
        if self.fout is not None:
            raise self.fout
        b = beoordeel(regelboek, declaratie, context, historie, backend)
        if declaratie.declaratienummer.startswith("TECH"):
            bsn = declaratie.prestaties[0].bsn
            return replace(b, technische_fout=f"technisch onjuist (bsn {bsn})")
        return b

    def artikelen_html(self, regelboek: Regelboek, datum: date) -> str:
        return f"<html><body>{regelboek.naam} {datum}</body></html>"


def beoordeel(regelboek: Regelboek, declaratie: Declaratie, context: Context,
              historie: Historie, backend: str) -> DeclaratieBeoordeling:
    """Stand-in rules: 9333, 8021, 9338, 9322 (cumulative volume), 8017 (credit)."""
    a = declaratie.aanbieder
    inhoud = historie.declaratie_inhoud(a, declaratie.declaratienummer)
    dubbel = inhoud is not None and inhoud != declaratie.inhoud_sleutel()
    regels = declaratie.prestaties
    bekend = historie.bekende_referentienummers(a, [p.referentienummer for p in regels])
    nummers = {p.toewijzingnummer for p in declaratie.prestaties}
    volume = {n: g.volume for n, g in historie.goedgekeurd_per_toewijzing(a, nummers).items()}
    debetten = historie.debetten(a, [p.vorig_referentienummer or "" for p in declaratie.prestaties])
    uitkomsten = []
    for p in declaratie.prestaties:
        t = context.toewijzingen.get(p.toewijzingnummer)
        redenen = []
        if dubbel:
            redenen.append(_reden("9333", "Het declaratienummer is al gebruikt."))
        if p.referentienummer in bekend:
            redenen.append(_reden("8021", "Het referentienummer is al gebruikt."))
        if t is None:
            # Shows the BSN, as a lawyer's rule may: the service must mask it (weergave.privacy).
            redenen.append(_reden("9338", f"Geen toewijzing gevonden. (jeugdige {p.bsn})",
                                  bsn=p.bsn))
        elif p.debet_credit == "D" and t.volume is not None and \
                volume.get(p.toewijzingnummer, 0) + p.geleverd_volume > t.volume:
            redenen.append(_reden("9322", "Meer dan toegewezen.",
                                  toegewezen=str(t.volume)))
        if p.debet_credit == "C" and p.vorig_referentienummer not in debetten:
            redenen.append(_reden("8017", "Geen goedgekeurde debetregel."))
        goed = not redenen
        if goed:
            teken = 1 if p.debet_credit == "D" else -1
            volume[p.toewijzingnummer] = volume.get(p.toewijzingnummer, 0) \
                + teken * p.geleverd_volume
        bedrag = (p.ingediend_bedrag if p.debet_credit == "D" else -p.ingediend_bedrag) \
            if goed else 0
        uitkomsten.append(PrestatieUitkomst(
            p.volgnummer, p.referentienummer, p.bsn, "goedgekeurd" if goed else "afgewezen",
            tuple(r.retourcode or "" for r in redenen), tuple(redenen), (), bedrag))
    bewijs = Ontvangstbewijs(regelboek.hash, (), declaratie.declaratie_begindatum, "test",
                             backend)
    return DeclaratieBeoordeling(
        declaratie, ("9333",) if dubbel else (),
        (_reden("9333", "Het declaratienummer is al gebruikt."),) if dubbel else (), {},
        tuple(uitkomsten), (), sum(u.toegekend_bedrag for u in uitkomsten), bewijs)

