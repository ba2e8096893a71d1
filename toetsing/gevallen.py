"""Read YAML case files into `Geval` objects with real domain objects (engine.model).

A file holds `gevallen:`, a list of cases. A case:

    - naam: "Minuten: het onafgeronde tarief telt"
      uitleg: "..."                       # optional
      jeugdige: 999900006                 # default BSN for everything below
      aanbieder: "12345678"               # default AGB code
      toewijzingen:
        - {nummer: T1, product: 45A48, van: 2025-01-01, tot: 2025-12-31,
           volume: 10, eenheid: uur, frequentie: per maand}
      afwezigheden:
        - {toewijzing: T1, van: 2025-03-02, tot: 2025-03-15}
      declaraties:                        # in order; later ones see the earlier ones
        - maand: 2025-03
          prestaties:
            - {ref: R1, toewijzing: T1, volume: 95, eenheid: minuut, tarief: 127,
               bedrag: 12105, verwacht: goedgekeurd}

`verwacht` is `goedgekeurd` or a mapping with status, retourcodes, artikel, lid, regel,
signalen, geen signalen. A declaration may instead expect to be refused whole by the
message-level checks (`berichten.weigering`, OP286):

        - maand: 2025-03
          identificatie: B1                 # BerichtIdentificatie (default B<n>); TR056
          verwerkingsdatum: 2025-04-01      # the day it is processed (default: dagtekening)
          verwacht: {geweigerd: {retourcode: "8848", regelcode: TR135,
                                 element: Declaratie/DeclaratieDagtekening}}
          prestaties:
            - {ref: R1, toewijzing: T1, volume: 4}     # no `verwacht`: nothing is assessed

Unknown keys are errors (a typo must not silently test nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from engine.model import Afwezigheid, Declaratie, Prestatie, Toewijzing
from toetsing import waarden
from toetsing.fouten import GevalFoutError
from toetsing.periodegeval import Periodeverwachting, lees_periode
from toetsing.yamlbron import Knoop, lees_yaml, regel_van

T = TypeVar("T")

STANDAARD_BSN = "999900006"
STANDAARD_AANBIEDER = "12345678"


@dataclass(frozen=True, slots=True)
class Verwachting:
    """What must come out of one line (or, with status None, of a declaration)."""

    status: str | None
    retourcodes: frozenset[str] | None
    artikel: str | None
    lid: str | None
    regel: str | None
    signalen: frozenset[str]
    geen_signalen: frozenset[str]
    line: int


@dataclass(frozen=True, slots=True)
class Weigeringverwachting:
    """That the whole message is refused (OP286): its retourcode, and if given the rule code
    and the element (the path `berichten.weigering.Weigering.pad` names)."""

    retourcode: str
    regelcode: str | None
    element: str | None
    line: int


@dataclass(frozen=True, slots=True)
class GevalDeclaratie:
    declaratie: Declaratie
    verwachtingen: tuple[Verwachting, ...]
    """one per prestatie, in the order of the declaration's lines (none when refused)"""
    verwacht: Verwachting | None
    """declaration level: retourcodes and signals of the whole message"""
    line: int
    verwerkingsdatum: date
    """the day the message is processed (TR135 compares the Dagtekeningen with it)"""
    geweigerd: Weigeringverwachting | None = None
    """the message is expected to be refused whole, nothing of it assessed or recorded"""


@dataclass(frozen=True, slots=True)
class Geval:
    naam: str
    uitleg: str
    bestand: str
    line: int
    toewijzingen: tuple[Toewijzing, ...]
    afwezigheden: tuple[Afwezigheid, ...]
    declaraties: tuple[GevalDeclaratie, ...]
    periode: Periodeverwachting | None = None
    """a period case: the period rules' signals over the ledger the declarations leave"""

    @property
    def plek(self) -> str:
        return f"{self.bestand}:{self.line}"


@dataclass(slots=True)
class _Lezer:
    """Reads one file; holds the defaults of the case being read."""

    bestand: str
    gemeente: str
    bsn: str = STANDAARD_BSN
    aanbieder: str = STANDAARD_AANBIEDER
    toewijzingen: dict[str, Toewijzing] | None = None

    def fout(self, line: int, bericht: str) -> GevalFoutError:
        return GevalFoutError(self.bestand, line, bericht)

    def knoop(self, waarde: Any, line: int, wat: str) -> Knoop:
        if not isinstance(waarde, Knoop):
            raise self.fout(line, f"{wat} moet een lijst van sleutels en waarden zijn")
        return waarde

    def lijst(self, knoop: Knoop, sleutel: str) -> list[Any]:
        waarde = knoop.get(sleutel) or []
        if not isinstance(waarde, list):
            raise self.fout(knoop.line, f"'{sleutel}' moet een lijst zijn (regels met '- ')")
        return waarde

    def sleutels(self, knoop: Knoop, verplicht: set[str], mogelijk: set[str], wat: str) -> None:
        onbekend = sorted(set(knoop) - verplicht - mogelijk)
        if onbekend:
            bekend = ", ".join(sorted(verplicht | mogelijk))
            raise self.fout(
                knoop.line, f"onbekende sleutel '{onbekend[0]}' in {wat}; mogelijk zijn: {bekend}"
            )
        ontbreekt = sorted(verplicht - set(knoop))
        if ontbreekt:
            raise self.fout(knoop.line, f"{wat} mist '{ontbreekt[0]}'")

    def waarde(self, knoop: Knoop, sleutel: str, omzetten: Callable[[Any], T]) -> T:
        try:
            return omzetten(knoop[sleutel])
        except waarden.WaardeFoutError as fout:
            raise self.fout(knoop.line, f"{sleutel}: {fout}") from None

    def optioneel(self, knoop: Knoop, sleutel: str, omzetten: Callable[[Any], T]) -> T | None:
        if knoop.get(sleutel) is None:
            return None
        return self.waarde(knoop, sleutel, omzetten)

    # ------------------------------------------------------------ allocations and absences

    def toewijzing(self, knoop: Knoop) -> Toewijzing:
        self.sleutels(
            knoop,
            {"nummer", "van"},
            {
                "bsn",
                "product",
                "categorie",
                "tot",
                "volume",
                "eenheid",
                "frequentie",
                "budget",
                "verwijderd",
                "gemeente",
                "aanbieder",
                "toegewezen op",
            },
            "een toewijzing",
        )
        product = self.optioneel(knoop, "product", waarden.code)
        van = self.waarde(knoop, "van", waarden.datum)
        return Toewijzing(
            toewijzingnummer=self.waarde(knoop, "nummer", waarden.code),
            bsn=self.optioneel(knoop, "bsn", waarden.bsn) or self.bsn,
            gemeente=self.optioneel(knoop, "gemeente", waarden.code) or self.gemeente,
            aanbieder=self.optioneel(knoop, "aanbieder", waarden.code) or self.aanbieder,
            productcategorie=self.optioneel(knoop, "categorie", waarden.code)
            or (product[:2] if product else None),
            productcode=product,
            toewijzingsdatum=self.optioneel(knoop, "toegewezen op", waarden.datum) or van,
            toewijzingstijd=time(0, 0),
            ingangsdatum=van,
            einddatum=self.optioneel(knoop, "tot", waarden.datum),
            volume=self.optioneel(knoop, "volume", waarden.geheel),
            eenheid=self.optioneel(knoop, "eenheid", waarden.eenheid),
            frequentie=self.optioneel(knoop, "frequentie", waarden.frequentie),
            budget=self.optioneel(knoop, "budget", waarden.geld),
            reden_wijziging="13" if knoop.get("verwijderd") else None,
        )

    def afwezigheid(self, knoop: Knoop) -> Afwezigheid:
        self.sleutels(knoop, {"toewijzing", "van", "tot"}, {"bsn"}, "een afwezigheid")
        return Afwezigheid(
            bsn=self.optioneel(knoop, "bsn", waarden.bsn) or self.bsn,
            toewijzingnummer=self.waarde(knoop, "toewijzing", waarden.code),
            van=self.waarde(knoop, "van", waarden.datum),
            tot=self.waarde(knoop, "tot", waarden.datum),
        )

    # ------------------------------------------------------------ declarations

    def declaratie(self, knoop: Knoop, index: int) -> GevalDeclaratie:
        self.sleutels(
            knoop,
            {"maand", "prestaties"},
            {"nummer", "dagtekening", "aanbieder", "gemeente", "verwacht", "identificatie",
             "verwerkingsdatum"},
            "een declaratie",
        )
        begin, eind = self.waarde(knoop, "maand", waarden.maand)
        dagtekening = self.optioneel(knoop, "dagtekening", waarden.datum) or eind + timedelta(5)
        regels = [
            self.knoop(p, knoop.line, "een prestatie") for p in self.lijst(knoop, "prestaties")
        ]
        if not regels:
            raise self.fout(knoop.line, "een declaratie heeft ten minste een prestatie")
        verwacht = knoop.get("verwacht")
        geweigerd = self.geweigerd(verwacht, knoop.line)
        for regel in regels:
            if geweigerd is not None and "verwacht" in regel:
                raise self.fout(regel.line, "het bericht wordt geweigerd, zijn prestaties worden "
                                "niet beoordeeld: laat 'verwacht' bij de prestatie weg")
            if geweigerd is None and "verwacht" not in regel:
                raise self.fout(regel.line, "een prestatie mist 'verwacht'")
        prestaties = tuple(self.prestatie(p, i, begin, eind) for i, p in enumerate(regels))
        totaal = sum(p.ingediend_bedrag * (-1 if p.debet_credit == "C" else 1) for p in prestaties)
        declaratie = Declaratie(
            aanbieder=self.optioneel(knoop, "aanbieder", waarden.code) or self.aanbieder,
            gemeente=self.optioneel(knoop, "gemeente", waarden.code) or self.gemeente,
            bericht_identificatie=self.optioneel(knoop, "identificatie", waarden.code)
            or f"B{index + 1}",
            bericht_dagtekening=dagtekening,
            declaratienummer=self.optioneel(knoop, "nummer", waarden.code) or f"D{index + 1}",
            declaratie_begindatum=begin,
            declaratie_einddatum=eind,
            declaratiedagtekening=dagtekening,
            totaal_ingediend=totaal,
            prestaties=prestaties,
        )
        return GevalDeclaratie(
            declaratie=declaratie,
            verwachtingen=() if geweigerd else tuple(self.verwachting(p) for p in regels),
            verwacht=None
            if verwacht is None or geweigerd is not None
            else self.verwachting_declaratie(verwacht, knoop.line),
            line=knoop.line,
            verwerkingsdatum=self.optioneel(knoop, "verwerkingsdatum", waarden.datum)
            or dagtekening,
            geweigerd=geweigerd,
        )

    def geweigerd(self, verwacht: Any, line: int) -> Weigeringverwachting | None:
        """`verwacht: {geweigerd: {retourcode, regelcode, element}}`, else None."""
        if not isinstance(verwacht, Knoop) or "geweigerd" not in verwacht:
            return None
        if len(verwacht) > 1:
            anders = sorted(set(verwacht) - {"geweigerd"})[0]
            raise self.fout(verwacht.line, f"een geweigerd bericht heeft geen '{anders}': er "
                            "wordt niets van beoordeeld")
        knoop = self.knoop(verwacht["geweigerd"], verwacht.line, "geweigerd")
        self.sleutels(knoop, {"retourcode"}, {"regelcode", "element"}, "geweigerd")
        return Weigeringverwachting(
            retourcode=self.waarde(knoop, "retourcode", lambda w: waarden.code(w, 4)),
            regelcode=None if knoop.get("regelcode") is None else str(knoop["regelcode"]),
            element=None if knoop.get("element") is None else str(knoop["element"]),
            line=knoop.line)

    def prestatie(self, knoop: Knoop, volgnummer: int, begin: date, eind: date) -> Prestatie:
        self.sleutels(
            knoop,
            {"ref", "toewijzing", "volume"},
            {
                "verwacht",
                "bsn",
                "product",
                "categorie",
                "van",
                "tot",
                "eenheid",
                "tarief",
                "bedrag",
                "credit van",
            },
            "een prestatie",
        )
        nummer = self.waarde(knoop, "toewijzing", waarden.code)
        toewijzing = (self.toewijzingen or {}).get(nummer)
        product = self.optioneel(knoop, "product", waarden.code) or (
            toewijzing.productcode if toewijzing else None
        )
        eenheid = self.optioneel(knoop, "eenheid", waarden.eenheid) or (
            toewijzing.eenheid if toewijzing else None
        )
        if eenheid is None:
            raise self.fout(
                knoop.line, "een prestatie mist 'eenheid' (en de toewijzing geeft er geen)"
            )
        volume = self.waarde(knoop, "volume", waarden.geheel)
        tarief = self.optioneel(knoop, "tarief", waarden.geld)
        van, tot = self._productperiode(knoop, toewijzing, begin, eind)
        vorige = self.optioneel(knoop, "credit van", waarden.code)
        return Prestatie(
            volgnummer=volgnummer,
            bsn=self.optioneel(knoop, "bsn", waarden.bsn) or self.bsn,
            referentienummer=self.waarde(knoop, "ref", waarden.code),
            vorig_referentienummer=vorige,
            toewijzingnummer=nummer,
            productcategorie=self.optioneel(knoop, "categorie", waarden.code)
            or (
                product[:2]
                if product
                else (toewijzing.productcategorie or "")
                if toewijzing
                else ""
            ),
            productcode=product,
            begindatum=van,
            einddatum=tot,
            geleverd_volume=volume,
            eenheid=eenheid,
            producttarief=tarief,
            ingediend_bedrag=_of(
                self.optioneel(knoop, "bedrag", waarden.geld),
                _standaard_bedrag(volume, tarief, eenheid),
            ),
            debet_credit="C" if vorige else "D",
        )

    def _productperiode(
        self, knoop: Knoop, toewijzing: Toewijzing | None, begin: date, eind: date
    ) -> tuple[date, date]:
        """The month, narrowed to the allocation (as the iStandaard prescribes), unless given."""
        if toewijzing is not None:
            begin = max(begin, toewijzing.ingangsdatum)
            if toewijzing.einddatum is not None:
                eind = min(eind, toewijzing.einddatum)
        van = self.optioneel(knoop, "van", waarden.datum) or begin
        tot = self.optioneel(knoop, "tot", waarden.datum) or eind
        return van, tot

    # ------------------------------------------------------------ expectations

    def verwachting(self, knoop: Knoop) -> Verwachting:
        verwacht = knoop["verwacht"]
        if isinstance(verwacht, str):
            if verwacht.strip() not in ("goedgekeurd", "afgewezen"):
                raise self.fout(
                    knoop.line,
                    "verwacht is 'goedgekeurd', 'afgewezen' of een lijst "
                    "met status, retourcodes, artikel, lid, regel",
                )
            return self._verwachting(Knoop(status=verwacht.strip()), knoop.line, regel=True)
        return self._verwachting(self.knoop(verwacht, knoop.line, "verwacht"), knoop.line, True)

    def verwachting_declaratie(self, waarde: Any, line: int) -> Verwachting:
        knoop = self.knoop(waarde, line, "verwacht")
        self.sleutels(
            knoop,
            set(),
            {"retourcodes", "signalen", "geen signalen", "geweigerd"},
            "verwacht van een declaratie",
        )
        return self._verwachting(knoop, regel_van(knoop, line), regel=False)

    def _verwachting(self, knoop: Knoop, line: int, regel: bool) -> Verwachting:
        if regel:
            self.sleutels(
                knoop,
                set(),
                {"status", "retourcodes", "artikel", "lid", "regel", "signalen", "geen signalen"},
                "verwacht",
            )
        codes = None if knoop.get("retourcodes") is None else waarden.codes(knoop["retourcodes"])
        status = knoop.get("status") or (
            ("afgewezen" if codes else "goedgekeurd") if regel else None
        )
        if status not in (None, "goedgekeurd", "afgewezen"):
            raise self.fout(line, f"status '{status}' bestaat niet: 'goedgekeurd' of 'afgewezen'")
        if status == "goedgekeurd" and codes is None:
            codes = frozenset()
        return Verwachting(
            status=status,
            retourcodes=codes,
            artikel=None if knoop.get("artikel") is None else str(knoop["artikel"]),
            lid=None if knoop.get("lid") is None else str(knoop["lid"]),
            regel=knoop.get("regel"),
            signalen=waarden.codes(knoop.get("signalen")),
            geen_signalen=waarden.codes(knoop.get("geen signalen")),
            line=regel_van(knoop, line),
        )

    # ------------------------------------------------------------ a whole case

    def geval(self, knoop: Knoop) -> Geval:
        self.sleutels(
            knoop,
            {"naam", "declaraties"},
            {"uitleg", "jeugdige", "aanbieder", "toewijzingen", "afwezigheden", "periode"},
            "een geval",
        )
        self.bsn = self.optioneel(knoop, "jeugdige", waarden.bsn) or STANDAARD_BSN
        self.aanbieder = self.optioneel(knoop, "aanbieder", waarden.code) or STANDAARD_AANBIEDER
        toewijzingen = tuple(
            self.toewijzing(self.knoop(t, knoop.line, "een toewijzing"))
            for t in self.lijst(knoop, "toewijzingen")
        )
        self.toewijzingen = {t.toewijzingnummer: t for t in toewijzingen}
        afwezigheden = tuple(
            self.afwezigheid(self.knoop(a, knoop.line, "een afwezigheid"))
            for a in self.lijst(knoop, "afwezigheden")
        )
        declaraties = tuple(
            self.declaratie(self.knoop(d, knoop.line, "een declaratie"), i)
            for i, d in enumerate(self.lijst(knoop, "declaraties"))
        )
        return Geval(
            naam=str(knoop["naam"]),
            uitleg=str(knoop.get("uitleg") or "").strip(),
            bestand=self.bestand,
            line=knoop.line,
            toewijzingen=toewijzingen,
            afwezigheden=afwezigheden,
            declaraties=declaraties,
            periode=None if knoop.get("periode") is None else lees_periode(
                knoop["periode"], knoop.line, self.aanbieder, self.fout),
        )


def _of(waarde: int | None, standaard: int) -> int:
    return standaard if waarde is None else waarde


def _standaard_bedrag(volume: int, tarief: int | None, eenheid: str) -> int:
    """Without `bedrag`: volume times tariff (euro unit: the volume itself)."""
    if eenheid == "83" or tarief is None:
        return volume
    return volume * tarief


def laad_gevallen(pad: Path, gemeente: str = "0000") -> list[Geval]:
    """All cases of one YAML file; errors are `GevalFoutError` with file and line."""
    document = lees_yaml(pad)
    bestand = str(pad)
    if not isinstance(document, Knoop) or not isinstance(document.get("gevallen"), list):
        raise GevalFoutError(bestand, 1, "een gevallenbestand begint met 'gevallen:' en een lijst")
    lezer = _Lezer(bestand, gemeente)
    gevallen = [
        lezer.geval(lezer.knoop(g, document.line, "een geval")) for g in document["gevallen"]
    ]
    namen = [g.naam for g in gevallen]
    dubbel = sorted({n for n in namen if namen.count(n) > 1})
    if dubbel:
        raise GevalFoutError(bestand, None, f"de naam '{dubbel[0]}' komt meer dan een keer voor")
    return gevallen


def laad_map(map_: Path, gemeente: str = "0000") -> list[Geval]:
    """Every case under `<map>/gevallen/` (or `map` itself), in file order."""
    bron = map_ / "gevallen" if (map_ / "gevallen").is_dir() else map_
    gevallen: list[Geval] = []
    for pad in sorted(bron.glob("*.yaml")):
        gevallen.extend(laad_gevallen(pad, gemeente))
    return gevallen
