"""The registry of backends (engine.backends): names, the default, abilities declared, an
unknown name refused with the known ones, and the CLI's and the service's choices from it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from api.instellingen import Instellingen
from engine import backends
from engine.backends.basis import Backend, Vermogens


def test_de_standaard_staat_vooraan_en_is_ingeschreven() -> None:
    namen = backends.namen()
    assert namen[0] == backends.STANDAARD
    assert len(set(namen)) == len(namen) and {"vectorized", "rete", "scalar"} <= set(namen)


def test_een_backend_heet_zoals_hij_is_ingeschreven(backend: Backend) -> None:
    assert backends.kies(backend.naam).naam == backend.naam
    assert backends.kies(backend) is backend


def test_vermogens_zijn_verklaard_niet_geraden(backend: Backend) -> None:
    vermogens = backends.inschrijving(backend.naam).vermogens
    assert isinstance(vermogens, Vermogens) and vermogens is backend.vermogens
    assert vermogens.beknopt == callable(getattr(backend, "evalueer_beknopt", None))


def test_onbekende_naam_noemt_de_bekende() -> None:
    with pytest.raises(backends.OnbekendeBackendError) as fout:
        backends.kies("snel")
    assert str(fout.value) == (
        f"onbekende backend 'snel': kies uit {', '.join(backends.namen())}")


def test_de_dienst_weigert_een_onbekende_backend() -> None:
    with pytest.raises(ValidationError, match="onbekende backend 'snel'"):
        Instellingen(backend="snel")
    assert Instellingen().backend == backends.STANDAARD


def test_de_namen_laden_geen_backend() -> None:
    """Listing the backends (a --help) imports neither Polars nor durable-rules."""
    code = ("import sys; from engine import backends; backends.namen(); "
            "backends.omschrijving(); print('polars' in sys.modules, 'durable' in sys.modules)")
    uit = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert uit.stdout.split() == ["False", "False"]


def test_de_cli_biedt_elke_backend_aan() -> None:
    from cli.opties import Backendnaam

    assert [b.value for b in Backendnaam] == list(backends.namen())
