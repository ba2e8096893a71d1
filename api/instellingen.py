"""Settings of the service, from the environment (prefix `REGELWERK_`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from engine import backends

REPO = Path(__file__).resolve().parents[1]

MAX_BERICHT = 25 * 1024 * 1024
"""The iStandaard's limit for one message: 25 MB."""

MAX_REGELTEKST = 128 * 1024
"""Rule text checked by `/v1/regels/valideer`: the largest real rule file is 7 kB, a whole
region's rule book some tens of kB. At this size the worst text (deep, long or full of
errors) is checked in well under a second."""


class Instellingen(BaseSettings):
    """Everything the service reads from its environment.

    - `REGELWERK_DATABASE_URL`: SQLAlchemy URL; default a SQLite file `var/regelwerk.sqlite`
      in the repository (created on first start);
    - `REGELWERK_CONTRACTEN`: the folder with one sub-folder per region;
    - `REGELWERK_STANDAARD`: the standard rule files (default `<repo>/regels`);
    - `REGELWERK_SLEUTELS`: the API key file; unset = open, on 127.0.0.1 only;
    - `REGELWERK_BACKEND`: the engine backend, one of `engine.backends.namen()` (default
      `engine.backends.STANDAARD`);
    - `REGELWERK_HERLAAD_INTERVAL`: seconds between checks for changed rule files
      (default 2; 0 = off);
    - `REGELWERK_MAX_BERICHT`: bytes of one request body (default 25 MB, the iStandaard's);
    - `REGELWERK_MAX_REGELTEKST`: bytes of rule text for `/v1/regels/valideer` (128 kB);
    - `REGELWERK_KOP_TIMEOUT`: seconds a connection may take to send a request's head (the
      request line and headers) before the server closes it (default 10);
    - `REGELWERK_BERICHT_TIMEOUT`: seconds a request may take to send its whole body once
      its head is in (default 60: 25 MB at well under 1 MB/s); then 408 and the connection
      is closed;
    - `REGELWERK_KEEP_ALIVE_TIMEOUT`: seconds an idle kept-alive connection stays open (5);
    - `REGELWERK_WERKBANK_LOGBOEK`: the folder of the workbench's audit trail (one file per
      region, outside the contract folders; default `var/werkbank` in the repository);
    - `REGELWERK_MAX_VERBINDINGEN`: open connections per worker process; above it a request
      gets 503 (default 200).
    """

    model_config = SettingsConfigDict(env_prefix="REGELWERK_", extra="ignore")

    database_url: str = f"sqlite:///{REPO / 'var' / 'regelwerk.sqlite'}"
    contracten: Path = REPO / "contracten"
    standaard: Path | None = None
    sleutels: Path | None = None
    backend: str = backends.STANDAARD
    max_bericht: int = MAX_BERICHT
    max_regeltekst: int = MAX_REGELTEKST
    herlaad_interval: float = 2.0
    kop_timeout: float = Field(default=10.0, gt=0)
    bericht_timeout: float = Field(default=60.0, gt=0)
    keep_alive_timeout: int = Field(default=5, ge=1)
    max_verbindingen: int = Field(default=200, ge=1)
    werkbank_logboek: Path = REPO / "var" / "werkbank"

    @field_validator("backend")
    @classmethod
    def _bekende_backend(cls, naam: str) -> str:
        backends.inschrijving(naam)  # an unknown name: refused with the registered ones
        return naam

    @property
    def open(self) -> bool:
        """True when no key file is configured: the service then only serves 127.0.0.1."""
        return self.sleutels is None
