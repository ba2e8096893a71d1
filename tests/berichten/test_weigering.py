"""`berichten.weigering`: the message-level checks that refuse a whole JW323 (OP286), each
with its retourcode, rule code, place and Dutch sentence, never the BSN."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from berichten.weigering import weigering
from engine.model import Declaratie, Prestatie

VANDAAG = date(2026, 5, 10)
GOED = ("999990019", "999990020", "999990032")  # pass the elfproef
SLECHT = "123456780"  # does not


def _prestatie(i: int, bsn: str) -> Prestatie:
    return Prestatie(i, bsn, f"R{i}", None, "1", "45", "45A48", date(2026, 4, 1),
                     date(2026, 4, 30), 4, "04", 7645, 30580, "D")


def _bericht(*bsns: str, **velden: object) -> Declaratie:
    d = Declaratie("12345678", "0384", "B1", date(2026, 5, 5), "D1", date(2026, 4, 1),
                   date(2026, 4, 30), date(2026, 5, 5), 0,
                   tuple(_prestatie(i, b) for i, b in enumerate(bsns)))
    return dataclasses.replace(d, **velden)  # type: ignore[arg-type]


def test_een_goed_bericht_wordt_niet_geweigerd() -> None:
    assert weigering(_bericht(*GOED), VANDAAG) is None
    assert weigering(_bericht(*GOED, bericht_dagtekening=VANDAAG), VANDAAG) is None


GEVALLEN = [
    # (what changes, retourcode, rule code, the located sentence)
    ({"bsns": (GOED[0], GOED[1], SLECHT, GOED[0])}, "0001", "CS002",
     "Declaratie/Clienten/Client[3]/Bsn: het burgerservicenummer van client 3 doorstaat de "
     "elfproef niet (CS002, retourcode 0001)"),
    ({"declaratie_begindatum": date(2020, 12, 1), "declaratie_einddatum": date(2020, 12, 31)},
     "0001", "CS100", "Declaratie/DeclaratiePeriode/Begindatum: de declaratieperiode begint "
     "op 2020-12-01, voor 2021-01-01 (CS100, retourcode 0001)"),
    ({"declaratie_einddatum": date(2026, 4, 29)}, "0001", "CS340",
     "Declaratie/DeclaratiePeriode: de declaratieperiode 2026-04-01 t/m 2026-04-29 is niet "
     "precies een hele kalendermaand (CS340, retourcode 0001)"),
    ({"declaratie_begindatum": date(2026, 4, 2)}, "0001", "CS340",
     "Declaratie/DeclaratiePeriode: de declaratieperiode 2026-04-02 t/m 2026-04-30 is niet "
     "precies een hele kalendermaand (CS340, retourcode 0001)"),
    ({"bericht_dagtekening": date(2026, 5, 11)}, "8848", "TR135",
     "Header/BerichtIdentificatie/Dagtekening: de dagtekening 2026-05-11 ligt na de "
     "verwerkingsdatum 2026-05-10 (TR135, retourcode 8848)"),
    ({"declaratiedagtekening": date(2027, 1, 1)}, "8848", "TR135",
     "Declaratie/DeclaratieDagtekening: de dagtekening 2027-01-01 ligt na de "
     "verwerkingsdatum 2026-05-10 (TR135, retourcode 8848)"),
    ({"bekend": True}, "9056", "TR056",
     "Header/BerichtIdentificatie/Identificatie: aanbieder 12345678 heeft gemeente 0384 al "
     "een declaratiebericht met identificatie 'B1' gestuurd; de identificatie moet per "
     "berichtsoort uniek zijn (TR056, retourcode 9056)"),
    # the lines: the third line is the second of client 2 (clients in order of first line)
    ({"bsns": (GOED[0], GOED[1], GOED[1]), "regel": (2, {"einddatum": date(2026, 5, 3)})},
     "0001", "CS337", "Declaratie/Clienten/Client[2]/Prestaties/Prestatie[2]/ProductPeriode: "
     "de productperiode van prestatie R2 (2026-04-01 t/m 2026-05-03) ligt niet binnen een "
     "kalendermaand (CS337, retourcode 0001)"),
    ({"regel": (0, {"begindatum": date(2025, 4, 1)})}, "0001", "CS337",
     "Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]/ProductPeriode: de productperiode "
     "van prestatie R0 (2025-04-01 t/m 2026-04-30) ligt niet binnen een kalendermaand "
     "(CS337, retourcode 0001)"),
    ({"regel": (1, {"begindatum": date(2020, 12, 1), "einddatum": date(2020, 12, 31)})},
     "0001", "CS100", "Declaratie/Clienten/Client[2]/Prestaties/Prestatie[1]/ProductPeriode/"
     "Begindatum: de productperiode van prestatie R1 begint op 2020-12-01, voor 2021-01-01 "
     "(CS100, retourcode 0001)"),
    ({"regel": (2, {"ingediend_bedrag": 0, "debet_credit": "C"})}, "0001", "CS325",
     "Declaratie/Clienten/Client[3]/Prestaties/Prestatie[1]/IngediendBedrag/DebetCredit: het "
     "ingediende bedrag van prestatie R2 is nul en heeft teken C (credit); een bedrag nul "
     "heeft teken D (debet) (CS325, retourcode 0001)"),
]


@pytest.mark.parametrize(("wijziging", "code", "regelcode", "melding"), GEVALLEN,
                         ids=[g[2] + "-" + str(i) for i, g in enumerate(GEVALLEN)])
def test_weigering(wijziging: dict[str, object], code: str, regelcode: str,
                   melding: str) -> None:
    velden = dict(wijziging)
    bsns = velden.pop("bsns", GOED)
    assert isinstance(bsns, tuple)
    bekend = bool(velden.pop("bekend", False))
    regel = velden.pop("regel", None)
    bericht = _bericht(*bsns, **velden)
    if regel is not None:
        i, anders = regel  # type: ignore[misc]
        regels = list(bericht.prestaties)
        regels[i] = dataclasses.replace(regels[i], **anders)
        bericht = dataclasses.replace(bericht, prestaties=tuple(regels))
    w = weigering(bericht, VANDAAG, bekend)
    assert w is not None
    assert (w.retourcode, w.regelcode) == (code, regelcode)
    assert w.melding() == melding + "; het hele bericht is afgewezen en geldt als niet verzonden"
    assert SLECHT not in w.melding() and not any(b in w.melding() for b in GOED)


def test_clienten_tellen_in_volgorde_van_hun_eerste_prestatie() -> None:
    w = weigering(_bericht(GOED[0], GOED[1], GOED[0], SLECHT), VANDAAG)
    assert w is not None and w.pad == "Declaratie/Clienten/Client[3]/Bsn"


@pytest.mark.parametrize("anders", [
    {"ingediend_bedrag": 0, "debet_credit": "D"},  # zero as a debit is how it should be
    {"debet_credit": "C"},  # a credit of an amount
    {"begindatum": date(2026, 2, 1), "einddatum": date(2026, 2, 28)},  # an earlier month
])
def test_wat_de_regels_van_een_prestatie_niet_weigert(anders: dict[str, object]) -> None:
    bericht = _bericht(*GOED)
    regels = list(bericht.prestaties)
    regels[1] = dataclasses.replace(regels[1], **anders)  # type: ignore[arg-type]
    assert weigering(dataclasses.replace(bericht, prestaties=tuple(regels)), VANDAAG) is None
