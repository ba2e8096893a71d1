"""Tables from CSV files next to the rule file that names them (docs/taal.md §3).

Values are typed by column name (cents, dates, numbers, text); a tariff table must have
exactly the tariff columns. Every malformed cell is an error at `file.csv:line:column`;
rows with the same key whose validity overlaps are an error naming both lines.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from fractions import Fraction

from dsl.checks import TARIEF_KOLOMMEN, kolomtype
from dsl.fouten import RegelFout, maak_fout
from engine import ir

EENHEDEN = frozenset({"01", "04", "14", "16", "82", "83", "84"})
NIET_SLEUTEL = frozenset({"geldig_vanaf", "geldig_tot", "omschrijving", "tarief", "soort"})


class _Lezer:
    def __init__(self, bestand: str, tekst: str) -> None:
        self.bestand = bestand
        self.tekst = tekst
        self.fouten: list[RegelFout] = []

    def fout(self, line: int, column: int, bericht: str) -> None:
        self.fouten.append(maak_fout(self.bestand, self.tekst, line, column, bericht))


def lees_tabel(
    naam: str, bestand: str, inhoud: bytes, herkomst: ir.Herkomst, bron: ir.Bron
) -> tuple[ir.Tabel | None, list[RegelFout]]:
    """The table in `inhoud` (CSV, UTF-8, header row) and every error in it."""
    try:
        tekst = inhoud.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return None, [RegelFout(bestand, 1, 1, f"het bestand is geen UTF-8 (byte {e.start})")]
    lezer = _Lezer(bestand, tekst)
    try:
        rijen = list(csv.reader(io.StringIO(tekst)))
    except csv.Error as e:
        return None, [maak_fout(bestand, tekst, 1, 1, f"het bestand is geen geldige CSV ({e})")]
    if not rijen or not any(c.strip() for c in rijen[0]):
        lezer.fout(1, 1, "de tabel is leeg: de eerste regel moet de kolomnamen bevatten")
        return None, lezer.fouten
    kolommen = [k.strip() for k in rijen[0]]
    if not _kop_goed(lezer, naam, kolommen):
        return None, lezer.fouten
    waarden, geldig = _rijen(lezer, kolommen, rijen[1:])
    _overlap(lezer, kolommen, waarden, geldig)
    if lezer.fouten:
        return None, lezer.fouten
    tabel = ir.Tabel(naam, tuple(ir.Kolom(k, kolomtype(k)) for k in kolommen),
                     tuple(w for w, _ in waarden), tuple(geldig), herkomst, bron, bestand)
    return tabel, []


def _kop_goed(lezer: _Lezer, naam: str, kolommen: list[str]) -> bool:
    if (naam == "tarieven" or "tarief" in kolommen) and tuple(kolommen) != TARIEF_KOLOMMEN:
        lezer.fout(1, 1, "een tarieventabel heeft precies de kolommen "
                   f"{','.join(TARIEF_KOLOMMEN)}; gevonden: {','.join(kolommen)}")
        return False
    dubbel = sorted({k for k in kolommen if kolommen.count(k) > 1})
    if dubbel:
        lezer.fout(1, 1, f"kolom '{dubbel[0]}' staat twee keer in de kop")
        return False
    return True


def _kolom_posities(line: str) -> list[int]:
    """1-based start column of every cell of a CSV line (quotes respected)."""
    posities, binnen = [1], False
    for i, teken in enumerate(line):
        if teken == '"':
            binnen = not binnen
        elif teken == "," and not binnen:
            posities.append(i + 2)
    return posities


def _rijen(
    lezer: _Lezer, kolommen: list[str], rijen: list[list[str]]
) -> tuple[list[tuple[tuple[ir.Waarde, ...], int]], list[ir.Geldigheid]]:
    lines = lezer.tekst.splitlines()
    waarden: list[tuple[tuple[ir.Waarde, ...], int]] = []
    geldig: list[ir.Geldigheid] = []
    for index, rij in enumerate(rijen, start=2):
        if not any(c.strip() for c in rij):
            continue
        posities = _kolom_posities(lines[index - 1] if index - 1 < len(lines) else "")
        if len(rij) != len(kolommen):
            lezer.fout(index, 1, f"deze rij heeft {len(rij)} kolommen, de kop {len(kolommen)}")
            continue
        cellen = tuple(_cel(lezer, k, c.strip(), index, posities[min(i, len(posities) - 1)])
                       for i, (k, c) in enumerate(zip(kolommen, rij, strict=True)))
        waarden.append((cellen, index))
        geldig.append(_geldigheid(lezer, kolommen, cellen, index, posities))
    return waarden, geldig


def _cel(lezer: _Lezer, kolom: str, cel: str, line: int, column: int) -> ir.Waarde:
    t = kolomtype(kolom)
    if cel == "":
        if kolom in ("tarief", "productcode", "eenheid", "geldig_vanaf"):
            lezer.fout(line, column, f"kolom '{kolom}' mag niet leeg zijn")
        return None
    if t.soort == "geld":
        if not cel.lstrip("-").isdigit():
            lezer.fout(line, column, f"'{cel}' in kolom '{kolom}' is geen bedrag in hele "
                       "centen (schrijf 7645 voor € 76,45)")
            return None
        if cel.startswith("-"):
            # A negative tariff would turn volume maal tarief into money owed to the provider
            # for nothing; no contract has one.
            wat = "een tarief" if kolom == "tarief" else "een bedrag"
            lezer.fout(line, column, f"'{cel}' in kolom '{kolom}' is negatief: {wat} kan niet "
                       "negatief zijn (schrijf 7645 voor € 76,45)")
            return None
        return int(cel)
    if t.soort == "datum":
        try:
            return date.fromisoformat(cel)
        except ValueError:
            lezer.fout(line, column, f"'{cel}' in kolom '{kolom}' is geen datum (JJJJ-MM-DD)")
            return None
    if t.soort == "getal":
        return _getal(lezer, kolom, cel, line, column)
    if kolom == "eenheid" and cel not in EENHEDEN:
        lezer.fout(line, column, f"eenheid '{cel}' is geen iJw-eenheid (01, 04, 14, 16, 82, "
                   "83 of 84)")
    return cel


def _getal(lezer: _Lezer, kolom: str, cel: str, line: int, column: int) -> ir.Waarde:
    try:
        waarde = Fraction(cel.replace(",", "."))
    except ValueError:
        lezer.fout(line, column, f"'{cel}' in kolom '{kolom}' is geen getal")
        return None
    return int(waarde) if waarde.denominator == 1 else waarde


def _geldigheid(lezer: _Lezer, kolommen: list[str], cellen: tuple[ir.Waarde, ...],
                line: int, posities: list[int]) -> ir.Geldigheid:
    rij = dict(zip(kolommen, cellen, strict=True))
    vanaf, tot = rij.get("geldig_vanaf"), rij.get("geldig_tot")
    vanaf_d = vanaf if isinstance(vanaf, date) else None
    tot_d = tot + timedelta(days=1) if isinstance(tot, date) else None
    if vanaf_d and tot_d and tot_d <= vanaf_d:
        column = posities[min(kolommen.index("geldig_tot"), len(posities) - 1)]
        lezer.fout(line, column, f"geldig_tot {tot} ligt voor geldig_vanaf {vanaf}")
    return ir.Geldigheid(vanaf_d, tot_d)


def _overlap(lezer: _Lezer, kolommen: list[str],
             waarden: list[tuple[tuple[ir.Waarde, ...], int]],
             geldig: list[ir.Geldigheid]) -> None:
    if "geldig_vanaf" not in kolommen:
        return
    sleutel_idx = [i for i, k in enumerate(kolommen) if k not in NIET_SLEUTEL]
    if "productcode" in kolommen and "eenheid" in kolommen:
        sleutel_idx = [kolommen.index("productcode"), kolommen.index("eenheid")]
    gezien: dict[tuple[ir.Waarde, ...], list[tuple[ir.Geldigheid, int]]] = {}
    for (cellen, line), g in zip(waarden, geldig, strict=True):
        sleutel = tuple(cellen[i] for i in sleutel_idx)
        for ander, ander_line in gezien.get(sleutel, []):
            if g.overlapt(ander):
                lezer.fout(line, 1, f"deze rij ({', '.join(str(s) for s in sleutel)}) geldt "
                           f"in dezelfde periode als de rij op {lezer.bestand}:{ander_line}; "
                           "geldigheden mogen niet overlappen")
                break
        gezien.setdefault(sleutel, []).append((g, line))
