"""Test-wide environment: keep Prefect local, quiet and offline; find a local PostgreSQL."""

import os
import socket

from sqlalchemy import create_engine, text

# An in-process `laborwatch run` sets up logging for a one-shot process: put it back after
# every test, so no test sees another's levels and handlers.
from tests.support.logging_state import restore_logging  # noqa: F401  (autouse)

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# Core code logs outside flow runs in unit tests; that is expected, not worth a warning each.
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
os.environ.pop("LABORWATCH_CONFIG", None)
os.environ.pop("LABORWATCH_NOTIFY_URLS", None)

POSTGRES_ENV = "LABORWATCH_TEST_POSTGRES_URL"
LOCAL_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POSTGRES_HINT = (
    f"no PostgreSQL: start one on 127.0.0.1:5432 (trust auth, database 'test') or set "
    f"{POSTGRES_ENV}=postgresql+psycopg://user@host:5432/db"
)


def _local_postgres_answers(url: str = LOCAL_POSTGRES_URL) -> bool:
    """True when a PostgreSQL server on 127.0.0.1:5432 accepts `url` (checked once per session:
    a closed port answers at once, an open one is asked for `SELECT 1`)."""
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            pass
    except OSError:
        return False
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception:
        return False
    return True


# `make test` on a machine with the server running uses it, as CI does; the variable still wins.
if not os.environ.get(POSTGRES_ENV) and _local_postgres_answers():
    os.environ[POSTGRES_ENV] = LOCAL_POSTGRES_URL
