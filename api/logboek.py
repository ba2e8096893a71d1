"""The workbench's audit trail: every save (who, when, which file, the diff, the content
before and after), one JSON line per save, in one append-only file per region.

The trail lives outside the contract folders (`REGELWERK_WERKBANK_LOGBOEK`, default
`var/werkbank`), so the workbench, which only writes `.regels` and `.csv` files inside a
region's folder, cannot edit it; the service only appends. `wie` is the key's name, never the
key itself.
"""

from __future__ import annotations

import difflib
import json
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Opslag:
    """One recorded save. `hersteld`: the number of the save it undid, if it is an undo."""

    nummer: int
    wie: str
    wanneer: datetime
    bestand: str
    diff: str
    voor: str
    na: str
    hersteld: int | None = None

    def als_json(self) -> str:
        data = asdict(self)
        data["wanneer"] = self.wanneer.isoformat()
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def uit_json(cls, regel: str) -> Opslag:
        data = json.loads(regel)
        data["wanneer"] = datetime.fromisoformat(data["wanneer"])
        return cls(**data)


def diff(pad: str, voor: str, na: str) -> str:
    """A unified diff of one file, as `git diff` shows it."""
    return "".join(difflib.unified_diff(voor.splitlines(keepends=True),
                                        na.splitlines(keepends=True),
                                        f"a/{pad}", f"b/{pad}"))


class OnbekendeOpslagError(LookupError):
    """No save with that number in the region's trail."""


class Logboek:
    """The trail of every region under `map`; appends are serialised in this process."""

    def __init__(self, map: Path) -> None:
        self.map = map
        self._slot = threading.Lock()

    def _bestand(self, regio: str) -> Path:
        return self.map / f"{regio}.jsonl"

    def alle(self, regio: str) -> list[Opslag]:
        """Every save of the region, oldest first."""
        pad = self._bestand(regio)
        if not pad.is_file():
            return []
        return [Opslag.uit_json(r) for r in pad.read_text(encoding="utf-8").splitlines() if r]

    def opslag(self, regio: str, nummer: int) -> Opslag:
        for opslag in self.alle(regio):
            if opslag.nummer == nummer:
                return opslag
        raise OnbekendeOpslagError(nummer)

    def laatste(self, regio: str, bestand: str) -> Opslag | None:
        """The last recorded save of `bestand`."""
        van_bestand = [o for o in self.alle(regio) if o.bestand == bestand]
        return van_bestand[-1] if van_bestand else None

    def schrijf(self, regio: str, bestand: str, voor: str, na: str, wie: str,
                hersteld: int | None = None) -> Opslag:
        """Append one save and return it with its number."""
        with self._slot:
            nummer = len(self.alle(regio)) + 1
            opslag = Opslag(nummer, wie, datetime.now(UTC), bestand, diff(bestand, voor, na),
                            voor, na, hersteld)
            self.map.mkdir(parents=True, exist_ok=True)
            with open(self._bestand(regio), "a", encoding="utf-8") as uit:
                uit.write(opslag.als_json() + "\n")
            return opslag
