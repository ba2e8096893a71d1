"""How the service runs under uvicorn: a deadline for the request head, an access log
without query strings, and the checks before it starts (`regelwerk serve` calls these).

uvicorn has a keep-alive timeout and a concurrency limit, but no limit on how long a client
may take to send a request's head: a connection that sends half a request line and then
nothing stays open for ever, and a few thousand of those exhaust the server. `KopTijdslimiet`
(uvicorn's h11 protocol, passed as `http=`) closes a connection whose request head is not
complete within REGELWERK_KOP_TIMEOUT seconds of the connection or of the previous answer.
The access log shows paths without their query string (`?regio=` may carry anything).
"""

from __future__ import annotations

import asyncio
import copy
import ipaddress
import logging
from functools import cache
from typing import Any

import h11
import uvicorn
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.instellingen import Instellingen
from api.toegang import SleutelbestandError, lees_sleutels
from opslag.database import VerouderdSchemaError, maak_engine

LOKAAL = "127.0.0.1"


class StartFoutError(Exception):
    """The service cannot start: the key file or the database is unusable (Dutch)."""


def is_lokaal(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def draai(instellingen: Instellingen, adres: str, port: int, workers: int) -> None:
    """The service (api.main:app) under uvicorn, with the limits of `instellingen`."""
    uvicorn.run("api.main:app", host=adres, port=port, workers=workers, log_level="info",
                log_config=logconfig(), http=KopTijdslimiet,
                timeout_keep_alive=instellingen.keep_alive_timeout,
                limit_concurrency=instellingen.max_verbindingen)


@cache
def _kop_timeout() -> float:
    return Instellingen().kop_timeout


class KopTijdslimiet(H11Protocol):
    """uvicorn's h11 protocol with a deadline for the request head: armed when the connection
    opens and after every answer, cancelled once a complete head has arrived; a byte now and
    then does not move it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kop_timeout = _kop_timeout()
        self._kop_termijn: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._wacht_op_kop()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_termijn()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:
            self._stop_termijn()  # the head is in: the request is now the app's

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._wacht_op_kop()

    def _wacht_op_kop(self) -> None:
        self._stop_termijn()
        self._kop_termijn = self.loop.call_later(self.kop_timeout, self._kop_te_laat)

    def _stop_termijn(self) -> None:
        if self._kop_termijn is not None:
            self._kop_termijn.cancel()
            self._kop_termijn = None

    def _kop_te_laat(self) -> None:
        self._kop_termijn = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.logger.debug("verbinding gesloten: geen volledige verzoekkop binnen %g s",
                              self.kop_timeout)
            self.transport.close()


class ZonderQueryString(logging.Filter):
    """uvicorn's access log line with the path only: the query string may hold a BSN."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def logconfig() -> dict[str, Any]:
    """uvicorn's logging, plus the service's own logger (which never logs a BSN); access
    lines without query strings."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["regelwerk"] = {"handlers": ["default"], "level": "INFO",
                                      "propagate": False}
    config.setdefault("filters", {})["zonder_query"] = {"()": ZonderQueryString}
    config["handlers"]["access"]["filters"] = ["zonder_query"]
    return config


def controleer_vooraf(instellingen: Instellingen) -> None:
    """StartFoutError, with a Dutch sentence instead of a traceback, when the key file or
    the database is unusable."""
    try:
        if instellingen.sleutels is not None:
            lees_sleutels(instellingen.sleutels)
        maak_engine(instellingen.database_url).dispose()
    except (SleutelbestandError, VerouderdSchemaError) as err:
        raise StartFoutError(str(err)) from None
    except (SQLAlchemyError, OSError) as err:
        raise StartFoutError(f"de database {zonder_wachtwoord(instellingen.database_url)} is "
                             f"niet bruikbaar ({type(err).__name__}).") from None


def zonder_wachtwoord(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
