"""A real `regelwerk serve` for the workbench's tests (API and browser): its own copy of the
example regions (the tests save into them), a key file with a key per region (and a holder's
name for one), the audit trail in the test's folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from echte_server import REPO, Server, regelwerk_commando

SLEUTELS = {"amstelland": "ws-amstelland-geheim-1", "ijsselland": "ws-ijsselland-geheim-2"}
HOUDERS = {"amstelland": "Jurist Amstelland"}
"""The names the audit trail records; ijsselland's key has none (its fingerprint is shown)."""


def werkbank_dienst(map_: Path) -> Server:
    """Start the service over copies of amstelland and ijsselland in `map_`; not yet waited
    for (call `.wacht()`)."""
    contracten = map_ / "contracten"
    for regio in SLEUTELS:
        shutil.copytree(REPO / "contracten" / regio, contracten / regio)
    sleutels = map_ / "sleutels.txt"
    sleutels.write_text("".join(f"{s} {r} {HOUDERS.get(r, '')}".rstrip() + "\n"
                                for r, s in SLEUTELS.items()))
    omgeving = {"REGELWERK_DATABASE_URL": f"sqlite:///{map_ / 'regelwerk.sqlite'}",
                "REGELWERK_CONTRACTEN": str(contracten),
                "REGELWERK_STANDAARD": str(REPO / "regels"),
                "REGELWERK_SLEUTELS": str(sleutels),
                "REGELWERK_WERKBANK_LOGBOEK": str(map_ / "logboek"),
                "REGELWERK_HERLAAD_INTERVAL": "0"}
    return Server("", omgeving, map_ / "serve.log", argv=[regelwerk_commando(), "serve"])
