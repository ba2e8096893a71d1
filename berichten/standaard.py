"""An iStandaard (iJw, iWmo) as a data record: its namespaces, message kinds with their codes
and roles, schema files and the code lists the readers and writers use.

Readers, writers and the generic parts (`berichten.schema`, `berichten.bron`) take what a
standard fixes from its record; a new standard is a new record (with its XSDs and readers),
not a change to generic code. The records themselves live with their standard
(`berichten.ijw.standaard.IJW_3_2`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Rol = Literal["toewijzing", "declaratie", "retour"]
"""What a message kind is for: allocation in (301), declaration in (323), answer out (325)."""


@dataclass(frozen=True)
class Bericht:
    """One message kind of a standard, e.g. JW323."""

    naam: str
    """The kind as the standard names it ("JW323"); also the key in `Standaard.berichten`."""
    rol: Rol
    berichtcode: str
    """Its code in COD002-VEKTIS (the Header's BerichtCode), e.g. "490"."""
    namespace: str
    voorvoegsel: str
    """The namespace prefix of the standard's own XSD and examples ("jw323")."""
    schema: str
    """The XSD's file name in the standard's schema folder."""

    @classmethod
    def volgens_patroon(cls, namespaces: str, naam: str, rol: Rol, berichtcode: str) -> Bericht:
        """A kind named the iStandaarden way: prefix, namespace (`namespaces` with `{}` for
        the lower-case name) and XSD file all follow from its name."""
        voorvoegsel = naam.lower()
        return cls(naam=naam, rol=rol, berichtcode=berichtcode,
                   namespace=namespaces.format(voorvoegsel), voorvoegsel=voorvoegsel,
                   schema=f"{naam}.xsd")


@dataclass(frozen=True)
class Retourcodes:
    """The return codes (WJ001) the answer writer chooses itself."""

    goedgekeurd: str
    """At declaration level when every line is approved."""
    geen_opmerking: str
    """No remark at this level (the codes are with the lines)."""
    technisch: str
    """The message failed its schema: nothing is assessed."""
    client_afgewezen: str
    """A line that is rejected without a code of its own (not assessed)."""


@dataclass(frozen=True)
class Codelijsten:
    """The code lists the readers check values against (the XSD enumerations)."""

    productcategorie: frozenset[str]
    eenheid: frozenset[str]
    frequentie: frozenset[str]
    reden_wijziging: frozenset[str]
    retourcodes: Retourcodes


@dataclass(frozen=True)
class Standaard:
    """One release of an iStandaard, e.g. iJw 3.2."""

    naam: str
    """"iJw", "iWmo"."""
    versie: str
    """The release, "3.2"."""
    berichtversie: str
    berichtsubversie: str
    """The Header's BerichtVersie and BerichtSubversie ("3" and "2" for release 3.2)."""
    xsd_versie: str
    """The BasisschemaXsdVersie and BerichtXsdVersie that written messages declare."""
    xslt_versie: str
    """The XsltVersie an answer (the retour message) declares."""
    basis_namespace: str
    basis_voorvoegsel: str
    basis_schema: str
    xsd_map: Path
    """The folder with the basisschema and the message XSDs."""
    berichten: tuple[Bericht, ...]
    codes: Codelijsten
    persoonsgegevens: frozenset[str]
    """Elements whose value is personal data: an error message names the element, never
    its value."""
    wet: str = ""
    """The law whose care the standard declares, as a sentence names it ("Jeugdwet", "Wmo");
    empty: the standard's own name stands in (`wetnaam`)."""

    @property
    def wetnaam(self) -> str:
        """The law's name for a sentence ("kent geen Wmo-producten")."""
        return self.wet or self.naam

    def bericht(self, naam: str) -> Bericht:
        """The message kind called `naam` ("JW323"); KeyError when the standard has none."""
        for bericht in self.berichten:
            if bericht.naam == naam:
                return bericht
        raise KeyError(f"{self.naam} {self.versie} kent geen bericht {naam}")

    def met_rol(self, rol: Rol) -> Bericht:
        """The message kind that plays `rol`."""
        for bericht in self.berichten:
            if bericht.rol == rol:
                return bericht
        raise KeyError(f"{self.naam} {self.versie} kent geen bericht voor {rol}")

    def namespace(self, bericht: str) -> str:
        """The target namespace of a message kind."""
        return self.bericht(bericht).namespace

    def schema_pad(self, bericht: str) -> Path:
        """The XSD file of a message kind."""
        return self.xsd_map / self.bericht(bericht).schema

    def namespaces(self) -> tuple[str, ...]:
        """Every namespace of the standard: the basisschema's first, then each message's."""
        return (self.basis_namespace, *(b.namespace for b in self.berichten))
