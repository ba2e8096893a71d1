"""Property tests: whatever the input, the language answers with a parse or with its own
located errors, never another exception; and what parses, formats and parses back equal."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.checks import TARIEF_KOLOMMEN
from dsl.formatter import formatteer
from dsl.fouten import RegelFout
from dsl.loader import valideer_tekst
from dsl.parser import parse
from dsl.tabellen import lees_tabel
from dsl.woorden import FRASES
from engine.ir import Bron

HIER = Path(__file__).parent
STANDAARD = HIER / "voorbeeld" / "regels"
REPO = HIER.parents[1]
VOORBEELDEN = [p.read_text(encoding="utf-8") for p in sorted(
    [*STANDAARD.rglob("*.regels"), *(REPO / "regels").rglob("*.regels"),
     *(REPO / "contracten").rglob("*.regels")])]
WOORDEN = sorted({*FRASES, "geleverd volume", "ingediend bedrag", "x", "maximale afwezigheid",
                  "14 dagen", "€ 76,45", '"04"', "2026-01-01", "(", ")", ",", ":", "\n", "1,5",
                  '"R"', "tarieven", "9346", "3 uur", "#", '"""'})
INSTELLINGEN = settings(max_examples=150, deadline=None,
                        suppress_health_check=[HealthCheck.too_slow])


def _goed_gevormd(fouten: list[RegelFout], tekst: str) -> None:
    regels = max(len(tekst.splitlines()), 1)
    for fout in fouten:
        assert fout.bericht
        assert 1 <= fout.line <= regels + 1, fout
        assert fout.column >= 1, fout
        assert str(fout).startswith(f"{fout.bestand}:{fout.line}:{fout.column}: fout: ")


@INSTELLINGEN
@given(st.text(max_size=300))
def test_willekeurige_tekst(tekst: str) -> None:
    _goed_gevormd(valideer_tekst(tekst, "x.regels", STANDAARD), tekst)


@INSTELLINGEN
@given(st.lists(st.sampled_from(WOORDEN), max_size=60))
def test_woordensoep(woorden: list[str]) -> None:
    tekst = " ".join(woorden)
    _goed_gevormd(valideer_tekst(tekst, "x.regels", STANDAARD), tekst)
    _rondreis_als_het_parseert(tekst)


@INSTELLINGEN
@given(st.sampled_from(VOORBEELDEN), st.data())
def test_mutaties_van_goede_bestanden(bron: str, data: st.DataObject) -> None:
    tekst = bron
    for _ in range(data.draw(st.integers(1, 3))):
        begin = data.draw(st.integers(0, len(tekst)))
        eind = data.draw(st.integers(begin, min(len(tekst), begin + 40)))
        invoeging = data.draw(st.sampled_from(["", " ", "\n", *WOORDEN]))
        tekst = tekst[:begin] + invoeging + tekst[eind:]
    _goed_gevormd(valideer_tekst(tekst, "x.regels", STANDAARD), tekst)
    _rondreis_als_het_parseert(tekst)


def _rondreis_als_het_parseert(tekst: str) -> None:
    ast, fouten = parse(tekst, "x.regels")
    if ast is None or fouten:
        return
    opgemaakt = formatteer(tekst, "x.regels")
    opnieuw, fouten = parse(opgemaakt, "x.regels")
    assert fouten == [], opgemaakt
    assert opnieuw == ast, opgemaakt
    assert formatteer(opgemaakt, "x.regels") == opgemaakt


TARIEF_KOP = ",".join(TARIEF_KOLOMMEN) + "\n"
CELLEN = ["45", "45A03", "04", "05", "7645", "76,45", "2025-01-01", "2025-13-01", "", '"a,b"',
          "ambulant", "x", '"', "\n"]


@INSTELLINGEN
@given(st.binary(max_size=200) | st.lists(st.lists(st.sampled_from(CELLEN), max_size=9),
                                          max_size=6).map(
    lambda rijen: (TARIEF_KOP + "\n".join(",".join(r) for r in rijen)).encode()))
def test_tabel_geeft_tabel_of_fouten(inhoud: bytes) -> None:
    tabel, fouten = lees_tabel("tarieven", "tarieven.csv", inhoud, "regio", Bron("c", 1, 1))
    assert (tabel is None) == bool(fouten)
    for fout in fouten:
        assert fout.line >= 1 and fout.column >= 1 and fout.bericht
