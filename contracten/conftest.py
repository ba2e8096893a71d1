"""pytest plugin: every YAML case under contracten/<regio>/gevallen/ is one test item.

A failing item prints the case, the line, expected versus actual and the engine's
explanation (see `toetsing.runner.GevalUitslag.verslag`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from toetsing.fouten import GevalFoutError
from toetsing.gevallen import Geval, laad_gevallen
from toetsing.runner import GevalUitslag, draai_geval


class GevalMisluktError(Exception):
    """A case whose outcome differs from what it expects."""

    def __init__(self, verslag: str) -> None:
        super().__init__(verslag)
        self.verslag = verslag


@cache
def _regelboek(map_: Path) -> Any:
    from toetsing.regio import laad_regelboek

    return laad_regelboek(map_)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix != ".yaml" or not (file_path.parent.parent / "contract.regels"
                                           ).is_file():
        return None
    if file_path.parent.name == "gevallen":
        return GevallenBestand.from_parent(parent, path=file_path)
    if file_path.parent.name == "jaargevallen":  # the year's money (issue 15)
        return JaargevallenBestand.from_parent(parent, path=file_path)
    return None


class GevallenBestand(pytest.File):
    def collect(self) -> Any:
        map_ = self.path.parent.parent
        try:
            regelboek = _regelboek(map_)
        except Exception as fout:  # a broken rule file fails every case, with its errors
            yield GevalItem.from_parent(
                self, name=f"{self.path.name}: laden", geval=None, fout=str(fout)
            )
            return
        gemeente = regelboek.gemeenten[0] if regelboek.gemeenten else "0000"
        try:
            gevallen = laad_gevallen(self.path, gemeente)
        except GevalFoutError as fout:
            yield GevalItem.from_parent(
                self, name=f"{self.path.name}: lezen", geval=None, fout=str(fout)
            )
            return
        for geval in gevallen:
            yield GevalItem.from_parent(self, name=geval.naam, geval=geval, fout=None)


class GevalItem(pytest.Item):
    def __init__(self, *, geval: Geval | None, fout: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.geval = geval
        self.fout = fout

    def runtest(self) -> None:
        if self.geval is None:
            raise GevalMisluktError(self.fout or "onbekende fout")
        uitslag: GevalUitslag = draai_geval(_regelboek(self.path.parent.parent), self.geval)
        if not uitslag.geslaagd:
            raise GevalMisluktError(uitslag.verslag())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, GevalMisluktError):
            return excinfo.value.verslag
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.geval.line - 1 if self.geval else 0
        return self.path, line, f"geval: {self.name}"


class JaargevallenBestand(pytest.File):
    def collect(self) -> Any:
        from toetsing.jaargeval import laad_jaargevallen

        try:
            gevallen = laad_jaargevallen(self.path)
        except GevalFoutError as fout:
            yield JaargevalItem.from_parent(self, name=f"{self.path.name}: lezen", geval=None,
                                            fout=str(fout))
            return
        for geval in gevallen:
            yield JaargevalItem.from_parent(self, name=geval.naam, geval=geval, fout=None)


class JaargevalItem(GevalItem):
    """A year case: run on its own store (toetsing.jaargeval), reported like a rule case."""

    def runtest(self) -> None:
        from toetsing.jaargeval import draai_jaargeval

        if self.geval is None:
            raise GevalMisluktError(self.fout or "onbekende fout")
        verschillen = draai_jaargeval(_regelboek(self.path.parent.parent), self.geval)
        if verschillen:
            raise GevalMisluktError(f"{self.path}:{self.geval.line}: {self.geval.naam}\n"
                                    + "\n".join(verschillen))
