"""YAML reading that remembers line numbers, so every error and failure can point at its case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from toetsing.fouten import GevalFoutError


class Knoop(dict[str, Any]):
    """A YAML mapping that knows the 1-based line it starts on."""

    line: int = 0


class _Lezer(yaml.SafeLoader):
    """SafeLoader whose mappings are `Knoop`s with their line number."""


def _mapping(lezer: _Lezer, node: yaml.MappingNode) -> Knoop:
    knoop = Knoop({str(k): v for k, v in lezer.construct_mapping(node, deep=True).items()})
    knoop.line = node.start_mark.line + 1
    return knoop


_Lezer.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def lees_yaml(pad: Path) -> Any:
    """The document in `pad`; a syntax error becomes a located `GevalFoutError`."""
    try:
        tekst = pad.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as fout:
        raise GevalFoutError(str(pad), None, f"bestand niet te lezen: {fout}") from None
    try:
        return yaml.load(tekst, Loader=_Lezer)
    except yaml.YAMLError as fout:
        mark = getattr(fout, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        probleem = getattr(fout, "problem", None) or str(fout)
        raise GevalFoutError(str(pad), line, f"geen geldige YAML: {probleem}") from None


def regel_van(waarde: Any, standaard: int) -> int:
    """The line of a mapping, or `standaard` for a scalar."""
    return waarde.line if isinstance(waarde, Knoop) else standaard
