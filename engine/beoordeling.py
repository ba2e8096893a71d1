"""The assessment pipeline: a JW323 message in, a `DeclaratieBeoordeling` out.

    werkset (engine.werkset) -> backend.evalueer (which rules fire where) -> outcome

Credits are processed before debits: the credits are decided first, and when approved
credits of the message clear earlier debits or lower the approved volume of an allocation,
the debits are assessed again on a werkset that knows it. Rules at client or declaration
level reject the whole client (its lines get 0233) or declaration (every line gets 0233).
A line is approved or rejected whole; every incoming line gets an outcome, in input order.
The decision for a line depends only on the message, the context and the history, never
on the order of clients or lines in the file. `beoordeel` does not record into the history;
`beoordeel_reeks` does, message by message.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from engine import ir
from engine.backend import Backend, Treffer, kies_backend
from engine.batch import zonder_gc
from engine.model import (
    Context,
    Declaratie,
    DeclaratieBeoordeling,
    Goedgekeurd,
    Historie,
    Ontvangstbewijs,
    Prestatie,
    PrestatieUitkomst,
    Reden,
)
from engine.waarden import toon_pad, toon_waarde, type_van, vul_uitleg
from engine.werkset import (
    Verrekening,
    maak_werkset_reeks,
    met_verrekening,
    vaste_toewijzingen,
)

if TYPE_CHECKING:
    import polars as pl

CLIENT_AFGEWEZEN = "0233"


def engine_versie() -> str:
    """The installed version of regelwerk (for the receipt)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("regelwerk")
    except PackageNotFoundError:
        return "0.0.0"


def beoordeel(
    regelboek: ir.Regelboek,
    declaratie: Declaratie,
    context: Context,
    historie: Historie,
    backend: str | Backend = "vectorized",
    peildatum_verwerking: date | None = None,
) -> DeclaratieBeoordeling:
    """Assess one message against the rule book; the history is read, not written.

    `peildatum_verwerking` (the processing date) is accepted for callers that know it; rules
    and tariffs are selected by the care's date, so it does not change any decision."""
    uitvoerder = kies_backend(backend) if isinstance(backend, str) else backend
    return _beoordeel_samen(regelboek, [declaratie], context, historie, uitvoerder)[0]


REGELS_PER_BLOK = 1_000_000
"""`beoordeel_reeks` splits its input in blocks of about this many lines; a block is
assessed in waves (one werkset per wave), so a larger block means fewer, larger werksets."""


def beoordeel_reeks(
    regelboek: ir.Regelboek,
    declaraties: Iterable[Declaratie],
    context: Context,
    historie: Historie,
    backend: str | Backend = "vectorized",
) -> Iterator[DeclaratieBeoordeling]:
    """Assess messages in order, registering each into `historie`: each sees the history of
    the ones before it. A backend that takes several messages per werkset gets them in
    waves of messages of different providers (the history is per provider, so the outcome
    is the same as one by one); the results still come in input order."""
    uitvoerder = kies_backend(backend) if isinstance(backend, str) else backend
    if not getattr(uitvoerder, "meerdere_berichten", False):
        for declaratie in declaraties:
            beoordeling = beoordeel(regelboek, declaratie, context, historie, uitvoerder)
            historie.registreer(beoordeling)
            yield beoordeling
        return
    for blok in _blokken(declaraties, REGELS_PER_BLOK):
        with zonder_gc(), vaste_toewijzingen(context.toewijzingen):
            klaar = _beoordeel_blok(regelboek, blok, context, historie, uitvoerder)
        yield from klaar


def _blokken(declaraties: Iterable[Declaratie], regels: int) -> Iterator[list[Declaratie]]:
    blok: list[Declaratie] = []
    aantal = 0
    for declaratie in declaraties:
        blok.append(declaratie)
        aantal += len(declaratie.prestaties)
        if aantal >= regels:
            yield blok
            blok, aantal = [], 0
    if blok:
        yield blok


def _beoordeel_blok(
    regelboek: ir.Regelboek,
    blok: list[Declaratie],
    context: Context,
    historie: Historie,
    backend: Backend,
) -> list[DeclaratieBeoordeling]:
    uitkomsten: dict[int, DeclaratieBeoordeling] = {}
    for golf in _golven(blok):
        samen = _beoordeel_samen(regelboek, [blok[i] for i in golf], context, historie, backend)
        for i, beoordeling in zip(golf, samen, strict=True):
            historie.registreer(beoordeling)
            uitkomsten[i] = beoordeling
    return [uitkomsten[i] for i in range(len(blok))]


def _golven(blok: Sequence[Declaratie]) -> list[list[int]]:
    """Wave k holds the k-th message of every provider in the block."""
    golven: list[list[int]] = []
    per_aanbieder: dict[str, int] = {}
    for i, declaratie in enumerate(blok):
        k = per_aanbieder.get(declaratie.aanbieder, 0)
        per_aanbieder[declaratie.aanbieder] = k + 1
        if k == len(golven):
            golven.append([])
        golven[k].append(i)
    return golven


# ---------------------------------------------------------------- credits before debits


def _beoordeel_samen(
    regelboek: ir.Regelboek,
    declaraties: Sequence[Declaratie],
    context: Context,
    historie: Historie,
    backend: Backend,
) -> list[DeclaratieBeoordeling]:
    """Messages of different providers, assessed in one werkset (or one by one for a backend
    that takes one message at a time)."""
    werksets = _werksets(declaraties, context, historie, backend)
    per_bericht = _evalueer(regelboek, werksets, backend)
    herzien: dict[int, Verrekening] = {}
    for k, declaratie in enumerate(declaraties):
        if any(p.debet_credit == "C" for p in declaratie.prestaties):
            verrekening = _verrekening(regelboek, declaratie, historie, per_bericht[k])
            if _raakt_debetten(verrekening, declaratie.prestaties):
                herzien[k] = verrekening
    if herzien:
        opnieuw = _evalueer(regelboek, _herziene_werksets(werksets, declaraties, historie,
                                                          herzien), backend)
        for k, treffers in zip(herzien, opnieuw, strict=True):
            prestaties = declaraties[k].prestaties
            credits = [t for t in per_bericht[k] if prestaties[t.rij].debet_credit == "C"]
            debets = [t for t in treffers if prestaties[t.rij].debet_credit == "D"]
            per_bericht[k] = credits + debets
    return [_uitkomst(regelboek, d, per_bericht[k], backend.naam)
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
    if getattr(backend, "meerdere_berichten", False):
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
    beknopt = getattr(backend, "evalueer_beknopt", None)
    for werkset in werksets:
        begin = [0]
        for declaratie in werkset.declaraties:
            begin.append(begin[-1] + len(declaratie.prestaties))
        bericht_van = [k for k, d in enumerate(werkset.declaraties) for _ in d.prestaties]
        eigen: list[list[Treffer]] = [[] for _ in werkset.declaraties]
        treffers = (beknopt(regelboek, werkset.frame) if beknopt
                    else backend.evalueer(regelboek, werkset.frame))
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
    indeling = _Indeling.maak(regelboek, declaratie.prestaties, treffers)
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


def _raakt_debetten(verrekening: Verrekening, prestaties: Sequence[Prestatie]) -> bool:
    if not verrekening.gecrediteerd and not verrekening.per_toewijzing:
        return False
    return any(
        p.debet_credit == "D"
        and (bool(verrekening.gecrediteerd) or p.toewijzingnummer in verrekening.per_toewijzing)
        for p in prestaties
    )


# ---------------------------------------------------------------- which line is rejected why


@dataclass(slots=True)
class _Indeling:
    """Firings sorted by level: per line, per client, for the declaration."""

    regel_index: dict[str, int]
    regels: dict[str, ir.Regel]
    per_rij: dict[int, list[Treffer]]
    per_client: dict[str, list[Treffer]]
    declaratie: list[Treffer]
    rijen_bsn: list[str]
    rijen_ref: list[str]

    @staticmethod
    def maak(
        regelboek: ir.Regelboek, prestaties: Sequence[Prestatie], treffers: Iterable[Treffer]
    ) -> _Indeling:
        regels = {regel.id: regel for regel in regelboek.regels}
        index = {regel.id: i for i, regel in enumerate(regelboek.regels)}
        indeling = _Indeling(index, regels, {}, {}, [], [p.bsn for p in prestaties],
                             [p.referentienummer for p in prestaties])
        for treffer in treffers:
            regel = regels.get(treffer.regel_id)
            if regel is None or not 0 <= treffer.rij < len(prestaties):
                continue
            if regel.niveau == "prestatie":
                indeling.per_rij.setdefault(treffer.rij, []).append(treffer)
            elif regel.niveau == "client":
                indeling.per_client.setdefault(prestaties[treffer.rij].bsn, []).append(treffer)
            else:
                indeling.declaratie.append(treffer)
        return indeling

    def afwijzend(self, treffers: Iterable[Treffer]) -> list[Treffer]:
        return [t for t in treffers if self.regels[t.regel_id].soort == "afwijzen"]

    def afgewezen(self, rij: int, bsn: str) -> bool:
        return bool(
            self.afwijzend(self.per_rij.get(rij, ()))
            or self.afwijzend(self.per_client.get(bsn, ()))
            or self.afwijzend(self.declaratie)
        )


# ---------------------------------------------------------------- the outcome


def _uitkomst(
    regelboek: ir.Regelboek, declaratie: Declaratie, treffers: list[Treffer], backend: str
) -> DeclaratieBeoordeling:
    prestaties = declaratie.prestaties
    indeling = _Indeling.maak(regelboek, prestaties, treffers)
    redenen = _Redenen(regelboek, indeling)
    declaratie_redenen = redenen.groep(indeling.afwijzend(indeling.declaratie))
    client_redenen = {
        bsn: redenen.groep(indeling.afwijzend(lijst)) for bsn, lijst in indeling.per_client.items()
    }
    client_redenen = {bsn: lijst for bsn, lijst in client_redenen.items() if lijst}
    uitkomsten = tuple(
        _prestatie_uitkomst(rij, p, indeling, redenen, declaratie_redenen,
                            client_redenen.get(p.bsn, ()))
        for rij, p in enumerate(prestaties)
    )
    return DeclaratieBeoordeling(
        declaratie=declaratie,
        retourcodes=_codes(declaratie_redenen),
        redenen=tuple(declaratie_redenen),
        client_retourcodes={bsn: _codes(lijst) for bsn, lijst in sorted(client_redenen.items())},
        uitkomsten=uitkomsten,
        signalen=_groepsignalen(indeling, redenen),
        totaal_toegekend=sum(u.toegekend_bedrag for u in uitkomsten),
        ontvangstbewijs=ontvangstbewijs(regelboek, declaratie, backend),
    )


_LEEG: tuple[Reden, ...] = ()
_ZETTERS = tuple(
    getattr(PrestatieUitkomst, veld.name).__set__
    for veld in dataclasses.fields(PrestatieUitkomst)
)


def _goedgekeurd(prestatie: Prestatie) -> PrestatieUitkomst:
    """An approved line without remarks: the bulk of every message. Filled through the slot
    descriptors, which is twice as fast as the frozen dataclass's __init__ (same object)."""
    uitkomst = object.__new__(PrestatieUitkomst)
    volgnummer, referentienummer, bsn, status, codes, redenen, signalen, bedrag = _ZETTERS
    volgnummer(uitkomst, prestatie.volgnummer)
    referentienummer(uitkomst, prestatie.referentienummer)
    bsn(uitkomst, prestatie.bsn)
    status(uitkomst, "goedgekeurd")
    codes(uitkomst, ())
    redenen(uitkomst, _LEEG)
    signalen(uitkomst, _LEEG)
    bedrag(uitkomst, _getekend(prestatie))
    return uitkomst


def _prestatie_uitkomst(
    rij: int,
    prestatie: Prestatie,
    indeling: _Indeling,
    redenen: _Redenen,
    declaratie_redenen: Sequence[Reden],
    client_redenen: Sequence[Reden],
) -> PrestatieUitkomst:
    eigen = indeling.per_rij.get(rij)
    if eigen is None and not declaratie_redenen and not client_redenen:
        return _goedgekeurd(prestatie)
    eigen = eigen or []
    afwijzing = redenen.lijst(indeling.afwijzend(eigen))
    signalen = redenen.lijst([t for t in eigen if indeling.regels[t.regel_id].soort != "afwijzen"])
    codes = list(_codes(afwijzing))
    if declaratie_redenen or client_redenen:
        # The line is not assessed when its client or declaration is rejected (0233): its
        # own findings would be codes the provider cannot act on; the group's reason explains.
        codes = [CLIENT_AFGEWEZEN]
        afwijzing = [*client_redenen, *declaratie_redenen]
    if not codes:
        bedrag = _getekend(prestatie)
        return PrestatieUitkomst(prestatie.volgnummer, prestatie.referentienummer, prestatie.bsn,
                                 "goedgekeurd", (), _LEEG, tuple(signalen), bedrag)
    return PrestatieUitkomst(prestatie.volgnummer, prestatie.referentienummer, prestatie.bsn,
                             "afgewezen", tuple(dict.fromkeys(codes)), tuple(afwijzing),
                             tuple(signalen), 0)


def _getekend(prestatie: Prestatie) -> int:
    """The line's amount, negative for a credit."""
    bedrag = prestatie.ingediend_bedrag
    return bedrag if prestatie.debet_credit == "D" else -bedrag


def _codes(redenen: Iterable[Reden]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.retourcode for r in redenen if r.retourcode))


def _groepsignalen(indeling: _Indeling, redenen: _Redenen) -> tuple[Reden, ...]:
    groepen = [*indeling.per_client.values(), indeling.declaratie]
    signalen = [
        t for lijst in groepen for t in lijst if indeling.regels[t.regel_id].soort != "afwijzen"
    ]
    per_client: dict[tuple[str, str], list[Treffer]] = {}
    for treffer in signalen:
        sleutel = (treffer.regel_id, indeling.rijen_bsn[treffer.rij]
                   if indeling.regels[treffer.regel_id].niveau == "client" else "")
        per_client.setdefault(sleutel, []).append(treffer)
    return tuple(redenen.groep(lijst)[0] for _, lijst in sorted(per_client.items()))


class _Redenen:
    """Turns firings into `Reden`s: values formatted for people, uitleg filled in."""

    def __init__(self, regelboek: ir.Regelboek, indeling: _Indeling) -> None:
        self.regelboek = regelboek
        self.indeling = indeling

    def reden(self, treffer: Treffer) -> Reden:
        regel = self.indeling.regels[treffer.regel_id]
        typen = _waardetypen(self.regelboek, regel)
        waarden = {
            naam: toon_waarde(waarde, typen.get(naam)) for naam, waarde in treffer.waarden
        }
        return Reden(
            retourcode=regel.retourcode,
            artikel=regel.artikel,
            lid=regel.lid,
            regel=regel.naam,
            regel_id=regel.id,
            uitleg=vul_uitleg(regel.uitleg, waarden),
            waarden=waarden,
            bron=f"{toon_pad(regel.bron.bestand)}:{regel.bron.line}",
        )

    def lijst(self, treffers: Iterable[Treffer]) -> list[Reden]:
        """One reason per rule, in the rule book's order."""
        per_regel: dict[str, Treffer] = {}
        for treffer in treffers:
            per_regel.setdefault(treffer.regel_id, treffer)
        volgorde = sorted(per_regel, key=self.indeling.regel_index.__getitem__)
        return [self.reden(per_regel[regel_id]) for regel_id in volgorde]

    def groep(self, treffers: Iterable[Treffer]) -> list[Reden]:
        """Like `lijst`, for a client or declaration: per rule the firing of the line that
        sorts first by ReferentieNummer, so the reason does not depend on the line order."""
        gekozen: dict[str, Treffer] = {}
        for treffer in treffers:
            huidig = gekozen.get(treffer.regel_id)
            if huidig is None or self._sleutel(treffer) < self._sleutel(huidig):
                gekozen[treffer.regel_id] = treffer
        return self.lijst(gekozen.values())

    def _sleutel(self, treffer: Treffer) -> tuple[str, str]:
        return (self.indeling.rijen_ref[treffer.rij], repr(treffer.waarden))


_TYPEN: dict[tuple[int, str], tuple[ir.Regelboek, dict[str, ir.Type]]] = {}


def _waardetypen(regelboek: ir.Regelboek, regel: ir.Regel) -> dict[str, ir.Type]:
    sleutel = (id(regelboek), regel.id)
    bewaard = _TYPEN.get(sleutel)
    if bewaard is None or bewaard[0] is not regelboek:
        if len(_TYPEN) > 5000:
            _TYPEN.clear()
        bewaard = (regelboek, {naam: type_van(e, regelboek) for naam, e in regel.waarden})
        _TYPEN[sleutel] = bewaard
    return bewaard[1]


@lru_cache(maxsize=1)
def _versie() -> str:
    return engine_versie()


def ontvangstbewijs(
    regelboek: ir.Regelboek, declaratie: Declaratie, backend: str
) -> Ontvangstbewijs:
    """The receipt: which rule set, which articles in force on the peildatum, which engine."""
    peildatum = declaratie.declaratie_begindatum
    artikelen = tuple(a.nummer for a in regelboek.artikelen if a.geldig.geldt_op(peildatum))
    return Ontvangstbewijs(regelboek.hash, artikelen, peildatum, _versie(), backend)


def technisch_afgewezen(
    regelboek: ir.Regelboek,
    kop: dict[str, str | None],
    fout: str,
    backend: str = "vectorized",
    vandaag: date | None = None,
) -> DeclaratieBeoordeling:
    """The assessment of a message that failed its schema: nothing assessed, answered with
    0001 (`engine.ijw.jw325.schrijf_jw325` sees `technische_fout`). `kop` is the best-effort
    header of `engine.ijw.jw323.kop_uit`; what is missing stays empty."""
    dag = vandaag or date.today()
    dagtekening = _datum_of(kop.get("dagtekening"), dag)
    declaratie = Declaratie(
        aanbieder=kop.get("aanbieder") or "", gemeente=kop.get("gemeente") or "",
        bericht_identificatie=kop.get("identificatie") or "", bericht_dagtekening=dagtekening,
        declaratienummer=kop.get("declaratienummer") or "", declaratie_begindatum=dagtekening,
        declaratie_einddatum=dagtekening, declaratiedagtekening=dagtekening,
        totaal_ingediend=0, prestaties=(),
    )
    bewijs = Ontvangstbewijs(regelboek.hash, (), dagtekening, _versie(), backend)
    return DeclaratieBeoordeling(declaratie, (), (), {}, (), (), 0, bewijs, technische_fout=fout)


def _datum_of(tekst: str | None, anders: date) -> date:
    try:
        return date.fromisoformat(tekst or "")
    except ValueError:
        return anders
