"""The ledger as the service writes it (in process: `api.verwerking`, the real engine, the
example region amstelland), on SQLite and PostgreSQL: one row per assessed line in the
transaction of the assessment; a resubmitted identical message counts once, a refused one
adds nothing, a credit lowers the month it credits, a failure halfway leaves nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from api import verwerking
from api.dienst import Dienst
from api.instellingen import Instellingen
from api.motor import EchteMotor
from api.toegang import OPEN
from berichten.ijw.jw323 import lees_jw323, schrijf_jw323
from engine.model import Declaratie
from opslag.grootboek import GrootboekRij
from opslag.historie import SqlHistorie
from opslag.tabellen import DeclaratieRij, PrestatieRij

REPO = Path(__file__).resolve().parents[2]
VOORBEELD = REPO / "contracten" / "amstelland" / "voorbeeld"


@pytest.fixture
def dienst(database_url: str) -> Iterator[Dienst]:
    instellingen = Instellingen(database_url=database_url, contracten=REPO / "contracten",
                                sleutels=None, herlaad_interval=0)
    d = Dienst.start(instellingen, EchteMotor())
    for pad in sorted((VOORBEELD / "JW301").glob("*.xml")):
        verwerking.verwerk_toewijzingen(d, pad.read_bytes(), "xml", "amstelland", OPEN)
    yield d
    d.stop()


def _stuur(d: Dienst, declaratie: Declaratie) -> verwerking.Antwoord:
    return verwerking.verwerk_declaratie(d, schrijf_jw323(declaratie), "xml", "amstelland",
                                         OPEN)


def _rijen(d: Dienst) -> list[GrootboekRij]:
    with Session(d.engine) as sessie:
        return list(sessie.exec(select(GrootboekRij).order_by(GrootboekRij.id)).all())


def _aantal(d: Dienst, tabel: Any) -> int:
    with Session(d.engine) as sessie:
        return int(sessie.exec(select(func.count()).select_from(tabel)).one())


def _aantal_in(sessie: Session, tabel: Any) -> int:
    return int(sessie.exec(select(func.count()).select_from(tabel)).one())


def _voorbeeld() -> Declaratie:
    return lees_jw323(VOORBEELD / "JW323.xml")


def test_elke_regel_een_rij_met_zijn_uitkomst(dienst: Dienst) -> None:
    declaratie = _voorbeeld()
    antwoord = _stuur(dienst, declaratie)
    assert antwoord.rij is not None
    rijen = _rijen(dienst)
    assert len(rijen) == len(declaratie.prestaties)
    assert sum(r.goedgekeurd_bedrag for r in rijen) == antwoord.rij.totaal_toegekend
    for rij, p in zip(rijen, declaratie.prestaties, strict=True):
        assert (rij.regio, rij.wet, rij.aanbieder, rij.gemeente) == (
            "amstelland", "Jeugdwet", declaratie.aanbieder, declaratie.gemeente)
        assert (rij.bsn, rij.toewijzingnummer, rij.productcategorie, rij.productcode,
                rij.eenheid) == (p.bsn, p.toewijzingnummer, p.productcategorie,
                                 p.productcode, p.eenheid)
        assert (rij.zorg_begindatum, rij.jaar, rij.maand, rij.kwartaal) == (
            p.begindatum, p.begindatum.year, p.begindatum.month, (p.begindatum.month + 2) // 3)
        assert rij.ingediend_bedrag == p.ingediend_bedrag
        assert rij.declaratie_id == antwoord.rij.id
        assert rij.bericht_identificatie == declaratie.bericht_identificatie
        assert rij.regelset_hash == antwoord.rij.regelset_hash
        assert (rij.goedgekeurd_bedrag == 0) == (rij.status == "afgewezen")
    assert {r.status for r in rijen} == {"goedgekeurd", "afgewezen"}
    assert all(r.retourcodes for r in rijen if r.status == "afgewezen")


def test_opnieuw_ingediend_telt_eenmaal_geweigerd_telt_niet(dienst: Dienst) -> None:
    declaratie = _voorbeeld()
    _stuur(dienst, declaratie)
    voor = len(_rijen(dienst))
    assert _stuur(dienst, declaratie).opnieuw
    # another content with the same BerichtIdentificatie: refused whole (TR056, 9056)
    ander = dataclasses.replace(declaratie, declaratienummer="ANDER1")
    geweigerd = _stuur(dienst, ander)
    assert geweigerd.rij is None and b"9056" in geweigerd.jw325
    assert len(_rijen(dienst)) == voor


def test_credit_verlaagt_de_maand_die_hij_crediteert(dienst: Dienst) -> None:
    declaratie = _voorbeeld()
    _stuur(dienst, declaratie)
    goedgekeurd = [r for r in _rijen(dienst) if r.status == "goedgekeurd"]
    debet = next(p for p in declaratie.prestaties
                 if p.referentienummer == goedgekeurd[0].referentienummer)
    maand = (debet.begindatum.year, debet.begindatum.month)

    def maandtotaal() -> int:
        return sum(r.goedgekeurd_bedrag for r in _rijen(dienst) if (r.jaar, r.maand) == maand)

    voor = maandtotaal()
    credit = dataclasses.replace(debet, volgnummer=0, debet_credit="C",
                                 referentienummer=f"C{debet.referentienummer}"[:20],
                                 vorig_referentienummer=debet.referentienummer)
    creditbericht = dataclasses.replace(
        declaratie, declaratienummer="CREDIT1", bericht_identificatie="CREDIT1",
        prestaties=(credit,), totaal_ingediend=-credit.ingediend_bedrag)
    antwoord = _stuur(dienst, creditbericht)
    assert antwoord.rij is not None and antwoord.rij.totaal_toegekend == -debet.ingediend_bedrag
    rij = _rijen(dienst)[-1]
    assert (rij.debet_credit, rij.volume, rij.ingediend_bedrag, rij.goedgekeurd_bedrag) == (
        "C", -debet.geleverd_volume, -debet.ingediend_bedrag, -debet.ingediend_bedrag)
    assert maandtotaal() == voor - debet.ingediend_bedrag


def test_fout_halverwege_laat_niets_achter(dienst: Dienst, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    echt = SqlHistorie._markeer_gecrediteerd

    def half(historie: SqlHistorie, *args: Any) -> None:
        echt(historie, *args)  # the message, its lines and ledger rows are written (in
        historie.sessie.flush()  # bulk), then the process fails
        assert _aantal_in(historie.sessie, GrootboekRij) > 0
        raise RuntimeError("stroomstoring")

    monkeypatch.setattr(SqlHistorie, "_markeer_gecrediteerd", half)
    with pytest.raises(RuntimeError):
        _stuur(dienst, _voorbeeld())
    assert (_aantal(dienst, GrootboekRij), _aantal(dienst, DeclaratieRij),
            _aantal(dienst, PrestatieRij)) == (0, 0, 0)
