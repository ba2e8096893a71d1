"""A generated month written as the real input files a back office receives: JW301 and JW323
messages, aanwezigheid.csv and the contract's tarieven.csv."""

from __future__ import annotations

from pathlib import Path

from berichten.aanwezigheid import schrijf_aanwezigheid
from berichten.ijw.jw301 import schrijf_jw301
from berichten.ijw.jw323 import schrijf_jw323
from berichten.ijw.standaard import IJW_3_2
from berichten.standaard import Standaard
from engine.model import Toewijzing
from proefdata.regiomaand import Regiomaand
from proefdata.tarieven import schrijf_tarieven


def schrijf_regiomaand(rm: Regiomaand, map: Path, standaard: Standaard = IJW_3_2) -> None:
    """Write the month as the real files: `toewijzingen/` (one JW301 per client, gemeente and
    provider), `declaraties/` (one JW323 per declaration, names sort in processing order),
    `aanwezigheid.csv` and `tarieven.csv`. File names never contain a BSN. With `standaard`
    the messages of that standard (WMO301, WMO323; names `wmo301_...`): the month's product
    categories must then be that standard's (its tariffs), as its XSD checks them."""
    (map / "toewijzingen").mkdir(parents=True, exist_ok=True)
    (map / "declaraties").mkdir(parents=True, exist_ok=True)
    groepen: dict[tuple[str, str, str], list[Toewijzing]] = {}
    for v in rm.toewijzingen:
        groepen.setdefault((v.bsn, v.gemeente, v.aanbieder), []).append(v)
    toewijzing = standaard.met_rol("toewijzing").naam.lower()
    declaratie = standaard.met_rol("declaratie").naam.lower()
    for i, versies in enumerate(groepen.values(), start=1):
        dag = max(v.toewijzingsdatum for v in versies)
        (map / "toewijzingen" / f"{toewijzing}_{i:07d}.xml").write_bytes(
            schrijf_jw301(versies, f"T{i:09d}", dag, standaard=standaard))
    for i, d in enumerate(rm.declaraties, start=1):
        naam = f"{declaratie}_{i:05d}_{d.aanbieder}_{d.declaratienummer}.xml"
        (map / "declaraties" / naam).write_bytes(schrijf_jw323(d, standaard))
    (map / "aanwezigheid.csv").write_text(schrijf_aanwezigheid(rm.afwezigheden))
    (map / "tarieven.csv").write_text(schrijf_tarieven(rm.tarieven))
