"""The running service's state: settings, database, rule books, keys, the engine parts."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from sqlalchemy import Engine

from api.instellingen import Instellingen
from api.logboek import Logboek
from api.motor import Motor, RegelsetFoutError
from api.regios import RegioRegister
from api.toegang import Toegang
from api.werkbank import Werkbank
from opslag.database import maak_engine

log = logging.getLogger("regelwerk.api")


@dataclass
class Dienst:
    instellingen: Instellingen
    motor: Motor
    engine: Engine
    register: RegioRegister
    toegang: Toegang
    werkbank: Werkbank
    _stop: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def start(cls, instellingen: Instellingen, motor: Motor) -> Dienst:
        """Open the database (creating it), read the keys, load every region."""
        toegang = Toegang.uit_bestand(instellingen.sleutels)
        engine = maak_engine(instellingen.database_url)
        register = RegioRegister(instellingen.contracten, instellingen.standaard,
                                 motor.laad_contract)
        register.laad_alle()
        werkbank = Werkbank(register, Logboek(instellingen.werkbank_logboek))
        dienst = cls(instellingen, motor, engine, register, toegang, werkbank)
        if instellingen.herlaad_interval > 0:
            threading.Thread(target=dienst._bewaak, daemon=True, name="herlaad").start()
        return dienst

    def stop(self) -> None:
        self._stop.set()
        self.engine.dispose()

    def _bewaak(self) -> None:
        """Reload regions whose files changed; a broken rule set leaves the old one in force."""
        while not self._stop.wait(self.instellingen.herlaad_interval):
            for naam in self.register.gewijzigd():
                try:
                    self.register.herlaad(naam)
                except RegelsetFoutError as err:
                    log.warning("regio %s: gewijzigde regelset geweigerd (%d fouten), de oude "
                                "blijft van kracht", naam, len(err.fouten))
                except Exception as err:  # the watcher must survive anything
                    log.error("regio %s: herladen mislukt (%s)", naam, type(err).__name__)
