"""The year's money under `/v1/regios/{regio}/jaren/{jaar}/...` (issue 15): the advance
schedule, the month's payment run, the settlement and the risk sharing, for keys of that
region only, in every report format (`?formaat=`, json by default: the issue's document)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from sqlmodel import Session

from api.deps import DienstDep, SleutelDep
from api.dienst import Dienst
from api.fouten import DienstFoutError
from api.rapport import FormaatQuery, rapport_antwoord
from api.schemas import Fout
from api.toegang import Sleutel
from betalen import jaar as jaarmodule
from betalen import rapporten
from betalen.betaalrun import betaalrun as run
from betalen.fouten import JaarFout
from betalen.jaar import Jaar
from dsl.fouten import RegelFoutenError
from opslag.database import lees_transactie, transactie
from weergave.rapport import Formaat
from weergave.rapport.model import Rapport

router = APIRouter(prefix="/v1/regios/{regio}/jaren/{jaar}", tags=["betalen"])

RegioNaam = Annotated[str, Path(max_length=100, description="naam van de regio")]
JaarPad = Annotated[int, Path(ge=2000, le=2100, description="het jaar")]
_FOUTEN: dict[int | str, dict[str, Any]] = {
    401: {"model": Fout}, 403: {"model": Fout}, 404: {"model": Fout}, 422: {"model": Fout}}


def _maak(d: Dienst, regio: str, jaar: int, wie: Sleutel, maak: Callable[[Jaar, Session], Rapport],
          schrijven: bool = False) -> Rapport:
    """The region's rule book in force, the key checked for it, the report built in one
    transaction; a wrong term or a month that may not be paid is a Dutch 422."""
    geladen = d.register.regio(regio)
    wie.controleer(geladen.naam)
    try:
        j = jaarmodule.laad(geladen.regelboek, jaar)
        with (transactie if schrijven else lees_transactie)(d.engine) as sessie:
            return maak(j, sessie)
    except RegelFoutenError as fout:
        raise DienstFoutError(422, str(fout)) from None
    except JaarFout as fout:
        raise DienstFoutError(422, str(fout)) from None


@router.get("/voorschotten", responses=_FOUTEN)
def voorschotten(regio: RegioNaam, jaar: JaarPad, d: DienstDep, wie: SleutelDep,
                 formaat: FormaatQuery = Formaat.json) -> Response:
    """Het voorschotschema per aanbieder en gemeente."""
    return rapport_antwoord(_maak(d, regio, jaar, wie, lambda j, _: rapporten.voorschotten(
        j, jaarmodule.voorschotten(j))), formaat)


@router.post("/betaalrun", responses=_FOUTEN)
def betaalrun(regio: RegioNaam, jaar: JaarPad, d: DienstDep, wie: SleutelDep,
              maand: Annotated[int, Query(ge=1, le=12, description="de maand die betaald "
                                                                   "wordt")],
              formaat: FormaatQuery = Formaat.json) -> Response:
    """De betaallijst van een maand, eenmaal vastgelegd: opnieuw aanroepen geeft dezelfde
    lijst (`al_vastgelegd`) en betaalt niets."""
    return rapport_antwoord(_maak(d, regio, jaar, wie, lambda j, s: rapporten.betaalrun(
        j, run(s, j, maand, date.today())), schrijven=True), formaat)


@router.get("/vaststelling", responses=_FOUTEN)
def vaststelling(regio: RegioNaam, jaar: JaarPad, d: DienstDep, wie: SleutelDep,
                 formaat: FormaatQuery = Formaat.json) -> Response:
    """De vaststelling per aanbieder en gemeente."""
    return rapport_antwoord(_maak(d, regio, jaar, wie, lambda j, s: rapporten.vaststelling(
        j, jaarmodule.vaststelling(s, j))), formaat)


@router.get("/verevening", responses=_FOUTEN)
def verevening(regio: RegioNaam, jaar: JaarPad, d: DienstDep, wie: SleutelDep,
               formaat: FormaatQuery = Formaat.json) -> Response:
    """De risicoverevening per gemeente."""
    def maak(j: Jaar, s: Session) -> Rapport:
        return rapporten.verevening(j, jaarmodule.verevening(s, j,
                                                             jaarmodule.vaststelling(s, j)))

    return rapport_antwoord(_maak(d, regio, jaar, wie, maak), formaat)
