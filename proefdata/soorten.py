"""The kinds of planted errors, per line, per allocation and per message, and the national
retourcode each kind should produce."""

from __future__ import annotations

PRESTATIE_SOORTEN = (
    "onbekende_toewijzing", "verkeerde_bsn", "verkeerde_categorie", "verkeerde_code",
    "verkeerde_eenheid", "verkeerd_tarief", "verkeerd_bedrag", "volume_boven_periode",
    "dubbel_referentienummer", "afwezigheid_genegeerd",
)
TOEWIJZING_SOORTEN = (
    "begin_voor_toewijzing", "einde_na_toewijzing", "budget_overschreden",
    "verwijderde_toewijzing", "volume_cumulatief", "code_niet_in_categorie", "vervoer",
    "ongeldige_bsn",
)
BERICHT_SOORTEN = (
    "credit", "herdebet", "credit_zonder_debet", "dubbel_credit", "debet_zonder_credit",
    "dubbel_referentienummer_eerder", "dubbel_declaratienummer",
)
VERWACHTE_CODES: dict[str, str | None] = {
    "geldig": None, "credit": None, "herdebet": None,
    "onbekende_toewijzing": "9338", "verkeerde_bsn": "8187", "verkeerde_categorie": "9339",
    "verkeerde_code": "9340", "verkeerde_eenheid": "9341", "verkeerd_tarief": "0611",
    "verkeerd_bedrag": "9346", "volume_boven_periode": "9321",
    "dubbel_referentienummer": "8021", "afwezigheid_genegeerd": None,
    "begin_voor_toewijzing": "9307", "einde_na_toewijzing": "9308",
    "budget_overschreden": "9369", "verwijderde_toewijzing": "9384",
    "volume_cumulatief": "9322", "code_niet_in_categorie": "S329", "vervoer": None,
    "ongeldige_bsn": "0233", "credit_zonder_debet": "8017", "dubbel_credit": "9390",
    "debet_zonder_credit": "9389", "dubbel_referentienummer_eerder": "8021",
    "dubbel_declaratienummer": "9333",
}
"""The national code a planted kind should produce (None: decided by the region's articles
or no rejection). A line may get more codes than this one (e.g. 9339 also gives S329)."""

FOUT_SOORTEN = len(PRESTATIE_SOORTEN) + len(TOEWIJZING_SOORTEN)
"""the kinds a line's `foutaandeel` is spread over (the message kinds follow from those)"""

TOEWIJZING_VOLGT = frozenset(("budget_overschreden", "verwijderde_toewijzing",
                              "code_niet_in_categorie", "vervoer", "ongeldige_bsn"))
"""allocation kinds that every otherwise valid line of the allocation carries"""

NIET_GEPLANT = frozenset(("ongeldige_bsn",))
"""kinds kept in the tables (so the draws do not move) but no longer planted: a BSN that
fails the elfproef refuses the whole message (OP286, CS002)"""

CATEGORIEEN = ("43", "44", "45", "46", "49", "50")
"""the product categories a planted wrong category is drawn from"""
