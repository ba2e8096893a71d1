"""API keys per back office: which regions a key may use.

The key file (named by `REGELWERK_SLEUTELS`) has one line per key: the key, a space, and
the region names separated by commas. Empty lines and lines starting with `#` are skipped.
Keys are compared in constant time and never logged or echoed.
"""

from __future__ import annotations

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

    def mag(self, regio: str) -> bool:
        return self.regios is None or regio in self.regios

    def controleer(self, regio: str) -> None:
        """Raise a 403 when this caller may not use `regio`."""
        if not self.mag(regio):
            raise ToegangError(403, f"deze API-sleutel geeft geen toegang tot regio '{regio}'")


OPEN = Sleutel(None)


def lees_sleutels(pad: Path) -> dict[str, frozenset[str]]:
    """Parse the key file into key -> regions."""
    try:
        tekst = pad.read_text(encoding="utf-8")
    except OSError as err:
        raise SleutelbestandError(
            f"sleutelbestand {pad} is niet te lezen: {err.strerror}") from None
    sleutels: dict[str, frozenset[str]] = {}
    for nummer, line in enumerate(tekst.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        delen = line.split()
        regios = frozenset(r for r in delen[1].split(",") if r) if len(delen) == 2 else frozenset()
        if not regios:
            raise SleutelbestandError(
                f"{pad}:{nummer}: verwacht 'sleutel regio1,regio2' (een sleutel, een spatie, "
                "regio's gescheiden door komma's)")
        sleutels[delen[0]] = regios
    return sleutels


class Toegang:
    """Decides who the caller is from the `X-API-Key` header."""

    def __init__(self, sleutels: dict[str, frozenset[str]] | None) -> None:
        self._sleutels = sleutels

    @classmethod
    def uit_bestand(cls, pad: Path | None) -> Toegang:
        return cls(None if pad is None else lees_sleutels(pad))

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
        for bekend, regios in self._sleutels.items():
            if hmac.compare_digest(bekend.encode(), sleutel.encode()):
                return Sleutel(regios)
        raise ToegangError(401, "onbekende API-sleutel")
