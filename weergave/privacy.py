"""What the service's JSON and HTML answers show of a client: never the BSN.

The JW325 (XML) carries the BSN because the iStandaard requires it there, and it goes back to
the back office that sent it. Every other view of a declaration (the POST answer as JSON,
`GET /v1/declaraties/{id}`, `/uitleg` as JSON and HTML) is meant to be read, forwarded and
shown to people (providers, controllers, aldermen), so it names a line by its volgnummer
and ReferentieNummer and a client by a number within the message, and masks a BSN wherever a
rule's shown values or sentences would carry one.
"""

from __future__ import annotations

import re
from typing import Any

GEMASKEERD = "*********"
_NEGEN_CIJFERS = re.compile(r"(?=([0-9]{9}))")
"""Every run of nine digits, overlapping ones too: the places a BSN could be."""


def uitleg_zonder_bsn(document: dict[str, Any]) -> dict[str, Any]:
    """The explanation document (JSON-safe form) without any of its clients' BSNs."""
    prestaties = document.get("prestaties") or []
    client_codes = document.get("client_retourcodes") or {}
    # each client a number within the message, in order of first appearance
    volgorde = {bsn: i for i, bsn in enumerate(dict.fromkeys(
        [p["bsn"] for p in prestaties if isinstance(p.get("bsn"), str)] + list(client_codes)),
        start=1)}
    uit: dict[str, Any] = maskeer({k: v for k, v in document.items()
                                    if k != "client_retourcodes"}, set(volgorde))
    uit["prestaties"] = [{**{k: v for k, v in gemaskeerd.items() if k != "bsn"},
                          "client": volgorde.get(origineel.get("bsn"))}
                         for origineel, gemaskeerd in zip(prestaties, uit.get("prestaties") or [],
                                                          strict=True)]
    uit["client_retourcodes"] = [
        {"client": volgorde[bsn], "retourcodes": codes}
        for bsn, codes in client_codes.items()]
    return uit


def maskeer(waarde: Any, bsns: set[str]) -> Any:
    """Every string in `waarde` with each of `bsns` masked (only those exact numbers: a
    nine-digit ToewijzingNummer that is no client's BSN stays readable)."""
    if isinstance(waarde, str):
        # the string's nine-digit runs looked up in the set, not every BSN sought in the
        # string: a 20,000-line message has thousands of clients and 100,000 strings
        if len(waarde) < 9 or not bsns:
            return waarde
        for bsn in {m.group(1) for m in _NEGEN_CIJFERS.finditer(waarde)} & bsns:
            waarde = waarde.replace(bsn, GEMASKEERD)
        return waarde
    if isinstance(waarde, dict):
        return {maskeer(k, bsns): maskeer(v, bsns) for k, v in waarde.items()}
    if isinstance(waarde, list):
        return [maskeer(v, bsns) for v in waarde]
    return waarde
