"""A region's quarter and year reports over the ledger, for keys of that region only:
`GET /v1/regios/{regio}/jaren/{jaar}/kwartalen/{kwartaal}` and `.../verantwoording`, in every
report format (`?formaat=`, json by default). A key of another region gets what every region
route gives it (`api.toegang`); the reports read only this region's ledger rows."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from sqlmodel import Session

from api.deps import DienstDep, SleutelDep
from api.rapport import FormaatQuery, rapport_antwoord
from api.routers.regios import RegioNaam
from api.schemas import Fout
from batch.periode import kwartaalrapport, verantwoordingsrapport
from weergave.rapport import Formaat

router = APIRouter(prefix="/v1", tags=["kwartaal en jaar"])

Jaar = Annotated[int, Path(ge=2000, le=2100, description="het jaar van de zorg")]
Kwartaal = Annotated[int, Path(ge=1, le=4, description="1, 2, 3 of 4")]
_FOUTEN: dict[int | str, dict[str, Any]] = {
    401: {"model": Fout}, 403: {"model": Fout}, 404: {"model": Fout}, 422: {"model": Fout}}


@router.get("/regios/{regio}/jaren/{jaar}/kwartalen/{kwartaal}", responses=_FOUTEN)
def kwartaal(regio: RegioNaam, jaar: Jaar, kwartaal: Kwartaal, d: DienstDep, wie: SleutelDep,
             formaat: FormaatQuery = Formaat.json) -> Response:
    """Normen, kerngegevens en plafondgebruik per aanbieder in het kwartaal, met signalen
    (die worden bewaard in plaats van de eerder berekende van dit kwartaal)."""
    geladen = d.register.regio(regio)
    wie.controleer(geladen.naam)
    with Session(d.engine) as sessie, sessie.begin():
        rapport = kwartaalrapport(sessie, geladen.regelboek, geladen.naam, jaar, kwartaal)
    return rapport_antwoord(rapport, formaat)


@router.get("/regios/{regio}/jaren/{jaar}/verantwoording", responses=_FOUTEN)
def verantwoording(regio: RegioNaam, jaar: Jaar, d: DienstDep, wie: SleutelDep,
                   formaat: FormaatQuery = Formaat.json) -> Response:
    """De productieverantwoording per aanbieder, gemeente en product, en de controleverklaring."""
    geladen = d.register.regio(regio)
    wie.controleer(geladen.naam)
    with Session(d.engine) as sessie, sessie.begin():
        rapport = verantwoordingsrapport(sessie, geladen.regelboek, geladen.naam, jaar)
    return rapport_antwoord(rapport, formaat)
