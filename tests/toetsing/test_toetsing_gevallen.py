"""Reading YAML cases: defaults, short values, and located errors for mistakes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toetsing import waarden
from toetsing.fouten import GevalFoutError
from toetsing.gevallen import laad_gevallen

GEVAL = """\
gevallen:
  - naam: "Minuten"
    toewijzingen:
      - {nummer: T1, product: 45A48, van: 2025-03-10, tot: 2025-12-31, volume: 10,
         eenheid: uur, frequentie: per maand}
    afwezigheden:
      - {toewijzing: T1, van: 2025-03-12, tot: 2025-03-13}
    declaraties:
      - maand: 2025-03
        prestaties:
          - {ref: R1, toewijzing: T1, eenheid: minuut, volume: 95, tarief: 127, bedrag: 12105,
             verwacht: goedgekeurd}
          - {ref: C1, "credit van": R0, toewijzing: T1, volume: 2, tarief: "€ 76,45",
             verwacht: {retourcodes: [8017], artikel: iJw-credit}}
"""


def _schrijf(tmp_path: Path, tekst: str) -> Path:
    pad = tmp_path / "gevallen.yaml"
    pad.write_text(tekst, encoding="utf-8")
    return pad


def test_een_geval_wordt_domeinobjecten_met_standaardwaarden(tmp_path: Path) -> None:
    [geval] = laad_gevallen(_schrijf(tmp_path, GEVAL), gemeente="0193")
    toewijzing = geval.toewijzingen[0]
    soort = (toewijzing.productcategorie, toewijzing.eenheid, toewijzing.frequentie)
    assert soort == ("45", "04", "4")
    assert toewijzing.gemeente == "0193" and toewijzing.bsn == "999900006"
    declaratie = geval.declaraties[0].declaratie
    assert (declaratie.declaratie_begindatum, declaratie.declaratie_einddatum) == (
        date(2025, 3, 1),
        date(2025, 3, 31),
    )
    debet, credit = declaratie.prestaties
    # the product period is the month narrowed to the allocation
    assert (debet.begindatum, debet.einddatum) == (date(2025, 3, 10), date(2025, 3, 31))
    assert (debet.eenheid, debet.ingediend_bedrag, debet.productcode) == ("01", 12105, "45A48")
    assert (credit.debet_credit, credit.vorig_referentienummer, credit.producttarief) == (
        "C",
        "R0",
        7645,
    )
    assert credit.ingediend_bedrag == 2 * 7645
    assert declaratie.totaal_ingediend == 12105 - 2 * 7645
    verwacht = geval.declaraties[0].verwachtingen
    assert verwacht[0].status == "goedgekeurd" and verwacht[0].retourcodes == frozenset()
    assert verwacht[1].status == "afgewezen" and verwacht[1].retourcodes == {"8017"}
    assert geval.afwezigheden[0].van == date(2025, 3, 12)


@pytest.mark.parametrize(
    ("vervang", "door", "line", "bericht"),
    [
        ("ref: R1,", "referentie: R1,", 11, "onbekende sleutel 'referentie'"),
        ("volume: 95,", "", 11, "mist 'volume'"),
        ("tarief: 127,", "tarief: twaalf,", 11, "'twaalf' is geen bedrag"),
        ("maand: 2025-03", "maand: maart", 9, "'maart' is geen maand"),
        ("volume: 95,", "volume: 9.5,", 11, "'9.5' is geen heel getal"),
        ("verwacht: goedgekeurd", "verwacht: prima", 11, "verwacht is 'goedgekeurd'"),
    ],
)
def test_fouten_in_een_geval_noemen_bestand_en_regel(
    tmp_path: Path, vervang: str, door: str, line: int, bericht: str
) -> None:
    pad = _schrijf(tmp_path, GEVAL.replace(vervang, door, 1))
    with pytest.raises(GevalFoutError) as fout:
        laad_gevallen(pad)
    assert fout.value.line == line
    assert bericht in str(fout.value)
    assert str(fout.value).startswith(f"{pad}:{line}: fout:")


def test_ongeldige_yaml_geeft_een_regelnummer(tmp_path: Path) -> None:
    with pytest.raises(GevalFoutError) as fout:
        laad_gevallen(_schrijf(tmp_path, "gevallen:\n  - naam: [x\n"))
    assert fout.value.line is not None and "geen geldige YAML" in str(fout.value)


def test_dubbele_naam_is_een_fout(tmp_path: Path) -> None:
    tekst = GEVAL + GEVAL.split("\n", 1)[1]
    with pytest.raises(GevalFoutError, match="meer dan een keer"):
        laad_gevallen(_schrijf(tmp_path, tekst))


def test_een_bestand_zonder_gevallen_is_een_fout(tmp_path: Path) -> None:
    with pytest.raises(GevalFoutError, match="begint met 'gevallen:'"):
        laad_gevallen(_schrijf(tmp_path, "naam: los\n"))


@given(st.integers(min_value=0, max_value=10**9))
def test_geld_in_euros_en_centen_is_hetzelfde(centen: int) -> None:
    euro, cent = divmod(centen, 100)
    tekst = f"€ {euro:,}".replace(",", ".") + f",{cent:02d}"
    assert waarden.geld(tekst) == centen == waarden.geld(centen)


def test_waarden_codes_en_maanden() -> None:
    assert waarden.eenheid(4) == "04" and waarden.eenheid("minuten") == "01"
    assert waarden.frequentie("per week") == "2" and waarden.frequentie(6) == "6"
    assert waarden.maand("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert waarden.codes(["0611", 233, "S329"]) == {"0611", "0233", "S329"}
    with pytest.raises(waarden.WaardeFoutError, match="meer dan twee decimalen"):
        waarden.geld("1,234")


GEWEIGERD = """\
gevallen:
  - naam: "Dagtekening na de verwerking"
    toewijzingen:
      - {nummer: T1, product: 45A48, van: 2025-01-01, tot: 2025-12-31}
    declaraties:
      - maand: 2025-03
        identificatie: X7
        dagtekening: 2025-04-10
        verwerkingsdatum: 2025-04-09
        verwacht: {geweigerd: {retourcode: 8848, regelcode: TR135}}
        prestaties:
          - {ref: R1, toewijzing: T1, volume: 4, eenheid: uur}
"""


def test_een_geweigerd_bericht_als_verwachting(tmp_path: Path) -> None:
    [geval] = laad_gevallen(_schrijf(tmp_path, GEWEIGERD))
    [stap] = geval.declaraties
    assert stap.declaratie.bericht_identificatie == "X7"
    assert stap.verwerkingsdatum == date(2025, 4, 9)
    assert stap.geweigerd is not None and stap.verwachtingen == () and stap.verwacht is None
    assert (stap.geweigerd.retourcode, stap.geweigerd.regelcode, stap.geweigerd.element,
            stap.geweigerd.line) == ("8848", "TR135", None, 10)


def test_zonder_verwerkingsdatum_wordt_het_bericht_op_zijn_dagtekening_verwerkt(
        tmp_path: Path) -> None:
    tekst = GEVAL.replace("      - maand: 2025-03\n", "      - maand: 2025-03\n"
                          "        dagtekening: 2025-04-02\n")
    [geval] = laad_gevallen(_schrijf(tmp_path, tekst))
    assert geval.declaraties[0].verwerkingsdatum == date(2025, 4, 2)
    assert geval.declaraties[0].declaratie.bericht_identificatie == "B1"


@pytest.mark.parametrize(
    ("vervang", "door", "line", "bericht"),
    [
        ("volume: 4, eenheid: uur}", "volume: 4, eenheid: uur, verwacht: goedgekeurd}", 12,
         "het bericht wordt geweigerd, zijn prestaties worden niet beoordeeld: laat 'verwacht' "
         "bij de prestatie weg"),
        ("{geweigerd: {", "{retourcodes: [9333], geweigerd: {", 10,
         "een geweigerd bericht heeft geen 'retourcodes': er wordt niets van beoordeeld"),
        ("retourcode: 8848, ", "", 10, "geweigerd mist 'retourcode'"),
        ("regelcode: TR135", "regel: TR135", 10, "onbekende sleutel 'regel' in geweigerd; "
         "mogelijk zijn: element, regelcode, retourcode"),
        ("verwerkingsdatum: 2025-04-09", "verwerkingsdatum: morgen", 6,
         "verwerkingsdatum: 'morgen' is geen datum (schrijf 2026-03-01)"),
        ("        verwacht: {geweigerd: {retourcode: 8848, regelcode: TR135}}\n", "", 11,
         "een prestatie mist 'verwacht'"),
    ],
)
def test_fouten_in_een_geweigerd_bericht(tmp_path: Path, vervang: str, door: str, line: int,
                                         bericht: str) -> None:
    assert vervang in GEWEIGERD
    pad = _schrijf(tmp_path, GEWEIGERD.replace(vervang, door, 1))
    with pytest.raises(GevalFoutError) as fout:
        laad_gevallen(pad)
    assert str(fout.value) == f"{pad}:{line}: fout: {bericht}"
