"""The outcome of a message from its firings: group-level reasons and codes now, each line's
`PrestatieUitkomst` when it is read; reasons with their values formatted for people."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache

from engine import ir
from engine.backends.basis import Treffer
from engine.beoordeling.indeling import Indeling
from engine.model import (
    Declaratie,
    DeclaratieBeoordeling,
    Ontvangstbewijs,
    Prestatie,
    PrestatieUitkomst,
    Reden,
    Uitkomsten,
    goedgekeurd_zonder_opmerking,
)
from engine.waarden import toon_pad, toon_waarde, vul_uitleg

CLIENT_AFGEWEZEN = "0233"


def maak_beoordeling(
    regelboek: ir.Regelboek,
    declaratie: Declaratie,
    indeling: Indeling,
    bewijs: Ontvangstbewijs,
    toegekend: int | None = None,
    aantal_afgewezen: int | None = None,
) -> DeclaratieBeoordeling:
    """The assessment of a message from its firings: the group-level parts now, the lines
    when they are read (`engine.model.Uitkomsten`). `toegekend` and `aantal_afgewezen` are
    computed here unless the caller has them."""
    redenen = _Redenen(regelboek, indeling)
    declaratie_redenen = redenen.groep(indeling.afwijzend(indeling.declaratie))
    if toegekend is None or aantal_afgewezen is None:
        toegekend, aantal_afgewezen = _totalen(indeling)
    maker = _Uitkomstmaker(indeling, redenen, tuple(declaratie_redenen))
    uitkomsten = Uitkomsten(declaratie.prestaties, indeling.per_rij, indeling.afgewezen_clienten,
                            indeling.afgewezen_bericht, maker, aantal_afgewezen)
    return DeclaratieBeoordeling(
        declaratie=declaratie,
        retourcodes=_codes(declaratie_redenen),
        redenen=tuple(declaratie_redenen),
        client_retourcodes={bsn: indeling.client_codes(bsn)
                            for bsn in sorted(indeling.afgewezen_clienten)},
        uitkomsten=uitkomsten,
        signalen=_groepsignalen(indeling, redenen),
        totaal_toegekend=toegekend,
        ontvangstbewijs=bewijs,
    )


def _totalen(indeling: Indeling) -> tuple[int, int]:
    """The approved amount (signed) and the number of rejected lines."""
    toegekend = afgewezen = 0
    for rij, p in enumerate(indeling.prestaties):
        if indeling.status_afgewezen(rij, p.bsn):
            afgewezen += 1
        else:
            toegekend += _getekend(p)
    return toegekend, afgewezen


class _Uitkomstmaker:
    """The outcome of a line with findings (or of a rejected client or declaration), made
    when it is read and kept."""

    def __init__(self, indeling: Indeling, redenen: _Redenen,
                 declaratie_redenen: tuple[Reden, ...]) -> None:
        self.indeling = indeling
        self.redenen = redenen
        self.declaratie_redenen = declaratie_redenen
        self.gemaakt: dict[int, PrestatieUitkomst] = {}
        self.clienten: dict[str, tuple[Reden, ...]] = {}

    def __call__(self, rij: int) -> PrestatieUitkomst:
        uitkomst = self.gemaakt.get(rij)
        if uitkomst is None:
            uitkomst = self.gemaakt[rij] = self._maak(rij)
        return uitkomst

    def _client(self, bsn: str) -> tuple[Reden, ...]:
        if bsn not in self.indeling.afgewezen_clienten:
            return ()
        redenen = self.clienten.get(bsn)
        if redenen is None:
            lijst = self.indeling.afwijzend(self.indeling.per_client[bsn])
            redenen = self.clienten[bsn] = tuple(self.redenen.groep(lijst))
        return redenen

    def _maak(self, rij: int) -> PrestatieUitkomst:
        prestatie = self.indeling.prestaties[rij]
        client_redenen = self._client(prestatie.bsn)
        eigen = self.indeling.per_rij.get(rij)
        if eigen is None and not self.declaratie_redenen and not client_redenen:
            return goedgekeurd_zonder_opmerking(prestatie)
        eigen = eigen or []
        afwijzing = self.redenen.lijst(self.indeling.afwijzend(eigen))
        signalen = self.redenen.lijst([t for t in eigen
                                       if t.regel_id not in self.indeling.boek.afwijzend])
        codes = list(_codes(afwijzing))
        if self.declaratie_redenen or client_redenen:
            # The line is not assessed when its client or declaration is rejected (0233): its
            # own findings would be codes the provider cannot act on; the group's reason
            # explains.
            codes = [CLIENT_AFGEWEZEN]
            afwijzing = [*client_redenen, *self.declaratie_redenen]
        if not codes:
            return PrestatieUitkomst(prestatie.volgnummer, prestatie.referentienummer,
                                     prestatie.bsn, "goedgekeurd", (), (), tuple(signalen),
                                     _getekend(prestatie))
        return PrestatieUitkomst(prestatie.volgnummer, prestatie.referentienummer, prestatie.bsn,
                                 "afgewezen", tuple(dict.fromkeys(codes)), tuple(afwijzing),
                                 tuple(signalen), 0)


def _getekend(prestatie: Prestatie) -> int:
    """The line's amount, negative for a credit."""
    bedrag = prestatie.ingediend_bedrag
    return bedrag if prestatie.debet_credit == "D" else -bedrag


def _codes(redenen: Iterable[Reden]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.retourcode for r in redenen if r.retourcode))


def _groepsignalen(indeling: Indeling, redenen: _Redenen) -> tuple[Reden, ...]:
    groepen = [*indeling.per_client.values(), indeling.declaratie]
    afwijzend = indeling.boek.afwijzend
    signalen = [t for lijst in groepen for t in lijst if t.regel_id not in afwijzend]
    per_client: dict[tuple[str, str], list[Treffer]] = {}
    for treffer in signalen:
        sleutel = (treffer.regel_id, indeling.prestatie(treffer).bsn
                   if indeling.boek.regels[treffer.regel_id].niveau == "client" else "")
        per_client.setdefault(sleutel, []).append(treffer)
    return tuple(redenen.groep(lijst)[0] for _, lijst in sorted(per_client.items()))


class _Redenen:
    """Turns firings into `Reden`s: values formatted for people, uitleg filled in."""

    def __init__(self, regelboek: ir.Regelboek, indeling: Indeling) -> None:
        self.regelboek = regelboek
        self.indeling = indeling

    def reden(self, treffer: Treffer) -> Reden:
        regel = self.indeling.boek.regels[treffer.regel_id]
        typen = _waardetypen(self.regelboek, regel)
        waarden = {
            naam: toon_waarde(waarde, typen.get(naam), naam) for naam, waarde in treffer.waarden
        }
        return Reden(
            retourcode=regel.retourcode,
            artikel=regel.artikel,
            lid=regel.lid,
            regel=regel.naam,
            regel_id=regel.id,
            uitleg=vul_uitleg(regel.uitleg, waarden),
            waarden=waarden,
            bron=_bron(regel.bron.bestand, regel.bron.line, os.getcwd()),
        )

    def lijst(self, treffers: Iterable[Treffer]) -> list[Reden]:
        """One reason per rule, in the rule book's order."""
        per_regel: dict[str, Treffer] = {}
        for treffer in treffers:
            per_regel.setdefault(treffer.regel_id, treffer)
        volgorde = sorted(per_regel, key=self.indeling.boek.index.__getitem__)
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
        return (self.indeling.prestatie(treffer).referentienummer, repr(treffer.waarden))


def _waardetypen(regelboek: ir.Regelboek, regel: ir.Regel) -> dict[str, ir.Type]:
    return regelboek.afgeleid.geef(("beoordeling.waardetypen", regel.id), lambda: {
        naam: regelboek.type(e) for naam, e in regel.waarden})


@lru_cache(maxsize=4096)
def _bron(bestand: str, line: int, werkmap: str) -> str:
    """file:line of a rule as `toon_pad` shows it (resolving a path asks the file system:
    once per rule and working directory, not once per reason)."""
    return f"{toon_pad(bestand)}:{line}"
