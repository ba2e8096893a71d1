"""API keys per back office: which regions a key may use.

The key file (named by `REGELWERK_SLEUTELS`) has one line per key: the key, a space, and
the region names separated by commas, optionally a space and the key's name (who holds it:
the workbench's audit trail records that name, never the key). Empty lines and lines starting
with `#` are skipped. Keys are compared in constant time and never logged or echoed.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

LOKAAL = frozenset({"127.0.0.1", "::1", "localhost", "testclient"})
"""Client hosts an open service (no key file) answers; `testclient` is Starlette's test host."""


class SleutelbestandError(Exception):
    """The key file cannot be read or has a malformed line (the message names the line only)."""


class ToegangError(Exception):
    """Access refused: `status` 401 (no or wrong key) or 403 (not for this region)."""

    def __init__(self, status: int, bericht: str) -> None:
        super().__init__(bericht)
        self.status = status
        self.bericht = bericht


@dataclass(frozen=True, slots=True)
class Sleutel:
    """What one caller may do. `regios` None means every region (open service)."""

    regios: frozenset[str] | None
    naam: str = "lokaal (zonder sleutel)"
    """Who holds the key, for the audit trail: its name in the key file, else a short
    fingerprint ('sleutel 3f9a1c2e'); never the key itself."""

    def mag(self, regio: str) -> bool:
        return self.regios is None or regio in self.regios

    def controleer(self, regio: str) -> None:
        """Raise a 403 when this caller may not use `regio`."""
        if not self.mag(regio):
            raise ToegangError(403, f"deze API-sleutel geeft geen toegang tot regio '{regio}'")


OPEN = Sleutel(None)


def lees_sleutels(pad: Path) -> dict[str, frozenset[str]]:
    """Parse the key file into key -> regions."""
    return {sleutel: s.regios or frozenset() for sleutel, s in lees_houders(pad).items()}


def _vingerafdruk(sleutel: str) -> str:
    return "sleutel " + hashlib.sha256(sleutel.encode()).hexdigest()[:8]


def lees_houders(pad: Path) -> dict[str, Sleutel]:
    """Parse the key file into key -> its regions and holder's name."""
    try:
        tekst = pad.read_text(encoding="utf-8")
    except OSError as err:
        raise SleutelbestandError(
            f"sleutelbestand {pad} is niet te lezen: {err.strerror}") from None
    sleutels: dict[str, Sleutel] = {}
    for nummer, line in enumerate(tekst.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        delen = line.split(maxsplit=2)
        regios = frozenset(r for r in delen[1].split(",") if r) if len(delen) >= 2 else frozenset()
        if not regios:
            raise SleutelbestandError(
                f"{pad}:{nummer}: verwacht 'sleutel regio1,regio2 [naam]' (een sleutel, een "
                "spatie, regio's gescheiden door komma's, eventueel de naam van de houder)")
        naam = delen[2].strip() if len(delen) == 3 else _vingerafdruk(delen[0])
        sleutels[delen[0]] = Sleutel(regios, naam)
    return sleutels


class Toegang:
    """Decides who the caller is from the `X-API-Key` header."""

    def __init__(self, sleutels: dict[str, Sleutel] | None) -> None:
        self._sleutels = sleutels

    @classmethod
    def uit_bestand(cls, pad: Path | None) -> Toegang:
        return cls(None if pad is None else lees_houders(pad))

    @property
    def open(self) -> bool:
        return self._sleutels is None

    def wie(self, sleutel: str | None, client_host: str | None) -> Sleutel:
        """The caller's rights, or ToegangError(401/403)."""
        if self._sleutels is None:
            if client_host not in LOKAAL:
                raise ToegangError(403, "deze dienst draait zonder sleutels en bedient alleen "
                                        "127.0.0.1")
            return OPEN
        if not sleutel:
            raise ToegangError(401, "API-sleutel ontbreekt: stuur de header X-API-Key")
        for bekend, houder in self._sleutels.items():
            if hmac.compare_digest(bekend.encode(), sleutel.encode()):
                return houder
        raise ToegangError(401, "onbekende API-sleutel")
