"""Persistence of the service: SQLModel tables, the SQL `Historie`, and the store."""
