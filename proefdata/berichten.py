"""The messages of a generated month, in processing order: per month the credits and
corrected debits of last month's lines, the new debits per provider and gemeente, and the
planted message kinds (credit and debit mistakes, reused reference and declaration numbers);
then each message as a Declaratie."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from engine.model import Declaratie, Prestatie
from proefdata.generator import Generator, Proeftoewijzing
from proefdata.prestaties import Prestatievelden, maak_prestatie, met_ref
from proefdata.rekenen import bedrag_en_tarief, maandeinde, volgende_maand
from proefdata.soorten import FOUT_SOORTEN

_Geldig = dict[str, list[tuple[Proeftoewijzing, Prestatievelden]]]
"""per provider: the approved lines of clean allocations (what later months credit or reuse)"""


@dataclass(slots=True)
class Bericht:
    """A message while generating: its lines with their planted kinds."""

    aanbieder: str
    gemeente: str
    maand: date
    prestaties: list[tuple[Prestatievelden, str]] = field(default_factory=list)
    declaratienummer: str | None = None


class Berichten:
    """Turns the allocations into messages, month by month, in processing order."""

    def __init__(self, g: Generator) -> None:
        self.g = g
        self.berichten: list[Bericht] = []
        self._decnr: dict[str, int] = {}
        self._laatste_nr: dict[tuple[str, str], str] = {}
        self.gewijzigd: set[tuple[str, str]] = set()
        """(aanbieder, ReferentieNummer) of valid lines that a later planting changed"""

    def maak(self) -> list[Bericht]:
        vorige: _Geldig = {}
        for i, maand in enumerate(self.g.maanden):
            gewoon: dict[tuple[str, str], Bericht] = {}
            gecrediteerd: _Geldig = {}
            if i > 0:
                gecrediteerd = self._credits(vorige, gewoon, maand)
            nieuw = self._debetten(gewoon, maand)
            if i > 0:
                self._eerdere_referenties(gewoon, vorige)
            self._sluit(gewoon.values())
            nieuw = {a: [(t, p) for t, p in lijst if (a, p[1]) not in self.gewijzigd]
                     for a, lijst in nieuw.items()}
            if i > 0:
                self._correcties(vorige, gecrediteerd, nieuw, maand)
            vorige = nieuw
        return self.berichten

    def _bericht(self, berichten: dict[tuple[str, str], Bericht], t: Proeftoewijzing,
                 maand: date) -> Bericht:
        sleutel = (t.aanbieder, t.gemeente)
        b = berichten.get(sleutel)
        if b is None:
            b = berichten[sleutel] = Bericht(t.aanbieder, t.gemeente, maand)
        return b

    def _debetten(self, gewoon: dict[tuple[str, str], Bericht], maand: date) -> _Geldig:
        geldig: _Geldig = {}
        for t in self.g.toewijzingen:
            uit = maak_prestatie(self.g, t, maand)
            if uit is None:
                continue
            p, soort = uit
            p = met_ref(p, self.g.referentie(t.aanbieder))
            self._bericht(gewoon, t, maand).prestaties.append((p, soort))
            if soort == "geldig" and t.soort == "geldig":
                # only lines of clean allocations are credited or reused later: a planted
                # allocation error would make the follow-up outcome depend on the history
                geldig.setdefault(t.aanbieder, []).append((t, p))
        return geldig

    def _credits(self, vorige: _Geldig, gewoon: dict[tuple[str, str], Bericht],
                 maand: date) -> _Geldig:
        """Credit a share of last month's approved lines and declare them again, corrected."""
        gecrediteerd: _Geldig = {}
        for aanbieder, prestaties in vorige.items():
            for t, p in prestaties:
                if self.g.rng.random() >= self.g.creditaandeel:
                    continue
                b = self._bericht(gewoon, t, maand)
                b.prestaties.append((met_ref(p, self.g.referentie(aanbieder), p[1], "C"),
                                     "credit"))
                b.prestaties.append((met_ref(self._minder(p), self.g.referentie(aanbieder)),
                                     "herdebet"))
                gecrediteerd.setdefault(aanbieder, []).append((t, p))
        return gecrediteerd

    def _minder(self, p: Prestatievelden) -> Prestatievelden:
        """The corrected line: a little less volume, the amount recomputed."""
        eenheid, volume = p[9], p[8]
        stap = 15 if eenheid == "01" else 100 if eenheid == "83" else 1
        nieuw = max(1, volume - stap)
        tarief = self.g.tarieven.tarief(p[5] or "", "04" if eenheid == "01" else eenheid, p[6])
        bedrag, getoond = bedrag_en_tarief(eenheid, nieuw, tarief or 0, tarief or 0)
        return (p[0], p[1], None, p[3], p[4], p[5], p[6], p[7], nieuw, eenheid, getoond,
                bedrag, "D")

    def _eerdere_referenties(self, gewoon: dict[tuple[str, str], Bericht],
                             vorige: _Geldig) -> None:
        """Reuse a ReferentieNummer of an earlier message on some valid new lines."""
        kans = self.g.foutaandeel / FOUT_SOORTEN
        for b in gewoon.values():
            oud = vorige.get(b.aanbieder)
            if not oud:
                continue
            for _ in range(int(len(b.prestaties) * kans + self.g.rng.random())):
                i = self.g.getal(0, len(b.prestaties))
                p, soort = b.prestaties[i]
                if soort == "geldig":
                    ref = self.g.kies(oud)[1][1]
                    b.prestaties[i] = (met_ref(p, ref), "dubbel_referentienummer_eerder")
                    self.gewijzigd.add((b.aanbieder, p[1]))

    def _correcties(self, vorige: _Geldig, gecrediteerd: _Geldig, nieuw: _Geldig,
                    maand: date) -> None:
        """Per provider a small later message with the credit/debit mistakes, and once per
        month a message that reuses an earlier DeclaratieNummer."""
        for k, (aanbieder, prestaties) in enumerate(vorige.items()):
            n = round(self.g.foutaandeel / FOUT_SOORTEN * len(prestaties)) or (
                1 if k == 0 else 0)
            if n == 0:
                continue
            gemeente = prestaties[0][0].gemeente
            b = Bericht(aanbieder, gemeente, maand)
            eigen = [(t, p) for t, p in prestaties if t.gemeente == gemeente]
            al = {p[1] for _, p in gecrediteerd.get(aanbieder, [])}
            for _, p in self.g.rng.sample(eigen, min(n, len(eigen))):
                ref = self.g.referentie(aanbieder)
                b.prestaties.append((met_ref(p, ref, "X" + ref, "C"), "credit_zonder_debet"))
            for p in [p for t, p in gecrediteerd.get(aanbieder, [])
                      if t.gemeente == gemeente][:n]:
                b.prestaties.append((met_ref(p, self.g.referentie(aanbieder), p[1], "C"),
                                     "dubbel_credit"))
            for p in [p for _, p in eigen if p[1] not in al][:n]:
                b.prestaties.append((met_ref(self._minder(p), self.g.referentie(aanbieder)),
                                     "debet_zonder_credit"))
            if b.prestaties:
                self._sluit([b])
        self._dubbel_nummer(nieuw, maand)

    def _dubbel_nummer(self, nieuw: _Geldig, maand: date) -> None:
        for aanbieder, prestaties in nieuw.items():
            t = prestaties[0][0]
            oud = self._laatste_nr.get((aanbieder, t.gemeente))
            if oud is None:
                continue
            b = Bericht(aanbieder, t.gemeente, maand, declaratienummer=oud)
            for t2, p2 in prestaties[:2]:
                if t2.gemeente == t.gemeente:
                    b.prestaties.append((met_ref(p2, self.g.referentie(aanbieder)),
                                         "dubbel_declaratienummer"))
            self._sluit([b])
            return

    def _sluit(self, berichten: Iterable[Bericht]) -> None:
        """Number the finished messages, plant in-message duplicate references, queue them."""
        for b in berichten:
            if not b.prestaties:
                continue
            self._dubbel_binnen(b)
            if b.declaratienummer is None:
                n = self._decnr.get(b.aanbieder, 0) + 1
                self._decnr[b.aanbieder] = n
                b.declaratienummer = f"D{b.maand:%Y%m}{n:04d}"
                self._laatste_nr[(b.aanbieder, b.gemeente)] = b.declaratienummer
            self.berichten.append(b)

    def _dubbel_binnen(self, b: Bericht) -> None:
        for i, (p, soort) in enumerate(b.prestaties):
            if soort == "dubbel_referentienummer":
                if i == 0 or b.prestaties[i - 1][1] != "geldig":
                    b.prestaties[i] = (p, "geldig")
                    continue
                vorige, _ = b.prestaties[i - 1]
                b.prestaties[i - 1] = (vorige, "dubbel_referentienummer")
                self.gewijzigd.add((b.aanbieder, vorige[1]))
                b.prestaties[i] = (met_ref(p, vorige[1]), soort)


def declaratie(b: Bericht, volgnummer: int) -> tuple[Declaratie, tuple[str, ...]]:
    """The message as a Declaratie, lines grouped per client as the XML nests them."""
    per_client: dict[str, list[tuple[Prestatievelden, str]]] = {}
    for p, soort in b.prestaties:
        per_client.setdefault(p[0], []).append((p, soort))
    geordend = [x for groep in per_client.values() for x in groep]
    prestaties = tuple(Prestatie(i, *p) for i, (p, _) in enumerate(geordend))
    totaal = sum(p.ingediend_bedrag if p.debet_credit == "D" else -p.ingediend_bedrag
                 for p in prestaties)
    dag = volgende_maand(b.maand) + timedelta(days=4)
    assert b.declaratienummer is not None
    d = Declaratie(b.aanbieder, b.gemeente, f"B{b.maand:%Y%m}{volgnummer:05d}"[:12], dag,
                   b.declaratienummer, b.maand, maandeinde(b.maand), dag, totaal, prestaties)
    return d, tuple(s for _, s in geordend)
