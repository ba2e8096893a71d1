"""iWmo 3.2 as a data record: the one place in the code with its namespaces, message codes,
versions and code lists (a test in tests/huis holds every `istandaarden.nl` string in a
standard's record). The message structure of WMO301/WMO323/WMO325 equals that of
JW301/JW323/JW325; what differs is here: namespaces, codes (COD002-VEKTIS) and code lists
(WMO020 product categories, WJ756 units, WMO757 frequencies, WJ001 return codes)."""

from __future__ import annotations

from pathlib import Path

from berichten.standaard import Bericht, Codelijsten, Retourcodes, Rol, Standaard

_NS = "http://www.istandaarden.nl/iwmo/3_2/{}/schema"


def _bericht(naam: str, rol: Rol, berichtcode: str) -> Bericht:
    return Bericht.volgens_patroon(_NS, naam, rol, berichtcode)


IWMO_3_2 = Standaard(
    naam="iWmo",
    versie="3.2",
    berichtversie="3",
    berichtsubversie="2",
    xsd_versie="1.0.0",
    xslt_versie="1.0.0",
    basis_namespace=_NS.format("basisschema"),
    basis_voorvoegsel="iwmo",
    basis_schema="basisschema.xsd",
    xsd_map=Path(__file__).parent / "xsd",
    berichten=(
        _bericht("WMO301", "toewijzing", "414"),
        _bericht("WMO323", "declaratie", "484"),
        _bericht("WMO325", "retour", "485"),
    ),
    codes=Codelijsten(
        productcategorie=frozenset(f"{n:02d}" for n in range(1, 19)),
        eenheid=frozenset(["01", "04", "14", "16", "82", "83", "84"]),
        frequentie=frozenset(["1", "2", "4", "6"]),
        reden_wijziging=frozenset(f"{n:02d}" for n in range(1, 15)),
        retourcodes=Retourcodes(goedgekeurd="8001", geen_opmerking="0200", technisch="0001",
                                client_afgewezen="0233"),
    ),
    persoonsgegevens=frozenset({
        "Bsn", "Achternaam", "Voorvoegsel", "Voornamen", "Voorletters", "Datum", "Postcode",
        "Straatnaam", "Huisnummer", "Huisletter", "HuisnummerToevoeging", "Plaatsnaam",
        "Telefoonnummer", "Emailadres", "Commentaar", "Organisatie",
    }),
    wet="Wmo",
)
"""iWmo release 3.2 (the XSDs in `berichten/iwmo/xsd/`; WMO325.xsd is derived, see
`berichten.iwmo.afleiden`)."""
