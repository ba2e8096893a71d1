"""Dependencies of the routes, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from api.dienst import Dienst
from api.toegang import Sleutel

_API_SLEUTEL = APIKeyHeader(name="X-API-Key", auto_error=False,
                            description="API-sleutel van het backoffice (per regio)")


def dienst(request: Request) -> Dienst:
    d: Dienst = request.app.state.dienst
    return d


DienstDep = Annotated[Dienst, Depends(dienst)]


def sleutel(request: Request, d: DienstDep,
            x_api_key: Annotated[str | None, Security(_API_SLEUTEL)] = None) -> Sleutel:
    """Who is calling: 401 without a valid key (when keys are configured)."""
    host = request.client.host if request.client else None
    return d.toegang.wie(x_api_key, host)


SleutelDep = Annotated[Sleutel, Depends(sleutel)]
