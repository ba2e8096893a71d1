"""`regelwerk fmt`: the canonical layout of a rule file, written from its AST.

Two spaces per level, one clause per line, canonical phrases ("groter is dan"), money as
`€ 1.900` / `€ 76,45`. A clause longer than 100 characters wraps (`dsl.afbreken`): before
'indien'/'anders'/'en'/'of' at the outermost level first, then before 'plus'/'min'/'maal',
continuation lines two spaces deeper than the clause. Comments are kept: each goes before
the statement it precedes (or whose line it ends). Formatting is idempotent and the result
parses to the same AST.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from dsl import nodes as n
from dsl import woorden
from dsl.afbreken import Keten, Reeks, Stuk, schrijf, vlak
from dsl.fouten import RegelFoutenError
from dsl.lexer import commentaren
from dsl.parser import parse
from engine import opmaak
from engine import woorden as taal

# ---------------------------------------------------------------- expressions

_OPEN = 4.5
"""Level of a form that ends in an open expression ('de vroegste van A en B'): it gets
parentheses wherever an operand of arithmetic or a comparison is expected."""


_STAART = 6.5
"""Level of a phrase that ends in a single term ('de maand van A'): a postfix such as
'afgerond' after it would bind to that term, so it then needs parentheses."""


def expr_tekst(e: n.Expr) -> str:
    """An expression as canonical text."""
    return _expr(e, 0)


def _expr(e: n.Expr, nodig: float) -> str:
    tekst, niveau = _vorm(e)
    return f"({tekst})" if niveau < nodig else tekst


def _vorm(e: n.Expr) -> tuple[str, float]:
    """Text and precedence level (0 indien, 1 of, 2 en, 3 niet, 4 comparison, 5 plus/min,
    6 maal/gedeeld, 7 postfix, 8 primary)."""
    if isinstance(e, n.Naam):
        return _naam(e.naam, e.lidwoord), 8
    if isinstance(e, n.Getal | n.Geld | n.Tekst | n.Datum | n.Waarheid):
        return literaal_tekst(e), 8
    if isinstance(e, n.Rekensom):
        niveau = _reken_niveau(e.op)
        return f"{_expr(e.links, niveau)} {e.op} {_expr(e.rechts, niveau + 1)}", niveau
    if isinstance(e, n.Vergelijking):
        return f"{_expr(e.links, 5)} {_vergelijking_frase(e)} {_expr(e.rechts, 5)}", 4
    if isinstance(e, n.Afronding):
        return _afronding(e), 7
    return _vorm_2(e)


def _vorm_2(e: n.Expr) -> tuple[str, float]:
    if isinstance(e, n.Lijsttest):
        frase = taal.LIJST_FRASE[e.negatief]
        lijst = ", ".join(_expr(w, 8) for w in e.waarden)
        return f"{_expr(e.expr, 5)} {frase} {lijst}", 4
    if isinstance(e, n.Bekendtest):
        zin = taal.NIET_ZINNEN["bekend"] if e.negatief else taal.FUNCTIEZINNEN["bekend"].zin
        return zin.format(_expr(e.expr, 5)), 4
    if isinstance(e, n.Bestaat):
        return ("er is geen toewijzing" if e.negatief else "er is een toewijzing"), 4
    if isinstance(e, n.Logisch):
        niveau = 2 if e.op == "en" else 1
        return f" {e.op} ".join(_expr(d, niveau + 1) for d in e.delen), niveau
    if isinstance(e, n.Niet):
        if isinstance(e.expr, n.Aanroep) and e.expr.functie == "elfproef":
            return taal.NIET_ZINNEN["elfproef"].format(_expr(e.expr.args[0], 5)), 4
        return f"niet {_expr(e.expr, 3)}", 3
    if isinstance(e, n.Indien):
        voorwaarde = _expr(e.voorwaarde, 9 if bevat_lijst(e.voorwaarde) else 1)
        return f"{_expr(e.dan, 1)} indien {voorwaarde}, anders {_expr(e.anders, 0)}", 0
    if isinstance(e, n.Aanroep):
        return _aanroep(e)
    if isinstance(e, n.Opzoeking):
        return _opzoeking(e)
    if isinstance(e, n.Aggregaat):
        return _aggregaat(e)
    raise TypeError(type(e).__name__)


def bevat_lijst(e: object) -> bool:
    """Whether an expression holds 'is een van a, b' (whose commas need parentheses before
    ', anders' and between 'waarbij' definitions)."""
    if isinstance(e, n.Lijsttest):
        return True
    if isinstance(e, tuple):
        return any(bevat_lijst(x) for x in e)
    velden = getattr(e, "__dataclass_fields__", None)
    return velden is not None and any(bevat_lijst(getattr(e, v)) for v in velden if v != "pos")


def _vergelijking_frase(e: n.Vergelijking) -> str:
    bekend = e.vorm in woorden.VERGELIJKINGEN or e.vorm in ("is", "is niet")
    return e.vorm if bekend else taal.VERGELIJKING_BIJZIN[e.op]


def _naam(naam: str, lidwoord: str | None) -> str:
    return f"{lidwoord} {naam}" if lidwoord else naam


def _afronding(e: n.Afronding) -> str:
    return _expr(e.expr, 7) + _afronding_staart(e)


def _afronding_staart(e: n.Afronding) -> str:
    """' afgerond naar boven op 5 minuten': what follows the rounded expression."""
    tekst = f" afgerond {taal.AFRONDINGEN[e.modus]}"
    if e.stap_eenheid is None:
        return tekst
    woorden_ = _STAPEENHEDEN[e.stap_eenheid]
    if e.stap is None:
        return f"{tekst} op hele {woorden_.meervoud}"
    woord = woorden_.woord if e.stap == 1 else woorden_.na_getal
    return f"{tekst} op {opmaak.decimaal(e.stap)} {woord}"


_STAPEENHEDEN = taal.EENHEDEN | taal.GELDEENHEDEN


_NIVEAUS: dict[str, tuple[tuple[float, ...], float]] = {
    "eerste_tekens": ((7, 8), _STAART),
    "uren_uit_minuten": ((7,), 7),
    "begint_met": ((5, 5), 4),
    "elfproef": ((5, 5), 4),
}
"""A function's phrase (engine.woorden) as levels: what its arguments need, what it is; by
default (7, _STAART), a phrase that ends in its last argument ('de maand van A')."""


def _aanroep(e: n.Aanroep) -> tuple[str, float]:
    if e.functie in woorden.PERIODE_FRASE:
        return _periode_aanroep(e)
    nodig, niveau = _NIVEAUS.get(e.functie, ((7, 7, 7, 7), _STAART))
    args = [_expr(a, k) for a, k in zip(e.args, nodig, strict=False)]
    return taal.FUNCTIEZINNEN[e.functie].zin.format(*args), niveau


def _periode_aanroep(e: n.Aanroep) -> tuple[str, float]:
    frase = f"het {woorden.PERIODE_FRASE[e.functie]}"
    if e.vorm:
        tekst, niveau = f"{frase} in de {e.vorm}", 8.0
    else:
        tekst = f"{frase} van {_expr(e.args[0], 7)} tot en met {_expr(e.args[1], 7)}"
        niveau = _STAART
    if e.functie == "vergoede_afwezige_dagen" and len(e.args) == 4:
        tekst += (f" bij afwezigheid langer dan {_expr(e.args[2], 5)} tot ten hoogste "
                  f"{_expr(e.args[3], 7)}")
        niveau = _STAART
    return tekst, niveau


def _opzoeking(e: n.Opzoeking) -> tuple[str, float]:
    tekst = f"{_naam(e.kolom, e.lidwoord)} uit tabel {e.tabel}"
    niveau = 8.0
    if e.sleutels and all(w is None for _, w in e.sleutels):
        tekst += " bij deze " + " en ".join(k for k, _ in e.sleutels)
        niveau = _OPEN
    elif e.sleutels:
        tekst += " bij " + " en ".join(f"{k} {_sleutel_waarde(w)}" for k, w in e.sleutels)
        niveau = _OPEN
    if e.op is not None:
        tekst += f" op {_expr(e.op, 7)}"
        niveau = min(niveau, _STAART)
    return tekst, niveau


def _sleutel_waarde(w: n.Expr | None) -> str:
    if isinstance(w, n.Naam):
        return _naam(w.naam, w.lidwoord or "de")
    return "" if w is None else _expr(w, 8)


def _aggregaat(e: n.Aggregaat) -> tuple[str, float]:
    return vlak(_aggregaat_stuk(e)), _aggregaat_niveau(e)


def _aggregaat_niveau(e: n.Aggregaat) -> float:
    return 8 if e.filter is None else _OPEN


def _aggregaat_stuk(e: n.Aggregaat) -> Keten:
    """'de som van X', 'over de prestaties van ...', 'waarvoor C': a line may break before
    the second and the third part."""
    groepen = [woorden.GROEP_FRASE[g] for g in e.groepen]
    if e.periode:
        groepen.append(woorden.PERIODE_GROEP_FRASE[e.periode])
    kop: Stuk
    vervolg: list[Stuk] = []
    if e.functie == "aantal" or e.expr is None:
        kop = " ".join(["het aantal prestaties", *groepen])
    else:
        frase = f"{woorden.LIDWOORD[e.functie]} {woorden.AGGREGAAT_FRASE[e.functie]} "
        kop = Reeks((frase, _stuk(e.expr, 7)))
        vervolg.append(" ".join(["over de prestaties", *groepen]))
    if e.filter is not None:
        vervolg.append(Reeks(("waarvoor ", _stuk(e.filter, 3))))
    return Keten(kop, tuple(vervolg))


# ---------------------------------------------------------------- line breaking


def _stuk(e: n.Expr, nodig: float) -> Stuk:
    """`_expr(e, nodig)` as pieces that `dsl.afbreken` may spread over lines: breaks go
    before 'indien', 'anders', 'en', 'of', 'plus', 'min', 'maal', 'gedeeld door', and an
    aggregate's 'over de prestaties' and 'waarvoor'."""
    gevonden = _structuur(e)
    if gevonden is None:
        return _expr(e, nodig)
    stuk, niveau = gevonden
    return Reeks(("(", stuk, ")")) if niveau < nodig else stuk


def _structuur(e: n.Expr) -> tuple[Stuk, float] | None:
    """The pieces and precedence level (as `_vorm`) of a form that holds a place to break,
    else None (plain text)."""
    if isinstance(e, n.Logisch):
        niveau = 2 if e.op == "en" else 1
        delen = [_stuk(d, niveau + 1) for d in e.delen]
        return Keten(delen[0], tuple(Reeks((f"{e.op} ", d)) for d in delen[1:])), niveau
    if isinstance(e, n.Indien):
        return _indien_keten(e), 0
    if isinstance(e, n.Rekensom):
        return _reken_keten(e), _reken_niveau(e.op)
    return _omhulsel(e)


def _omhulsel(e: n.Expr) -> tuple[Stuk, float] | None:
    """Forms around an expression that may break: a comparison's operands, 'niet X',
    'X afgerond ...', an aggregate."""
    if isinstance(e, n.Vergelijking):
        frase = f" {_vergelijking_frase(e)} "
        return Reeks((_stuk(e.links, 5), frase, _stuk(e.rechts, 5))), 4
    if isinstance(e, n.Niet) and not (isinstance(e.expr, n.Aanroep)
                                      and e.expr.functie == "elfproef"):
        return Reeks(("niet ", _stuk(e.expr, 3))), 3
    if isinstance(e, n.Afronding):
        return Reeks((_stuk(e.expr, 7), _afronding_staart(e))), 7
    if isinstance(e, n.Aggregaat):
        return _aggregaat_stuk(e), _aggregaat_niveau(e)
    return None


def _indien_keten(e: n.Indien) -> Keten:
    """'A indien C, anders B indien D, anders E' as one chain: 'indien' and 'anders' each
    start a part, so a cascade of conditions lines up."""
    kop = _stuk(e.dan, 1)
    vervolg: list[Stuk] = []
    while True:
        voorwaarde = _stuk(e.voorwaarde, 9 if bevat_lijst(e.voorwaarde) else 1)
        vervolg.append(Reeks(("indien ", voorwaarde, ",")))
        if not isinstance(e.anders, n.Indien):
            vervolg.append(Reeks(("anders ", _stuk(e.anders, 0))))
            return Keten(kop, tuple(vervolg))
        e = e.anders
        vervolg.append(Reeks(("anders ", _stuk(e.dan, 1))))


def _reken_keten(e: n.Rekensom) -> Keten:
    """'A plus B min C' (left-associative, one level) as one chain."""
    niveau = _reken_niveau(e.op)
    stappen: list[Stuk] = []
    links: n.Expr = e
    while isinstance(links, n.Rekensom) and _reken_niveau(links.op) == niveau:
        stappen.append(Reeks((f"{links.op} ", _stuk(links.rechts, niveau + 1))))
        links = links.links
    return Keten(_stuk(links, niveau), tuple(reversed(stappen)))


def _reken_niveau(op: str) -> int:
    return 5 if op in ("plus", "min") else 6


# ---------------------------------------------------------------- literals


def tekst_literaal(waarde: str) -> str:
    """A text between quotes (triple quotes when it holds a quote or a line break)."""
    if '"' in waarde or "\n" in waarde:
        return f'"""{waarde}"""'
    return f'"{waarde}"'


def literaal_tekst(e: n.Literal_) -> str:
    if isinstance(e, n.Getal):
        if e.eenheid is None:
            return opmaak.decimaal(e.waarde)
        eenheid = taal.EENHEDEN[e.eenheid]
        woord = eenheid.woord if e.waarde == 1 else eenheid.na_getal
        return f"{opmaak.decimaal(e.waarde)} {woord}"
    if isinstance(e, n.Geld):
        return opmaak.geld_kort(e.centen)
    if isinstance(e, n.Tekst):
        return tekst_literaal(e.waarde)
    if isinstance(e, n.Datum):
        return e.waarde.isoformat()
    return "waar" if e.waarde else "onwaar"


# ---------------------------------------------------------------- statements


@dataclass
class _Schrijver:
    """Collects output lines; comments are emitted before the statement they belong to."""

    commentaar: dict[int, list[str]]
    lines: list[str] = field(default_factory=list)

    def line(self, diepte: int, tekst: str) -> None:
        self.lines.append("  " * diepte + tekst)

    def lang(self, diepte: int, begin: str, stuk: Stuk) -> None:
        """A statement that may run over several lines, continued two spaces deeper."""
        self.lines.extend(schrijf("  " * diepte + begin, stuk, 2 * diepte + 2))

    def leeg(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def stmt(self, diepte: int, pos: n.Pos) -> None:
        for tekst in self.commentaar.pop(pos.line, []):
            if tekst:
                self.line(diepte, tekst)
            else:
                self.leeg()

    def tekst_clausule(self, diepte: int, woord: str, waarde: str | None) -> None:
        if waarde is None:
            return
        if "\n" not in waarde and '"' not in waarde:
            self.line(diepte, f'{woord} "{waarde}"')
            return
        self.line(diepte, f'{woord} """')
        for regel in waarde.split("\n"):
            self.line(diepte + 1, regel) if regel.strip() else self.lines.append("")
        self.line(diepte, '"""')


def geldig_tekst(g: n.Geldig) -> str:
    tekst = f"geldig vanaf {g.vanaf.isoformat()}"
    if g.tot is not None:
        tekst += f" {'tot en met' if g.tot_en_met else 'tot'} {g.tot.isoformat()}"
    return tekst


def _kop_clausules(s: _Schrijver, d: int, bron: str | None, geldig: n.Geldig | None,
                   uitleg: str | None) -> None:
    s.tekst_clausule(d, "bron", bron)
    if geldig is not None:
        s.line(d, geldig_tekst(geldig))
    s.tekst_clausule(d, "uitleg", uitleg)


def _item(s: _Schrijver, d: int, item: n.Item) -> None:
    s.stmt(d, item.pos)
    if isinstance(item, n.Parameter):
        s.line(d, f"parameter {item.naam} is {literaal_tekst(item.waarde)}")
        _kop_clausules(s, d + 1, item.bron, item.geldig, item.uitleg)
    elif isinstance(item, n.Waarde):
        s.lang(d, f"waarde {item.naam} is ", _stuk(item.expr, 0))
        _kop_clausules(s, d + 1, item.bron, item.geldig, item.uitleg)
    elif isinstance(item, n.Tabel):
        s.line(d, f'tabel {item.naam} uit "{item.bestand}"')
    else:
        _regel(s, d, item)


def _regel(s: _Schrijver, d: int, r: n.Regel) -> None:
    s.line(d, f'regel "{r.naam}"' + (" lokaal" if r.lokaal else ""))
    s.stmt(d + 1, n.Pos(-r.pos.line, 0))
    s.tekst_clausule(d + 1, "bron", r.bron)
    if r.geldig is not None:
        s.line(d + 1, geldig_tekst(r.geldig))
    if r.soort is not None:
        s.line(d + 1, _soort(r))
    if r.filter is not None:
        _voorwaarde(s, d + 1, f"voor elke prestatie {r.filter_woord}", r.filter)
    elif r.heeft_filter:
        s.line(d + 1, "voor elke prestatie")
    if r.voorwaarde is not None:
        _voorwaarde(s, d + 1, "als", r.voorwaarde)
    if r.toon:
        s.lang(d + 1, "toon ", _lijst([_stuk(t, 5) for t in r.toon]))
    if r.waarbij:
        s.lang(d + 1, "waarbij ", _lijst([
            Reeks((f"{w.naam} is ", _stuk(w.expr, 9 if bevat_lijst(w.expr) else 0)))
            for w in r.waarbij]))
    s.tekst_clausule(d + 1, "uitleg", r.uitleg)


def _lijst(delen: list[Stuk]) -> Keten:
    """'A, B, C': when too long, one item per line."""
    stukken = [*(Reeks((deel, ",")) for deel in delen[:-1]), delen[-1]]
    return Keten(stukken[0], tuple(stukken[1:]))


def _voorwaarde(s: _Schrijver, d: int, woord: str, e: n.Expr) -> None:
    """A condition, over several lines when too long (outermost 'of'/'en' first)."""
    s.lang(d, f"{woord} ", _stuk(e, 0))


def _soort(r: n.Regel) -> str:
    niveau = "" if r.niveau == "prestatie" else f" {r.niveau}"
    code = r.code or ""
    if code and not (code.isalnum() and " " not in code):
        code = f'"{code}"'
    if r.soort == "afwijzen":
        return f"afwijzen{niveau} met retourcode {code}"
    return f"signaleren{niveau}" + (f" met code {code}" if code else "")


def _nummer(nummer: str) -> str:
    return nummer if nummer.replace(".", "").isdigit() else f'"{nummer}"'


def _artikel(s: _Schrijver, a: n.Artikel) -> None:
    s.leeg()
    s.stmt(0, a.pos)
    s.line(0, f'artikel {_nummer(a.nummer)} "{a.titel}"' + (" lokaal" if a.lokaal else ""))
    _kop_clausules(s, 1, a.bron, a.geldig, a.uitleg)
    for item in a.items:
        _item(s, 1, item)
    for lid in a.leden:
        s.leeg()
        s.stmt(1, lid.pos)
        s.line(1, f'lid {_nummer(lid.nummer)} "{lid.titel}"' + (" lokaal" if lid.lokaal else ""))
        _kop_clausules(s, 2, lid.bron, lid.geldig, lid.uitleg)
        for item in lid.items:
            _item(s, 2, item)


def _contract(s: _Schrijver, c: n.Contract) -> None:
    s.stmt(0, c.pos)
    s.line(0, f'contract "{c.naam}"')
    if c.regio:
        s.line(1, f"regio {c.regio}")
    if c.gemeenten:
        s.line(1, "gemeenten " + ", ".join(f'"{g}"' for g in c.gemeenten))
    if c.istandaard:
        s.line(1, "gebruikt istandaard")
    if c.artikelen:
        s.line(1, "gebruikt artikelen " + ", ".join(_nummer(a) for a in c.artikelen))
    _kop_clausules(s, 1, c.bron, c.geldig, c.uitleg)
    for tabel in c.tabellen:
        _item(s, 1, tabel)


def _wijziging(s: _Schrijver, w: n.Wijziging) -> None:
    s.leeg()
    s.stmt(0, w.pos)
    if isinstance(w, n.Wijzigt):
        waar = f" in artikel {_nummer(w.artikel)}" if w.artikel else ""
        tekst = f"wijzigt parameter {w.naam}{waar}: {literaal_tekst(w.waarde)}"
        s.line(0, tekst + (f" {geldig_tekst(w.geldig)}" if w.geldig else ""))
    elif isinstance(w, n.Vervalt):
        s.line(0, f'vervalt regel "{w.naam}"')
    elif isinstance(w, n.WijzigtUitleg):
        doel = f'regel "{w.naam}"' if w.soort == "regel" else f"artikel {_nummer(w.naam)}"
        s.tekst_clausule(0, f"wijzigt uitleg in {doel}:", w.tekst)
    else:
        naam = f'"{w.naam}"' if w.soort == "regel" else w.naam
        s.line(0, f"vervangt {w.soort} {naam} door")
        _item(s, 1, w.nieuw)


def formatteer_ast(ast: n.Bestand, commentaar: dict[int, list[str]] | None = None) -> str:
    """The canonical text of a parsed file."""
    s = _Schrijver(dict(commentaar or {}))
    if ast.contract is not None:
        _contract(s, ast.contract)
    for w in ast.wijzigingen:
        _wijziging(s, w)
    for a in ast.artikelen:
        _artikel(s, a)
    rest = [t for lines in s.commentaar.values() for t in lines]
    if rest:
        s.leeg()
        s.lines.extend(rest)
    while s.lines and s.lines[0] == "":
        s.lines.pop(0)
    return "\n".join(s.lines).rstrip() + "\n"


def _statement_lines(ast: n.Bestand) -> list[int]:
    lines: list[int] = []
    if ast.contract is not None:
        lines.append(ast.contract.pos.line)
        lines.extend(t.pos.line for t in ast.contract.tabellen)
    for w in ast.wijzigingen:
        lines.append(w.pos.line)
    for a in ast.artikelen:
        lines.append(a.pos.line)
        lines.extend(i.pos.line for i in a.items)
        for lid in a.leden:
            lines.append(lid.pos.line)
            lines.extend(i.pos.line for i in lid.items)
    return sorted(set(lines))


def _regel_lines(ast: n.Bestand) -> set[int]:
    items = [i for a in ast.artikelen for i in (*a.items, *(j for lid in a.leden
                                                            for j in lid.items))]
    items.extend(w.nieuw for w in ast.wijzigingen if isinstance(w, n.Vervangt))
    return {i.pos.line for i in items if isinstance(i, n.Regel)}


def _koppel_commentaar(tekst: str, ast: n.Bestand) -> dict[int, list[str]]:
    """Comment lines by the start line of the statement they go before; a comment between
    the clauses of a rule is kept inside it (key: minus the rule's line)."""
    starts = _statement_lines(ast)
    regel_lines = _regel_lines(ast)
    uit: dict[int, list[str]] = {}
    bron_lines = tekst.splitlines()
    for line, column, stuk in commentaren(tekst):
        achter_code = bron_lines[line - 1][: column - 1].strip() != ""
        doel = _doel(starts, line, achter_code)
        binnen = _binnen_regel(starts, regel_lines, bron_lines, line)
        if binnen is not None and not achter_code:
            doel = -binnen
        elif achter_code and doel in regel_lines and line > doel:
            doel = -doel
        uit.setdefault(doel, []).append(stuk.rstrip())
        volgende = bron_lines[line] if line < len(bron_lines) else "x"
        if not achter_code and not volgende.strip():
            uit[doel].append("")
    return uit


def _binnen_regel(starts: list[int], regel_lines: set[int], bron: list[str],
                  line: int) -> int | None:
    """The rule whose clauses surround comment `line`, if any."""
    eerder = [s for s in starts if s < line]
    if not eerder or eerder[-1] not in regel_lines:
        return None
    later = [s for s in starts if s > line]
    grens = later[0] if later else len(bron) + 1
    for volgend in range(line + 1, grens):
        code = bron[volgend - 1].split("#", 1)[0].strip()
        if code:
            return eerder[-1]
    return None


def _doel(starts: list[int], line: int, achter_code: bool) -> int:
    if achter_code:
        eerder = [s for s in starts if s <= line]
        if eerder:
            return eerder[-1]
    later = [s for s in starts if s > line]
    return later[0] if later else -1


def formatteer(tekst: str, bestandsnaam: str = "<invoer>",
               namen: Iterable[str] = ()) -> str:
    """The canonical layout of rule text; raises RegelFoutenError when it does not parse.
    `namen`: names declared elsewhere in its rule book (see `dsl.loader.namen_voor`)."""
    ast, fouten = parse(tekst, bestandsnaam, namen)
    if ast is None or fouten:
        raise RegelFoutenError(fouten)
    return formatteer_ast(ast, _koppel_commentaar(tekst, ast))
