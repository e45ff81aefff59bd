"""Alembic environment: runs migrations on the connection bot.store.migrate hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bot.store.tables import Base

target_metadata = Base.metadata


def run_on(connection: Connection) -> None:
    """Run the pending migrations inside the caller's transaction."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Entry point Alembic calls; the connection comes from `alembic_config(connection)`."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through bot.store.migrate.upgrade(engine)")
    run_on(connection)


main()
