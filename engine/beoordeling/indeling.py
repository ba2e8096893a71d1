"""Which line is rejected why: a message's firings sorted by level (line, client, declaration),
with what the pipeline needs to know of the rule book's rules (`Boek`, derived once per book)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from engine import ir
from engine.backends.basis import Treffer
from engine.model import Prestatie

_PRESTATIE, _CLIENT, _DECLARATIE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Boek:
    """What the pipeline needs to know of a rule book's rules, by rule id."""

    regels: dict[str, ir.Regel]
    index: dict[str, int]
    afwijzend: frozenset[str]
    """rules that reject"""
    soort: dict[str, tuple[int, bool, bool]]
    """per rule: level (_PRESTATIE, _CLIENT, _DECLARATIE), rejects, rejects with a retourcode
    (a line with only codeless rejections of its own stays approved)"""


_NIVEAUS = {"prestatie": _PRESTATIE, "client": _CLIENT}


def boek_van(regelboek: ir.Regelboek) -> Boek:
    return regelboek.afgeleid.geef("beoordeling.boek", lambda: _maak_boek(regelboek))


def _maak_boek(regelboek: ir.Regelboek) -> Boek:
    regels = {regel.id: regel for regel in regelboek.regels}
    afwijzend = frozenset(i for i, r in regels.items() if r.soort == "afwijzen")
    soort = {i: (_NIVEAUS.get(r.niveau, _DECLARATIE), i in afwijzend,
                 i in afwijzend and bool(r.retourcode)) for i, r in regels.items()}
    return Boek(regels, {regel.id: i for i, regel in enumerate(regelboek.regels)},
                 afwijzend, soort)


@dataclass(slots=True)
class Indeling:
    """The firings of one message sorted by level: per line, per client, for the
    declaration. A firing's line is `treffer.rij - verschuiving`."""

    boek: Boek
    prestaties: Sequence[Prestatie]
    verschuiving: int
    per_rij: dict[int, list[Treffer]] = field(default_factory=dict)
    per_client: dict[str, list[Treffer]] = field(default_factory=dict)
    declaratie: list[Treffer] = field(default_factory=list)
    afgewezen_rijen: set[int] = field(default_factory=set)
    """lines with a rejecting firing of their own"""
    gecodeerd: set[int] = field(default_factory=set)
    """lines with a rejecting firing of their own that has a retourcode"""
    afgewezen_clienten: set[str] = field(default_factory=set)
    afgewezen_bericht: bool = False

    @staticmethod
    def maak(boek: Boek, prestaties: Sequence[Prestatie], treffers: Iterable[Treffer],
             verschuiving: int = 0) -> Indeling:
        indeling = Indeling(boek, prestaties, verschuiving)
        soorten, aantal = boek.soort, len(prestaties)
        for treffer in treffers:
            soort = soorten.get(treffer.regel_id)
            rij = treffer.rij - verschuiving
            if soort is None or not 0 <= rij < aantal:
                continue
            niveau, afwijzend, gecodeerd = soort
            if niveau == _PRESTATIE:
                indeling.per_rij.setdefault(rij, []).append(treffer)
                if afwijzend:
                    indeling.afgewezen_rijen.add(rij)
                    if gecodeerd:
                        indeling.gecodeerd.add(rij)
            elif niveau == _CLIENT:
                bsn = prestaties[rij].bsn
                indeling.per_client.setdefault(bsn, []).append(treffer)
                if afwijzend:
                    indeling.afgewezen_clienten.add(bsn)
            else:
                indeling.declaratie.append(treffer)
                indeling.afgewezen_bericht |= afwijzend
        return indeling

    def prestatie(self, treffer: Treffer) -> Prestatie:
        return self.prestaties[treffer.rij - self.verschuiving]

    def afwijzend(self, treffers: Iterable[Treffer]) -> list[Treffer]:
        return [t for t in treffers if t.regel_id in self.boek.afwijzend]

    def afgewezen(self, rij: int, bsn: str) -> bool:
        """The line has a rejecting firing, of its own, its client's or the declaration's."""
        return (rij in self.afgewezen_rijen or bsn in self.afgewezen_clienten
                or self.afgewezen_bericht)

    def status_afgewezen(self, rij: int, bsn: str) -> bool:
        """The line's outcome is a rejection (its own needs a retourcode)."""
        return rij in self.gecodeerd or bsn in self.afgewezen_clienten or self.afgewezen_bericht

    def client_codes(self, bsn: str) -> tuple[str, ...]:
        """The codes of the client's rejecting rules, in the rule book's order."""
        regels = {t.regel_id for t in self.afwijzend(self.per_client.get(bsn, ()))}
        volgorde = sorted(regels, key=self.boek.index.__getitem__)
        return tuple(dict.fromkeys(c for c in (self.boek.regels[r].retourcode for r in volgorde)
                                   if c))
