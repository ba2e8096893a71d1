"""The layers (docs/architectuur.md): a package imports only from its own layer or the ones
below it. The engine is the floor; the rule language and the messages sit on it; the reports
on those; the batch application uses all of them; the contract test runner uses the batch;
the command line, the service and the bench are on top. Every import statement counts,
wherever it stands (function-level included); imports under `if TYPE_CHECKING:` never run
and do not count."""

from __future__ import annotations

import pytest
from importgraaf import graaf

LAGEN: tuple[frozenset[str], ...] = (
    frozenset({"engine"}),
    frozenset({"dsl", "berichten"}),
    frozenset({"weergave", "proefdata"}),
    frozenset({"opslag"}),
    frozenset({"batch", "betalen"}),
    frozenset({"toetsing"}),
    frozenset({"cli", "api", "bench"}),
)
LAAG = {pakket: hoogte for hoogte, pakketten in enumerate(LAGEN) for pakket in pakketten}


def _overtredingen(import_graaf: dict[str, set[str]]) -> list[str]:
    fout = []
    for module, doelen in sorted(import_graaf.items()):
        van = module.partition(".")[0]
        for doel in sorted(doelen):
            naar = doel.partition(".")[0]
            if van in LAAG and naar in LAAG and LAAG[naar] > LAAG[van]:
                fout.append(f"{module} (laag {LAAG[van]}) importeert {doel} (laag {LAAG[naar]})")
    return fout


def test_elk_pakket_heeft_een_laag() -> None:
    pakketten = {module.partition(".")[0] for module in graaf()}
    assert pakketten - LAAG.keys() == set()


def test_geen_import_van_een_hogere_laag() -> None:
    assert _overtredingen(graaf()) == []


@pytest.mark.parametrize(("module", "doel"), [
    ("engine.ir", "dsl.typen"), ("berichten.ijw.jw323", "batch.invoer"),
    ("weergave.uitleg", "batch.verslag"), ("batch.invoer", "toetsing.runner"),
])
def test_de_toets_ziet_een_import_van_boven(module: str, doel: str) -> None:
    assert len(_overtredingen({module: {doel}})) == 1
