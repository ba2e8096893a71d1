"""Settings for the whole suite (tests/ and contracten/).

Property tests judge behaviour, not speed (speed lives in bench/): no per-example deadline
and no too-slow health check, so a busy 2-core CI machine cannot turn them flaky.
"""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "regelwerk", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("regelwerk")


def pytest_terminal_summary(terminalreporter: object) -> None:
    """Name the folder of the browser tests' screenshots at the end of the report."""
    from browsertest import meld_schermafdrukken  # tests/hulp: on the pythonpath (pyproject)

    meld_schermafdrukken(terminalreporter.write_line)  # type: ignore[attr-defined]


def pytest_sessionstart(session: object) -> None:
    """The screenshots of this run only: the controller (not an xdist worker) clears them."""
    if not hasattr(session.config, "workerinput"):  # type: ignore[attr-defined]
        from browsertest import SCHERMAFDRUKKEN

        for oud in SCHERMAFDRUKKEN.glob("*.png"):
            oud.unlink()
