"""GeheugenHistorie: what an assessed message leaves behind for the next one."""

from __future__ import annotations

from beoordeling_boek import REGELBOEK, context, declaratie, prestatie

from engine.beoordeling import beoordeel
from engine.historie import GeheugenHistorie
from engine.model import Goedgekeurd


def _registreer(historie: GeheugenHistorie, *prestaties: object, nummer: str) -> None:
    d = declaratie(*prestaties, nummer=nummer)  # type: ignore[arg-type]
    historie.registreer(beoordeel(REGELBOEK, d, context(), historie))


def test_referentienummers_ook_van_afgewezen_regels() -> None:
    historie = GeheugenHistorie()
    _registreer(historie, prestatie(referentienummer="A"),
                prestatie(referentienummer="B", toewijzingnummer="ONBEKEND"), nummer="D1")
    assert historie.bekende_referentienummers("12345678", ["A", "B", "C"]) == {"A", "B"}
    assert historie.bekende_referentienummers("andere", ["A"]) == set()


def test_goedgekeurd_volume_debet_min_credit() -> None:
    historie = GeheugenHistorie()
    _registreer(historie, prestatie(referentienummer="A"), prestatie(referentienummer="B",
                toewijzingnummer="ONBEKEND"), nummer="D1")
    assert historie.goedgekeurd_per_toewijzing("12345678", ["T1", "ONBEKEND"]) == {
        "T1": Goedgekeurd(95, 12105)
    }
    _registreer(historie, prestatie(referentienummer="C", vorig_referentienummer="A",
                                    debet_credit="C"), nummer="D2")
    assert historie.goedgekeurd_per_toewijzing("12345678", ["T1"]) == {"T1": Goedgekeurd(0, 0)}
    assert historie.debetten("12345678", ["A"])["A"].gecrediteerd
    assert historie.open_debetten("12345678", ["T1"]) == []


def test_declaratie_inhoud_van_het_eerste_bericht() -> None:
    historie = GeheugenHistorie()
    d = declaratie(prestatie(), nummer="D1")
    historie.registreer(beoordeel(REGELBOEK, d, context(), historie))
    assert historie.declaratie_inhoud("12345678", "D1") == d.inhoud_sleutel()
    assert historie.declaratie_inhoud("12345678", "D2") is None


def test_open_debetten() -> None:
    historie = GeheugenHistorie()
    _registreer(historie, prestatie(referentienummer="A"), nummer="D1")
    open_ = historie.open_debetten("12345678", ["T1"])
    assert [d.referentienummer for d in open_] == ["A"]
    assert open_[0].bedrag == 12105 and not open_[0].gecrediteerd
