"""Fixtures of the store tests: a fresh database per test (tests/hulp/database_per_test.py)."""

from database_per_test import database_url  # noqa: F401
