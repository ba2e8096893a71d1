"""A period case: after a case's declarations, the signals of the period rules over the
ledger they leave (a provider's quarter or year), with the figures each signal shows.

```yaml
    periode:
      kwartaal: 2026-K1            # or  jaar: 2026
      signalen:
        - {code: S491, waarden: {percentage aanwezig kwartaal: "67,74"}}
        - {code: S530, gemeente: "0363", aanbieder: "12345678"}
      geen signalen: [S495]
```

`aanbieder` defaults to the case's; `gemeente` and `segment` are compared only when given;
`waarden` are the shown values as the sentence writes them. The ledger rows are made from
the assessed declarations exactly as the service books them (`opslag.grootboek`), so a
rejected line counts with approved amount 0 and a credit lowers the month it credits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.periode import Periode, PeriodeSignaal
from toetsing.fouten import GevalFoutError
from toetsing.yamlbron import Knoop, regel_van

_KWARTAAL = re.compile(r"^(\d{4})-K([1-4])$")


@dataclass(frozen=True, slots=True)
class Signaalverwachting:
    code: str
    aanbieder: str
    gemeente: str | None
    segment: str | None
    waarden: tuple[tuple[str, str], ...]
    line: int


@dataclass(frozen=True, slots=True)
class Periodeverwachting:
    periode: Periode
    signalen: tuple[Signaalverwachting, ...]
    geen: tuple[str, ...]
    line: int


def lees_periode(knoop: Any, line: int, aanbieder: str,
                 fout: Callable[[int, str], GevalFoutError]) -> Periodeverwachting:
    """The `periode:` of a case (errors located at their line)."""
    if not isinstance(knoop, Knoop):
        raise fout(line, "'periode' moet sleutels en waarden hebben (kwartaal of jaar, "
                   "signalen, geen signalen)")
    onbekend = sorted(set(knoop) - {"kwartaal", "jaar", "signalen", "geen signalen"})
    if onbekend:
        raise fout(knoop.line, f"onbekende sleutel '{onbekend[0]}' in 'periode'; mogelijk "
                   "zijn: kwartaal, jaar, signalen, geen signalen")
    signalen = tuple(_signaal(s, knoop.line, aanbieder, fout)
                     for s in _lijst(knoop, "signalen", fout))
    geen = tuple(str(c) for c in _lijst(knoop, "geen signalen", fout))
    return Periodeverwachting(_periode(knoop, fout), signalen, geen, knoop.line)


def _lijst(knoop: Knoop, sleutel: str, fout: Callable[[int, str], GevalFoutError]) -> list[Any]:
    waarde = knoop.get(sleutel) or []
    if not isinstance(waarde, list):
        raise fout(knoop.line, f"'{sleutel}' moet een lijst zijn")
    return waarde


def _periode(knoop: Knoop, fout: Callable[[int, str], GevalFoutError]) -> Periode:
    if "kwartaal" in knoop:
        m = _KWARTAAL.match(str(knoop["kwartaal"]))
        if m is None:
            raise fout(knoop.line, f"kwartaal '{knoop['kwartaal']}' is geen kwartaal: schrijf "
                       "het jaar, '-K' en het nummer, zoals 2026-K1")
        return Periode(int(m[1]), int(m[2]))
    if isinstance(knoop.get("jaar"), int):
        return Periode(int(knoop["jaar"]))
    raise fout(knoop.line, "'periode' noemt een kwartaal (2026-K1) of een jaar (2026)")


def _signaal(s: Any, line: int, aanbieder: str,
             fout: Callable[[int, str], GevalFoutError]) -> Signaalverwachting:
    if not isinstance(s, Knoop) or "code" not in s:
        raise fout(line, "een verwacht signaal heeft ten minste een 'code'")
    onbekend = sorted(set(s) - {"code", "aanbieder", "gemeente", "segment", "waarden"})
    if onbekend:
        raise fout(s.line, f"onbekende sleutel '{onbekend[0]}' in een signaal; mogelijk zijn: "
                   "code, aanbieder, gemeente, segment, waarden")
    waarden = s.get("waarden") or {}
    if not isinstance(waarden, dict):
        raise fout(s.line, "'waarden' van een signaal zijn 'naam: getoonde waarde'")
    return Signaalverwachting(
        str(s["code"]), str(s.get("aanbieder") or aanbieder),
        None if s.get("gemeente") is None else str(s["gemeente"]),
        None if s.get("segment") is None else str(s["segment"]),
        tuple((str(k), str(v)) for k, v in waarden.items()), regel_van(s, line))


def verschillen(verwacht: Periodeverwachting, signalen: Sequence[PeriodeSignaal],
                ) -> list[tuple[int, str, str, str]]:
    """(line, what, expected, actual) for every expectation the signals do not meet."""
    uit: list[tuple[int, str, str, str]] = []
    for v in verwacht.signalen:
        passend = [s for s in signalen if _past(v, s)]
        if not passend:
            werkelijk = ", ".join(f"{s.code} {s.aanbieder} {s.gemeente}".strip()
                                  for s in signalen) or "(geen)"
            uit.append((v.line, f"signaal {v.code} in {verwacht.periode}",
                        _beschrijf(v), werkelijk))
            continue
        getoond = dict(passend[0].waarden)
        for naam, waarde in v.waarden:
            if getoond.get(naam) != waarde:
                uit.append((v.line, f"signaal {v.code}: {naam}", waarde,
                            getoond.get(naam, "(niet getoond)")))
    for code in verwacht.geen:
        gevonden = [s for s in signalen if s.code == code]
        if gevonden:
            uit.append((verwacht.line, f"geen signaal {code} in {verwacht.periode}", "geen",
                        "; ".join(s.zin for s in gevonden)))
    return uit


def _past(v: Signaalverwachting, s: PeriodeSignaal) -> bool:
    return (s.code == v.code and s.aanbieder == v.aanbieder
            and (v.gemeente is None or s.gemeente == v.gemeente)
            and (v.segment is None or s.segment == v.segment))


def _beschrijf(v: Signaalverwachting) -> str:
    delen = [v.code, f"aanbieder {v.aanbieder}"]
    if v.gemeente:
        delen.append(f"gemeente {v.gemeente}")
    if v.segment:
        delen.append(f"segment {v.segment}")
    return " ".join(delen)


def vandaag() -> date:
    """The assessment date the case's ledger rows carry (not part of any figure)."""
    return date(2000, 1, 1)
