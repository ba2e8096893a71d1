"""iWmo 3.2 as a data record: the one place in the code with its namespaces, message codes,
versions and code lists (a test in tests/huis holds every `istandaarden.nl` string in a
standard's record). The message structure of WMO301/WMO323/WMO325 equals that of
JW301/JW323/JW325; what differs is here: namespaces, codes (COD002-VEKTIS) and code lists
(WMO020 product categories, WJ756 units, WMO757 frequencies, WJ001 return codes)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from berichten.ijw.standaard import IJW_3_2
from berichten.standaard import Bericht

_NS = "http://www.istandaarden.nl/iwmo/3_2/{}/schema"

# Versions, units, frequencies, return codes and the elements that carry personal data are
# iJw 3.2's: only what differs is written here.
IWMO_3_2 = replace(
    IJW_3_2,
    naam="iWmo",
    basis_namespace=_NS.format("basisschema"),
    basis_voorvoegsel="iwmo",
    xsd_map=Path(__file__).parent / "xsd",
    berichten=(
        Bericht.volgens_patroon(_NS, "WMO301", "toewijzing", "414"),
        Bericht.volgens_patroon(_NS, "WMO323", "declaratie", "484"),
        Bericht.volgens_patroon(_NS, "WMO325", "retour", "485"),
    ),
    codes=replace(IJW_3_2.codes, productcategorie=frozenset(f"{n:02d}" for n in range(1, 19))),
    wet="Wmo",
)
"""iWmo release 3.2 (the XSDs in `berichten/iwmo/xsd/`; WMO325.xsd is derived, see
`berichten.iwmo.afleiden`)."""
