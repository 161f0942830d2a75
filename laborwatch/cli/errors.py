"""Every error a person can cause or meet ends in one clear line on stderr, never a traceback.

`LaborwatchGroup.invoke` wraps every command: an exception that escapes one is explained by
`explain` (a rule table over the database's and Prefect's messages) and printed, secrets
masked, as `error: …`; the exit code is 2 for a bad configuration, URL or option (fix what you
wrote) and 1 for a run that failed (the server is down, the file is read-only, every source
failed). `--debug` (or LABORWATCH_DEBUG=1) prints the traceback too, redacted as well.
"""

from __future__ import annotations

import re
import sys
import traceback
from collections.abc import Iterable
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

# Typer 0.29 carries its own copy of click; its usage errors are these classes, not click's.
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from laborwatch.redaction import credentials_of, redact, redact_url

err = Console(stderr=True)  # every command's stderr
BAD_INPUT = 2  # the configuration, a URL or an option must be fixed
RUN_FAILED = 1  # the run could not be done: a server, a file or every source failed

_DEBUG: list[bool] = [False]


def set_debug(on: bool) -> None:
    _DEBUG[0] = on


def debug_enabled() -> bool:
    """--debug (or LABORWATCH_DEBUG) was given: tracebacks are shown."""
    return _DEBUG[0]


# Values that must not appear in any message: the configured database, feed and Apprise URLs.
_SECRETS: set[str] = set()


def remember_secrets(values: Iterable[str | None]) -> None:
    """Values (URLs) whose credentials every message of this process must hide."""
    _SECRETS.update(v for v in values if v)


def known_secrets() -> tuple[str, ...]:
    return tuple(_SECRETS)


def redact_logs() -> None:
    """Every log handler of the process (Prefect's too, once imported) masks what the one
    redaction masks, and the secrets known so far."""
    from laborwatch.log_redaction import install_log_redaction

    install_log_redaction(_SECRETS, level=None)


# SQLAlchemy's decoration of a driver error: the statement, its parameters, a help link.
_DECORATION_RE = re.compile(r"^\s*(\[SQL:|\[parameters:|\(Background on this error)")


def clean(text: str) -> str:
    """`text` with every credential masked: the one redaction, with the configured secrets."""
    return redact(text, _SECRETS)


def one_line(text: str) -> str:
    """A message on one line: without SQLAlchemy's statement and parameters (data, not the
    reason), the remaining lines joined."""
    lines = [line.strip() for line in text.splitlines()]
    return " ".join(line for line in lines if line and not _DECORATION_RE.match(line))


# Database messages -> (what to tell, exit code). The first match wins; {0}, {1} … are the
# pattern's groups. Faults in what the URL names are the user's to fix (2); faults of a server
# or a file that exists are a failed run (1).
_DATABASE_RULES: tuple[tuple[re.Pattern[str], str, int], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), message, code)
    for pattern, message, code in (
        (r'role "([^"]*)" does not exist', 'PostgreSQL has no role "{0}"', BAD_INPUT),
        (
            r'database "([^"]*)" does not exist',
            'PostgreSQL has no database "{0}" (create it: createdb {0})',
            BAD_INPUT,
        ),
        (r"password authentication failed", "the password was refused", BAD_INPUT),
        (r'invalid port number: "?([^"\s]*)', 'invalid port "{0}"', BAD_INPUT),
        (r'bad value for "?(\w+)', "the URL has a bad value for {0}", BAD_INPUT),
        (r'invalid connection option "?(\w+)', "the URL has an unknown option {0}", BAD_INPUT),
        (r"failed to resolve host '([^']*)'", 'unknown host "{0}"', BAD_INPUT),
        (
            r"Connection refused",
            "connection refused: is the database server running at that host and port?",
            RUN_FAILED,
        ),
        (r"timeout expired|timed out", "the database server did not answer in time", RUN_FAILED),
        (
            r"file is not a database|database disk image is malformed",
            "the SQLite file is corrupt or not a database",
            RUN_FAILED,
        ),
        (r"readonly database|read-only", "the SQLite file is read-only", RUN_FAILED),
        (
            r"unable to open database file",
            "cannot open the SQLite file (a missing folder, or no permission)",
            RUN_FAILED,
        ),
        (r"database is locked", "the SQLite file is locked by another process", RUN_FAILED),
        (r"disk is full|disk I/O error", "the disk is full or failing", RUN_FAILED),
    )
)
_EPHEMERAL_TIMEOUT = (
    "the temporary Prefect server did not start in time (a busy machine?): run without "
    "--flow, or set PREFECT_API_URL to a running server (`prefect server start`)"
)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return type(exc).__name__


_DATABASE: list[str] = []


def remember_database(url: str) -> None:
    """The database this process uses: named (password hidden) in database errors."""
    _DATABASE[:] = [url]
    remember_secrets(credentials_of(url))


def explain_database(exc: BaseException) -> tuple[str, int]:
    """A SQLAlchemy / driver error as one line."""
    detail = _first_line(exc)
    detail = re.sub(r"^\([\w.]+\)\s*", "", detail)  # "(psycopg.OperationalError) …"
    prefix = f"database {redact_url(_DATABASE[0])}: " if _DATABASE else "database: "
    for pattern, message, code in _DATABASE_RULES:
        match = pattern.search(detail)
        if match:
            return prefix + message.format(*match.groups()), code
    return prefix + detail, RUN_FAILED


def explain(exc: BaseException) -> tuple[str, int]:
    """(one line, exit code) for an exception that escaped a command."""
    from laborwatch.settings import SettingsError

    if isinstance(exc, SettingsError):
        return str(exc), BAD_INPUT
    name = type(exc).__name__
    module = type(exc).__module__
    if name in ("DatabaseURLError", "TargetError", "SecretBlockError", "DeploymentSpecError"):
        return str(exc), BAD_INPUT
    if name == "AllSourcesFailed":
        return f"run failed: {exc}", RUN_FAILED
    kinds = {kind.__name__ for kind in type(exc).__mro__}
    if "StorageError" in kinds:  # storage's own (storage/errors.py): its message says it all
        return str(exc), BAD_INPUT if "DatabaseMissing" in kinds else RUN_FAILED
    if module.startswith(("sqlalchemy", "psycopg", "sqlite3")):
        return explain_database(exc)
    if isinstance(exc, RuntimeError) and "ephemeral Prefect API server" in str(exc):
        return _EPHEMERAL_TIMEOUT, RUN_FAILED
    if isinstance(exc, OSError) and exc.filename:
        reason = exc.strerror or name
        if isinstance(exc, FileExistsError | NotADirectoryError):
            reason = "not a folder (a file is in the way)"
        return f"{exc.filename}: {reason}", RUN_FAILED
    if isinstance(exc, MemoryError):
        return "out of memory", RUN_FAILED
    return (
        f"unexpected {name}: {_first_line(exc)} (run with --debug for the traceback)",
        RUN_FAILED,
    )


def print_error(message: str) -> None:
    """`error: <message>` on one line, credentials masked."""
    err.print(
        f"[red]error:[/red] {escape(clean(one_line(message)))}", highlight=False, soft_wrap=True
    )


class LaborwatchGroup(TyperGroup):
    """The app's group: commands run inside one handler that turns any exception into a line."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # `--debug` is the app's option, but people type it after the command too.
        if "--debug" in args[1:] and "--" not in args:
            args = ["--debug", *(a for a in args if a != "--debug")]
        return list(super().parse_args(ctx, args))

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        *,
        standalone_mode: bool = True,
        **kwargs: Any,
    ) -> Any:
        """Click's main, with a usage error (unknown option, missing argument, bad value) as one
        `error:` line and rc 2 instead of a boxed usage panel."""
        if not standalone_mode:
            return super().main(args, prog_name, standalone_mode=False, **kwargs)
        try:
            code = super().main(args, prog_name, standalone_mode=False, **kwargs)
        except NoArgsIsHelpError as exc:
            exc.show()  # `laborwatch` alone: the help
            sys.exit(exc.exit_code)
        except UsageError as exc:
            where = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
            print_error(one_line(exc.format_message()) + where)
            sys.exit(exc.exit_code)
        except ClickException as exc:
            print_error(one_line(exc.format_message()))
            sys.exit(exc.exit_code)
        except Abort:
            print_error("aborted")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (Exit, Abort, TyperException):  # exits, usage errors (rc 2), Ctrl-C
            raise
        except Exception as exc:  # everything else: explained, never a bare traceback
            if ctx.params.get("debug") or debug_enabled():
                trace = "".join(traceback.format_exception(exc))
                err.print(clean(trace), highlight=False, markup=False, soft_wrap=True)
            message, code = explain(exc)
            print_error(message)
            raise typer.Exit(code) from None
