"""`regelwerk fmt`: on every rule file in the repository (found at test time, so new files
are included), formatting is idempotent and the result parses to the same AST; long
expressions wrap before 'indien'/'anders'/'en'/'of', then before 'plus'/'min'/'maal'
(golden cases in `goed/*.regels` with their expected `goed/*.opgemaakt`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.afbreken import BREEDTE, Keten, Reeks, schrijf
from dsl.formatter import formatteer
from dsl.lexer import commentaren
from dsl.loader import namen_voor
from dsl.parser import parse

REPO = Path(__file__).resolve().parents[2]
REGELWERK = Path(sys.executable).parent / "regelwerk"
GOED = Path(__file__).parent / "goed"


def _regelbestanden() -> list[Path]:
    """Every .regels file of the repository except the deliberately wrong ones."""
    uit = []
    for pad in sorted(REPO.rglob("*.regels")):
        delen = pad.relative_to(REPO).parts
        if any(d.startswith(".") or d.startswith("fouten") for d in delen):
            continue
        uit.append(pad)
    return uit


BESTANDEN = _regelbestanden()


def test_er_zijn_regelbestanden() -> None:
    assert len(BESTANDEN) >= 3


@pytest.mark.parametrize("pad", BESTANDEN, ids=lambda p: str(p.relative_to(REPO)))
def test_fmt_rondreis(pad: Path) -> None:
    tekst = pad.read_text(encoding="utf-8")
    namen = namen_voor(pad)
    origineel, fouten = parse(tekst, str(pad), namen)
    if origineel is None:
        pytest.skip(f"bestand parseert niet: {fouten[0]}")  # reported by the valideer test
    eerste = formatteer(tekst, str(pad), namen)
    tweede = formatteer(eerste, str(pad), namen)
    assert tweede == eerste, "fmt is niet idempotent"
    opnieuw, fouten = parse(eerste, str(pad), namen)
    assert fouten == []
    assert opnieuw == origineel
    assert _commentaren(eerste) == _commentaren(tekst)


def _commentaren(tekst: str) -> list[str]:
    """Every comment of a text (formatting may move one, never lose one)."""
    return sorted(stuk.rstrip() for _, _, stuk in commentaren(tekst))


def test_fmt_voorbeeld_canoniek() -> None:
    tekst = (
        '# kop\nartikel 43 "F"\n   geldig vanaf 2018-01-01\n lid 43.4 "A"\n   parameter x is'
        ' 14 dagen  # veertien\n parameter y is € 100000\n regel "R" als het geleverd volume'
        " is groter dan de x uitleg \"u\" afwijzen met retourcode 9321\n"
    )
    assert formatteer(tekst) == (
        '# kop\nartikel 43 "F"\n  geldig vanaf 2018-01-01\n\n  lid 43.4 "A"\n'
        "    # veertien\n    parameter x is 14 dagen\n    parameter y is € 100.000\n"
        '    regel "R"\n      afwijzen met retourcode 9321\n'
        "      als het geleverd volume is groter dan de x\n      uitleg \"u\"\n"
    )


def test_cli_fmt_en_controleer(tmp_path: Path) -> None:
    bestand = tmp_path / "a.regels"
    bestand.write_text('artikel 1 "a"\n      parameter x is 3 uur\n', encoding="utf-8")
    controle = subprocess.run([str(REGELWERK), "fmt", str(bestand), "--controleer"],
                              capture_output=True, text=True, check=False)
    assert controle.returncode == 1
    subprocess.run([str(REGELWERK), "fmt", str(bestand)], check=True, capture_output=True)
    assert bestand.read_text() == 'artikel 1 "a"\n  parameter x is 3 uur\n'
    controle = subprocess.run([str(REGELWERK), "fmt", str(bestand), "--controleer"],
                              capture_output=True, text=True, check=False)
    assert controle.returncode == 0, controle.stdout


def test_cli_fmt_op_een_fout_bestand(tmp_path: Path) -> None:
    bestand = tmp_path / "a.regels"
    shutil.copy(Path(__file__).parent / "fouten" / "02_als_vergeten.regels", bestand)
    uit = subprocess.run([str(REGELWERK), "fmt", str(bestand)], capture_output=True, text=True,
                         check=False)
    assert uit.returncode == 1
    assert f"{bestand}:7:36: fout: verwacht 'als'" in uit.stdout
    assert "Traceback" not in uit.stdout + uit.stderr


@pytest.mark.parametrize("naam", ["commentaar", "lange_waarde", "lange_voorwaarde"])
def test_gouden_opmaak(naam: str) -> None:
    tekst = (GOED / f"{naam}.regels").read_text(encoding="utf-8")
    verwacht = (GOED / f"{naam}.opgemaakt").read_text(encoding="utf-8")
    assert formatteer(tekst) == verwacht
    assert formatteer(verwacht) == verwacht
    assert parse(verwacht) == parse(tekst)
    assert _commentaren(verwacht) == _commentaren(tekst)


@pytest.mark.parametrize("naam", ["lange_waarde", "lange_voorwaarde"])
def test_gouden_invoer_is_echt_lang(naam: str) -> None:
    """The golden inputs hold statements the formatter must break (else they test nothing)."""
    regels = (GOED / f"{naam}.regels").read_text(encoding="utf-8").splitlines()
    lang = [r.split()[0] for r in regels if len(r) > BREEDTE and r.split()[0] != "uitleg"]
    nodig = {"waarde"} if naam == "lange_waarde" else {"voor", "als", "toon", "waarbij"}
    assert nodig <= set(lang)


def test_lange_waarde_breekt_eerst_voor_indien_en_anders() -> None:
    tekst = ('artikel 1 "a"\n  waarde w is het geleverd volume maal het volume van de toewijzing'
             ' indien het geleverd volume groter is dan 3 en het volume van de toewijzing is'
             ' bekend, anders het volume van de toewijzing\n')
    assert formatteer(tekst) == (
        'artikel 1 "a"\n'
        "  waarde w is het geleverd volume maal het volume van de toewijzing\n"
        "    indien het geleverd volume groter is dan 3"
        " en het volume van de toewijzing is bekend,\n"
        "    anders het volume van de toewijzing\n")


# ------------------------------------------------------------ dsl.afbreken on its own


def test_keten_die_past_blijft_op_een_regel() -> None:
    assert schrijf("als ", Keten("a", ("en b", "en c")), 2, breedte=15) == ["als a en b en c"]


def test_keten_die_niet_past_krijgt_een_regel_per_deel() -> None:
    assert schrijf("als ", Keten("a", ("en b", "en c")), 2, breedte=14) == [
        "als a", "  en b", "  en c"]


def test_buitenste_keten_breekt_eerst() -> None:
    binnen = Keten("a", ("maal b",))
    assert schrijf("w ", Keten(binnen, ("plus c",)), 2, breedte=12) == ["w a maal b", "  plus c"]
    assert schrijf("w ", Keten(binnen, ("plus c",)), 2, breedte=9) == [
        "w a", "    maal b", "  plus c"]


def test_wat_volgt_op_dezelfde_regel_telt_mee() -> None:
    """')' must stay on the line of the last part: 'x (a en b' fits, 'x (a en b)' not."""
    stuk = Reeks(("(", Keten("a", ("en b",)), ")"))
    assert schrijf("x ", stuk, 2, breedte=10) == ["x (a en b)"]
    assert schrijf("x ", stuk, 2, breedte=9) == ["x (a", "  en b)"]


def test_tekst_zonder_breekpunt_blijft_heel() -> None:
    lang = "de som van " + "x" * 120
    assert schrijf("  waarde w is ", lang, 4) == ["  waarde w is " + lang]


# ------------------------------------------------------------ property: wrapping fits

_ATOMEN = st.sampled_from(["het geleverd volume", "het volume van de toewijzing", "de grens",
                           "3"])
_REKENOPS = st.sampled_from(["plus", "min", "maal", "gedeeld door"])


def _voorwaarde(waarden: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """'(A groter is dan B)' or two of them joined with 'en'/'of'."""
    vergelijking = st.builds("({} groter is dan {})".format, waarden, waarden)
    samen = st.builds("({} {} {})".format, vergelijking, st.sampled_from(["en", "of"]),
                      vergelijking)
    return vergelijking | samen


_WAARDEN = st.recursive(_ATOMEN, lambda k: st.one_of(
    st.builds("({} {} {})".format, k, _REKENOPS, k),
    st.builds("({} indien {}, anders {})".format, k, _voorwaarde(k), k)), max_leaves=10)


@settings(max_examples=60, deadline=None)
@given(_WAARDEN, _voorwaarde(_WAARDEN))
def test_lange_expressies_passen_binnen_de_breedte(waarde: str, voorwaarde: str) -> None:
    """Expressions built from short names always wrap to lines within BREEDTE, and the
    result reads back to the same AST and is stable."""
    tekst = (f'artikel 1 "a"\n  parameter grens is 10\n  waarde w is {waarde}\n'
             f'  regel "R"\n    afwijzen met retourcode 9346\n    als {voorwaarde}\n'
             '    uitleg "u"\n')
    origineel, fouten = parse(tekst)
    assert fouten == []
    opgemaakt = formatteer(tekst)
    assert max(len(regel) for regel in opgemaakt.splitlines()) <= BREEDTE, opgemaakt
    assert parse(opgemaakt) == (origineel, [])
    assert formatteer(opgemaakt) == opgemaakt
