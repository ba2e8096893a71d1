"""Forked helper processes: whether this machine and process may fork, and what a child does
first (its own signal handlers, ending with its parent). The allocation readers, the folder
listing and the workers all start through here."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


def kernen() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def gevraagde_werkers() -> int | None:
    """REGELWERK_WERKERS=n (for tests and measurements): 1 is one process, n > 1 that many
    workers whatever the size of the batch; unset (or not a number) is automatic."""
    try:
        return max(1, int(os.environ.get("REGELWERK_WERKERS", "")))
    except ValueError:
        return None


def fork_mogelijk() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and kernen() >= 2


def fork_veilig() -> bool:
    """Whether a forked child can use polars: not after polars started its thread pool (or
    its async runtime) here, as the child would wait forever for threads it does not have.
    Linux names threads in /proc; elsewhere we do not fork."""
    try:
        taken = os.listdir("/proc/self/task")
        namen = [Path(f"/proc/self/task/{t}/comm").read_text().strip() for t in taken]
    except OSError:
        return False
    return not any(n.startswith("tokio") or n.removeprefix("polars-").isdigit()
                   for n in namen)


def beeindigd(signum: int, _: object) -> None:
    """SIGTERM as an exit, so that `finally` blocks stop the helper processes."""
    raise SystemExit(128 + signum)


def bij_sigterm(handler: Any) -> Any:
    """Install a SIGTERM handler; the previous one (None where signals cannot be set)."""
    try:
        return signal.signal(signal.SIGTERM, handler)
    except (ValueError, TypeError):  # not the main thread, or no previous handler to restore
        return None


_UITGESTELD = {signal.SIGTERM, signal.SIGINT}


@contextmanager
def signalen_uitgesteld() -> Iterator[None]:
    """Around forking a helper: SIGTERM and SIGINT wait (blocked, which the child inherits)
    until the child has its own handlers (`als_hulpproces` unblocks them). Otherwise a
    signal that comes before that, say the parent stopping a helper it no longer needs,
    runs the parent's handler in the child in the middle of Python's after-fork work, and
    the child prints a traceback."""
    try:
        vorige = signal.pthread_sigmask(signal.SIG_BLOCK, _UITGESTELD)
    except (AttributeError, OSError, ValueError):  # no such call here: as before
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, vorige)


def als_hulpproces(ouder: int) -> None:
    """Start of a forked helper process: the parent's signal handlers are not its own (the
    parent stops a helper with SIGTERM and waits for it: it must simply end; Ctrl-C reaches
    the whole group, the parent handles it), and it must not outlive the parent (killed,
    say): Linux can send it a signal then. Elsewhere it ends at its next report to the
    gone parent."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    with suppress(AttributeError, OSError, ValueError):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _UITGESTELD)  # see signalen_uitgesteld
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != ouder:  # the parent died before the signal was asked for
        os._exit(1)


def foutnaam(fout: BaseException) -> str:
    """The kind of error, and with REGELWERK_FASEN=1 where it was raised (file and line:
    never a value, so never a BSN)."""
    naam = type(fout).__name__
    if os.environ.get("REGELWERK_FASEN") == "1" and fout.__traceback__ is not None:
        plek = traceback.extract_tb(fout.__traceback__)[-1]
        naam += f" in {Path(plek.filename).name}:{plek.lineno}"
    return naam


def stuur(zender: Connection, bericht: tuple[str, str]) -> None:
    with suppress(OSError, ValueError):  # the parent is gone: nobody to tell
        zender.send(bericht)


def spoel() -> None:
    """Flush before forking, so a child does not write this process's buffered output."""
    sys.stdout.flush()
    sys.stderr.flush()
