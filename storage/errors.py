"""Database problems a person has to fix, as one readable line each (never with a password).

Storage raises these instead of driver exceptions where the cause is known, so the CLI can print
`str(exc)` and exit without a traceback."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, ProgrammingError


class StorageError(Exception):
    """The database cannot be used; the message says why, without any password."""


class DatabaseUnreachable(StorageError):
    """Connection refused, host unknown or not answering within the connect timeout."""


class DatabaseMissing(StorageError):
    """The server answered but the database (or role) does not exist."""


class DatabaseReadOnly(StorageError):
    """The database (file or server) does not accept writes."""


class DatabaseCorrupt(StorageError):
    """The file is not a database, or a damaged one."""


class DatabaseLocked(StorageError):
    """Another process held the database's write lock for longer than the wait allowed."""


class StatementTimeout(StorageError):
    """A statement ran longer than the configured statement timeout."""


# Errors that no retry of a single article or source can get past: the run stops with them.
FATAL_ERRORS: tuple[type[StorageError], ...] = (
    DatabaseReadOnly,
    DatabaseCorrupt,
    DatabaseUnreachable,
    DatabaseMissing,
)


_PATTERNS: tuple[tuple[tuple[str, ...], type[StorageError], str], ...] = (
    (("database is locked", "database table is locked"), DatabaseLocked,
     "the database is locked by another process (waited {wait}); try again when it is done"),
    (("readonly database", "read-only", "read only"), DatabaseReadOnly,
     "the database does not accept writes (read-only)"),
    (("file is not a database", "malformed", "disk image"), DatabaseCorrupt,
     "the database file is damaged or not an SQLite database"),
    (("unable to open database file",), DatabaseUnreachable,
     "cannot open the database file (missing folder or no permission)"),
    (("canceling statement due to statement timeout",), StatementTimeout,
     "a database statement ran longer than the statement timeout"),
    (("does not exist",), DatabaseMissing, "the database or role does not exist on the server"),
    (("password authentication failed", "no pg_hba.conf entry"), DatabaseUnreachable,
     "the database server refused the login"),
    (("connection refused", "could not connect", "timeout expired", "could not translate host",
      "name or service not known", "server closed the connection", "connection is bad",
      "connection timeout"), DatabaseUnreachable,
     "cannot reach the database server"),
)  # fmt: skip


def database_label(url: str) -> str:
    """How errors name a database: its file, or its URL without the password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"database file {parsed.database}"
    return f"database {parsed.render_as_string(hide_password=True)}"


def storage_error(exc: BaseException, where: str, *, wait: str = "30 s") -> StorageError | None:
    """The StorageError `exc` (a driver error) stands for, or None when it is not a known one.
    `where` names the database (redacted URL or file)."""
    if not isinstance(exc, DBAPIError) or isinstance(
        exc, IntegrityError | ProgrammingError | DataError
    ):
        return None  # a bug or bad data, not a database a person has to fix
    text = str(exc.orig if exc.orig is not None else exc).lower()
    for needles, kind, message in _PATTERNS:
        if any(needle in text for needle in needles):
            first_line = str(exc.orig).strip().splitlines()[0] if exc.orig else ""
            detail = f" ({first_line})" if first_line and kind is not DatabaseLocked else ""
            return kind(f"{where}: {message.format(wait=wait)}{detail}")
    return None
