"""The service's pages for people: `/` (what the service offers) and `/werkbank` (issue 17),
with the workbench's built files (web/dist, made by `make setup` with npm) as static files: the
page needs no network at run time."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.deps import DienstDep
from api.instellingen import REPO
from api.sjablonen import render

router = APIRouter(include_in_schema=False)

GEBOUWD = REPO / "web" / "dist"
"""The bundle esbuild writes (`web/package.json`, script build)."""

statisch = StaticFiles(directory=GEBOUWD, check_dir=False)

_VOORPAGINA = """<!doctype html><html lang="nl"><head><meta charset="utf-8">
<title>regelwerk</title></head><body><main><h1>regelwerk</h1>
<p>Controle van declaraties jeugdhulp en Wmo met de regelset van de regio.</p>
<ul><li><a href="/werkbank">Werkbank</a>: regelbestanden en tabellen van uw regio bewerken,
controleren en opslaan</li><li><a href="/docs">API-documentatie</a></li></ul></main>
</body></html>"""


@router.get("/", response_class=HTMLResponse)
def voorpagina() -> str:
    return _VOORPAGINA


@router.get("/werkbank", response_class=HTMLResponse)
def werkbank(d: DienstDep) -> str:
    return render("werkbank.html.j2", gebouwd=(GEBOUWD / "werkbank.js").is_file(),
                  open=d.toegang.open)
