"""Run cases against a region's Regelboek and compare every line with what the case expects."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from berichten.weigering import Weigering
from engine import backends, ir
from engine.model import Context, Declaratie, DeclaratieBeoordeling, PrestatieUitkomst, Reden
from engine.periode import GROOTBOEK_SCHEMA, PeriodeSignaal
from engine.plafond import alle_signalen
from toetsing import periodegeval
from toetsing.gevallen import Geval, GevalDeclaratie, Verwachting, Weigeringverwachting

if TYPE_CHECKING:
    import polars as pl


@dataclass(frozen=True, slots=True)
class Verschil:
    """One way in which the outcome differs from the case."""

    plek: str
    """file:line of the expectation"""
    onderwerp: str
    """e.g. 'declaratie D1, prestatie R1'"""
    wat: str
    verwacht: str
    werkelijk: str
    uitleg: tuple[str, ...]
    """the explanations the engine gave for this line (rule, article, sentence)"""

    def __str__(self) -> str:
        regels = [
            f"{self.plek}: {self.onderwerp}: {self.wat}",
            f"    verwacht:  {self.verwacht}",
            f"    werkelijk: {self.werkelijk}",
        ]
        regels += [f"    uitleg:    {u}" for u in self.uitleg]
        return "\n".join(regels)


@dataclass(slots=True)
class GevalUitslag:
    geval: Geval
    beoordelingen: list[DeclaratieBeoordeling] = field(default_factory=list)
    """of the declarations that were assessed (not those refused whole), in order"""
    weigeringen: dict[int, Weigering] = field(default_factory=dict)
    """per declaration (its index in the case) refused whole: why"""
    verschillen: list[Verschil] = field(default_factory=list)
    werksets: list[pl.DataFrame] = field(default_factory=list)
    fout: str | None = None
    """an error of the engine itself while running the case"""
    periodesignalen: list[PeriodeSignaal] = field(default_factory=list)
    """of a period case: what the period rules signalled"""

    @property
    def geslaagd(self) -> bool:
        return self.fout is None and not self.verschillen

    def verslag(self) -> str:
        """The readable failure: the case, and per line expected versus actual."""
        kop = f"geval '{self.geval.naam}' ({self.geval.plek})"
        if self.geval.uitleg:
            kop += f"\n  {self.geval.uitleg}"
        if self.fout is not None:
            return f"{kop}\n  fout tijdens het draaien: {self.fout}"
        return "\n".join([kop, *(str(v) for v in self.verschillen)])


def context_van(geval: Geval) -> Context:
    """The allocations (version in force per number) and absences of a case."""
    toewijzingen = {}
    for toewijzing in sorted(geval.toewijzingen, key=lambda t: t.versie):
        toewijzingen[toewijzing.toewijzingnummer] = toewijzing
    return Context(toewijzingen=toewijzingen, afwezigheden=geval.afwezigheden)


def draai_geval(
    regelboek: ir.Regelboek, geval: Geval, backend: str = backends.STANDAARD, werksets: bool = False
) -> GevalUitslag:
    """Take the case's declarations in order (each sees the earlier ones) as the batch
    does: first the message-level checks (`batch.beoordelen.weigering_van`, OP286), which
    may refuse a message whole; else assessed and recorded through the batch application
    (`beoordeel_en_registreer`), the werkset of each asked for before it is recorded. As in
    the batch, every gemeente has its own history. Then compare with the case."""
    from batch.beoordelen import weigering_van
    from batch.verwerking import beoordeel_en_registreer
    from engine.historie import GeheugenHistorie
    from engine.werkset import maak_werkset

    uitslag = GevalUitslag(geval)
    context = context_van(geval)
    historien: dict[str, GeheugenHistorie] = {}
    uitkomsten: list[DeclaratieBeoordeling | Weigering] = []
    try:
        for i, stap in enumerate(geval.declaraties):
            d = stap.declaratie
            historie = historien.setdefault(d.gemeente, GeheugenHistorie())
            voor = _spoor(historie, d)
            weigering = weigering_van(d, historie, stap.verwerkingsdatum)
            if weigering is not None:
                uitslag.weigeringen[i] = weigering
                uitkomsten.append(weigering)
                if _spoor(historie, d) != voor:
                    uitslag.verschillen.append(Verschil(
                        f"{geval.bestand}:{stap.line}", f"declaratie {d.declaratienummer}",
                        "vastgelegd", "niets van het geweigerde bericht",
                        "de historie kent zijn nummers", (weigering.melding(),)))
                continue
            if werksets:
                uitslag.werksets.append(maak_werkset(d, context, historie))
            beoordeling = beoordeel_en_registreer(regelboek, d, context, historie, backend)
            uitslag.beoordelingen.append(beoordeling)
            uitkomsten.append(beoordeling)
    except Exception as fout:
        uitslag.fout = f"{type(fout).__name__}: {fout}"
        return uitslag
    for stap, uitkomst in zip(geval.declaraties, uitkomsten, strict=True):
        uitslag.verschillen.extend(vergelijk_declaratie(stap, uitkomst, geval.bestand))
    if geval.periode is not None:
        try:
            uitslag.periodesignalen = periodesignalen(regelboek, geval, uitslag.beoordelingen)
        except Exception as fout:
            uitslag.fout = f"{type(fout).__name__}: {fout}"
            return uitslag
        uitslag.verschillen.extend(
            Verschil(f"{geval.bestand}:{line}", "periode", wat, verwacht, werkelijk, ())
            for line, wat, verwacht, werkelijk in periodegeval.verschillen(
                geval.periode, uitslag.periodesignalen))
    return uitslag


def periodesignalen(regelboek: ir.Regelboek, geval: Geval,
                    beoordelingen: Sequence[DeclaratieBeoordeling]) -> list[PeriodeSignaal]:
    """The period rules over the ledger rows the case's assessed declarations leave, booked
    as the service books them."""
    import polars as pl

    from opslag.grootboek import afwezigheidsperioden, grootboekregels

    assert geval.periode is not None
    perioden = afwezigheidsperioden(geval.afwezigheden)
    rijen = [r for i, b in enumerate(beoordelingen)
             for r in grootboekregels(b, regelboek.regio or "", "jw", i,
                                      periodegeval.vandaag(), perioden)]
    frame = pl.DataFrame(rijen, schema=GROOTBOEK_SCHEMA) if rijen else pl.DataFrame(
        schema=GROOTBOEK_SCHEMA)
    return alle_signalen(regelboek, frame, geval.periode.periode)


def _spoor(historie: Any, d: Declaratie) -> tuple[object, ...]:
    """What the history knows of a message's numbers: unchanged by a refused message."""
    return (historie.bekende_identificatie(d.aanbieder, d.bericht_identificatie),
            historie.declaratie_inhoud(d.aanbieder, d.declaratienummer),
            frozenset(historie.bekende_referentienummers(
                d.aanbieder, [p.referentienummer for p in d.prestaties])))


def draai_suite(
    regelboek: ir.Regelboek,
    gevallen: Iterable[Geval],
    backend: str = backends.STANDAARD,
    werksets: bool = False,
) -> list[GevalUitslag]:
    return [draai_geval(regelboek, g, backend, werksets) for g in gevallen]


# ---------------------------------------------------------------- comparing


def vergelijk_declaratie(
    stap: GevalDeclaratie, uitkomst: DeclaratieBeoordeling | Weigering, bestand: str
) -> list[Verschil]:
    nummer = stap.declaratie.declaratienummer
    if isinstance(uitkomst, Weigering) or stap.geweigerd is not None:
        return _vergelijk_weigering(stap.geweigerd, uitkomst, f"declaratie {nummer}",
                                    f"{bestand}:{stap.line}", bestand)
    beoordeling = uitkomst
    verschillen: list[Verschil] = []
    for verwacht, regel in zip(stap.verwachtingen, beoordeling.uitkomsten, strict=True):
        onderwerp = f"declaratie {nummer}, prestatie {regel.referentienummer}"
        verschillen.extend(_vergelijk_regel(verwacht, regel, onderwerp, bestand))
    if stap.verwacht is not None:
        verschillen.extend(
            _vergelijk_kop(stap.verwacht, beoordeling, f"declaratie {nummer}", bestand)
        )
    return verschillen


def _vergelijk_weigering(
    verwacht: Weigeringverwachting | None, uitkomst: DeclaratieBeoordeling | Weigering,
    onderwerp: str, plek: str, bestand: str,
) -> list[Verschil]:
    """A message expected to be refused whole, or refused whole unexpectedly."""
    if not isinstance(uitkomst, Weigering):
        assert verwacht is not None
        return [Verschil(f"{bestand}:{verwacht.line}", onderwerp, "geweigerd",
                         f"het hele bericht geweigerd met {verwacht.retourcode}",
                         "het bericht is beoordeeld (" + _lijst(uitkomst.retourcodes) + ")",
                         _uitleg(uitkomst.redenen))]
    uitleg = (uitkomst.melding(),)
    if verwacht is None:
        return [Verschil(plek, onderwerp, "geweigerd", "het bericht beoordeeld",
                         f"het hele bericht geweigerd met {uitkomst.retourcode}", uitleg)]
    verschillen = []
    for wat, gezocht, gevonden in (("retourcode", verwacht.retourcode, uitkomst.retourcode),
                                   ("regelcode", verwacht.regelcode, uitkomst.regelcode),
                                   ("element", verwacht.element, uitkomst.pad)):
        if gezocht is not None and gezocht != gevonden:
            verschillen.append(Verschil(f"{bestand}:{verwacht.line}", onderwerp,
                                        f"{wat} van de weigering", gezocht, gevonden, uitleg))
    return verschillen


def _uitleg(redenen: Sequence[Reden]) -> tuple[str, ...]:
    return tuple(
        f"{r.retourcode or '-'} artikel {r.artikel}{f' lid {r.lid}' if r.lid else ''}, "
        f"regel '{r.regel}': {r.uitleg}"
        for r in redenen
    )


def _vergelijk_regel(
    verwacht: Verwachting, uitkomst: PrestatieUitkomst, onderwerp: str, bestand: str
) -> list[Verschil]:
    uitleg = _uitleg([*uitkomst.redenen, *uitkomst.signalen])
    verschillen: list[Verschil] = []

    def verschil(wat: str, verwacht_: Any, werkelijk: Any) -> None:
        verschillen.append(
            Verschil(
                f"{bestand}:{verwacht.line}", onderwerp, wat, str(verwacht_), str(werkelijk), uitleg
            )
        )

    if verwacht.status is not None and verwacht.status != uitkomst.status:
        verschil("status", verwacht.status, uitkomst.status)
    codes = set(uitkomst.retourcodes)
    if verwacht.retourcodes is not None and verwacht.retourcodes != codes:
        verschil("retourcodes", _lijst(verwacht.retourcodes), _lijst(codes))
    for wat, gezocht, gevonden in (
        ("artikel", verwacht.artikel, {r.artikel for r in uitkomst.redenen}),
        ("lid", verwacht.lid, {r.lid or "" for r in uitkomst.redenen}),
        ("regel", verwacht.regel, {r.regel for r in uitkomst.redenen}),
    ):
        if gezocht is not None and gezocht not in gevonden:
            verschil(wat, gezocht, _lijst(gevonden))
    verschillen.extend(_signaalverschillen(verwacht, uitkomst.signalen, onderwerp, uitleg, bestand))
    return verschillen


def _vergelijk_kop(
    verwacht: Verwachting, beoordeling: DeclaratieBeoordeling, onderwerp: str, bestand: str
) -> list[Verschil]:
    alle_signalen = [
        *beoordeling.signalen,
        *(s for u in beoordeling.uitkomsten for s in u.signalen),
    ]
    uitleg = _uitleg([*beoordeling.redenen, *alle_signalen])
    verschillen: list[Verschil] = []
    codes = set(beoordeling.retourcodes)
    if verwacht.retourcodes is not None and verwacht.retourcodes != codes:
        verschillen.append(
            Verschil(
                f"{bestand}:{verwacht.line}",
                onderwerp,
                "retourcodes van de declaratie",
                _lijst(verwacht.retourcodes),
                _lijst(codes),
                uitleg,
            )
        )
    verschillen.extend(_signaalverschillen(verwacht, alle_signalen, onderwerp, uitleg, bestand))
    return verschillen


def _signaalverschillen(
    verwacht: Verwachting,
    signalen: Iterable[Reden],
    onderwerp: str,
    uitleg: tuple[str, ...],
    bestand: str,
) -> list[Verschil]:
    codes = {s.retourcode or "" for s in signalen}
    ontbreekt = verwacht.signalen - codes
    te_veel = verwacht.geen_signalen & codes
    verschillen = []
    if ontbreekt:
        verschillen.append(
            Verschil(
                f"{bestand}:{verwacht.line}",
                onderwerp,
                "signalen",
                f"ook {_lijst(ontbreekt)}",
                _lijst(codes),
                uitleg,
            )
        )
    if te_veel:
        verschillen.append(
            Verschil(
                f"{bestand}:{verwacht.line}",
                onderwerp,
                "signalen",
                f"niet {_lijst(te_veel)}",
                _lijst(codes),
                uitleg,
            )
        )
    return verschillen


def _lijst(waarden: Iterable[str]) -> str:
    gesorteerd = sorted(waarden)
    return ", ".join(gesorteerd) if gesorteerd else "(geen)"
