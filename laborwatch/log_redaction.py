"""Our modules' log records in the Prefect run's log view, with no secret in any of them.

Prefect forwards the loggers named in PREFECT_LOGGING_EXTRA_LOGGERS to the API (the run's log
view); `install_log_redaction` makes sure what reaches any handler, there or on the console, has
its Apprise URLs and tokens masked. Call it once per process after Prefect configured logging,
e.g. at the start of the flow; calling it again only adds secrets.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from laborwatch.redaction import redact

# Loggers of our own packages (module loggers and the "laborwatch.*" ones).
OUR_LOGGERS: tuple[str, ...] = ("laborwatch", "flows", "alerts", "storage", "ingest", "parsers")
# What PREFECT_LOGGING_EXTRA_LOGGERS names: ours, plus Apprise, whose delivery failures are
# the ones a person looking at a run needs to see.
EXTRA_LOGGERS: tuple[str, ...] = (*OUR_LOGGERS, "apprise")


class RedactingFilter(logging.Filter):
    """Masks credentials in a record's message, traceback and stack before any handler formats
    it. A filter on the handler, not the logger: logger filters miss child loggers' records."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: frozenset[str] = frozenset(s for s in secrets if s)
        self._lock = threading.Lock()

    @property
    def secrets(self) -> frozenset[str]:
        return self._secrets

    def add_secrets(self, secrets: Iterable[str]) -> None:
        with self._lock:
            self._secrets = self._secrets | {s for s in secrets if s}

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = self._secrets
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: let the handler report it as usual
            return True
        cleaned = redact(message, secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set, so the traceback is redacted once here.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, secrets)
        return True


_FILTER = RedactingFilter()
_install_lock = threading.Lock()


def _all_handlers() -> list[logging.Handler]:
    loggers: list[logging.Logger] = [logging.getLogger()]
    loggers += [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    seen: dict[int, logging.Handler] = {}
    for lg in loggers:
        for handler in lg.handlers:
            seen.setdefault(id(handler), handler)
    return list(seen.values())


def redaction_secrets() -> frozenset[str]:
    """The secrets given to `install_log_redaction` so far in this process (e.g. the run's
    Apprise URLs), for redacting what leaves by other ways than a log (artifacts, events)."""
    return _FILTER.secrets


def install_log_redaction(
    secrets: Iterable[str] = (), level: int | None = logging.INFO
) -> RedactingFilter:
    """Put the redacting filter on every handler configured in this process (Prefect's API and
    console handlers included) and let our loggers' INFO records through.

    `secrets`: values to mask wherever they appear (e.g. the configured Apprise URLs), on top
    of the rules of `laborwatch.redaction`; `level=None` leaves the loggers' levels alone.
    Returns the (process-wide) filter."""
    with _install_lock:
        _FILTER.add_secrets(secrets)
        for handler in _all_handlers():
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
        # Prefect gives extra loggers its handlers but not a level: without one they inherit
        # the root's WARNING and a run's log view would miss our progress messages.
        for name in OUR_LOGGERS:
            logger = logging.getLogger(name)
            if level is not None and logger.level == logging.NOTSET:
                logger.setLevel(level)
    return _FILTER


class _WithoutTraceback(logging.Formatter):
    """Formats a record as `inner` does, minus its traceback and stack: for a person's
    console, where one line says what failed; the run's log view keeps the traceback."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            return self.inner.format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def hide_console_tracebacks() -> None:
    """Console handlers (stream handlers on stderr/stdout, Prefect's included) stop printing
    tracebacks; handlers that ship records elsewhere (Prefect's API, files) are untouched."""
    for handler in _all_handlers():
        console = isinstance(handler, logging.StreamHandler)
        if not console or isinstance(handler, logging.FileHandler):
            continue
        if not isinstance(handler.formatter, _WithoutTraceback):
            handler.setFormatter(_WithoutTraceback(handler.formatter))
