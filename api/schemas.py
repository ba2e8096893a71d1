"""The answers of the service (the `XPublic` models of the OpenAPI document)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from opslag.tabellen import DeclaratieBase, PrestatieBase


class RegelfoutPublic(BaseModel):
    bestand: str
    line: int
    column: int
    bericht: str
    suggestie: str | None = None


class Fout(BaseModel):
    """Every error answer: a Dutch sentence, and where it is known, the location."""

    fout: str = Field(description="wat er mis is, in het Nederlands")
    line: int | None = None
    column: int | None = None
    locatie: str | None = Field(None, description="plaats in het bericht (JSON-pad of veld)")
    fouten: list[RegelfoutPublic] | None = Field(None, description="fouten in een regelset")


class ToewijzingenAntwoord(BaseModel):
    regio: str
    ontvangen: int = Field(description="aantal toewijzingsversies in het bericht")
    nieuw: int = Field(description="daarvan nieuw opgeslagen (de rest was al bekend)")
    toewijzingnummers: list[str]


class PrestatieIn(BaseModel):
    """One line of a JW323 in its JSON form (berichten.ijw.json_vorm); amounts in cents."""

    bsn: str = Field(pattern=r"^[0-9]{9}$")
    referentienummer: str = Field(min_length=1, max_length=20)
    vorig_referentienummer: str | None = Field(None, max_length=20)
    toewijzingnummer: int = Field(ge=0, le=999_999_999)
    productcategorie: str = Field(pattern=r"^[0-9]{2}$")
    productcode: str = Field(min_length=1, max_length=5)
    begindatum: date
    einddatum: date
    geleverd_volume: int = Field(ge=0, le=99_999_999)
    eenheid: str = Field(pattern=r"^(01|04|14|16|82|83|84)$")
    producttarief: int | None = Field(None, ge=0, le=99_999_999)
    ingediend_bedrag: int = Field(ge=0, le=99_999_999)
    debet_credit: str = Field(pattern=r"^[DC]$")


class DeclaratieIn(BaseModel):
    """A JW323 in its JSON form (berichten.ijw.json_vorm); for the API documentation."""

    aanbieder: str = Field(pattern=r"^[0-9]{8}$", description="AGB-code")
    gemeente: str = Field(pattern=r"^[0-9]{4}$", description="gemeentecode (bepaalt de regio)")
    bericht_identificatie: str = Field(min_length=1, max_length=12)
    bericht_dagtekening: date
    declaratienummer: str = Field(pattern=r"^[a-zA-Z0-9]{1,12}$")
    declaratie_begindatum: date
    declaratie_einddatum: date
    declaratiedagtekening: date
    totaal_ingediend: int = Field(ge=-999_999_999_999, le=999_999_999_999,
                                  description="debet min credit, in eurocent")
    prestaties: list[PrestatieIn] = Field(min_length=1)


class ToewijzingIn(BaseModel):
    """One allocation version (JW301 ToegewezenProduct) in its JSON form."""

    toewijzingnummer: int = Field(ge=0, le=999_999_999)
    bsn: str = Field(pattern=r"^[0-9]{9}$")
    gemeente: str = Field(pattern=r"^[0-9]{4}$")
    aanbieder: str = Field(pattern=r"^[0-9]{8}$")
    productcategorie: str | None = None
    productcode: str | None = Field(None, max_length=5)
    toewijzingsdatum: date
    toewijzingstijd: str = Field(pattern=r"^[0-9]{2}:[0-9]{2}:[0-9]{2}$")
    ingangsdatum: date
    einddatum: date | None = None
    volume: int | None = Field(None, ge=0, le=99_999_999)
    eenheid: str | None = None
    frequentie: str | None = None
    budget: int | None = Field(None, ge=0, le=99_999_999)
    reden_wijziging: str | None = None


class ToewijzingenIn(BaseModel):
    toewijzingen: list[ToewijzingIn] = Field(min_length=1)


class AfwezigheidIn(BaseModel):
    bsn: str = Field(pattern=r"^[0-9]{9}$")
    toewijzingnummer: str = Field(min_length=1, max_length=40)
    van: date
    tot: date


class AanwezigheidIn(BaseModel):
    afwezigheden: list[AfwezigheidIn]


class AanwezigheidAntwoord(BaseModel):
    regio: str
    ontvangen: int
    nieuw: int


class PrestatiePublic(PrestatieBase):
    redenen: list[dict[str, Any]] = Field(default_factory=list)


class DeclaratiePublic(DeclaratieBase):
    id: str = Field(description="het id van de declaratie: willekeurig, niet op te tellen")
    retourcodes: list[str]
    redenen: list[dict[str, Any]] = Field(default_factory=list)
    prestaties: list[PrestatiePublic]


class RedenPublic(BaseModel):
    retourcode: str | None = None
    artikel: str | None = None
    lid: str | None = None
    regel: str | None = None
    uitleg: str | None = Field(None, description="de zin voor de aanbieder")
    waarden: dict[str, str] = Field(default_factory=dict,
                                    description="de vergeleken waarden, leesbaar opgemaakt")
    bron: str | None = Field(None, description="bestand:regel van de regel")


class UitlegPrestatie(BaseModel):
    model_config = ConfigDict(extra="allow")
    volgnummer: int | None = None
    referentienummer: str | None = None
    status: str | None = None
    retourcodes: list[str] = Field(default_factory=list)
    toegekend_bedrag: int | None = Field(None, description="eurocent, met teken")
    redenen: list[RedenPublic] = Field(default_factory=list)
    signalen: list[RedenPublic] = Field(default_factory=list)


class UitlegDocument(BaseModel):
    """The engine's explanation of an assessment (weergave.uitleg): every line with its
    reasons and the receipt (rule-set hash, articles in force, date used)."""

    model_config = ConfigDict(extra="allow")
    declaratienummer: str | None = None
    totaal_ingediend: int | None = None
    totaal_toegekend: int | None = None
    retourcodes: list[str] = Field(default_factory=list)
    redenen: list[RedenPublic] = Field(default_factory=list)
    signalen: list[RedenPublic] = Field(default_factory=list)
    prestaties: list[UitlegPrestatie] = Field(default_factory=list)
    ontvangstbewijs: dict[str, Any] = Field(default_factory=dict)


class BeoordelingAntwoord(BaseModel):
    """The JSON answer to a JW323 or WMO323: where it is stored and the engine's
    explanation."""

    declaratie_id: str | None = Field(description="id voor GET /v1/declaraties/{id}; None bij "
                                                  "een technisch afgewezen bericht")
    regio: str
    regelset_hash: str | None
    opnieuw_ingediend: bool = Field(
        description="waar als precies dit bericht al eerder is beoordeeld: het opgeslagen "
                    "antwoord, niets is opnieuw geteld")
    technische_fout: str | None = None
    standaard: str | None = Field(default=None,
                                  description="de standaard van het bericht en het antwoord: "
                                              "'iJw 3.2' (JW323, antwoord JW325) of 'iWmo 3.2' "
                                              "(WMO323, antwoord WMO325)")
    uitleg: UitlegDocument | None = Field(default=None,
                                          description="leeg bij een technische fout")


class RegioPublic(BaseModel):
    naam: str
    gemeenten: list[str]
    regelset_hash: str
    geladen_op: datetime
    artikelen: int
    regels: int
    standaarden: list[str] = Field(
        description="de standaarden (wetten) waarvan de regio berichten aanneemt, bv. "
                    "'iJw 3.2' (Jeugdwet) of 'iWmo 3.2' (Wmo): die waarvan de tarieventabel "
                    "een productcategorie prijst. Een bericht gaat naar de regio van zijn "
                    "gemeente die zijn standaard aanneemt")


class HerlaadAntwoord(BaseModel):
    regio: str
    regelset_hash: str
    vorige_hash: str | None
    gewijzigd: bool


class LidPublic(BaseModel):
    nummer: str
    titel: str
    uitleg: str


class ArtikelPublic(BaseModel):
    nummer: str
    titel: str
    bron: str | None
    uitleg: str
    geldig_vanaf: date | None
    geldig_tot: date | None
    herkomst: str
    leden: list[LidPublic]


class ArtikelenAntwoord(BaseModel):
    regio: str
    datum: date
    regelset_hash: str
    artikelen: list[ArtikelPublic]


class ValideerIn(BaseModel):
    tekst: str
    bestandsnaam: str = "<invoer>"


class ValideerAntwoord(BaseModel):
    geldig: bool
    fouten: list[RegelfoutPublic]


class GeladenRegelset(BaseModel):
    regio: str
    regelset_hash: str
    geladen_op: datetime


class Gezondheid(BaseModel):
    """Without a valid key (when keys are configured) only `status`: up or down."""

    status: str = Field(description="'ok', 'database onbereikbaar' of 'databaseschema "
                                    "ontbreekt' (dan met status 503)")
    database: str | None = None
    open: bool | None = Field(default=None,
                              description="waar als de dienst zonder API-sleutels draait")
    regelsets: list[GeladenRegelset] | None = None
    niet_geladen: dict[str, list[RegelfoutPublic]] | None = None


def body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of a request body model with its sub-models written inline, for
    `openapi_extra` (the body is read raw: XML, JSON or CSV, so FastAPI does not see it)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return inline(defs[ref.removeprefix("#/$defs/")])
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    uit: dict[str, Any] = inline(schema)
    return uit
