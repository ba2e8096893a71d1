"""Paying the year (issue 15): payment models, advances, payments, settlement, risk sharing.

A layer above the store (`opslag`: the ledger, the payments) and below the commands and the
service. The computations are pure and exact (whole cents, `Fraction`s, named rounding);
what reads or writes the database is in `betalen.productie` and `betalen.betaalrun`.
"""
