"""Alembic environment: runs on a connection handed in by storage.db.upgrade_database, or on a
URL from `-x url=...` / sqlalchemy.url when used from the alembic command line."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from laborwatch.storage.db import make_engine
from laborwatch.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode recreates the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Two processes starting on an empty database must not both create the tables.
            connection.execute(text("SELECT pg_advisory_xact_lock(7461626)"))
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give the database URL: alembic -x url=<sqlalchemy url> ...")
    engine = make_engine(url)
    try:
        with engine.begin() as connection_:
            _configure_and_run(connection_)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) mode is not supported; run against a database")
run_migrations_online()
