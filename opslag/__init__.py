"""The store: SQLModel tables on SQLite or PostgreSQL, the SQL `Historie`, and the writes.

Below `batch/` so that the service and the CLI (`--database`) write one store."""
