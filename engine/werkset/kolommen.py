"""The werkset's columns and their dtypes, the groups of fields they are filled from, and the
day numbers dates are converted through (each distinct date once)."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from engine.velden import VELDEN

_DTYPES: dict[str, pl.DataType] = {
    "tekst": pl.String(),
    "datum": pl.Date(),
    "geld": pl.Int64(),
    "getal": pl.Int64(),
    "waarheid": pl.Boolean(),
}

AFWEZIGHEID_TYPE = pl.List(pl.Struct({"van": pl.Date(), "tot": pl.Date()}))

SCHEMA: dict[str, pl.DataType] = {
    "rij": pl.Int64(),
    "bericht": pl.Int64(),
    **{veld.kolom: _DTYPES[veld.type.soort] for veld in VELDEN},
    "afwezigheden": AFWEZIGHEID_TYPE,
}
"""The werkset's columns in order, with their dtypes."""

PRESTATIEKOLOMMEN = (
    "bsn", "referentienummer", "vorig_referentienummer", "toewijzingnummer", "productcategorie",
    "productcode", "begindatum", "einddatum", "geleverd_volume", "eenheid", "producttarief",
    "ingediend_bedrag", "debet_credit",
)

TOEWIJZINGKOLOMMEN = (
    "toewijzing_bsn", "toewijzing_productcategorie", "toewijzing_productcode",
    "toewijzing_ingangsdatum", "toewijzing_einddatum", "toewijzing_volume",
    "toewijzing_eenheid", "toewijzing_frequentie", "toewijzing_budget",
    "toewijzing_reden_wijziging",
)

DATUMS = ("begindatum", "einddatum")
EPOCHE = date(1970, 1, 1).toordinal()

KOPKOLOMMEN = ("aanbieder", "gemeente", "declaratienummer", "declaratie_begindatum",
               "declaratie_einddatum", "declaratiedagtekening")
"""the message's header fields, the same on each of its lines"""


class Dagen(dict[date | None, int | None]):
    """date -> days since 1970 (None stays None); a month has few distinct dates, each
    converted once."""

    def __missing__(self, dag: date | None) -> int | None:
        nummer = self[dag] = None if dag is None else dag.toordinal() - EPOCHE
        return nummer


class Codes(dict[Any, int]):
    """value -> 0, 1, 2, ... in order of first appearance (for the few product codes)."""

    def __missing__(self, waarde: Any) -> int:
        code = self[waarde] = len(self)
        return code
