"""The fields a rule can read of a line under assessment: one registry for dsl and engine.

Each field is a column of the *werkset* (the prepared batch the backends evaluate): the
JW323 line itself, its allocation (JW301, the version in force), and the history of earlier
messages of the same provider. `namen` are the Dutch phrases a rule file may use (without
the article 'de'/'het'); the first is canonical and is what `regelwerk fmt` writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.ir import DATUM, GELD, TEKST, WAARHEID, Type


@dataclass(frozen=True, slots=True)
class VeldDefinitie:
    kolom: str
    namen: tuple[str, ...]
    type: Type
    omschrijving: str
    leeg_mogelijk: bool = False


VOLUME = Type("getal", "prestatie")


def _v(
    kolom: str, namen: tuple[str, ...], type_: Type, omschrijving: str, leeg: bool = False
) -> VeldDefinitie:
    return VeldDefinitie(kolom, namen, type_, omschrijving, leeg)


_PRESTATIE = (
    _v("aanbieder", ("aanbieder", "agb-code"), TEKST, "AGB-code van de aanbieder (Afzender)"),
    _v("gemeente", ("gemeente",), TEKST, "gemeentecode van de ontvanger"),
    _v("declaratienummer", ("declaratienummer",), TEKST, "DeclaratieNummer"),
    _v("declaratie_begindatum", ("begindatum declaratieperiode",), DATUM,
       "begin DeclaratiePeriode"),
    _v("declaratie_einddatum", ("einddatum declaratieperiode",), DATUM, "einde DeclaratiePeriode"),
    _v("declaratiedagtekening", ("declaratiedagtekening", "dagtekening"), DATUM,
       "DeclaratieDagtekening"),
    _v("bsn", ("bsn", "burgerservicenummer"), TEKST, "BSN van de jeugdige"),
    _v("referentienummer", ("referentienummer",), TEKST, "ReferentieNummer van de prestatie"),
    _v("vorig_referentienummer", ("vorig referentienummer",), TEKST,
       "VorigReferentieNummer (bij een creditprestatie)", True),
    _v("toewijzingnummer", ("toewijzingnummer",), TEKST, "ToewijzingNummer"),
    _v("productcategorie", ("productcategorie",), TEKST, "ProductCategorie"),
    _v("productcode", ("productcode",), TEKST, "ProductCode", True),
    _v("begindatum", ("begindatum", "begindatum productperiode"), DATUM,
       "begin ProductPeriode; ook de peildatum voor regels en tarieven"),
    _v("einddatum", ("einddatum", "einddatum productperiode"), DATUM, "einde ProductPeriode"),
    _v("geleverd_volume", ("geleverd volume", "volume"), VOLUME, "GeleverdVolume"),
    _v("eenheid", ("eenheid",), TEKST, "Eenheid (01 minuut, 04 uur, 14 etmaal, 16 dagdeel, "
       "82 stuks output, 83 euro, 84 stuks inspanning)"),
    _v("producttarief", ("producttarief", "tarief van de prestatie"), GELD, "ProductTarief",
       True),
    _v("ingediend_bedrag", ("ingediend bedrag", "bedrag"), GELD, "IngediendBedrag"),
    _v("debet_credit", ("debet credit", "debetcredit"), TEKST, "D of C"),
    _v("is_credit", ("creditprestatie",), WAARHEID, "waar voor een creditregel"),
)

_TOEWIJZING = (
    _v("toewijzing_bekend", ("toewijzing bekend",), WAARHEID,
       "waar als er een toewijzing met dit ToewijzingNummer is"),
    _v("toewijzing_bsn", ("bsn van de toewijzing",), TEKST, "BSN van de toegewezen jeugdige", True),
    _v("toewijzing_productcategorie", ("productcategorie van de toewijzing",), TEKST,
       "Product.Categorie", True),
    _v("toewijzing_productcode", ("productcode van de toewijzing",), TEKST, "Product.Code", True),
    _v("toewijzing_ingangsdatum", ("ingangsdatum van de toewijzing",), DATUM, "Ingangsdatum", True),
    _v("toewijzing_einddatum", ("einddatum van de toewijzing",), DATUM, "Einddatum", True),
    _v("toewijzing_volume", ("volume van de toewijzing", "toegewezen volume"), VOLUME,
       "Omvang.Volume", True),
    _v("toewijzing_eenheid", ("eenheid van de toewijzing",), TEKST, "Omvang.Eenheid", True),
    _v("toewijzing_frequentie", ("frequentie van de toewijzing", "frequentie"), TEKST,
       "Omvang.Frequentie (1 per dag, 2 per week, 4 per maand, 6 totaal)", True),
    _v("toewijzing_budget", ("budget van de toewijzing", "budget"), GELD, "Budget", True),
    _v("toewijzing_reden_wijziging", ("reden wijziging van de toewijzing",), TEKST,
       "RedenWijziging van de geldende versie", True),
    _v("toewijzing_verwijderd", ("toewijzing verwijderd",), WAARHEID,
       "waar als de geldende versie RedenWijziging 13 (verwijderd) heeft"),
)

_HISTORIE = (
    _v("eerder_referentienummer", ("referentienummer eerder aangeleverd",), WAARHEID,
       "het ReferentieNummer kwam al voor in een eerder bericht van deze aanbieder"),
    _v("eerder_declaratienummer", ("declaratienummer eerder aangeleverd",), WAARHEID,
       "het DeclaratieNummer kwam al voor, met andere inhoud, bij deze aanbieder"),
    _v("eerder_goedgekeurd_volume", ("eerder goedgekeurd volume",), VOLUME,
       "goedgekeurd volume op deze toewijzing in eerdere berichten (debet min credit)"),
    _v("eerder_goedgekeurd_bedrag", ("eerder goedgekeurd bedrag",), GELD,
       "goedgekeurd bedrag op deze toewijzing in eerdere berichten (debet min credit)"),
    _v("debet_bekend", ("gecrediteerde debet bekend",), WAARHEID,
       "creditregel: het VorigReferentieNummer verwijst naar een goedgekeurde debetregel"),
    _v("debet_al_gecrediteerd", ("debet al gecrediteerd",), WAARHEID,
       "creditregel: die debetregel is al eerder gecrediteerd"),
    _v("open_debet", ("open debet",), WAARHEID,
       "debetregel: er is al een goedgekeurde, niet gecrediteerde debetregel voor dezelfde "
       "toewijzing, productcode en productperiode"),
    _v("vorige_declaratieperiode", ("vorige declaratieperiode",), DATUM,
       "einde van de laatste DeclaratiePeriode van een eerder bericht van deze aanbieder aan "
       "deze gemeente (de laatste einddatum; een bericht dat als geheel is geweigerd telt "
       "niet); leeg bij de eerste declaratie", True),
)

VELDEN: tuple[VeldDefinitie, ...] = _PRESTATIE + _TOEWIJZING + _HISTORIE

PER_KOLOM: dict[str, VeldDefinitie] = {v.kolom: v for v in VELDEN}
PER_NAAM: dict[str, VeldDefinitie] = {naam: v for v in VELDEN for naam in v.namen}

GROEPEN: dict[str, tuple[str, ...]] = {
    "client": ("aanbieder", "bsn"),
    "toewijzing": ("aanbieder", "toewijzingnummer"),
    "aanbieder": ("aanbieder",),
    "declaratie": ("aanbieder", "declaratienummer"),
    "referentienummer": ("aanbieder", "referentienummer"),
}
"""Named groups for aggregates ('van dezelfde toewijzing'); values are werkset columns."""
