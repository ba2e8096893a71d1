"""WMO325.xsd is not published: derive it from JW325.xsd. The answer to a declaration has the
same structure in both standards; only the namespaces (and their prefixes and the schema's
own name in its appinfo) and the message code differ, and those come from the two records.

`python -m berichten.iwmo.afleiden` writes `berichten/iwmo/xsd/WMO325.xsd`;
`tests/berichten/test_iwmo.py` holds that the shipped file is this output and that undoing
the substitutions gives JW325.xsd back byte for byte."""

from __future__ import annotations

from berichten.ijw.standaard import IJW_3_2
from berichten.iwmo.standaard import IWMO_3_2
from berichten.standaard import Standaard

VAN, NAAR = IJW_3_2.met_rol("retour"), IWMO_3_2.met_rol("retour")

KOP = (
    "<!-- {naar}.xsd is not published by the iStandaarden. Derived from {van}.xsd "
    "({bron} {versie}) by\n     `python -m berichten.iwmo.afleiden`: only the namespaces, "
    "their prefixes ({bv}: -> {nv}:, {vv}: -> {nvv}:),\n     the schema's names in its "
    "appinfo and the message code ({vc} -> {nc}) are changed. -->\n"
)


def vervangingen(van: Standaard, naar: Standaard) -> list[tuple[str, str]]:
    """The substitutions from `van`'s answer schema to `naar`'s, in the order they apply
    (whole namespaces first, then prefixes, then the appinfo names and the code)."""
    b_van, b_naar = van.met_rol("retour"), naar.met_rol("retour")
    return [
        (van.basis_namespace, naar.basis_namespace),
        (b_van.namespace, b_naar.namespace),
        (f"xmlns:{van.basis_voorvoegsel}=", f"xmlns:{naar.basis_voorvoegsel}="),
        (f"xmlns:{b_van.voorvoegsel}=", f"xmlns:{b_naar.voorvoegsel}="),
        (f"{van.basis_voorvoegsel}:", f"{naar.basis_voorvoegsel}:"),
        (f'"{b_van.voorvoegsel}:', f'"{b_naar.voorvoegsel}:'),
        (f">{van.naam.lower()}<", f">{naar.naam.lower()}<"),
        (f">{b_van.voorvoegsel}<", f">{b_naar.voorvoegsel}<"),
        (f'<xs:pattern value="{b_van.berichtcode}"/>',
         f'<xs:pattern value="{b_naar.berichtcode}"/>'),
    ]


def vervang(tekst: str, paren: list[tuple[str, str]]) -> str:
    """Apply the substitutions; each must occur, so a changed source schema is noticed."""
    for oud, nieuw in paren:
        if oud not in tekst:
            raise ValueError(f"{oud!r} komt niet voor in het bronschema")
        tekst = tekst.replace(oud, nieuw)
    return tekst


def kop() -> str:
    """The header comment of the derived schema."""
    return KOP.format(naar=NAAR.naam, van=VAN.naam, bron=IJW_3_2.naam, versie=IJW_3_2.versie,
                      bv=IJW_3_2.basis_voorvoegsel, nv=IWMO_3_2.basis_voorvoegsel,
                      vv=VAN.voorvoegsel, nvv=NAAR.voorvoegsel, vc=VAN.berichtcode,
                      nc=NAAR.berichtcode)


def afgeleid() -> str:
    """The text of WMO325.xsd: JW325.xsd with the substitutions, the header comment after
    the XML declaration."""
    bron = IJW_3_2.schema_pad(VAN.naam).read_text(encoding="utf-8")
    verklaring, _, rest = bron.partition("\n")
    return f"{verklaring}\n{kop()}{vervang(rest, vervangingen(IJW_3_2, IWMO_3_2))}"


def main() -> None:
    """Write the derived schema to its place in the record's schema folder."""
    IWMO_3_2.schema_pad(NAAR.naam).write_text(afgeleid(), encoding="utf-8")


if __name__ == "__main__":
    main()
