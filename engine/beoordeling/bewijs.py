"""The receipt of an assessment (rule set, articles in force, engine version, backend) and the
assessment of a message that failed its schema (answered with 0001, nothing assessed)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from engine import backends, ir
from engine.model import Declaratie, DeclaratieBeoordeling, Ontvangstbewijs


def engine_versie() -> str:
    """The installed version of regelwerk (for the receipt)."""
    # importlib.metadata costs ~35 ms to import: only when a message is assessed, not for
    # every command that imports the pipeline
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("regelwerk")
    except PackageNotFoundError:
        return "0.0.0"


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
    backend: str = backends.STANDAARD,
    vandaag: date | None = None,
    retourcodes: tuple[str, ...] = (),
) -> DeclaratieBeoordeling:
    """The assessment of a message that failed its schema: nothing assessed, answered with
    0001 (`berichten.ijw.jw325.schrijf_jw325` sees `technische_fout`). `kop` is the best-effort
    header of `berichten.ijw.jw323.kop_uit`; what is missing stays empty. `retourcodes`: the
    header's codes when not 0001 (a message-level refusal: 8848, 9056)."""
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
    return DeclaratieBeoordeling(declaratie, retourcodes, (), {}, (), (), 0, bewijs,
                                 technische_fout=fout)


def _datum_of(tekst: str | None, anders: date) -> date:
    try:
        return date.fromisoformat(tekst or "")
    except ValueError:
        return anders
