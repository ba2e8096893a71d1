"""iJw 3.2 as a data record: the one place in the code with its namespaces, message codes,
versions and code lists (a test in tests/huis holds every `istandaarden.nl` string here)."""

from __future__ import annotations

from pathlib import Path

from berichten.standaard import Bericht, Codelijsten, Retourcodes, Rol, Standaard

_NS = "http://www.istandaarden.nl/ijw/3_2/{}/schema"


def _bericht(naam: str, rol: Rol, berichtcode: str) -> Bericht:
    return Bericht.volgens_patroon(_NS, naam, rol, berichtcode)


IJW_3_2 = Standaard(
    naam="iJw",
    versie="3.2",
    berichtversie="3",
    berichtsubversie="2",
    xsd_versie="1.0.0",
    xslt_versie="1.0.0",
    basis_namespace=_NS.format("basisschema"),
    basis_voorvoegsel="ijw",
    basis_schema="basisschema.xsd",
    xsd_map=Path(__file__).parent / "xsd",
    berichten=(
        _bericht("JW301", "toewijzing", "436"),
        _bericht("JW323", "declaratie", "490"),
        _bericht("JW325", "retour", "491"),
    ),
    codes=Codelijsten(
        productcategorie=frozenset(["31", "32", "33", "34", "35", "36", "37", "38",
                                    *(str(c) for c in range(40, 56))]),
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
    wet="Jeugdwet",
)
"""iJw release 3.2 (the XSDs in `berichten/ijw/xsd/`)."""
