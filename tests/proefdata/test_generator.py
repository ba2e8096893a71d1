"""The generator: deterministic, schema-valid files, valid lines that follow the domain
rules, and every planted error kind really planted."""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from ijw_hulp import fouten_tegen_xsd

from berichten.aanwezigheid import lees_aanwezigheid
from berichten.ijw.jw301 import geldende_toewijzingen, lees_jw301_map
from berichten.ijw.jw323 import lees_jw323
from engine.bsn import elfproef
from engine.model import Declaratie, Prestatie, Toewijzing
from proefdata import (
    BERICHT_SOORTEN,
    PRESTATIE_SOORTEN,
    STANDAARD_TARIEVEN,
    TOEWIJZING_SOORTEN,
    Regiomaand,
    afronden,
    genereer_regiomaand,
    lees_tarieven,
    maandeinde,
    schrijf_regiomaand,
    schrijf_tarieven,
)
from proefdata.soorten import NIET_GEPLANT


@cache
def _maand() -> Regiomaand:
    return genereer_regiomaand(11, 20_000, foutaandeel=0.25, maanden=3)


def _regels(rm: Regiomaand) -> list[tuple[Declaratie, Prestatie, str]]:
    return [(d, p, s) for d, soorten in zip(rm.declaraties, rm.soorten, strict=True)
            for p, s in zip(d.prestaties, soorten, strict=True)]


def test_zelfde_seed_zelfde_maand() -> None:
    a, b = genereer_regiomaand(5, 800), genereer_regiomaand(5, 800)
    assert a.declaraties == b.declaraties and a.toewijzingen == b.toewijzingen
    assert a.afwezigheden == b.afwezigheden and a.soorten == b.soorten
    assert genereer_regiomaand(6, 800).declaraties != a.declaraties


def test_ongeveer_het_gevraagde_aantal_prestaties() -> None:
    for n in (50, 1000, 20_000):
        rm = genereer_regiomaand(3, n)
        assert 0.8 * n <= rm.aantal_prestaties <= 1.25 * n


def test_bestanden_zijn_geldig_en_lezen_terug(tmp_path: Path) -> None:
    rm = genereer_regiomaand(2, 400, foutaandeel=0.3)
    schrijf_regiomaand(rm, tmp_path)
    jw323 = sorted((tmp_path / "declaraties").glob("*.xml"))
    jw301 = sorted((tmp_path / "toewijzingen").glob("*.xml"))
    assert len(jw323) == len(rm.declaraties) and jw301
    for pad in jw323:
        assert fouten_tegen_xsd(pad.read_bytes(), "JW323") == [], pad.name
    for pad in jw301:
        assert fouten_tegen_xsd(pad.read_bytes(), "JW301") == [], pad.name
    assert [lees_jw323(p) for p in jw323] == rm.declaraties
    assert geldende_toewijzingen(lees_jw301_map(tmp_path / "toewijzingen")) == \
        rm.geldende_toewijzingen()
    assert lees_aanwezigheid(tmp_path / "aanwezigheid.csv") == rm.afwezigheden
    assert lees_tarieven(tmp_path / "tarieven.csv") == rm.tarieven
    assert not any(p.bsn in pad.name for pad in jw323 + jw301 for p in rm.declaraties[0]
                   .prestaties)


def _contracttarief(rm: Regiomaand, p: Prestatie) -> int | None:
    eenheid = "04" if p.eenheid == "01" else p.eenheid
    for t in rm.tarieven:
        if (t.productcode, t.eenheid) == (p.productcode, eenheid) and t.geldig_op(p.begindatum):
            return t.tarief
    return None


def _klopt_met_toewijzing(p: Prestatie, t: Toewijzing) -> bool:
    eenheid_past = p.eenheid == t.eenheid or (p.eenheid, t.eenheid) == ("01", "04")
    return (p.bsn == t.bsn and p.productcategorie == t.productcategorie and eenheid_past
            and p.productcode == t.productcode and not t.verwijderd
            and t.ingangsdatum <= p.begindatum
            and (t.einddatum is None or p.einddatum <= t.einddatum))


def test_geldige_regels_volgen_de_regels() -> None:
    rm = _maand()
    geldend = rm.geldende_toewijzingen()
    geteld = 0
    for d, p, soort in _regels(rm):
        assert p.begindatum.replace(day=1) == p.einddatum.replace(day=1)
        assert p.einddatum <= maandeinde(p.begindatum)
        if soort not in ("geldig", "herdebet"):
            continue
        geteld += 1
        assert elfproef(p.bsn)
        assert d.gemeente == geldend[p.toewijzingnummer].gemeente
        assert _klopt_met_toewijzing(p, geldend[p.toewijzingnummer])
        tarief = _contracttarief(rm, p)
        if p.eenheid == "83":
            assert (p.producttarief, p.ingediend_bedrag) == (None, p.geleverd_volume)
        elif p.eenheid == "01":
            assert tarief is not None
            assert p.producttarief == afronden(tarief, 60)
            assert p.ingediend_bedrag == afronden(tarief * p.geleverd_volume, 60)
        else:
            assert p.producttarief == tarief
            assert p.ingediend_bedrag == p.geleverd_volume * (tarief or 0)
        assert p.geleverd_volume >= 1
    assert geteld > 10_000


def test_totaal_is_debet_min_credit() -> None:
    for d in _maand().declaraties:
        assert d.totaal_ingediend == sum(p.ingediend_bedrag * (1 if p.debet_credit == "D"
                                                               else -1) for p in d.prestaties)
        assert d.declaratie_begindatum.day == 1
        assert d.declaratie_einddatum == maandeinde(d.declaratie_begindatum)


def test_elke_soort_komt_voor_in_de_gevraagde_mate() -> None:
    rm = _maand()
    telling = Counter(s for _, _, s in _regels(rm))
    for soort in (*PRESTATIE_SOORTEN, *TOEWIJZING_SOORTEN, *BERICHT_SOORTEN):
        # ongeldige_bsn is not planted any more (a refused message is tested on its own)
        assert telling[soort] > 0 or soort in NIET_GEPLANT, soort
    fout = sum(n for s, n in telling.items() if s not in ("geldig", "credit", "herdebet"))
    assert 0.15 < fout / rm.aantal_prestaties < 0.4


def test_kleine_maand_heeft_ook_fouten() -> None:
    telling = Counter(s for _, _, s in _regels(genereer_regiomaand(1, 300)))
    assert telling["geldig"] > 200
    assert len(telling) > 8


def _controleer(soort: str, d: Declaratie, p: Prestatie, rm: Regiomaand,
                geldend: dict[str, Toewijzing], eerder: dict[str, set[str]],
                nummers: dict[str, list[str]]) -> bool:
    t = geldend.get(p.toewijzingnummer)
    zelfde_ref = sum(1 for q in d.prestaties if q.referentienummer == p.referentienummer)
    regels = {
        "onbekende_toewijzing": lambda: t is None,
        "verkeerde_bsn": lambda: t is not None and t.bsn != p.bsn,
        "verkeerde_categorie": lambda: t is not None and t.productcategorie != p.productcategorie,
        "verkeerde_code": lambda: t is not None and t.productcode != p.productcode,
        "verkeerde_eenheid": lambda: t is not None and t.eenheid != p.eenheid,
        "verkeerd_tarief": lambda: p.producttarief != (
            afronden(_contracttarief(rm, p) or 0, 60) if p.eenheid == "01"
            else _contracttarief(rm, p)),
        "begin_voor_toewijzing": lambda: t is not None and p.begindatum < t.ingangsdatum,
        "einde_na_toewijzing": lambda: t is not None and t.einddatum is not None
        and p.einddatum > t.einddatum,
        "verwijderde_toewijzing": lambda: t is not None and t.verwijderd,
        "budget_overschreden": lambda: t is not None and t.budget is not None
        and p.ingediend_bedrag > t.budget,
        "ongeldige_bsn": lambda: not elfproef(p.bsn),
        "dubbel_referentienummer": lambda: zelfde_ref > 1,
        "dubbel_referentienummer_eerder": lambda: p.referentienummer in eerder[d.aanbieder],
        "dubbel_declaratienummer": lambda: nummers[d.aanbieder].count(d.declaratienummer) > 1,
        "credit": lambda: p.debet_credit == "C" and p.vorig_referentienummer
        in eerder[d.aanbieder],
        "credit_zonder_debet": lambda: p.debet_credit == "C" and p.vorig_referentienummer
        not in eerder[d.aanbieder],
        "dubbel_credit": lambda: p.debet_credit == "C",
        "vervoer": lambda: p.productcategorie == "42",
    }
    return regels.get(soort, lambda: True)()


@pytest.mark.parametrize("seed", [1, 2])
def test_geplante_fouten_zijn_echt(seed: int) -> None:
    rm = genereer_regiomaand(seed, 6000, foutaandeel=0.3, maanden=2)
    geldend = rm.geldende_toewijzingen()
    eerder: dict[str, set[str]] = {}
    nummers: dict[str, list[str]] = {}
    for d, soorten in zip(rm.declaraties, rm.soorten, strict=True):
        nummers.setdefault(d.aanbieder, []).append(d.declaratienummer)
        eerder.setdefault(d.aanbieder, set())
        for p, soort in zip(d.prestaties, soorten, strict=True):
            assert _controleer(soort, d, p, rm, geldend, eerder, nummers), (soort, p)
        eerder[d.aanbieder] |= {p.referentienummer for p in d.prestaties}


def test_tarieven_uit_een_contract(tmp_path: Path) -> None:
    pad = tmp_path / "tarieven.csv"
    eigen = tuple(t for t in STANDAARD_TARIEVEN if t.productcode in ("45A48", "43A11"))
    pad.write_text(schrijf_tarieven(eigen))
    tabel = lees_tarieven(pad)
    assert tabel == eigen
    rm = genereer_regiomaand(4, 500, tarieven=tabel, begin=date(2025, 11, 1))
    codes = {p.productcode for d in rm.declaraties for p in d.prestaties}
    assert codes <= {"45A48", "43A11"} | {"45A99", "43A99"}
    for _, p, soort in _regels(rm):
        if soort == "geldig" and p.eenheid != "01":
            assert p.producttarief == _contracttarief(rm, p)
