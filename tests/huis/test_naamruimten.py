"""Messages as data: an iStandaarden namespace (`istandaarden.nl`) is written in exactly one
place in the code, the record of its standard (`berichten/<standaard>/standaard.py`). Readers,
writers and everything else take namespaces from the record, so a new standard or release is
a new record, never a hunt through the code."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CODE = ("*.py", "*.lark", "*.j2", "*.html")
"""Code, grammars and templates; XSDs and sample messages are data and carry namespaces."""

NIET_DE_CODE = frozenset({".venv", ".git", "tests", "node_modules", "uitvoer"})

RECORDS = frozenset({
    Path("berichten/ijw/standaard.py"), Path("berichten/iwmo/standaard.py")})


def _code() -> list[Path]:
    return sorted(pad for patroon in CODE for pad in REPO.rglob(patroon)
                  if not NIET_DE_CODE.intersection(pad.relative_to(REPO).parts))


def test_naamruimten_staan_alleen_in_het_record() -> None:
    buiten = [str(pad.relative_to(REPO)) for pad in _code()
              if "istandaarden.nl" in pad.read_text(encoding="utf-8", errors="replace")
              and pad.relative_to(REPO) not in RECORDS]
    assert buiten == []


def test_het_record_bestaat_en_draagt_de_naamruimten() -> None:
    from berichten.ijw.standaard import IJW_3_2
    from berichten.iwmo.standaard import IWMO_3_2

    for pad in RECORDS:
        assert "istandaarden.nl" in (REPO / pad).read_text(encoding="utf-8")
    assert all("istandaarden.nl" in ns
               for ns in (*IJW_3_2.namespaces(), *IWMO_3_2.namespaces()))
