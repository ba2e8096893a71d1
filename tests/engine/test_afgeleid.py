"""Derived data kept with a rule book (ir.Regelboek.afgeleid): worked out once, never part
of the book's value, never carried to a changed copy or another process."""

from __future__ import annotations

import copy
import pickle
from dataclasses import replace

from engine import ir


def _boek(hash_: str = "h") -> ir.Regelboek:
    return ir.Regelboek("boek", None, (), (), {}, {}, (), (), (), hash_, ())


def test_eenmaal_gemaakt() -> None:
    boek, gemaakt = _boek(), []
    for _ in range(3):
        assert boek.afgeleid.geef("x", lambda: gemaakt.append(1) or len(gemaakt)) == 1
    assert gemaakt == [1]


def test_geen_deel_van_de_waarde() -> None:
    boek = _boek()
    boek.afgeleid.zet("x", 1)
    assert boek == _boek() and "afgeleid" not in repr(boek)


def test_een_gewijzigde_kopie_begint_leeg() -> None:
    boek = _boek()
    boek.afgeleid.zet("plan", object())
    assert replace(boek, hash="ander").afgeleid.vind("plan") is None


def test_niet_mee_naar_een_ander_proces() -> None:
    boek = _boek()
    boek.afgeleid.zet("plan", lambda: None)  # not picklable: must not be pickled
    terug = pickle.loads(pickle.dumps(boek))
    assert terug == boek and terug.afgeleid.vind("plan") is None
    assert copy.deepcopy(boek).afgeleid.vind("plan") is None
