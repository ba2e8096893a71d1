"""The tekst format: the heading, aligned tables and the signals, for a terminal or a mail.

Drawn by rich without colour at a fixed width, so the same report gives the same text
anywhere; Dutch notation (`cellen.lezen`), numbers right-aligned."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table

from weergave.rapport.cellen import NUMERIEK, kopregels, lezen, totaalrij, voor_wie
from weergave.rapport.model import Rapport, Signaal, Tabel

BREEDTE = 120


def render(rapport: Rapport) -> bytes:
    uit = io.StringIO()
    console = Console(file=uit, width=BREEDTE, color_system=None, force_terminal=False,
                      highlight=False, emoji=False, markup=False)
    console.print(rapport.titel)
    console.print("=" * len(rapport.titel))
    for label, waarde in kopregels(rapport):
        console.print(f"{label}: {waarde}")
    for tabel in rapport.tabellen:
        console.print()
        console.print(_tabel(tabel))
        if tabel.toelichting:
            console.print(tabel.toelichting)
    console.print()
    console.print(_signalen(rapport.signalen))
    # rich pads every line of a table to the full width: trailing blanks only add noise
    return "".join(f"{regel.rstrip()}\n" for regel in uit.getvalue().splitlines()).encode()


def _tabel(tabel: Tabel) -> Table:
    tafel = Table(title=tabel.titel, box=box.SIMPLE_HEAD, show_footer=False,
                  title_justify="left")
    for kolom in tabel.kolommen:
        tafel.add_column(kolom.kop, justify="right" if kolom.soort in NUMERIEK else "left")
    for rij in tabel.rijen:
        tafel.add_row(*(lezen(w, k.soort) for k, w in zip(tabel.kolommen, rij, strict=True)))
    totaal = totaalrij(tabel)
    if totaal is not None:
        tafel.add_section()
        tafel.add_row(*(lezen(w, k.soort) for k, w in zip(tabel.kolommen, totaal,
                                                          strict=True)))
    return tafel


def _signalen(signalen: tuple[Signaal, ...]) -> str:
    """Each signal: code, where it is written, for whom, the sentence, the values used."""
    if not signalen:
        return "Signalen: geen."
    regels = ["Signalen:"]
    for s in signalen:
        plek = f"artikel {s.artikel}" + (f" lid {s.lid}" if s.lid else "")
        wie = voor_wie(s)
        regels.append(f"- {s.code} ({plek}, regel {s.regel}){': ' + wie if wie else ''}")
        regels.append(f"  {s.zin}")
        if s.waarden:
            regels.append("  waarden: " + "; ".join(f"{n} = {w}" for n, w in s.waarden))
    return "\n".join(regels)
