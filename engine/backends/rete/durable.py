"""The only module that imports durable-rules (2.0.28): every quirk of it is handled here.

`Regelset` is one compiled durable ruleset in a host of its own, for one Regelboek version.
`Regelset.verwerk(feiten)` asserts the facts of one client in a fresh session, collects which
rule fired on which fact (by the fact's `rij`) and deletes the session again. Conditions are
durable's JSON form, built by `engine.rete`; this module checks them against the quirks below.

Quirks of durable-rules 2.0.28, measured here or listed in ONTWERP.md, and what we do:
1. An *event* fires at most one rule: rows are asserted as *facts*.
2. A fact that no rule matches raises MessageNotHandledException: every ruleset gets a
   catch-all rule (`_ALLE`), which also tells us that each fact really arrived (see 4).
3. At most 1024 live sessions per ruleset (the 1025th raises MemoryError, then a segfault):
   one session per client, deleted right after; never more than one alive.
4. Facts are told apart by a 32-bit hash: past ~40,000 live facts distinct facts are
   refused as duplicates. Sessions stay tiny (one client). When it happens anyway, the
   public `assert_facts` raises MessageObservedException while the other facts' actions
   stay pending, and deleting that session then segfaults (measured here): we call the
   native assert, always run the pending actions, and replay every fact the catch-all did
   not see, one fact per fresh session.
5. A rule on a field named `id` makes `post` hang: fields are prefixed, `id` is refused.
6. `$div` truncates integer division: conditions may not contain `$div` (rete precomputes).
7. `$nex` (field absent) makes the assert hang: absence is posted as a marker field and
   tested with `$ex`; `$nex` is refused.
8. Arithmetic on constants alone (`{"$add": {"$l": 2, "$r": 3}}`) never matches, and
   arithmetic over an absent field does not fail the comparison: rete folds constants and
   guards every field it reads with `$ex`.
9. A rule whose condition has `$or` fires once per matching branch: firings are a set.
10. Exceptions inside actions are swallowed: actions only append to a list; a failure is
    recorded and raised after the assert.
11. A host starts two timer threads that run forever, and a ruleset cannot be replaced or
    deleted through the public API: `_StilleHost` starts no threads, each Regelboek version
    gets its own host, and `Regelset.sluit` frees the native ruleset when it retires.
12. Every call holds the GIL and the native engine is not re-entrant: one lock per ruleset.
13. Numbers are int64 or double: only ints, texts and booleans are posted (rete encodes
    dates as ordinals and never posts a fraction).
14. Each action call costs a JSON round trip of the session state (~0.1 ms): rules get
    `cap`, so one call receives all of a session's matches of that rule.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import durable_rules_engine as _native
from durable import engine as _engine

Conditie = dict[str, Any]
"""A durable condition in its JSON form, e.g. {"$gt": {"v_volume": 10}}."""

Feit = dict[str, Any]
"""A fact: `rij` plus prefixed fields; ints, texts and booleans only."""

ALTIJD: Conditie = {"$ex": {"rij": 1}}
"""A condition every fact meets (each fact carries its `rij`)."""

_ALLE = "__alle__"
_KAP = 100_000
"""At most this many matches of one rule per action call (far above a client's lines)."""
_VERBODEN_OPERATOREN = ("$div", "$nex")
_sessies = itertools.count()


class DurableError(Exception):
    """durable-rules failed or misbehaved while assessing a client's rows."""


class RegelsetGeslotenError(DurableError):
    """The ruleset was retired (a newer Regelboek version pushed it out) while in use."""


class _StilleHost(_engine.Host):  # type: ignore[misc]
    """A host without the background dispatch/timer threads (quirk 11): we call it
    synchronously and use no timers, so a host per rule-set version costs no threads."""

    def _run(self) -> None:
        return None


def _controleer(conditie: object, pad: str = "") -> None:
    """Refuse what hangs or miscalculates in durable (quirks 5, 6, 7)."""
    if isinstance(conditie, dict):
        for sleutel, waarde in conditie.items():
            if sleutel in _VERBODEN_OPERATOREN or sleutel == "id":
                raise DurableError(f"conditie gebruikt '{sleutel}' ({pad or 'top'})")
            _controleer(waarde, f"{pad}/{sleutel}")
    elif isinstance(conditie, list):
        for deel in conditie:
            _controleer(deel, pad)


class Regelset:
    """One durable ruleset for one Regelboek version: rule key -> condition over one fact."""

    def __init__(self, naam: str, condities: Mapping[str, Conditie]) -> None:
        for sleutel, conditie in condities.items():
            if sleutel == _ALLE:
                raise DurableError(f"regelnaam '{_ALLE}' is gereserveerd")
            _controleer(conditie, sleutel)
        self.naam = naam
        self._slot = threading.Lock()
        self._treffers: list[tuple[int, str]] = []
        self._fouten: list[str] = []
        # quirk 14: with `cap` an action gets all of a session's matches in one call
        definitie: dict[str, Any] = {
            sleutel: {"all": [{"m": conditie}], "run": self._actie(sleutel), "cap": _KAP}
            for sleutel, conditie in condities.items()
        }
        definitie[_ALLE] = {"all": [{"m": ALTIJD}], "run": self._actie(_ALLE), "cap": _KAP}
        self._host = _StilleHost()
        self._host.register_rulesets({naam: definitie})
        self._gesloten = False

    def _actie(self, sleutel: str) -> Callable[[Any], None]:
        def actie(c: Any) -> None:
            # quirk 10: an exception here would vanish, so nothing here may raise unseen
            try:
                feiten = c.m if isinstance(c.m, list) else [c.m]
                self._treffers.extend((int(f["rij"]), sleutel) for f in feiten)
            except Exception as fout:  # recorded here, raised after the assert
                self._fouten.append(f"{sleutel}: {fout!r}")

        return actie

    def verwerk(self, feiten: Sequence[Feit]) -> set[tuple[int, str]]:
        """Assert one client's facts in a fresh session: the (rij, rule key) pairs that fired."""
        if not feiten:
            return set()
        with self._slot:
            if self._gesloten:
                raise RegelsetGeslotenError(f"regelset {self.naam} is al gesloten")
            gezien, treffers = self._in_sessie(feiten)
            ontbrekend = {int(f["rij"]) for f in feiten} - gezien
            if ontbrekend:
                # quirk 4: facts refused as duplicates; each alone cannot collide
                for feit in feiten:
                    if int(feit["rij"]) in ontbrekend:
                        treffers |= self._alleen(feit)
        return treffers

    def _alleen(self, feit: Feit) -> set[tuple[int, str]]:
        gezien, treffers = self._in_sessie([feit])
        if int(feit["rij"]) not in gezien:
            raise DurableError(f"durable-rules nam feit {feit['rij']} niet aan")
        return treffers

    def _in_sessie(self, feiten: Sequence[Feit]) -> tuple[set[int], set[tuple[int, str]]]:
        sid = f"s{next(_sessies)}"
        self._treffers, self._fouten = [], []
        try:
            self._bevestig([{**f, "sid": sid} for f in feiten])
        finally:
            self._verwijder_sessie(sid)
        if self._fouten:
            raise DurableError("; ".join(self._fouten))
        gezien = {rij for rij, sleutel in self._treffers if sleutel == _ALLE}
        return gezien, {(rij, s) for rij, s in self._treffers if s != _ALLE}

    def _bevestig(self, feiten: list[Feit]) -> None:
        """Assert facts and run the actions they trigger.

        Quirk 4: when durable takes a fact for a duplicate, the public `assert_facts` raises
        MessageObservedException but the other facts are asserted and their actions left
        pending; deleting the session then segfaults. So we call the native assert, and
        run the pending actions whatever it says; the catch-all's record shows what arrived."""
        regelset = self._host.get_ruleset(self.naam)
        tekst = json.dumps(feiten, ensure_ascii=False)
        code, toestand = _native.assert_facts(regelset._handle, tekst)
        if code not in (0, 2):  # 1: not handled (the catch-all rules that out), 3: no actions
            return
        fouten: list[object] = []
        regelset.do_actions(toestand, lambda fout, _: fouten.append(fout) if fout else None)
        self._fouten.extend(f"actie: {fout!r}" for fout in fouten)

    def _verwijder_sessie(self, sid: str) -> None:
        # quirk 3: at most 1024 live sessions; the facts go with the session
        try:
            self._host.delete_state(self.naam, sid)
        except Exception as fout:
            raise DurableError(f"sessie {sid} kon niet worden verwijderd: {fout}") from fout

    def sluit(self) -> None:
        """Free the native ruleset (quirk 11); the Regelset cannot be used afterwards."""
        with self._slot:
            if self._gesloten:
                return
            self._gesloten = True
            regelset = self._host.get_ruleset(self.naam)
            _native.delete_ruleset(regelset._handle)

    def definitie_json(self) -> str:
        """The ruleset as durable sees it (for debugging and tests)."""
        return json.dumps(self._host.get_ruleset(self.naam).get_definition(), default=str)


def iter_condities(conditie: object) -> Iterator[str]:
    """Every operator and field name in a condition (tests use it to check the quirks)."""
    if isinstance(conditie, dict):
        for sleutel, waarde in conditie.items():
            yield sleutel
            yield from iter_condities(waarde)
    elif isinstance(conditie, list):
        for deel in conditie:
            yield from iter_condities(deel)
