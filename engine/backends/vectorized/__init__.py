"""Backend 'vectorized': every rule as Polars expressions over the whole werkset at once.

`compiler` turns IR expressions into exact Polars expressions (`rationaal`) with helper
steps (`opzoeking`, `aggregaat` over `groep`ings, `afwezigheid`, per-date columns in `datum`,
built-in `functies`); `plan` orders a rule book's steps; `backend` runs them.
"""
