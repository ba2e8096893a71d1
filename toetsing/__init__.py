"""Rule test suites per contract: cases written as YAML, run against a region's Regelboek.

A case gives allocations, absences and one or more declarations (in order, each seeing the
history of the earlier ones) and states per line what must come out: status, retourcodes,
article, lid and rule. `toetsing.gevallen` reads the files, `toetsing.runner` runs them,
`toetsing.dekking` reports the rules and conditions that no case exercises.
"""

from toetsing.fouten import GevalFoutError
from toetsing.gevallen import Geval, laad_gevallen, laad_map
from toetsing.runner import GevalUitslag, draai_geval, draai_suite

__all__ = [
    "Geval",
    "GevalFoutError",
    "GevalUitslag",
    "draai_geval",
    "draai_suite",
    "laad_gevallen",
    "laad_map",
]
