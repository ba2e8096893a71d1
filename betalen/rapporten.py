"""The year's money as reports (`weergave.rapport.Rapport`): the advance schedule, the
month's payment list, the settlement and the risk sharing, each with the tables that trace
every amount (months and ledger rows behind production, each payment, the ceilings and how
an excess was divided, the terms with their article) and, for the three the issue fixes,
the JSON document with exactly its keys."""

from __future__ import annotations

from fractions import Fraction

from betalen.betaalrun import Betaalrun
from betalen.jaar import Jaar, Stand, VoorschotRegel
from betalen.verevening import Groep, per_gemeente
from betalen.voorwaarden import SLEUTELS, Sleutel
from engine.opmaak import decimaal, geld
from weergave.rapport.model import Cel, Kolom, Rapport, Tabel

MAANDNAMEN = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov",
              "dec")
_AANBIEDER = Kolom("aanbieder", "Aanbieder", "code")
_GEMEENTE = Kolom("gemeente", "Gemeente", "code")
_MAANDEN = tuple(Kolom(f"maand_{i}", naam, "bedrag") for i, naam in enumerate(MAANDNAMEN, 1))


def _b(naam: str, kop: str) -> Kolom:
    return Kolom(naam, kop, "bedrag")


def _t(naam: str, kop: str) -> Kolom:
    return Kolom(naam, kop, "tekst")


def _voorwaarden(j: Jaar) -> Tabel:
    return Tabel("voorwaarden", "Voorwaarden uit het contract",
                 (_t("naam", "Parameter"), _t("waarde", "Waarde"), _t("artikel", "Artikel"),
                  _t("lid", "Lid"), _t("bron", "Waar")),
                 tuple((t.naam, t.waarde, t.artikel, t.lid, t.bron)
                       for t in j.voorwaarden.termen))


def _kop(j: Jaar, *meer: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return (("Regio", j.regio), ("Jaar", str(j.jaar)), *meer,
            ("Betaalmodel", j.voorwaarden.betaalmodel), ("Regelset", j.boek.hash[:12]))


def voorschotten(j: Jaar, regels: list[VoorschotRegel]) -> Rapport:
    bedragen = [(*r.voorschot.termijnen, r.eenmalig, r.totaal) for r in regels]
    rijen: tuple[tuple[Cel, ...], ...] = tuple(
        (r.aanbieder, r.gemeente, *b) for r, b in zip(regels, bedragen, strict=True))
    schema = Tabel("voorschotten", "Voorschotten per aanbieder en gemeente",
                   (_AANBIEDER, _GEMEENTE, *_MAANDEN, _b("eenmalig", "Eenmalig"),
                    _b("totaal", "Totaal")), rijen,
                   totaal=(None, None, *(sum(c) for c in zip(*bedragen, strict=True)))
                   if bedragen else None,
                   toelichting=_uitleg_voorschot(j))
    stappen = Tabel("herschikkingen", "Ramingen en herschikkingen",
                    (_AANBIEDER, _GEMEENTE, Kolom("vanaf_maand", "Vanaf maand", "aantal"),
                     _b("raming", "Raming"), _b("jaarbedrag", "Jaarbedrag"),
                     _b("al_betaald", "Al betaald"), _t("bron", "Bron")),
                    tuple((r.aanbieder, r.gemeente, s.maand, s.raming.bedrag, s.doel,
                           s.al_betaald, s.raming.bron)
                          for r in regels for s in r.voorschot.stappen))
    document = {"regio": j.regio, "jaar": j.jaar, "voorschotten": [
        {"aanbieder": r.aanbieder, "gemeente": r.gemeente,
         "termijnen": list(r.voorschot.termijnen), "eenmalig": r.eenmalig, "totaal": r.totaal}
        for r in regels]}
    return Rapport("voorschotten", "Voorschotten", j.regio, j.jaar, _kop(j),
                   (schema, stappen, _voorwaarden(j)), document=document)


def _uitleg_voorschot(j: Jaar) -> str:
    v = j.voorwaarden
    delen = []
    if v.betaalmodel == "voorschot":
        delen.append(f"Voorschot van {decimaal(v.percentage * 100)} procent van de raming in "
                     f"{v.aantal_termijnen} termijnen"
                     f"{' (in mei twee)' if v.aantal_termijnen == 13 else ''}; elke termijn "
                     "naar beneden afgerond op de cent, de rest in december; een herschikking "
                     "verandert de resterende termijnen.")
    else:
        delen.append("P x Q: goedgekeurde prestaties worden de maand na goedkeuring betaald; "
                     "geen termijnen.")
    if v.eenmalig_maanden:
        delen.append(f"Eenmalig voorschot: {v.eenmalig_maanden}/12 van de raming op 1 januari, "
                     f"betaald in maand {v.eenmalig_maand}, verrekend bij de vaststelling.")
    return " ".join(delen)


def betaalrun(j: Jaar, run: Betaalrun) -> Rapport:
    rijen = tuple((b.aanbieder, b.gemeente, b.soort, str(b.zorgjaar), b.bedrag, b.toelichting)
                  for b in run.betalingen)
    status = ("al eerder vastgelegd: niets nieuws betaald" if run.al_vastgelegd
              else "nu vastgelegd")
    tabel = Tabel("betalingen", f"Betalingen {MAANDNAMEN[run.maand - 1]} {run.jaar}",
                  (_AANBIEDER, _GEMEENTE, _t("soort", "Soort"), _t("zorgjaar", "Zorgjaar"),
                   _b("bedrag", "Bedrag"), _t("toelichting", "Toelichting")), rijen,
                  totaal=(None, None, None, None, sum(b.bedrag for b in run.betalingen), None))
    document = {"regio": j.regio, "jaar": run.jaar, "maand": run.maand,
                "al_vastgelegd": run.al_vastgelegd, "betalingen": [
                    {"aanbieder": b.aanbieder, "gemeente": b.gemeente, "soort": b.soort,
                     "zorgjaar": b.zorgjaar, "bedrag": b.bedrag, "toelichting": b.toelichting}
                    for b in run.betalingen]}
    return Rapport("betaalrun", "Betaalrun", j.regio, j.jaar,
                   _kop(j, ("Maand", str(run.maand)), ("Status", status)), (tabel,),
                   document=document)


def _zin(aanbieder: str, gemeente: str, productie: int, boven: int, betaald: int,
         slot: int) -> str:
    wat = ("wordt nabetaald" if slot > 0 else "wordt teruggevorderd" if slot < 0
           else "is precies betaald")
    bedrag = f"{geld(abs(slot))} " if slot else ""
    return (f"Aanbieder {aanbieder}, gemeente {gemeente}: {bedrag}{wat} (productie "
            f"{geld(productie)}, boven het plafond {geld(boven)}, al betaald {geld(betaald)}).")


def vaststelling(j: Jaar, stand: Stand) -> Rapport:
    v = stand.vaststelling
    posten = Tabel(
        "posten", "Vaststelling per aanbieder en gemeente",
        (_AANBIEDER, _GEMEENTE, _b("productie", "Productie"),
         _b("boven_plafond", "Boven plafond"), _b("betaald", "Betaald"),
         _b("slotbedrag", "Slotbedrag"), Kolom("rijen", "Grootboekrijen", "aantal"),
         _t("toelichting", "Toelichting")),
        tuple((p.aanbieder, p.gemeente, p.productie, p.boven_plafond, p.betaald, p.slotbedrag,
               stand.productie.rijen(p.aanbieder, p.gemeente),
               _zin(p.aanbieder, p.gemeente, p.productie, p.boven_plafond, p.betaald,
                    p.slotbedrag)) for p in v.posten),
        totaal=(None, None, *(sum(getattr(p, k) for p in v.posten)
                              for k in ("productie", "boven_plafond", "betaald", "slotbedrag")),
                None, None),
        toelichting="Slotbedrag = productie - boven een hard plafond - alles wat voor de zorg "
                    "van het jaar is betaald (wanneer ook); positief wordt nabetaald, "
                    "negatief teruggevorderd.")
    maanden = Tabel("productie_per_maand", "Goedgekeurde productie per zorgmaand",
                    (_AANBIEDER, _GEMEENTE, *_MAANDEN),
                    tuple((p.aanbieder, p.gemeente,
                           *stand.productie.per_maand(p.aanbieder, p.gemeente))
                          for p in v.posten))
    betalingen = Tabel(
        "betalingen", "Betalingen voor de zorg van het jaar",
        (_AANBIEDER, _GEMEENTE, _t("soort", "Soort"), _t("betaald_in", "Betaald in"),
         _b("bedrag", "Bedrag"), _t("toelichting", "Toelichting")),
        tuple((b.aanbieder, b.gemeente, b.soort, f"{b.betaaljaar}-{b.betaalmaand:02d}",
               b.bedrag, b.toelichting) for b in stand.betalingen))
    plafonds = Tabel(
        "plafonds", "Harde plafonds overschreden en de verdeling over gemeenten",
        (_t("plafond_van", "Plafond van"), _t("segment", "Segment"), _b("plafond", "Plafond"),
         _AANBIEDER, _GEMEENTE, _b("productie_segment", "Productie in segment"),
         _b("boven", "Deel boven plafond"), _t("bron", "Bron")),
        tuple((o.plafond.aanbieder, o.plafond.segment, o.plafond.bedrag, a, g, prod, deel,
               o.plafond.bron) for o in v.overschrijdingen for a, g, prod, deel in o.delen))
    document = {"regio": j.regio, "jaar": j.jaar, "posten": [
        {"aanbieder": p.aanbieder, "gemeente": p.gemeente, "productie": p.productie,
         "boven_plafond": p.boven_plafond, "betaald": p.betaald, "slotbedrag": p.slotbedrag}
        for p in v.posten]}
    return Rapport("vaststelling", "Vaststelling", j.regio, j.jaar, _kop(j),
                   (posten, maanden, betalingen, plafonds, _voorwaarden(j)),
                   document=document)


def _sleutel_tekst(s: Sleutel) -> str:
    if s.soort == "aandelen":
        return f"naar de aandelen '{s.tabel}' (verdeelsleutels.csv)"
    if s.soort == "mix":
        return (f"{decimaal(s.alfa * 100)} procent naar inwoners, de rest naar eigen kosten")
    return SLEUTELS[s.soort]


def verevening(j: Jaar, groepen: tuple[Groep, ...]) -> Rapport:
    totaal = per_gemeente(groepen)
    gemeenten = Tabel(
        "gemeenten", "Risicoverevening per gemeente",
        (_GEMEENTE, _b("kosten", "Eigen kosten"), _b("bijdrage", "Bijdrage"),
         _b("saldo", "Saldo"), _t("toelichting", "Toelichting")),
        tuple((g, k, b, s, f"Gemeente {g} {'betaalt' if s > 0 else 'ontvangt'} "
               f"{geld(abs(s))} {'in' if s > 0 else 'uit'} de pot (bijdrage {geld(b)}, eigen "
               f"kosten {geld(k)})." if s else f"Gemeente {g} betaalt precies haar eigen "
               f"kosten ({geld(k)}).") for g, k, b, s in totaal),
        totaal=(None, sum(r[1] for r in totaal), sum(r[2] for r in totaal),
                sum(r[3] for r in totaal), None),
        toelichting="Saldo = bijdrage - eigen kosten; positief betaalt de gemeente in de pot. "
                    "De saldi tellen op tot nul.")
    rijen: list[tuple[Cel, ...]] = []
    for groep in groepen:
        for g in sorted(groep.kosten):
            gewicht = groep.gewichten.get(g)
            rijen.append((groep.naam, _sleutel_tekst(groep.sleutel), groep.sleutel.term.bron,
                          g, groep.kosten[g], Fraction(gewicht) if gewicht is not None
                          else None, groep.bijdrage[g]))
    per_groep = Tabel(
        "groepen", "Verdeling per zorggroep",
        (_t("groep", "Zorggroep"), _t("sleutel", "Verdeelsleutel"), _t("bron", "Waar"),
         _GEMEENTE, _b("kosten", "Eigen kosten"), Kolom("gewicht", "Gewicht", "aantal"),
         _b("bijdrage", "Bijdrage")), tuple(rijen),
        toelichting="Gewicht: waarnaar het solidaire deel is verdeeld (inwoners, cliënten of "
                    "aandelen); bij profijt betaalt elke gemeente haar eigen kosten.")
    document = {"regio": j.regio, "jaar": j.jaar, "gemeenten": [
        {"gemeente": g, "kosten": k, "bijdrage": b, "saldo": s} for g, k, b, s in totaal]}
    return Rapport("verevening", "Risicoverevening", j.regio, j.jaar, _kop(j),
                   (gemeenten, per_groep, _voorwaarden(j)), document=document)
