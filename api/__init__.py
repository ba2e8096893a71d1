"""The invoice-checking service (FastAPI) and its persistence (SQLModel)."""
