"""Reading a contract: the articles in force on a date, marked standard / region / local."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from pathlib import Path

from engine import ir
from weergave.document import artikelen_html, verschil

CONTRACTEN = Path(__file__).resolve().parents[2] / "contracten"


def _tekst(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_artikelen_tonen_herkomst_parameters_en_tarieven_op_een_datum(
    amstelland: ir.Regelboek,
) -> None:
    html = artikelen_html(amstelland, date(2026, 1, 1))
    tekst = _tekst(html)
    assert "Artikel 43 — Facturatie" in tekst and "Artikel 61 — Termijnen" in tekst
    afwijzing = "— wijst de prestatie af met code"
    assert f"Regel “Alleen rolstoelvervoer apart declarabel” {afwijzing} 0611" in tekst
    assert re.search(
        r"maximale afwezigheid: 21 dagen \(vanaf \d+ [a-z]+ \d{4}\) gewijzigd door de regio", tekst
    )
    # dates in words; an open end of a tariff row is no unknown (issue 16, walls 8 and 9)
    assert "1 januari 2026 geen einddatum" in tekst and "2026 onbekend" not in tekst
    assert "Artikelen in werking op 1 januari 2026" in tekst
    assert f"Regel “Declareren binnen drie maanden” {afwijzing} 0611 lokaal" in tekst
    assert "Regel “Vervoer niet apart declarabel”" not in tekst
    # the rule as the region's file writes it
    assert 'als de productcode is geen van "42A02", "42A04"' in tekst
    # the tariff table on the date: 2026 rows, not the 2025 ones
    assert "€ 78,10" in tekst and "€ 76,45" not in tekst
    assert "regels/artikelen/43.regels" in tekst
    assert "<script" not in html


def test_de_looptijd_van_het_contract_staat_erbij(amstelland: ir.Regelboek) -> None:
    """The period the engine enforces (care outside it is rejected) is shown to the lawyer,
    and a date outside it is called out."""
    binnen = _tekst(artikelen_html(amstelland, date(2026, 1, 1)))
    assert "Looptijd van het contract: van 1 januari 2025 tot en met 31 december 2026." in binnen
    assert "geldt het contract niet" not in binnen
    buiten = _tekst(artikelen_html(amstelland, date(2027, 1, 1)))
    assert "Op 1 januari 2027 geldt het contract niet." in buiten


def test_een_andere_datum_toont_de_tarieven_van_toen(amstelland: ir.Regelboek) -> None:
    tekst = _tekst(artikelen_html(amstelland, date(2025, 6, 1)))
    assert "€ 76,45" in tekst and "€ 78,10" not in tekst


def test_voor_de_ingangsdatum_van_een_artikel_staat_het_er_niet_in(
    ijsselland: ir.Regelboek,
) -> None:
    tekst = _tekst(artikelen_html(ijsselland, date(2024, 6, 1)))
    assert "Artikel 43 — Facturatie" in tekst
    assert "Artikel 60" not in tekst  # the local article starts in 2025


def test_verschil_noemt_wat_de_regio_wijzigt_vervangt_en_toevoegt(
    amstelland: ir.Regelboek, ijsselland: ir.Regelboek
) -> None:
    soorten = [(v.soort, v.onderwerp) for v in verschil(amstelland)]
    assert [s for s, _ in soorten] == ["wijzigt", "vervangt", "wijzigt", "voegt_toe"]
    assert "maximale afwezigheid" in soorten[0][1] and "Vervoer niet apart" in soorten[1][1]
    assert soorten[2][1] == "uitleg van lid 43.4"
    assert all(
        v.bron.startswith("contracten/amstelland/contract.regels:") for v in verschil(amstelland)
    )
    assert [v.soort for v in verschil(ijsselland)] == ["wijzigt", "voegt_toe"]


def test_regio_eerst_technische_controles_ingeklapt(amstelland: ir.Regelboek) -> None:
    """Issue 16, point 8: the region's own and changed articles first, the standard's after,
    the national technical checks inside a folded <details>; a table of contents."""
    html = artikelen_html(amstelland, date(2026, 4, 1))
    posities = [html.index(f'<article id="artikel-{n}"') for n in ("43", "61", "47", "iJw-volume")]
    assert posities == sorted(posities)
    ingeklapt = html.index('<details class="groep technisch" id="istandaard">')
    assert ingeklapt < posities[3] and "<details open" not in html
    assert '<nav class="inhoud"' in html and 'href="#artikel-61"' in html


def test_badges_volgen_de_parameters_in_een_lid(amstelland: ir.Regelboek,
                                                ijsselland: ir.Regelboek) -> None:
    """A lid whose parameter the region changed is not badged 'standaard' (43.4, 49.1)."""
    def badge(html: str, lid: str) -> str:
        kop = re.search(rf'id="lid-{re.escape(lid)}">\s*<h3>.*?class="herkomst (\w+)"', html)
        assert kop, lid
        return kop.group(1)

    amstel = artikelen_html(amstelland, date(2026, 4, 1))
    assert badge(amstel, "43.4") == "regio" and badge(amstel, "43.1") == "standaard"
    assert badge(artikelen_html(ijsselland, date(2026, 4, 1)), "49.1") == "regio"


def test_regel_als_zin_en_uitleg_met_voorbeeldwaarden(amstelland: ir.Regelboek) -> None:
    html = artikelen_html(amstelland, date(2026, 4, 1))
    assert '<span class="voorbeeld">21 dagen</span>' in html
    tekst = _tekst(re.sub(r'<span class="voorbeeld">([^<]*)</span>', r"\1", html))
    # the region's parameter value fills the explanation; a field gets a typical value
    assert ("Bij langdurig verblijf wordt afwezigheid alleen vergoed als die langer duurt "
            "dan 21 dagen, en dan voor ten hoogste 21 dagen.") in tekst
    assert "ander vervoer (product 45A48) zit in het tarief" in tekst
    assert ("Voor elke prestatie waarvoor geldt: niet de creditprestatie. De regel wijst de "
            "prestatie af met code 9346 als geldt: de geleverd volume is kleiner dan 1.") in tekst
    # no code word in what the page says about the changes
    assert "voegt_toe" not in tekst and "eigen artikel : artikel 61" in tekst


def test_de_regio_herschrijft_de_tekst_van_43_4(amstelland: ir.Regelboek) -> None:
    """The rendered 43.4 no longer says "twee weken" above a limit of 21 days (issue 16, wall
    4): the region rewrote the text, and the page says so and where."""
    html = artikelen_html(amstelland, date(2026, 4, 1))
    lid = _tekst(html[html.index('id="lid-43.4"'):html.index('id="lid-43.4"') + 3000])
    assert "langer dan drie weken aan een stuk" in lid and "twee weken" not in lid
    plek = r"\(contracten/amstelland/contract\.regels:\d+\)"
    assert re.search(r"Tekst gewijzigd door de regio " + plek, lid)
