"""Alembic environment for the case store. borrower.casestore.migrate() runs it with an open
connection (config.attributes["connection"]); there is no alembic.ini."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True)  # batch: SQLite's ALTER TABLE
with context.begin_transaction():
    context.run_migrations()
