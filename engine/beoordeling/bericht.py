"""One message at a time (or several independent ones in one werkset), read against a
`Historie`: the credits decided first, the debits again when the message's own approved
credits change what they see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from engine import ir
from engine.backends.basis import Backend, Treffer, evalueer
from engine.beoordeling.bewijs import ontvangstbewijs
from engine.beoordeling.indeling import Indeling, boek_van
from engine.beoordeling.uitkomst import maak_beoordeling
from engine.model import (
    Context,
    Declaratie,
    DeclaratieBeoordeling,
    Goedgekeurd,
    Historie,
    Prestatie,
)
from engine.werkset import Verrekening, maak_werkset_reeks, met_verrekening


def beoordeel_samen(
    regelboek: ir.Regelboek,
    declaraties: Sequence[Declaratie],
    context: Context,
    historie: Historie,
    backend: Backend,
) -> list[DeclaratieBeoordeling]:
    """Messages of different providers, each read against the history through `Historie`
    (one werkset per message for a backend that takes one message at a time)."""
    werksets = _werksets(declaraties, context, historie, backend)
    per_bericht = _evalueer(regelboek, werksets, backend)
    herzien: dict[int, Verrekening] = {}
    for k, declaratie in enumerate(declaraties):
        if any(p.debet_credit == "C" for p in declaratie.prestaties):
            verrekening = _verrekening(regelboek, declaratie, historie, per_bericht[k])
            if raakt_debetten(verrekening, declaratie.prestaties):
                herzien[k] = verrekening
    if herzien:
        opnieuw = _evalueer(regelboek, _herziene_werksets(werksets, declaraties, historie,
                                                          herzien), backend)
        for k, treffers in zip(herzien, opnieuw, strict=True):
            prestaties = declaraties[k].prestaties
            credits = [t for t in per_bericht[k] if prestaties[t.rij].debet_credit == "C"]
            debets = [t for t in treffers if prestaties[t.rij].debet_credit == "D"]
            per_bericht[k] = credits + debets
    boek = boek_van(regelboek)
    return [maak_beoordeling(regelboek, d, Indeling.maak(boek, d.prestaties, per_bericht[k]),
                             ontvangstbewijs(regelboek, d, backend.naam))
            for k, d in enumerate(declaraties)]


@dataclass(slots=True)
class _Werkset:
    """A werkset and the messages it holds, in order."""

    frame: pl.DataFrame
    declaraties: list[Declaratie]


def _werksets(
    declaraties: Sequence[Declaratie], context: Context, historie: Historie, backend: Backend
) -> list[_Werkset]:
    """One werkset for all messages, or one per message for a backend that wants that."""
    if backend.vermogens.meerdere_berichten:
        return [_Werkset(maak_werkset_reeks(declaraties, context, historie), list(declaraties))]
    return [_Werkset(maak_werkset_reeks([d], context, historie), [d]) for d in declaraties]


def _herziene_werksets(
    werksets: list[_Werkset],
    declaraties: Sequence[Declaratie],
    historie: Historie,
    herzien: dict[int, Verrekening],
) -> list[_Werkset]:
    """The werksets of the messages in `herzien` (by position in `declaraties`, in order),
    with their history columns recomputed after their own approved credits."""
    uit: list[_Werkset] = []
    positie = 0
    for werkset in werksets:
        binnen = {k - positie: v for k, v in herzien.items()
                  if positie <= k < positie + len(werkset.declaraties)}
        positie += len(werkset.declaraties)
        if binnen:
            frame = met_verrekening(werkset.frame, werkset.declaraties, historie, binnen)
            uit.append(_Werkset(frame, [werkset.declaraties[i] for i in sorted(binnen)]))
    return uit


def _evalueer(
    regelboek: ir.Regelboek, werksets: list[_Werkset], backend: Backend
) -> list[list[Treffer]]:
    """The firings per message (over all werksets, in order), `rij` counted per message."""
    per_bericht: list[list[Treffer]] = []
    for werkset in werksets:
        begin = [0]
        for declaratie in werkset.declaraties:
            begin.append(begin[-1] + len(declaratie.prestaties))
        bericht_van = [k for k, d in enumerate(werkset.declaraties) for _ in d.prestaties]
        eigen: list[list[Treffer]] = [[] for _ in werkset.declaraties]
        treffers = evalueer(backend, regelboek, werkset.frame, beknopt=True)
        for treffer in treffers:
            k = bericht_van[treffer.rij]
            lokaal = treffer if begin[k] == 0 else Treffer(
                treffer.rij - begin[k], treffer.regel_id, treffer.waarden)
            eigen[k].append(lokaal)
        per_bericht.extend(eigen)
    return per_bericht


def _verrekening(
    regelboek: ir.Regelboek, declaratie: Declaratie, historie: Historie, treffers: list[Treffer]
) -> Verrekening:
    """What the approved credits of this message change for its debits."""
    indeling = Indeling.maak(boek_van(regelboek), declaratie.prestaties, treffers)
    credits = [
        p for rij, p in enumerate(declaratie.prestaties)
        if p.debet_credit == "C" and not indeling.afgewezen(rij, p.bsn)
    ]
    verrekening = Verrekening()
    vorige = [p.vorig_referentienummer for p in credits if p.vorig_referentienummer]
    debetten = historie.debetten(declaratie.aanbieder, vorige)
    for credit in credits:
        debet = debetten.get(credit.vorig_referentienummer or "")
        if debet is not None and not debet.gecrediteerd:
            verrekening.gecrediteerd.add(debet.referentienummer)
        oud = verrekening.per_toewijzing.get(credit.toewijzingnummer, Goedgekeurd())
        verrekening.per_toewijzing[credit.toewijzingnummer] = Goedgekeurd(
            oud.volume - credit.geleverd_volume, oud.bedrag - credit.ingediend_bedrag
        )
    return verrekening


def raakt_debetten(verrekening: Verrekening, prestaties: Sequence[Prestatie]) -> bool:
    if not verrekening.gecrediteerd and not verrekening.per_toewijzing:
        return False
    return any(
        p.debet_credit == "D"
        and (bool(verrekening.gecrediteerd) or p.toewijzingnummer in verrekening.per_toewijzing)
        for p in prestaties
    )
