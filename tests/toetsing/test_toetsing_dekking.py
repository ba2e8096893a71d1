"""Coverage and failure reports: they must be able to fail, and say why in Dutch."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from engine import ir
from toetsing.dekking import atomen, meet_dekking
from toetsing.gevallen import Verwachting
from toetsing.regio import laad_regio
from toetsing.runner import draai_geval, draai_suite
from weergave.dekking import gaten

CONTRACTEN = Path(__file__).resolve().parents[2] / "contracten"


def test_beide_regios_hebben_een_schone_dekking() -> None:
    for regio in ("amstelland", "ijsselland"):
        suite = laad_regio(CONTRACTEN / regio)
        uitslagen = draai_suite(suite.regelboek, suite.gevallen, werksets=True)
        mislukt = [u.verslag() for u in uitslagen if not u.geslaagd]
        assert not mislukt, mislukt
        dekking = meet_dekking(suite.regelboek, uitslagen)
        assert gaten(dekking) == {}, gaten(dekking)
        assert len(dekking.atomen) > 50


def test_een_halve_suite_laat_gaten_zien_per_artikel_en_lid() -> None:
    suite = laad_regio(CONTRACTEN / "ijsselland")
    alleen_toewijzing = [g for g in suite.gevallen if "istandaard_toewijzing" in g.bestand]
    dekking = meet_dekking(
        suite.regelboek, draai_suite(suite.regelboek, alleen_toewijzing, werksets=True)
    )
    per_plek = gaten(dekking)
    # 9338 fires in this file; only its credit filter is never true (no credit lines here)
    assert per_plek[("iJw-toewijzing", "iJw-9338")] == [
        "regel 'Toewijzing bestaat': voorwaarde (voor elke prestatie) 'creditprestatie' is in "
        "geen enkel geval waar"
    ]
    profiel = "regel 'Lopende trajecten niet op profiel' gaat in geen enkel geval af"
    assert profiel in per_plek[("60", "60.1")]
    assert ("iJw-volume", "iJw-9321") in per_plek


def test_voorwaarden_op_alleen_parameters_tellen_niet_als_gat(ijsselland: ir.Regelboek) -> None:
    labels = {(a.regel.naam, a.label) for a in atomen(ijsselland)}
    regel = ijsselland.regel(
        next(r.id for r in ijsselland.regels if r.naam == "Vervoer niet apart declarabel")
    )
    assert any(naam == regel.naam for naam, _ in labels)
    assert not any(
        naam == regel.naam and "vervoer apart declarabel" in label for naam, label in labels
    )


def test_een_verkeerde_verwachting_geeft_een_leesbaar_verslag(ijsselland: ir.Regelboek) -> None:
    suite = laad_regio(CONTRACTEN / "ijsselland")
    geval = next(g for g in suite.gevallen if g.naam.startswith("Minuten"))
    stap = geval.declaraties[0]
    fout = dataclasses.replace(stap.verwachtingen[1], status="goedgekeurd", retourcodes=frozenset())
    kapot = dataclasses.replace(
        geval, declaraties=(dataclasses.replace(stap, verwachtingen=(stap.verwachtingen[0], fout)),)
    )
    uitslag = draai_geval(ijsselland, kapot)
    assert not uitslag.geslaagd
    verslag = uitslag.verslag()
    assert f"geval '{geval.naam}' ({geval.plek})" in verslag
    assert f"{geval.bestand}:{fout.line}: declaratie D1, prestatie R2: status" in verslag
    assert "verwacht:  goedgekeurd" in verslag and "werkelijk: afgewezen" in verslag
    assert "verwacht:  (geen)" in verslag and "werkelijk: 9346" in verslag
    assert "regel 'Bedrag is volume maal tarief'" in verslag and "€ 121,05" in verslag


def test_verwachting_van_artikel_en_signalen_wordt_ook_vergeleken(ijsselland: ir.Regelboek) -> None:
    suite = laad_regio(CONTRACTEN / "ijsselland")
    geval = next(g for g in suite.gevallen if g.naam.startswith("9340"))
    stap = geval.declaraties[0]
    ander: Verwachting = dataclasses.replace(
        stap.verwachtingen[0], artikel="43", signalen=frozenset({"S999"})
    )
    kapot = dataclasses.replace(
        geval, declaraties=(dataclasses.replace(stap, verwachtingen=(ander,)),)
    )
    verschillen = draai_geval(ijsselland, kapot).verschillen
    assert {v.wat for v in verschillen} == {"artikel", "signalen"}


def _geval(regio: str, begin: str) -> tuple[ir.Regelboek, object]:
    suite = laad_regio(CONTRACTEN / regio)
    return suite.regelboek, next(g for g in suite.gevallen if g.naam.startswith(begin))


def test_een_verkeerd_verwachte_weigering_geeft_een_leesbaar_verslag() -> None:
    regelboek, geval = _geval("amstelland", "TR135")
    stap = geval.declaraties[0]  # type: ignore[attr-defined]
    ander = dataclasses.replace(stap.geweigerd, retourcode="0001", element="Declaratie")
    kapot = dataclasses.replace(geval, declaraties=(dataclasses.replace(stap, geweigerd=ander),))
    uitslag = draai_geval(regelboek, kapot)
    assert {(v.wat, v.verwacht, v.werkelijk) for v in uitslag.verschillen} == {
        ("retourcode van de weigering", "0001", "8848"),
        ("element van de weigering", "Declaratie", "Header/BerichtIdentificatie/Dagtekening")}
    assert "(TR135, retourcode 8848)" in uitslag.verslag()


def test_een_onverwachte_weigering_en_een_uitgebleven_weigering() -> None:
    regelboek, geval = _geval("ijsselland", "TR135")
    geweigerd, hersteld = geval.declaraties  # type: ignore[attr-defined]
    # the refused message, expected to be assessed: the refusal is the difference
    onverwacht = dataclasses.replace(geval, declaraties=(dataclasses.replace(
        geweigerd, geweigerd=None, verwachtingen=hersteld.verwachtingen),))
    [verschil] = draai_geval(regelboek, onverwacht).verschillen
    assert (verschil.wat, verschil.verwacht, verschil.werkelijk) == (
        "geweigerd", "het bericht beoordeeld", "het hele bericht geweigerd met 8848")
    # the corrected message, expected to be refused: it is assessed instead
    uitgebleven = dataclasses.replace(geval, declaraties=(dataclasses.replace(
        hersteld, geweigerd=geweigerd.geweigerd, verwachtingen=()),))
    [verschil] = draai_geval(regelboek, uitgebleven).verschillen
    assert (verschil.wat, verschil.werkelijk) == ("geweigerd", "het bericht is beoordeeld ((geen))")


def test_een_geweigerd_bericht_laat_niets_achter_in_de_historie() -> None:
    regelboek, geval = _geval("amstelland", "CS002")
    uitslag = draai_geval(regelboek, geval)
    assert uitslag.geslaagd, uitslag.verslag()
    assert set(uitslag.weigeringen) == {0} and len(uitslag.beoordelingen) == 1
    assert uitslag.weigeringen[0].regelcode == "CS002"
