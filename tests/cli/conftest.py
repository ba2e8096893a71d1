"""Fixtures of the CLI tests: a fresh database per test for --database
(tests/hulp/database_per_test.py)."""

from database_per_test import database_url  # noqa: F401
