"""Errors of a case file: always located (file and line) and in Dutch."""

from __future__ import annotations


class GevalFoutError(Exception):
    """A case file that cannot be read: `bestand:line: fout: bericht`."""

    def __init__(self, bestand: str, line: int | None, bericht: str) -> None:
        self.bestand = bestand
        self.line = line
        self.bericht = bericht
        plek = f"{bestand}:{line}" if line is not None else bestand
        super().__init__(f"{plek}: fout: {bericht}")
