"""Test data: generated regions, allocations and declaration months for tests and the
bench. Not part of the shipped engine."""
