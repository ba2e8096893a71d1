"""A contract as a person reads it: the articles in force on a date, and what a region changed.

`artikelen_html(regelboek, datum)` renders every article in force on `datum`: its text, its
leden, the rules with their conditions in Dutch, the parameters and computed values, and the
tariffs valid that day, each marked as standard, changed by the region or local. A lawyer
reads it (issue 16, point 8): a table of contents, the region's own and changed articles
first, the standard's technical checks (regels/istandaard) folded away, each rule as a Dutch
sentence with its source on demand, explanations with example values, and badges that follow
what is inside (a lid whose parameter the region changed is not "standaard").
`verschil(regelboek)` lists what the region changes relative to the standard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from engine import ir, opmaak
from engine.waarden import toon_waarde
from weergave.expressies import tekst
from weergave.sjablonen import render
from weergave.voorbeelden import Stuk, met_voorbeelden

HERKOMST = {"standaard": "standaard", "regio": "gewijzigd door de regio", "lokaal": "lokaal"}

SOORTEN = {"wijzigt": "gewijzigd", "vervangt": "vervangen", "vervalt": "vervallen",
           "voegt_toe": "eigen artikel"}
"""A change's kind as a person reads it (the data keeps the language's keyword)."""

GROEPEN = {
    "regio": "Eigen en gewijzigde artikelen van de regio",
    "standaard": "Artikelen uit de standaard",
    "istandaard": "Landelijke technische controles (iStandaard)",
}


@dataclass(frozen=True, slots=True)
class Verschilregel:
    """One change of a region relative to the standard."""

    soort: str
    onderwerp: str
    omschrijving: str
    bron: str

    @property
    def label(self) -> str:
        return SOORTEN.get(self.soort, self.soort)


@dataclass(slots=True)
class LidView:
    nummer: str | None
    titel: str
    uitleg: str
    herkomst: str
    herschreven: str = ""
    """Where the region rewrote the text (file:line), or ''."""
    parameters: list[dict[str, str]] = field(default_factory=list)
    waarden: list[dict[str, str]] = field(default_factory=list)
    regels: list[dict[str, object]] = field(default_factory=list)

    def volg_inhoud(self) -> None:
        """A standard lid holding something the region changed is itself changed."""
        inhoud = [d["herkomst"] for d in self.parameters + self.waarden]
        inhoud += [str(r["herkomst"]) for r in self.regels]
        if self.herkomst == "standaard" and any(h != "standaard" for h in inhoud):
            self.herkomst = "regio"


@dataclass(slots=True)
class ArtikelView:
    nummer: str
    titel: str
    bron: str
    uitleg: str
    herkomst: str
    leden: list[LidView]
    groep: str = "standaard"
    herschreven: str = ""

    @property
    def anker(self) -> str:
        return f"artikel-{self.nummer}"


def artikelen_html(regelboek: ir.Regelboek, datum: date) -> str:
    """The articles of `regelboek` in force on `datum` as one HTML document."""
    artikelen = [
        _artikel(regelboek, a, datum) for a in regelboek.artikelen if a.geldig.geldt_op(datum)
    ]
    groepen = [(sleutel, titel, [a for a in artikelen if a.groep == sleutel])
               for sleutel, titel in GROEPEN.items()]
    tabellen = [_tabel(t, datum) for t in regelboek.tabellen.values()]
    return render(
        "artikelen.html.j2",
        regelboek=regelboek,
        datum=opmaak.datum(datum),
        groepen=[g for g in groepen if g[2]],
        tabellen=[t for t in tabellen if not t["technisch"]],
        technische_tabellen=[t for t in tabellen if t["technisch"]],
        verschillen=verschil(regelboek),
        herkomst=HERKOMST,
        looptijd=looptijd_tekst(regelboek.looptijd, datum),
    )


def is_technisch(bestand: str) -> bool:
    """A file of the national technical checks (regels/istandaard), folded away on the page."""
    return "istandaard" in Path(bestand).parts


def vandaag() -> date:
    """The default date of `regelwerk toon` (one place, so tests can see it)."""
    return date.today()


def looptijd_tekst(looptijd: ir.Geldigheid, datum: date) -> str:
    """The contract's period as a lawyer reads it, and whether it holds on `datum`: the
    engine rejects every debit line outside it (engine.verplicht), so the page says so."""
    vanaf = opmaak.datum(looptijd.vanaf) if looptijd.vanaf else None
    tot = opmaak.datum(looptijd.tot - timedelta(days=1)) if looptijd.tot else None
    periode = (f"van {vanaf} tot en met {tot}" if vanaf and tot else
               f"vanaf {vanaf}, {opmaak.GEEN_EINDDATUM}" if vanaf else "zonder looptijd")
    zin = (f"Looptijd van het contract: {periode}. Zorg buiten de looptijd wordt afgewezen "
           "(retourcode 0611).")
    if not looptijd.geldt_op(datum):
        zin += f" Op {opmaak.datum(datum)} geldt het contract niet."
    return zin


def verschil(regelboek: ir.Regelboek) -> list[Verschilregel]:
    """What the region changes relative to the standard, in the order of its contract file."""
    return [
        Verschilregel(w.soort, w.onderwerp, w.omschrijving, plek(w.bron))
        for w in regelboek.wijzigingen
    ]


# ---------------------------------------------------------------- views


def _artikel(regelboek: ir.Regelboek, artikel: ir.Artikel, datum: date) -> ArtikelView:
    leden = [LidView(None, "", "", artikel.herkomst)]
    leden += [LidView(lid.nummer, lid.titel, lid.uitleg,
                      "regio" if lid.uitleg_bron else lid.herkomst, _herschreven(lid.uitleg_bron))
              for lid in artikel.leden]
    per_lid = {lid.nummer: lid for lid in leden}
    for naam, versies in regelboek.parameters.items():
        for p in versies:
            if p.artikel == artikel.nummer and p.geldig.geldt_op(datum):
                per_lid.get(p.lid, leden[0]).parameters.append(_parameter(naam, p))
    for b in regelboek.berekeningen:
        if b.artikel == artikel.nummer and b.geldig.geldt_op(datum):
            per_lid.get(b.lid, leden[0]).waarden.append(
                {
                    "naam": b.naam,
                    "tekst": tekst(b.expr),
                    "bronregel": _bronblok(b.bron) or "",
                    "herkomst": b.herkomst,
                    "bron": plek(b.bron),
                }
            )
    for r in regelboek.regels:
        if r.artikel == artikel.nummer and r.geldig.geldt_op(datum):
            per_lid.get(r.lid, leden[0]).regels.append(_regel(regelboek, r, datum))
    gevuld = [
        lid
        for lid in leden
        if lid.nummer is not None or lid.parameters or lid.waarden or lid.regels
    ]
    for lid in gevuld:
        lid.volg_inhoud()
    herkomst: str = "regio" if artikel.uitleg_bron else artikel.herkomst
    if herkomst == "standaard" and any(lid.herkomst != "standaard" for lid in gevuld):
        herkomst = "regio"
    groep = ("regio" if herkomst != "standaard"
             else "istandaard" if is_technisch(artikel.bron.bestand) else "standaard")
    return ArtikelView(
        artikel.nummer,
        artikel.titel,
        artikel.bronvermelding or "",
        artikel.uitleg,
        herkomst,
        gevuld,
        groep,
        _herschreven(artikel.uitleg_bron),
    )


def _herschreven(bron: ir.Bron | None) -> str:
    return plek(bron) if bron is not None else ""


def _parameter(naam: str, p: ir.ParameterWaarde) -> dict[str, str]:
    return {
        "naam": naam,
        "waarde": toon_waarde(p.waarde.waarde, p.waarde.type),
        "geldig": _geldig(p.geldig),
        "herkomst": p.herkomst,
        "bron": plek(p.bron),
    }


def _regel(regelboek: ir.Regelboek, r: ir.Regel, datum: date) -> dict[str, object]:
    niveau = {
        "prestatie": "de prestatie",
        "client": "de hele jeugdige",
        "declaratie": "de hele declaratie",
    }[r.niveau]
    soort = f"wijst {niveau} af" if r.soort == "afwijzen" else f"signaleert bij {niveau}"
    soort += f" met code {r.retourcode}" if r.retourcode else ""
    return {
        "naam": r.naam,
        "soort": soort,
        "zin": regelzin(r, soort),
        "uitleg": met_voorbeelden(regelboek, r, datum),
        "herschreven": _herschreven(r.uitleg_bron),
        "bronblok": _bronblok(r.bron) or "",
        "geldig": _geldig(r.geldig),
        "herkomst": r.herkomst,
        "bron": plek(r.bron),
    }


def regelzin(r: ir.Regel, soort: str) -> str:
    """The rule as Dutch sentences: for which lines, what it does, and when. The conditions
    follow a colon, so they keep the word order of the rule language."""
    zin = f"De regel {soort} als geldt: {tekst(r.voorwaarde)}."
    if r.filter is not None:
        zin = f"Voor elke prestatie waarvoor geldt: {tekst(r.filter)}. {zin}"
    return zin


def uitlegtekst(stukken: list[Stuk]) -> str:
    """The explanation with its example values, as plain text."""
    return "".join(s.tekst for s in stukken)


@cache
def _regels_van(bestand: str) -> tuple[str, ...]:
    try:
        return tuple(Path(bestand).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def _bronblok(bron: ir.Bron) -> str | None:
    """The statement as the rule file writes it: its line and the deeper-indented lines after it
    (the canonical layout of `regelwerk fmt` puts every clause on its own, deeper line)."""
    regels = _regels_van(bron.bestand)
    if not 0 < bron.line <= len(regels):
        return None
    eerste = regels[bron.line - 1]
    inspringing = len(eerste) - len(eerste.lstrip())
    blok = [eerste[inspringing:]]
    for regel in regels[bron.line:]:
        if regel.strip() and len(regel) - len(regel.lstrip()) <= inspringing:
            break
        blok.append(regel[inspringing:])
    return "\n".join(blok).rstrip()


def relatief(bestand: str) -> str:
    """A path relative to the working directory when it lies under it (shorter to read)."""
    pad = Path(bestand)
    try:
        return str(pad.resolve().relative_to(Path.cwd()))
    except ValueError:
        return bestand


def plek(bron: ir.Bron) -> str:
    return f"{relatief(bron.bestand)}:{bron.line}"


def _geldig(geldig: ir.Geldigheid) -> str:
    vanaf = f"vanaf {opmaak.datum(geldig.vanaf)}" if geldig.vanaf else "altijd"
    return f"{vanaf} tot {opmaak.datum(geldig.tot)}" if geldig.tot else vanaf


def _tabel(tabel: ir.Tabel, datum: date) -> dict[str, object]:
    kolommen = [k.naam for k in tabel.kolommen]
    rijen = [
        [toon_waarde(w, k.type, k.naam) for w, k in zip(rij, tabel.kolommen, strict=True)]
        for rij, geldig in zip(
            tabel.rijen, tabel.geldigheid or [ir.ALTIJD] * len(tabel.rijen), strict=True
        )
        if geldig.geldt_op(datum)
    ]
    return {
        "naam": tabel.naam,
        "bestand": relatief(tabel.bestand),
        "herkomst": tabel.herkomst,
        "technisch": is_technisch(tabel.bestand),
        "kolommen": kolommen,
        "rijen": rijen,
        "aantal": len(tabel.rijen),
    }
