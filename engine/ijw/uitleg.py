"""The explanation document of an assessment: every line, approved ones too, with its
reasons (retourcode, article, lid, rule, Dutch sentence, compared values) and the receipt;
as JSON-ready dict (`uitleg_document`) and as plain text for a person (`uitleg_tekst`)."""

from __future__ import annotations

from typing import Any

from engine.ijw.jw325 import declaratie_codes
from engine.model import DeclaratieBeoordeling, PrestatieUitkomst, Reden


def uitleg_document(beoordeling: DeclaratieBeoordeling) -> dict[str, Any]:
    """The explanation in the shape of issue 3, plus `aanbieder`, `gemeente`,
    `technische_fout`, `client_retourcodes`, `redenen`/`signalen` at declaration level and
    `backend` in the receipt. Amounts are signed integer cents."""
    d, b = beoordeling.declaratie, beoordeling
    technisch = b.technische_fout is not None
    return {
        "declaratienummer": d.declaratienummer,
        "aanbieder": d.aanbieder,
        "gemeente": d.gemeente,
        "bericht_identificatie": d.bericht_identificatie,
        "totaal_ingediend": d.totaal_ingediend,
        "totaal_toegekend": b.totaal_toegekend,
        "retourcodes": ["0001"] if technisch else list(declaratie_codes(b)),
        "technische_fout": b.technische_fout,
        "redenen": [_reden(r) for r in b.redenen],
        "signalen": [_reden(r) for r in b.signalen],
        "client_retourcodes": {bsn: list(c) for bsn, c in b.client_retourcodes.items()},
        "prestaties": [_prestatie(u) for u in b.uitkomsten],
        "ontvangstbewijs": {
            "regelset_hash": b.ontvangstbewijs.regelset_hash,
            "artikelen_in_werking": list(b.ontvangstbewijs.artikelen_in_werking),
            "peildatum": b.ontvangstbewijs.peildatum.isoformat(),
            "engine_versie": b.ontvangstbewijs.engine_versie,
            "backend": b.ontvangstbewijs.backend,
        },
    }


def _prestatie(u: PrestatieUitkomst) -> dict[str, Any]:
    return {
        "volgnummer": u.volgnummer,
        "referentienummer": u.referentienummer,
        "bsn": u.bsn,
        "status": u.status,
        "retourcodes": list(u.retourcodes),
        "toegekend_bedrag": u.toegekend_bedrag,
        "redenen": [_reden(r) for r in u.redenen],
        "signalen": [_reden(r) for r in u.signalen],
    }


def _reden(r: Reden) -> dict[str, Any]:
    return {
        "retourcode": r.retourcode,
        "artikel": r.artikel,
        "lid": r.lid,
        "regel": r.regel,
        "uitleg": r.uitleg,
        "waarden": dict(r.waarden),
        "bron": r.bron,
    }


def _euro(centen: int) -> str:
    from engine.waarden import toon_geld

    return toon_geld(centen)


def uitleg_tekst(beoordeling: DeclaratieBeoordeling) -> str:
    """The explanation as plain Dutch text for the provider: a summary, then every rejected
    line with its reasons, then the signals and the receipt. BSNs are not printed: a line
    is named by its ReferentieNummer."""
    b, d = beoordeling, beoordeling.declaratie
    regels = [f"Declaratie {d.declaratienummer} van aanbieder {d.aanbieder} aan gemeente "
              f"{d.gemeente}"]
    if b.technische_fout is not None:
        regels += ["Het bericht is technisch afgewezen (retourcode 0001); er is niets "
                   "beoordeeld.", f"Fout: {b.technische_fout}"]
        return "\n".join(regels) + "\n"
    afgewezen = [u for u in b.uitkomsten if u.status == "afgewezen"]
    regels += [
        f"Ingediend: {_euro(d.totaal_ingediend)}; toegekend: {_euro(b.totaal_toegekend)}.",
        f"{len(b.uitkomsten) - len(afgewezen)} van de {len(b.uitkomsten)} prestaties "
        f"goedgekeurd, {len(afgewezen)} afgewezen. Retourcodes declaratie: "
        f"{', '.join(declaratie_codes(b))}.",
    ]
    regels += [f"  Declaratie: {_reden_tekst(r)}" for r in b.redenen]
    for u in afgewezen:
        regels.append(f"Prestatie {u.referentienummer} (regel {u.volgnummer + 1}): afgewezen, "
                      f"{', '.join(u.retourcodes)}")
        regels += [f"  - {_reden_tekst(r)}" for r in u.redenen]
    regels += _signalen(b)
    o = b.ontvangstbewijs
    regels.append(f"Ontvangstbewijs: regelset {o.regelset_hash[:12]}, peildatum "
                  f"{o.peildatum.isoformat()}, engine {o.engine_versie} ({o.backend}); "
                  f"artikelen in werking: {', '.join(o.artikelen_in_werking) or '-'}.")
    return "\n".join(regels) + "\n"


def _signalen(b: DeclaratieBeoordeling) -> list[str]:
    uit = [f"Signaal: {_reden_tekst(r)}" for r in b.signalen]
    for u in b.uitkomsten:
        uit += [f"Signaal bij prestatie {u.referentienummer}: {_reden_tekst(r)}"
                for r in u.signalen]
    return uit


def _reden_tekst(r: Reden) -> str:
    plaats = f"artikel {r.artikel}" + (f" lid {r.lid}" if r.lid else "")
    code = f"{r.retourcode} " if r.retourcode else ""
    return f"{code}{r.uitleg} ({plaats}, regel \"{r.regel}\")"
