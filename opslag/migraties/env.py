"""Alembic's environment: always run from `opslag.migraties.migreer`, on the connection
(and inside the transaction) it hands over, so a failed migration leaves nothing behind."""

from alembic import context
from sqlmodel import SQLModel

import opslag.betalingen
import opslag.grootboek
import opslag.tabellen  # noqa: F401 - register the tables (autogenerate compares them)

verbinding = context.config.attributes["verbinding"]
context.configure(connection=verbinding, target_metadata=SQLModel.metadata,
                  render_as_batch=True)  # SQLite alters a table by copying it
with context.begin_transaction():
    context.run_migrations()
