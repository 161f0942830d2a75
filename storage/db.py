"""Engines and migrations: any SQLAlchemy URL, with SQLite tuned for a small always-on service."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError
from sqlalchemy.orm import Session

from laborwatch.storage.errors import DatabaseUnreachable, StorageError

STORAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = STORAGE_DIR / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# PostgreSQL: a server that never answers must not hang a run. Both can be set per database in
# the URL: ?connect_timeout=<seconds> (libpq's own) and ?statement_timeout=<milliseconds> (ours,
# applied with SET on every new connection; 0 turns it off).
POSTGRES_CONNECT_TIMEOUT_S = 10
POSTGRES_STATEMENT_TIMEOUT_MS = 120_000


class DatabaseURLError(StorageError, ValueError):
    """The database URL cannot be used; the message says why (without any password)."""


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def sqlite_busy_timeout_ms(url: str) -> int:
    """How long an SQLite writer waits for another process's lock: `?timeout=<seconds>` in the
    URL, else SQLITE_BUSY_TIMEOUT_MS."""
    value = make_url(url).query.get("timeout")
    if value is None:
        return SQLITE_BUSY_TIMEOUT_MS
    text = value if isinstance(value, str) else value[-1]
    try:
        seconds = float(text)
    except ValueError:
        raise DatabaseURLError(f"timeout must be seconds, got {text!r}") from None
    return max(0, int(seconds * 1000))


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for `url`. For SQLite files the parent folder is created and every
    connection gets WAL, foreign keys and a busy timeout; transactions that write take the write
    lock up front (BEGIN IMMEDIATE) so that two writers queue instead of failing mid-transaction."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseURLError(f"not a database URL: {exc}") from None
    if parsed.get_backend_name() != "sqlite":
        try:
            if parsed.get_backend_name() == "postgresql":
                return _postgres_engine(parsed, **kwargs)
            return create_engine(parsed, pool_pre_ping=True, **kwargs)
        except (ArgumentError, ImportError, ValueError) as exc:
            raise DatabaseURLError(
                f"cannot use database URL {parsed.render_as_string(hide_password=True)}: {exc}"
            ) from None

    path = _sqlite_path(url)
    if path is not None:
        folder = path.expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnreachable(
                f"database file {path}: cannot create its folder {folder} ({exc.strerror or exc})"
            ) from None
    busy_ms = sqlite_busy_timeout_ms(url)
    engine = create_engine(
        parsed.difference_update_query(["timeout"]),
        connect_args={"timeout": busy_ms / 1000},
        **kwargs,
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN is ours (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if path is not None:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A deferred transaction that reads and then writes can fail with "database is locked"
        # when another writer got in between; IMMEDIATE waits for the lock (busy timeout) instead.
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _postgres_engine(parsed: URL, **kwargs: Any) -> Engine:
    """A PostgreSQL engine with a connect timeout and a statement timeout (see above)."""
    query = dict(parsed.query)
    raw_statement = query.pop("statement_timeout", None)
    statement_ms = POSTGRES_STATEMENT_TIMEOUT_MS
    if raw_statement is not None:
        value = raw_statement if isinstance(raw_statement, str) else raw_statement[-1]
        if not value.isdigit():
            raise ValueError(f"statement_timeout must be milliseconds, got {value!r}")
        statement_ms = int(value)
    connect_args = dict(kwargs.pop("connect_args", {}))
    if "connect_timeout" not in query:
        connect_args.setdefault("connect_timeout", POSTGRES_CONNECT_TIMEOUT_S)
    engine = create_engine(
        parsed.set(query=query), pool_pre_ping=True, connect_args=connect_args, **kwargs
    )

    @event.listens_for(engine, "connect")
    def _timeouts(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET statement_timeout = {statement_ms}")
        cursor.close()
        dbapi_connection.commit()

    return engine


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config pointing at our migrations, independent of the caller's cwd."""
    config = Config(str(STORAGE_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # Percent signs (URL-encoded passwords) must be escaped for ConfigParser.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str, revision: str = "head", *, engine: Engine | None = None) -> None:
    """Bring the database at `url` to `revision` (default: the newest) with Alembic."""
    own_engine = engine is None
    engine = engine or make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if own_engine:
            engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def insert_ignoring_duplicates(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]]
) -> int:
    """Insert rows, silently skipping any that break a unique constraint; returns rows added.

    SQLite and PostgreSQL do it in one statement (ON CONFLICT DO NOTHING); other backends insert
    row by row inside savepoints."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert_fn = sqlite_insert if dialect == "sqlite" else postgresql_insert
        primary_key = next(iter(table.primary_key.columns))
        # RETURNING lists exactly the rows added; rowcount is not reliable for multi-row VALUES.
        statement = (
            insert_fn(table).values(list(rows)).on_conflict_do_nothing().returning(primary_key)
        )
        return len(session.execute(statement).all())
    added = 0
    for row in rows:
        try:
            with session.begin_nested():
                session.execute(table.insert().values(dict(row)))
            added += 1
        except IntegrityError:
            continue
    return added
