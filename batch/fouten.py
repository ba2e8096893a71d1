"""The errors that stop a batch, each with a Dutch sentence (the command line shows it and
chooses the exit code: bad input 1, a worker that failed 3)."""

from __future__ import annotations


class InvoerError(Exception):
    """Input that stops the run before anything is assessed (Dutch, located)."""


class WerkerError(Exception):
    """A worker process ended without finishing its messages (Dutch)."""


class ToewijzingFoutenError(Exception):
    """JW301 files that cannot be read: every one of them is read and named in one run
    (in file order), so a back office fixes them all at once."""

    TONEN = 20
    """At most this many are shown; the rest is counted."""

    def __init__(self, meldingen: list[str]) -> None:
        super().__init__(f"{len(meldingen)} onleesbare toewijzingen")
        self.meldingen = meldingen

    def tekst(self) -> str:
        if len(self.meldingen) == 1:
            return f"toewijzing onleesbaar: {self.meldingen[0]}"
        regels = [f"toewijzing onleesbaar in {len(self.meldingen)} bestanden:",
                  *(f"  {m}" for m in self.meldingen[:self.TONEN])]
        if len(self.meldingen) > self.TONEN:
            regels.append(f"  ... en nog {len(self.meldingen) - self.TONEN} bestanden")
        return "\n".join(regels)
