"""`python -m api_server --port N`: the service with the stand-in engine under uvicorn, for
the tests that need a real server (and several processes on one database). Settings come
from the environment like the real service's; REGELWERK_TEST_VERTRAGING (seconds) makes each
assessment wait after reading the history, so races between workers would show.
REGELWERK_TEST_TEKEN names a file written when a stored message's answer is being written,
inside its transaction, after its lines were inserted; the process then waits a minute, so a
test can kill it at the worst moment."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

import uvicorn
from api_standin import StandInMotor

from api.main import maak_app


class TrageMotor(StandInMotor):
    def beoordeel(self, *args: Any, **kwargs: Any) -> Any:
        uitkomst = super().beoordeel(*args, **kwargs)
        time.sleep(float(os.environ.get("REGELWERK_TEST_VERTRAGING", "0")))
        return uitkomst

    def schrijf_jw325(self, *args: Any, **kwargs: Any) -> bytes:
        if teken := os.environ.get("REGELWERK_TEST_TEKEN"):
            Path(teken).write_text(str(os.getpid()))
            time.sleep(60)
        return super().schrijf_jw325(*args, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    poort = parser.parse_args().port
    uvicorn.run(maak_app(motor=TrageMotor()), host="127.0.0.1", port=poort, log_level="warning")


if __name__ == "__main__":
    main()
