"""The retourcodes a contract's own rule may return (issue 16): a decision, written down.

The code list WJ001 (iJw 3.2 and iWmo 3.2 alike) has no code for "the contract says no".
Its general codes mean something else to the provider's software: 0001 is "Bericht is
afgekeurd om technische redenen" (a whole message refused for its form), 0200, 0233 and 8001
are outcomes the engine writes itself, 8848 and 9056 judge the message header. A rule of the
contract (`lokaal`, or a region's `vervangt regel`) rejects a line for what was agreed, so it
may return only the codes of the section "Retourcodes voor declaraties en prestaties" that
judge a line: 0611 ("het ingediende tarief komt niet overeen met het contractuele tarief",
the one code that names the contract, for whatever only the contract says) and the codes of
the national line checks, for a contract's stricter version of that same check (9321 for a
tighter volume). The national rules are not held to this list: they return the code their
technical rule names. The existence of a code in the list is checked apart (dsl.codelijst).
"""

from __future__ import annotations

CONTRACT = "0611"
"""The code for what only the contract says."""

TOEGESTAAN: frozenset[str] = frozenset({
    CONTRACT,
    "8017", "8021", "8187", "8214",
    "9307", "9308", "9319", "9321", "9322", "9333", "9338", "9339", "9340", "9341",
    "9346", "9369", "9384", "9387", "9388", "9389", "9390",
})
"""WJ001, 'Retourcodes voor declaraties en prestaties' (JW323/WMO323), without 8001 (an
outcome: 'declaratie is volledig toegewezen')."""


def fout_voor_contractregel(naam: str, code: str) -> tuple[str, str] | None:
    """None when a contract rule may return `code`; else the located error's message and
    its suggestion, in Dutch."""
    if code in TOEGESTAAN:
        return None
    bericht = (f"regel '{naam}' is een regel van het contract en wijst af met retourcode "
               f"{code}, maar die code betekent iets anders voor de software van de aanbieder"
               + (" (0001: 'afgekeurd om technische redenen')" if code == "0001" else "")
               + ": een contractregel geeft een code uit de lijst van prestatiecontroles")
    suggestie = (f"gebruik {CONTRACT} voor wat alleen het contract zegt, of de code van de "
                 "landelijke controle die de regel strenger maakt; toegestaan: "
                 + ", ".join(sorted(TOEGESTAAN)) + " (docs/taal.md, 'retourcode')")
    return bericht, suggestie
