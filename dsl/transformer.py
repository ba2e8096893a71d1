"""From lark's parse tree to the AST (`dsl.nodes`), applied after parsing so that every node
keeps its position. Literal errors (a date that does not exist, `1.5` instead of `1,5`, an
unknown unit) are collected, not raised, so all errors of a file come out at once."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from typing import Any, cast

from lark import Token, Transformer, Tree, v_args

from dsl import nodes as n
from dsl import woorden
from dsl.fouten import RegelFout, maak_fout
from dsl.suggesties import bedoelde_u


@dataclass
class _Kop:
    """An artikel, lid or contract heading with its clauses, before nesting."""

    soort: str
    nummer: str
    titel: str
    lokaal: bool
    clausules: dict[str, Any]
    pos: n.Pos


@dataclass
class _Context:
    bestand: str
    tekst: str
    fouten: list[RegelFout] = field(default_factory=list)

    def fout(self, pos: n.Pos, bericht: str, suggestie: str | None = None) -> None:
        self.fouten.append(maak_fout(self.bestand, self.tekst, pos.line, pos.column, bericht,
                                     suggestie))


def _pos_tok(tok: Token) -> n.Pos:
    return n.Pos(tok.line or 0, tok.column or 0)


def _pos_meta(meta: Any) -> n.Pos:
    return n.Pos(getattr(meta, "line", 0), getattr(meta, "column", 0))


def tekst_waarde(token: str) -> str:
    """The content of a quoted text; a triple-quoted one loses its common indentation."""
    if token.startswith('"""'):
        return textwrap.dedent(token[3:-3]).strip("\n")
    return token[1:-1]


@dataclass(frozen=True)
class _Clausule:
    """One clause of a statement (`bron "..."`, `als ...`) before it is put in its node."""

    soort: str
    waarde: Any
    pos: n.Pos


SAMEN_TE_VOEGEN = frozenset({"artikelen", "gemeenten"})
"""Clauses that may be written more than once; their values are joined."""

WOORD = {"soort": "afwijzen/signaleren", "filter": "voor elke prestatie", "voorwaarde": "als",
         "artikelen": "gebruikt artikelen", "istandaard": "gebruikt istandaard"}


@v_args(meta=True)
class AstBouwer(Transformer[Token, Any]):
    """lark Transformer: one method per grammar rule (see dsl/grammar.lark)."""

    def __init__(self, context: _Context) -> None:
        super().__init__()
        self.ctx = context

    def _clausules(self, kinderen: list[Any]) -> dict[str, Any]:
        """The clauses among `kinderen` by kind; a clause written twice is an error."""
        uit: dict[str, Any] = {}
        for kind in kinderen:
            if not isinstance(kind, _Clausule):
                continue
            if kind.soort in SAMEN_TE_VOEGEN:
                uit[kind.soort] = (*uit.get(kind.soort, ()), *kind.waarde)
            elif kind.soort in uit:
                woord = WOORD.get(kind.soort, kind.soort)
                self.ctx.fout(kind.pos, f"'{woord}' staat hier twee keer; schrijf het één keer")
            else:
                uit[kind.soort] = kind.waarde
        return uit

    # -------------------------------------------------------- literals

    def getal_tekst(self, tok: Token) -> Fraction:
        tekst = str(tok)
        heel, _, decimaal = tekst.partition(",")
        groepen = heel.split(".")
        if len(groepen) > 1 and any(len(g) != 3 for g in groepen[1:]):
            self.ctx.fout(_pos_tok(tok), f"getal '{tekst}' is niet goed geschreven: gebruik een "
                          "komma voor decimalen (1,5) en een punt voor duizendtallen (100.000)")
            return Fraction(0)
        if "," in decimaal or "." in decimaal:
            self.ctx.fout(_pos_tok(tok), f"getal '{tekst}' is niet goed geschreven")
            return Fraction(0)
        waarde = Fraction(int("".join(groepen)))
        if decimaal:
            waarde += Fraction(int(decimaal), 10 ** len(decimaal))
        return waarde

    def geld(self, meta: Any, k: list[Token]) -> n.Geld:
        waarde = self.getal_tekst(k[1]) * 100
        if waarde.denominator != 1:
            self.ctx.fout(_pos_tok(k[1]), f"bedrag '€ {k[1]}' heeft meer dan twee decimalen")
        return n.Geld(int(waarde), _pos_meta(meta))

    def getal(self, meta: Any, k: list[Token]) -> n.Getal | n.Geld:
        waarde = self.getal_tekst(k[0])
        if len(k) == 1:
            return n.Getal(waarde, None, _pos_meta(meta))
        woord = str(k[1]).lower()
        if woord in ("euro", "euro's"):
            return self.geld(meta, [k[1], k[0]])
        eenheid = woorden.EENHEDEN.get(woord)
        if eenheid is None:
            self.ctx.fout(_pos_tok(k[1]), f"onbekende eenheid '{k[1]}'",
                          bedoelde_u(woord, woorden.EENHEDEN))
        return n.Getal(waarde, eenheid, _pos_meta(meta))

    def tekst(self, meta: Any, k: list[Token]) -> n.Tekst:
        return n.Tekst(tekst_waarde(str(k[0])), _pos_meta(meta))

    def datum(self, meta: Any, k: list[Token]) -> n.Datum:
        return n.Datum(self.datum_van(k[0]), _pos_meta(meta))

    def datum_van(self, tok: Token) -> date:
        try:
            return date.fromisoformat(str(tok))
        except ValueError:
            self.ctx.fout(_pos_tok(tok), f"datum '{tok}' bestaat niet (schrijf JJJJ-MM-DD)")
            return date(1900, 1, 1)

    def waarheid(self, meta: Any, k: list[Token]) -> n.Waarheid:
        return n.Waarheid(k[0].type == "WAAR", _pos_meta(meta))

    # -------------------------------------------------------- names

    def naam(self, meta: Any, k: list[Token]) -> tuple[str, n.Pos]:
        return " ".join(str(t).lower() for t in k), _pos_meta(meta)

    def ref(self, meta: Any, k: list[Any]) -> n.Naam:
        lidwoord = str(k[0]) if isinstance(k[0], Token) else None
        naam, pos = k[-1]
        return n.Naam(naam, lidwoord, pos)

    # -------------------------------------------------------- expressions

    def haakjes(self, meta: Any, k: list[Any]) -> Any:
        return k[1]

    def _logisch(self, op: str, meta: Any, k: list[Any]) -> n.Logisch:
        links, rechts = k[0], k[2]
        delen = links.delen if isinstance(links, n.Logisch) and links.op == op else (links,)
        return n.Logisch(cast(Any, op), (*delen, rechts), _pos_meta(meta))

    def en(self, meta: Any, k: list[Any]) -> n.Logisch:
        return self._logisch("en", meta, k)

    def of(self, meta: Any, k: list[Any]) -> n.Logisch:
        return self._logisch("of", meta, k)

    def niet(self, meta: Any, k: list[Any]) -> n.Niet:
        return n.Niet(k[1], _pos_meta(meta))

    def indien(self, meta: Any, k: list[Any]) -> n.Indien:
        return n.Indien(k[0], k[2], k[5], _pos_meta(meta))

    def vergelijk(self, meta: Any, k: list[Any]) -> n.Vergelijking:
        frase = str(k[1])
        return n.Vergelijking(woorden.VERGELIJKINGEN[frase], k[0], k[2], frase, _pos_meta(meta))

    def is_gelijk(self, meta: Any, k: list[Any]) -> n.Vergelijking:
        return n.Vergelijking("==", k[0], k[2], "is", _pos_meta(meta))

    def is_ongelijk(self, meta: Any, k: list[Any]) -> n.Vergelijking:
        return n.Vergelijking("!=", k[0], k[3], "is niet", _pos_meta(meta))

    def ten(self, meta: Any, k: list[Any]) -> n.Vergelijking:
        frase = str(k[1])
        return n.Vergelijking(woorden.TEN[frase], k[0], k[2], f"is {frase}", _pos_meta(meta))

    def voor(self, meta: Any, k: list[Any]) -> n.Vergelijking:
        return n.Vergelijking("<", k[0], k[2], "eerder is dan", _pos_meta(meta))

    def na(self, meta: Any, k: list[Any]) -> n.Vergelijking:
        return n.Vergelijking(">", k[0], k[2], "later is dan", _pos_meta(meta))

    def lijst(self, meta: Any, k: list[Any]) -> n.Lijsttest:
        waarden = tuple(x for x in k[2:] if not isinstance(x, Token))
        return n.Lijsttest(k[0], waarden, woorden.LIJSTEN[str(k[1])], _pos_meta(meta))

    def bekend(self, meta: Any, k: list[Any]) -> n.Bekendtest:
        return n.Bekendtest(k[0], woorden.BEKEND[str(k[1])], _pos_meta(meta))

    def begint_met(self, meta: Any, k: list[Any]) -> n.Aanroep:
        return n.Aanroep("begint_met", (k[0], k[2]), "", _pos_meta(meta))

    def elfproef(self, meta: Any, k: list[Any]) -> n.Expr:
        aanroep = n.Aanroep("elfproef", (k[0],), "", _pos_meta(meta))
        return n.Niet(aanroep, _pos_meta(meta)) if "niet" in str(k[1]).split() else aanroep

    def bestaat(self, meta: Any, k: list[Any]) -> n.Bestaat:
        return n.Bestaat("geen" in str(k[0]).split(), _pos_meta(meta))

    def _reken(self, op: n.Rekenop, meta: Any, k: list[Any]) -> n.Rekensom:
        return n.Rekensom(op, k[0], k[2], _pos_meta(meta))

    def plus(self, meta: Any, k: list[Any]) -> n.Rekensom:
        return self._reken("plus", meta, k)

    def min(self, meta: Any, k: list[Any]) -> n.Rekensom:
        return self._reken("min", meta, k)

    def maal(self, meta: Any, k: list[Any]) -> n.Rekensom:
        return self._reken("maal", meta, k)

    def gedeeld(self, meta: Any, k: list[Any]) -> n.Rekensom:
        return self._reken("gedeeld door", meta, k)

    def afgerond(self, meta: Any, k: list[Any]) -> n.Afronding:
        modus = woorden.MODI[str(k[2])]
        stap, eenheid = k[3] if len(k) > 3 else (None, None)
        return n.Afronding(k[0], modus, stap, eenheid, _pos_meta(meta))

    def stap(self, meta: Any, k: list[Token]) -> tuple[Fraction | None, str | None]:
        woord = str(k[2]).lower()
        eenheid = woorden.EENHEDEN.get(woord)
        if woord in ("euro", "euro's", "cent", "centen"):
            eenheid = woord.rstrip("'s").replace("centen", "cent")
        elif eenheid is None:
            self.ctx.fout(_pos_tok(k[2]), f"onbekende eenheid '{k[2]}'",
                          bedoelde_u(woord, woorden.EENHEDEN))
        stap = None if k[1].type == "HELE" else self.getal_tekst(k[1])
        return stap, eenheid

    def hele_uren(self, meta: Any, k: list[Any]) -> n.Aanroep:
        return n.Aanroep("uren_uit_minuten", (k[0],), "", _pos_meta(meta))

    # -------------------------------------------------------- functions, lookups, aggregates

    def periode_functie(self, meta: Any, k: list[Any]) -> n.Aanroep:
        functie, periode = woorden.periode_functie(str(k[0]))
        pos = _pos_meta(meta)
        if periode is None:
            args: tuple[n.Expr, ...] = (k[1], k[3])
            rest = k[4:]
        else:
            args = _periode_args(periode, pos)
            rest = k[1:]
        extra = rest[0] if rest else None
        if functie == "vergoede_afwezige_dagen":
            if extra is None:
                self.ctx.fout(pos, "verwacht 'bij afwezigheid langer dan ... tot ten hoogste ...' "
                              "na het aantal vergoede afwezige dagen")
            else:
                args = (*args, *extra)
        elif extra is not None:
            self.ctx.fout(pos, "'bij afwezigheid langer dan' hoort alleen bij het aantal "
                          "vergoede afwezige dagen")
        return n.Aanroep(functie, args, periode or "", pos)

    def afwezigheid(self, meta: Any, k: list[Any]) -> tuple[n.Expr, n.Expr]:
        return k[1], k[3]

    def functie_1(self, meta: Any, k: list[Any]) -> n.Aanroep:
        frase = woorden.zonder_lidwoord(str(k[0]))
        return n.Aanroep(woorden.FUNCTIES_1[frase], (k[1],), "", _pos_meta(meta))

    def functie_2(self, meta: Any, k: list[Any]) -> n.Aanroep:
        frase = woorden.zonder_lidwoord(str(k[0]))
        return n.Aanroep(woorden.FUNCTIES_2[frase], (k[1], k[3]), "", _pos_meta(meta))

    def eerste_tekens(self, meta: Any, k: list[Any]) -> n.Aanroep:
        aantal = n.Getal(self.getal_tekst(k[1]), None, _pos_tok(k[1]))
        return n.Aanroep("eerste_tekens", (k[3], aantal), "", _pos_meta(meta))

    def opzoeking(self, meta: Any, k: list[Any]) -> n.Opzoeking:
        delen = [x for x in k if not (isinstance(x, Token) and x.type in ("ART", "UIT_TABEL"))]
        kolom, tabel = delen[0][0], delen[1][0]
        lidwoord = str(k[0]) if isinstance(k[0], Token) and k[0].type == "ART" else None
        sleutels: tuple[tuple[str, n.Expr | None], ...] = ()
        op: n.Expr | None = None
        for deel in delen[2:]:
            if isinstance(deel, Token):
                continue
            if isinstance(deel, tuple) and deel and isinstance(deel[0], tuple):
                sleutels = deel
            else:
                op = deel
        return n.Opzoeking(kolom, tabel, sleutels, op, lidwoord, _pos_meta(meta))

    def deze_sleutels(self, meta: Any, k: list[Any]) -> tuple[tuple[str, None], ...]:
        return tuple((x[0], None) for x in k if isinstance(x, tuple))

    def sleutels(self, meta: Any, k: list[Any]) -> tuple[tuple[str, n.Expr], ...]:
        inhoud = [x for x in k if not isinstance(x, Token)]
        return tuple((inhoud[i][0], inhoud[i + 1]) for i in range(0, len(inhoud), 2))

    def aggregaat(self, meta: Any, k: list[Any]) -> n.Aggregaat:
        eerste = k[0]
        if eerste.type == "AGG":
            functie: str = woorden.AGGREGATEN[woorden.zonder_lidwoord(str(eerste))]
            expr, mods = k[1], k[3:]
        else:
            functie, expr, mods = "aantal", None, k[1:]
        groepen = tuple(m[1] for m in mods if m[0] == "groep")
        perioden = [m[1] for m in mods if m[0] == "periode"]
        filters = [m[1] for m in mods if m[0] == "filter"]
        filt = filters[0] if len(filters) == 1 else None
        if len(filters) > 1:
            filt = n.Logisch("en", tuple(filters), _pos_meta(meta))
        periode = perioden[0] if perioden else None
        return n.Aggregaat(functie, expr, groepen, periode, filt, _pos_meta(meta))

    def groep(self, meta: Any, k: list[Token]) -> tuple[str, str]:
        return "groep", woorden.GROEPEN[str(k[0])]

    def periode(self, meta: Any, k: list[Token]) -> tuple[str, str]:
        return "periode", woorden.PERIODE_GROEPEN[str(k[0])]

    def agg_filter(self, meta: Any, k: list[Any]) -> tuple[str, Any]:
        return "filter", k[1]

    # -------------------------------------------------------- clauses

    def bron(self, meta: Any, k: list[Token]) -> _Clausule:
        return _Clausule("bron", tekst_waarde(str(k[1])), _pos_meta(meta))

    def uitleg(self, meta: Any, k: list[Token]) -> _Clausule:
        return _Clausule("uitleg", tekst_waarde(str(k[1])), _pos_meta(meta))

    def geldig(self, meta: Any, k: list[Token]) -> _Clausule:
        vanaf = self.datum_van(k[1])
        tot = self.datum_van(k[3]) if len(k) > 3 else None
        tem = len(k) > 3 and k[2].type == "TOT_EN_MET"
        if tot is not None and tot < vanaf:
            self.ctx.fout(_pos_tok(k[3]), f"de einddatum {tot} ligt voor de begindatum {vanaf}")
        return _Clausule("geldig", n.Geldig(vanaf, tot, tem, _pos_meta(meta)), _pos_meta(meta))

    def lokaal(self, meta: Any, k: list[Token]) -> _Clausule:
        return _Clausule("lokaal", True, _pos_meta(meta))

    def nummer(self, meta: Any, k: list[Token]) -> str:
        tekst = str(k[0])
        return tekst_waarde(tekst) if tekst.startswith('"') else tekst

    def code(self, meta: Any, k: list[Token]) -> tuple[str, n.Pos]:
        tekst = str(k[0])
        return (tekst_waarde(tekst) if tekst.startswith('"') else tekst), _pos_tok(k[0])

    def soort(self, meta: Any, k: list[Any]) -> _Clausule:
        woorden_ = str(k[0]).split()
        niveau = "client" if woorden_[-1] in ("client", "cliënt") else "prestatie"
        niveau = "declaratie" if woorden_[-1] == "declaratie" else niveau
        code = k[2] if len(k) > 2 else None
        return _Clausule("soort", (woorden_[0], niveau, code), _pos_meta(meta))

    def filter(self, meta: Any, k: list[Any]) -> _Clausule:
        return _Clausule("filter", (str(k[1]), k[2]) if len(k) > 2 else None, _pos_meta(meta))

    def voorwaarde(self, meta: Any, k: list[Any]) -> _Clausule:
        return _Clausule("voorwaarde", k[1], _pos_meta(meta))

    def toon(self, meta: Any, k: list[Any]) -> _Clausule:
        return _Clausule("toon", tuple(x for x in k[1:] if not isinstance(x, Token)),
                         _pos_meta(meta))

    def waarbij(self, meta: Any, k: list[Any]) -> _Clausule:
        return _Clausule("waarbij", tuple(x for x in k[1:] if isinstance(x, n.Definitie)),
                         _pos_meta(meta))

    def definitie(self, meta: Any, k: list[Any]) -> n.Definitie:
        delen = [x for x in k if not isinstance(x, Token)]
        return n.Definitie(delen[0][0], delen[1], _pos_meta(meta))

    # -------------------------------------------------------- statements

    def parameter(self, meta: Any, k: list[Any]) -> n.Parameter:
        delen = [x for x in k if not isinstance(x, Token)]
        c = self._clausules(delen[2:])
        return n.Parameter(delen[0][0], delen[1], c.get("geldig"), c.get("uitleg"), c.get("bron"),
                           _pos_meta(meta))

    def waarde(self, meta: Any, k: list[Any]) -> n.Waarde:
        delen = [x for x in k if not isinstance(x, Token)]
        c = self._clausules(delen[2:])
        return n.Waarde(delen[0][0], delen[1], c.get("geldig"), c.get("uitleg"), c.get("bron"),
                        _pos_meta(meta))

    def tabel(self, meta: Any, k: list[Any]) -> n.Tabel:
        return n.Tabel(k[1][0], tekst_waarde(str(k[3])), _pos_meta(meta))

    def regel(self, meta: Any, k: list[Any]) -> n.Regel:
        c = self._clausules(k[2:])
        pos = _pos_meta(meta)
        soort, niveau, code = c.get("soort", (None, "prestatie", None))
        filter_woord, filt = c.get("filter") or ("met", None)
        return n.Regel(
            naam=tekst_waarde(str(k[1])), lokaal=bool(c.get("lokaal")), soort=soort,
            niveau=niveau, code=code[0] if code else None, filter=filt,
            voorwaarde=c.get("voorwaarde"), toon=c.get("toon", ()), uitleg=c.get("uitleg"),
            waarbij=c.get("waarbij", ()), bron=c.get("bron"), geldig=c.get("geldig"),
            heeft_filter="filter" in c, filter_woord=filter_woord, pos=pos,
            code_pos=code[1] if code else pos,
        )

    def artikel(self, meta: Any, k: list[Any]) -> _Kop:
        return self._kop("artikel", meta, k)

    def lid(self, meta: Any, k: list[Any]) -> _Kop:
        return self._kop("lid", meta, k)

    def _kop(self, soort: str, meta: Any, k: list[Any]) -> _Kop:
        c = self._clausules(k[3:])
        return _Kop(soort, k[1], tekst_waarde(str(k[2])), bool(c.get("lokaal")), c,
                    _pos_meta(meta))

    def contract(self, meta: Any, k: list[Any]) -> _Kop:
        c = self._clausules(k[2:])
        return _Kop("contract", "", tekst_waarde(str(k[1])), False, c, _pos_meta(meta))

    def regio(self, meta: Any, k: list[Any]) -> _Clausule:
        return _Clausule("regio", k[1][0], _pos_meta(meta))

    def gemeenten(self, meta: Any, k: list[Token]) -> _Clausule:
        codes = tuple(tekst_waarde(str(t)) for t in k[1:] if t.type == "STRING")
        return _Clausule("gemeenten", codes, _pos_meta(meta))

    def gebruikt_istandaard(self, meta: Any, k: list[Token]) -> _Clausule:
        return _Clausule("istandaard", True, _pos_meta(meta))

    def gebruikt_artikelen(self, meta: Any, k: list[Any]) -> _Clausule:
        nummers = tuple(x for x in k[2:] if isinstance(x, str) and not isinstance(x, Token))
        return _Clausule("artikelen", nummers, _pos_meta(meta))

    def wijzigt(self, meta: Any, k: list[Any]) -> n.Wijzigt:
        delen = [x for x in k if not isinstance(x, Token)]
        naam = delen[0][0]
        artikel = delen[1] if isinstance(delen[1], str) else None
        rest = delen[2:] if artikel is not None else delen[1:]
        geldig = rest[1].waarde if len(rest) > 1 else None
        return n.Wijzigt(naam, artikel, rest[0], geldig, _pos_meta(meta))

    def vervangt(self, meta: Any, k: list[Any]) -> n.Vervangt:
        nieuw = k[-1]
        if isinstance(nieuw, n.Regel):
            return n.Vervangt("regel", tekst_waarde(str(k[2])), nieuw, _pos_meta(meta))
        naam = next(x for x in k if isinstance(x, tuple))[0]
        return n.Vervangt("waarde", naam, nieuw, _pos_meta(meta))

    def vervalt(self, meta: Any, k: list[Token]) -> n.Vervalt:
        return n.Vervalt(tekst_waarde(str(k[2])), _pos_meta(meta))

    def wijzigt_uitleg(self, meta: Any, k: list[Any]) -> n.WijzigtUitleg:
        # WIJZIGT UITLEG (IN_ARTIKEL nummer | IN_REGEL STRING) DUBBELEPUNT STRING
        if k[2].type == "IN_REGEL":
            return n.WijzigtUitleg("regel", tekst_waarde(str(k[3])), tekst_waarde(str(k[5])),
                                   _pos_meta(meta))
        return n.WijzigtUitleg("artikel", k[3], tekst_waarde(str(k[5])), _pos_meta(meta))

    def start(self, meta: Any, k: list[Any]) -> list[Any]:
        return list(k)


def _periode_args(periode: str, pos: n.Pos) -> tuple[n.Expr, n.Expr]:
    if periode == "productperiode":
        return n.Naam("begindatum", "de", pos), n.Naam("einddatum", "de", pos)
    return (n.Naam("ingangsdatum van de toewijzing", "de", pos),
            n.Naam("einddatum van de toewijzing", "de", pos))


# ---------------------------------------------------------------- nesting


@dataclass
class _Open:
    kop: _Kop
    items: list[n.Item] = field(default_factory=list)
    leden: list[n.Lid] = field(default_factory=list)
    lid: _Kop | None = None
    lid_items: list[n.Item] = field(default_factory=list)


def nest(bestand: str, statements: list[Any], ctx: _Context) -> n.Bestand:
    """Put leden and items under the artikel above them; the contract header first."""
    contract: n.Contract | None = None
    artikelen: list[n.Artikel] = []
    wijzigingen: list[n.Wijziging] = []
    open_: _Open | None = None
    contract_tabellen: list[n.Tabel] = []
    for stmt in statements:
        if isinstance(stmt, _Kop) and stmt.soort == "contract":
            if contract is not None or artikelen:
                ctx.fout(stmt.pos, "een bestand heeft ten hoogste één contract, bovenaan")
            contract = _contract(stmt, ())
        elif isinstance(stmt, _Kop) and stmt.soort == "artikel":
            if open_ is not None:
                artikelen.append(_sluit(open_))
            open_ = _Open(stmt)
        elif isinstance(stmt, _Kop):
            _open_lid(open_, stmt, ctx)
        elif isinstance(stmt, n.Wijzigt | n.Vervangt | n.Vervalt | n.WijzigtUitleg):
            if open_ is not None:
                artikelen.append(_sluit(open_))
                open_ = None
            wijzigingen.append(stmt)
        elif open_ is not None:
            (open_.lid_items if open_.lid else open_.items).append(stmt)
        elif isinstance(stmt, n.Tabel) and contract is not None:
            contract_tabellen.append(stmt)
        else:
            ctx.fout(stmt.pos, f"deze {_soort_woord(stmt)} staat niet in een artikel: "
                     "zet er 'artikel NUMMER \"titel\"' boven")
    if open_ is not None:
        artikelen.append(_sluit(open_))
    if contract is not None:
        contract = replace(contract, tabellen=tuple(contract_tabellen))
    return n.Bestand(bestand, contract, tuple(artikelen), tuple(wijzigingen))


def _soort_woord(stmt: Any) -> str:
    return type(stmt).__name__.lower()


def _open_lid(open_: _Open | None, kop: _Kop, ctx: _Context) -> None:
    if open_ is None:
        ctx.fout(kop.pos, f"lid {kop.nummer} staat niet in een artikel: zet er "
                 "'artikel NUMMER \"titel\"' boven")
        return
    _sluit_lid(open_)
    open_.lid = kop


def _sluit_lid(open_: _Open) -> None:
    if open_.lid is not None:
        kop = open_.lid
        c = kop.clausules
        open_.leden.append(n.Lid(kop.nummer, kop.titel, kop.lokaal, c.get("bron"),
                                 c.get("uitleg"), c.get("geldig"), tuple(open_.lid_items),
                                 kop.pos))
    open_.lid, open_.lid_items = None, []


def _sluit(open_: _Open) -> n.Artikel:
    _sluit_lid(open_)
    kop = open_.kop
    c = kop.clausules
    return n.Artikel(kop.nummer, kop.titel, kop.lokaal, c.get("bron"), c.get("uitleg"),
                     c.get("geldig"), tuple(open_.items), tuple(open_.leden), kop.pos)


def _contract(kop: _Kop, tabellen: tuple[n.Tabel, ...]) -> n.Contract:
    c = kop.clausules
    return n.Contract(kop.titel, c.get("regio"), c.get("gemeenten", ()),
                      bool(c.get("istandaard")), tuple(c.get("artikelen", ())),
                      c.get("bron"), c.get("uitleg"), c.get("geldig"), tabellen, kop.pos)


def bouw(tree: Tree[Token], bestand: str, tekst: str) -> tuple[n.Bestand, list[RegelFout]]:
    """The AST of a parse tree and the literal errors found while building it."""
    ctx = _Context(bestand, tekst)
    statements: list[Any] = AstBouwer(ctx).transform(tree)
    return nest(bestand, statements, ctx), ctx.fouten

