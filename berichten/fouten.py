"""The one error kind of message input: a located, Dutch `BerichtFoutError`."""

from __future__ import annotations


class BerichtFoutError(Exception):
    """A message (XML, JSON or CSV) that cannot be read: malformed, or against its schema.

    `line`/`column` are 1-based positions in the source when known; for JSON the location
    is a path inside `bericht` and both are None. The text never contains a BSN.
    """

    def __init__(self, bericht: str, line: int | None = None, column: int | None = None,
                 bestand: str | None = None) -> None:
        self.bericht = bericht
        self.line = line
        self.column = column
        self.bestand = bestand
        super().__init__(self.locatie_tekst())

    def locatie_tekst(self) -> str:
        """`bestand:line:column: bericht`, leaving out the parts that are unknown."""
        delen = [d for d in (self.bestand, self.line, self.column) if d is not None]
        plek = ":".join(str(d) for d in delen)
        return f"{plek}: {self.bericht}" if plek else self.bericht
