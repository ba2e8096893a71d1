"""Test data: generated regions, allocations and declaration months for tests and the
bench. Not part of the shipped engine.

Synthetic but realistic region months: providers, clients, allocations (JW301 versions),
absences and declarations (JW323) with a controlled share of every kind of error, debits
and credits. Deterministic by seed.

Every line is made valid first (the version in force of its allocation, the contract tariff
of the tariff table on the care's date, the minute rule, volumes well inside the caps,
attendance) and then, for a planted error, changed in exactly one way. `Regiomaand.soorten`
tells per line which kind was planted ("geldig" when none), `VERWACHTE_CODES` the national
retourcode that kind should produce.

Tariffs: a line in unit U takes the table's row (productcode, U) valid on its begindatum;
a line in minutes (01) takes the hour row (04): ProductTarief = hour tariff / 60 rounded,
IngediendBedrag = round(hour tariff x minutes / 60); euro (83) has no tariff. Allocations in
category 42 (transport) are only made as the planted kind "vervoer".

The flow: `tarieven` (the table) → `generator` (state and random choices) → `toewijzingen`
→ `prestaties` (valid line, planted change) → `berichten` (messages in processing order) →
`regiomaand` (`genereer_regiomaand`) → `bestanden` (`schrijf_regiomaand`); `rekenen` holds the
domain arithmetic, `soorten` the planted kinds.
"""

from proefdata.bestanden import schrijf_regiomaand
from proefdata.regiomaand import Regiomaand, genereer_regiomaand
from proefdata.rekenen import afronden, maandeinde
from proefdata.soorten import (
    BERICHT_SOORTEN,
    PRESTATIE_SOORTEN,
    TOEWIJZING_SOORTEN,
    VERWACHTE_CODES,
)
from proefdata.tarieven import STANDAARD_TARIEVEN, Tariefregel, lees_tarieven, schrijf_tarieven

__all__ = [
    "BERICHT_SOORTEN", "PRESTATIE_SOORTEN", "STANDAARD_TARIEVEN", "TOEWIJZING_SOORTEN",
    "VERWACHTE_CODES", "Regiomaand", "Tariefregel", "afronden", "genereer_regiomaand",
    "lees_tarieven", "maandeinde", "schrijf_regiomaand", "schrijf_tarieven",
]
