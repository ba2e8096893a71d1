"""Fixtures of the year's money tests: a fresh database per test (SQLite and PostgreSQL)."""

from database_per_test import database_url  # noqa: F401
