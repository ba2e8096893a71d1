"""The coverage table of the standard as Markdown (`docs/istandaard-dekking.md`).

`toetsing.standaarddekking` works out per rule of iJw 3.2 where regelwerk carries it out;
this module writes that down for people: a count per kind of place, then one table per
kind of rule (TR, OP, CS), every row filled.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toetsing.standaarddekking import Plek, Rij

KOPPEN = {
    "TR": "Technische regels (TR)",
    "OP": "Bedrijfsregels (OP)",
    "CS": "Constraints (CS)",
}
SOORTNAMEN = {
    "regelbestand": "regelbestand",
    "regel": "regelbestand",
    "xsd": "XSD",
    "berichtlaag": "berichtlaag",
    "zie": "via een andere regel",
    "niet_van_toepassing": "niet van toepassing",
    "nog_niet": "nog niet",
}


def _cel(tekst: str) -> str:
    return tekst.replace("|", "\\|").replace("\n", " ").strip()


def waar(plek: Plek, per_code: dict[str, Plek] | None = None) -> str:
    """Where regelwerk carries out a rule, in one Dutch line."""
    if plek.soort == "regelbestand":
        per_bestand: dict[str, list[str]] = {}
        vias: list[str] = []
        for v in plek.vindplaatsen:
            per_bestand.setdefault(v.bestand, []).append(f"'{v.regel}'")
            if v.via not in vias:
                vias.append(v.via)
        delen = [f"`{b}`: {', '.join(r)}" for b, r in per_bestand.items()]
        uit = "regelbestand " + "; ".join(delen)
        herkend = [v for v in vias if v != "regelcode"]
        if herkend:
            uit += f" (herkend aan {', '.join(herkend)})"
        return uit
    if plek.soort == "regel":
        bestand, _, regel = plek.tekst.partition(":")
        uit = f"regelbestand `{bestand.strip()}`: '{regel.strip()}' (noemt de code nog niet)"
    elif plek.soort == "xsd":
        uit = f"XSD `{plek.tekst}`"
    elif plek.soort == "berichtlaag":
        uit = f"berichtlaag `{plek.tekst}`"
    elif plek.soort == "zie":
        doelen = []
        for code in plek.zie:
            doel = (per_code or {}).get(code)
            naam = SOORTNAMEN[doel.soort] if doel is not None else "?"
            doelen.append(f"{code} ({naam})")
        uit = "uitgewerkt in " + ", ".join(doelen)
    elif plek.soort == "niet_van_toepassing":
        uit = f"niet van toepassing: {plek.tekst}"
    else:
        uit = f"nog niet: {plek.tekst}"
    if plek.toelichting:
        uit += f"; {plek.toelichting}"
    return uit


def markdown(rijen: list[Rij]) -> str:
    """The whole document."""
    per_code = {r.regel.code: r.plek for r in rijen}
    telling = Counter(SOORTNAMEN[r.plek.soort] for r in rijen)
    regels = [
        "# Dekking van iJw 3.2",
        "",
        "Gemaakt door `regelwerk standaard dekking`; niet met de hand bewerken. Per regel van",
        "iJw 3.2 die over JW301, JW323 of JW325 gaat: waar regelwerk hem uitvoert, of waarom",
        "niet. Een regelbestand in `regels/` dat de regelcode in zijn `bron` noemt, vult de rij",
        "zelf (een regel die alleen iJw en een retourcode noemt, wordt herkend aan een",
        "retourcode die bij precies één regel hoort), net als een functie in de berichtlaag",
        "(`berichten/`) waarvan de docstring met de regelcode begint; de overige rijen komen",
        "uit `regels/istandaard/dekking.yaml`. De lijst van regels staat in",
        "`regels/istandaard/ijw-3.2-regels.csv`, met het onderwerp in eigen woorden.",
        "",
        f"{len(rijen)} regels: "
        + ", ".join(f"{aantal} {naam}" for naam, aantal in sorted(
            telling.items(), key=lambda t: (-t[1], t[0]))) + ".",
    ]
    for soort, kop in KOPPEN.items():
        deel = [r for r in rijen if r.regel.soort == soort]
        if not deel:
            continue
        regels += ["", f"## {kop}", "",
                   "| Regel | Berichten | Retourcode | Onderwerp | Waar in regelwerk |",
                   "|---|---|---|---|---|"]
        for r in deel:
            onderwerp = r.regel.onderwerp
            if r.regel.elementen:
                onderwerp += f" ({r.regel.elementen})"
            regels.append(
                f"| {r.regel.code} | {' '.join(r.regel.berichten)} | "
                f"{r.regel.retourcode or '-'} | {_cel(onderwerp)} | "
                f"{_cel(waar(r.plek, per_code))} |")
    return "\n".join(regels) + "\n"
