"""Liveness: is the database reachable, which rule sets are in force."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from api.deps import DienstDep
from api.fouten import regelfouten_json
from api.opslag.database import database_soort
from api.schemas import GeladenRegelset, Gezondheid

router = APIRouter(prefix="/v1", tags=["gezondheid"])


def _database_ok(d: DienstDep) -> bool:
    try:
        with d.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # the answer says so; no details (they could hold a URL)
        return False


@router.get("/gezondheid", response_model=Gezondheid)
def gezondheid(d: DienstDep) -> Gezondheid:
    """Leeft de dienst, werkt de database, en welke regelsets zijn geladen (met hun hash)."""
    ok = _database_ok(d)
    return Gezondheid(
        status="ok" if ok else "database onbereikbaar",
        database=database_soort(d.engine), open=d.toegang.open,
        regelsets=[GeladenRegelset(regio=r.naam, regelset_hash=r.regelboek.hash,
                                   geladen_op=r.geladen_op) for r in d.register.alle()],
        niet_geladen={naam: regelfouten_json(f) for naam, f in d.register.fouten().items()})
