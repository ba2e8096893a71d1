"""Tables from CSV files next to the rule file that names them (docs/taal.md §3).

Values are typed by column name (cents, dates, numbers, text); a tariff table must have
exactly the tariff columns. Every malformed cell is an error at `file.csv:line:column`;
rows with the same key whose validity overlaps are an error naming both lines.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from fractions import Fraction

from dsl import geldtabellen
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
    if _puntkomma(lezer):
        return None, lezer.fouten
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
    if geldtabellen.eigen_tabel(naam):  # the year's money tables: their own keys
        regels = tekst.splitlines()
        geldtabellen.controleer_rijen(naam, kolommen, waarden,
                                      lambda line: _kolom_posities(regels[line - 1]), lezer.fout)
    else:
        _overlap(lezer, kolommen, waarden, geldig)
    if lezer.fouten:
        return None, lezer.fouten
    tabel = ir.Tabel(naam, tuple(ir.Kolom(k, kolomtype(k)) for k in kolommen),
                     tuple(w for w, _ in waarden), tuple(geldig), herkomst, bron, bestand)
    return tabel, []


def _puntkomma(lezer: _Lezer) -> bool:
    """A header separated by ';' (what Dutch Excel writes as "CSV"): diagnosed, not read.
    Such a file also has decimal commas and Dutch dates, and every other reader of the
    table (the test data, the diff) reads commas; one form keeps them all equal
    (docs/taal.md §3)."""
    kop = lezer.tekst.splitlines()[0] if lezer.tekst.strip() else ""
    if ";" not in kop or kop.count(",") >= kop.count(";"):
        return False
    lezer.fout(1, kop.index(";") + 1,
               "dit bestand gebruikt ';' als scheidingsteken (zo slaat Nederlandse Excel CSV "
               "op); een tabel scheidt kolommen met komma's: kies in Excel 'Opslaan als' "
               "'CSV UTF-8 (door komma's gescheiden)', of vervang elke ';' door ','")
    return True


def _kop_goed(lezer: _Lezer, naam: str, kolommen: list[str]) -> bool:
    fout = geldtabellen.kop_fout(naam, kolommen)
    if fout:
        lezer.fout(1, 1, fout)
        return False
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
            column, bericht = _te_veel_cellen(kolommen, rij, posities)
            lezer.fout(index, column, bericht)
            continue
        cellen = tuple(_cel(lezer, k, c.strip(), index, posities[min(i, len(posities) - 1)])
                       for i, (k, c) in enumerate(zip(kolommen, rij, strict=True)))
        waarden.append((cellen, index))
        geldig.append(_geldigheid(lezer, kolommen, cellen, index, posities))
    return waarden, geldig


def _te_veel_cellen(kolommen: list[str], rij: list[str], posities: list[int]
                    ) -> tuple[int, str]:
    """Why a row has a different number of cells than the header, and where: a decimal
    comma in an amount or number ('105,00'), or an unquoted comma in a text; else the
    counts. The extra cells come from commas, so the cause is the comma, not the count."""
    telling = f"deze rij heeft {len(rij)} kolommen, de kop {len(kolommen)}"
    extra = len(rij) - len(kolommen)
    if extra <= 0 or not posities:
        return 1, telling

    def kolom_op(i: int) -> int:  # a quoted line break can leave fewer positions than cells
        return posities[min(i, len(posities) - 1)]

    for i, kolom in enumerate(kolommen):
        soort = kolomtype(kolom).soort
        samen = ",".join(c.strip() for c in rij[i:i + extra + 1])
        if soort in ("geld", "getal") and re.fullmatch(r"-?\d+(,\d+)+", samen) and extra == 1:
            return kolom_op(i), _decimale_komma(kolom, soort, samen)
    for i in reversed(range(len(kolommen))):
        if kolomtype(kolommen[i]).soort != "tekst" or not _past(kolommen, rij, i, extra):
            continue
        samen = ",".join(rij[i:i + extra + 1])
        return kolom_op(i), (f"de tekst in kolom '{kolommen[i]}' bevat een komma, en een komma "
                             f"scheidt kolommen (de rij heeft daardoor {len(rij)} kolommen, de "
                             f"kop {len(kolommen)}); zet de tekst tussen aanhalingstekens: "
                             f"\"{samen.strip()}\"")
    return 1, telling


def _decimale_komma(kolom: str, soort: str, samen: str) -> str:
    if soort == "geld":
        heel, _, deel = samen.partition(",")
        centen = int(heel) * 100 + int((deel + "00")[:2]) if len(deel) <= 2 else None
        voorbeeld = f"schrijf {centen}" if centen is not None else "schrijf het in hele centen"
        return (f"'{samen}' in kolom '{kolom}' heeft een decimale komma, en een komma scheidt "
                f"kolommen; een bedrag staat in hele centen zonder komma: {voorbeeld} voor "
                f"€ {samen}")
    return (f"'{samen}' in kolom '{kolom}' heeft een decimale komma, en een komma scheidt "
            f"kolommen; zet het getal tussen aanhalingstekens: \"{samen}\"")


def _past(kolommen: list[str], rij: list[str], i: int, extra: int) -> bool:
    """Whether the row's cells fit the columns when cells i..i+extra are one text."""
    cellen = [*rij[:i], ",".join(rij[i:i + extra + 1]), *rij[i + extra + 1:]]
    proef = _Lezer("", "")
    for kolom, cel in zip(kolommen, cellen, strict=True):
        _cel(proef, kolom, cel.strip(), 1, 1)
    return not proef.fouten


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
            lezer.fout(line, column, _geen_datum(kolom, cel))
            return None
    if t.soort == "getal":
        return _getal(lezer, kolom, cel, line, column)
    if kolom == "eenheid" and cel not in EENHEDEN:
        lezer.fout(line, column, f"eenheid '{cel}' is geen iJw-eenheid (01, 04, 14, 16, 82, "
                   "83 of 84)")
    return cel


def _geen_datum(kolom: str, cel: str) -> str:
    """'01-07-2026' is a Dutch date: name the ISO form to write; else the format."""
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", cel)
    if m:
        try:
            iso = date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            iso = None
        if iso:
            return (f"'{cel}' in kolom '{kolom}' is een datum in de Nederlandse volgorde; een "
                    f"tabel schrijft datums als JJJJ-MM-DD: schrijf {iso}")
    return f"'{cel}' in kolom '{kolom}' is geen datum (JJJJ-MM-DD)"


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


def sleutelkolommen(kolommen: list[str]) -> list[int]:
    """The positions of the columns that say which row is which (a tariff: product code and
    unit); versions of one row differ in validity, never overlap (`_overlap`), and are what
    `regelwerk verschil` compares."""
    if "productcode" in kolommen and "eenheid" in kolommen:
        return [kolommen.index("productcode"), kolommen.index("eenheid")]
    return [i for i, k in enumerate(kolommen) if k not in NIET_SLEUTEL]


def _overlap(lezer: _Lezer, kolommen: list[str],
             waarden: list[tuple[tuple[ir.Waarde, ...], int]],
             geldig: list[ir.Geldigheid]) -> None:
    if "geldig_vanaf" not in kolommen:
        return
    sleutel_idx = sleutelkolommen(kolommen)
    # a row with an unreadable cell has a guessed key or validity: an overlap with it
    # would be a knock-on of that error, reported already
    kapot = {f.line for f in lezer.fouten}
    gezien: dict[tuple[ir.Waarde, ...], list[tuple[ir.Geldigheid, int]]] = {}
    for (cellen, line), g in zip(waarden, geldig, strict=True):
        if line in kapot:
            continue
        sleutel = tuple(cellen[i] for i in sleutel_idx)
        for ander, ander_line in gezien.get(sleutel, []):
            if g.overlapt(ander):
                lezer.fout(line, 1, f"deze rij ({', '.join(str(s) for s in sleutel)}) geldt "
                           f"in dezelfde periode als de rij op {lezer.bestand}:{ander_line}; "
                           "geldigheden mogen niet overlappen")
                break
        gezien.setdefault(sleutel, []).append((g, line))
