"""The settlement and the risk sharing, pure: golden cases and the issue's properties
(settlement = production − above ceiling − paid; solidary shares sum to the pooled total;
saldi sum to zero) for any production."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from betalen.plafonds import Plafond
from betalen.vaststelling import stel_vast
from betalen.verevening import Gegevens, per_gemeente, vereven
from betalen.voorwaarden import Sleutel, Term

SEGMENTEN = {"verblijf": frozenset({"43", "44"}), "ambulant": frozenset({"45"})}
GEMEENTEN = ("0148", "0160", "0193")
INWONERS = {"0148": 29530, "0160": 62102, "0193": 132141}
_T = Term("verdeelsleutel", "x", "71", "71.1", "betaling.regels:1:1")


def _sleutel(soort: str, alfa: Fraction = Fraction(0)) -> Sleutel:
    return Sleutel(soort, _T, alfa=alfa)


def test_hard_plafond_overschrijding_naar_productie_verdeeld() -> None:
    productie = {("A", "0193", "43"): 60_000, ("A", "0148", "44"): 30_000,
                 ("A", "0193", "45"): 5_000, ("B", "0160", "43"): 10_000}
    plafonds = (Plafond("A", "verblijf", 2026, 80_000, hard=True),
                Plafond("B", "verblijf", 2026, 5_000, hard=False))
    v = stel_vast(productie, {("A", "0193"): 50_000, ("C", "0160"): 100}, SEGMENTEN, plafonds)
    # A's verblijf 90,000 is 10,000 over: 0193 60/90 -> 6,667 (largest remainder), 0148 3,333
    assert [(p.aanbieder, p.gemeente, p.productie, p.boven_plafond, p.betaald, p.slotbedrag)
            for p in v.posten] == [
        ("A", "0148", 30_000, 3_333, 0, 26_667),
        ("A", "0193", 65_000, 6_667, 50_000, 8_333),
        ("B", "0160", 10_000, 0, 0, 10_000),  # soft ceiling: signalled only, paid
        ("C", "0160", 0, 0, 100, -100),  # paid without production: reclaimed
    ]
    [o] = v.overschrijdingen
    assert (o.productie, o.boven, o.delen) == (90_000, 10_000, (("A", "0148", 30_000, 3_333),
                                                                ("A", "0193", 60_000, 6_667)))


def test_gezamenlijk_plafond_over_de_kleine_aanbieders() -> None:
    productie = {("A", "0193", "45"): 900, ("B", "0193", "45"): 300, ("C", "0148", "45"): 100}
    plafonds = (Plafond("A", "ambulant", 2026, 10_000, hard=True),
                Plafond("gezamenlijk", "ambulant", 2026, 100, hard=True))
    [o] = stel_vast(productie, {}, SEGMENTEN, plafonds).overschrijdingen
    # B and C share the joint ceiling: 400 against 100, 300 over, 3 : 1
    assert (o.productie, o.boven, o.delen) == (400, 300, (("B", "0193", 300, 225),
                                                          ("C", "0148", 100, 75)))


def test_verblijf_solidair_rest_profijt() -> None:
    kosten = {("0193", "43"): 1_000_000, ("0148", "45"): 70_000, ("0160", "44"): 0}
    groepen = vereven(kosten, GEMEENTEN, {"verblijf": _sleutel("solidariteit")},
                      _sleutel("profijt"), SEGMENTEN, 2026, Gegevens(INWONERS, {}, {}))
    rijen = per_gemeente(groepen)
    # 1,000,000 by inhabitants 29530 : 62102 : 132141 (sum 223773): 131,964.09,
    # 277,522.31, 590,513.60: floors sum to 999,999, the cent to 0193 (remainder .60)
    assert rijen == [("0148", 70_000, 131_964 + 70_000, 131_964),
                     ("0160", 0, 277_522, 277_522),
                     ("0193", 1_000_000, 590_514, -409_486)]
    assert sum(r[3] for r in rijen) == 0


def test_mix_half_solidair_half_profijt() -> None:
    kosten = {("0193", "45"): 101, ("0148", "45"): 0, ("0160", "45"): 0}
    [groep] = vereven(kosten, GEMEENTEN, {"overige zorg": _sleutel("mix", Fraction(1, 2))},
                      _sleutel("profijt"), SEGMENTEN, 2026, Gegevens(INWONERS, {}, {}))
    # the solidary half of 101 is 50.5 -> 51 (half up) by inhabitants: 6.7, 14.2, 30.1
    # -> 6, 14, 30 + 1 to 0148 (largest remainder .73); the rest 50 by own cost: all to 0193
    assert groep.bijdrage == {"0148": 7, "0160": 14, "0193": 80}


_PRODUCTIE = st.dictionaries(
    st.tuples(st.sampled_from("AB"), st.sampled_from(GEMEENTEN), st.sampled_from(["43", "44",
                                                                                 "45"])),
    st.integers(-10**6, 10**9), max_size=18)


@given(_PRODUCTIE, st.dictionaries(st.tuples(st.sampled_from("ABC"),
                                             st.sampled_from(GEMEENTEN)),
                                   st.integers(0, 10**9), max_size=9),
       st.integers(0, 10**9), st.booleans())
def test_slotbedrag_is_productie_min_boven_plafond_min_betaald(
        productie: dict[tuple[str, str, str], int], betaald: dict[tuple[str, str], int],
        plafond: int, hard: bool) -> None:
    v = stel_vast(productie, betaald, SEGMENTEN, (Plafond("A", "verblijf", 2026, plafond,
                                                           hard),))
    for p in v.posten:
        eigen = sum(b for (a, g, _), b in productie.items() if (a, g) == (p.aanbieder,
                                                                          p.gemeente))
        assert p.productie == eigen
        assert p.betaald == betaald.get((p.aanbieder, p.gemeente), 0)
        assert p.slotbedrag == p.productie - p.boven_plafond - p.betaald
    a_verblijf = sum(b for (a, _, c), b in productie.items() if a == "A" and c in ("43", "44"))
    verwacht = max(0, a_verblijf - plafond) if hard else 0
    assert sum(p.boven_plafond for p in v.posten) == verwacht


@given(st.dictionaries(st.tuples(st.sampled_from(GEMEENTEN), st.sampled_from(["43", "45"])),
                       st.integers(0, 10**10), max_size=6),
       st.sampled_from(["solidariteit", "profijt", "mix", "cliënten vorig jaar"]),
       st.fractions(0, 1))
def test_saldi_tellen_op_tot_nul(kosten: dict[tuple[str, str], int], soort: str,
                                 alfa: Fraction) -> None:
    clienten = {2025: {"verblijf": {"0148": 3, "0160": 0, "0193": 9}}}
    groepen = vereven(kosten, GEMEENTEN, {"verblijf": _sleutel(soort, alfa)},
                      _sleutel("profijt"), SEGMENTEN, 2026, Gegevens(INWONERS, clienten, {}))
    verblijf = groepen[0]
    assert sum(verblijf.bijdrage.values()) == sum(verblijf.kosten.values())
    assert sum(saldo for *_, saldo in per_gemeente(groepen)) == 0
