"""Apprise reports failures through the `apprise` logger (loading a URL, in the caller's thread)
and, since Apprise 2, in the result of notify() (each service is sent from a worker thread, whose
log lines the result keeps). This turns both into redacted error strings for the caller, and keeps
secrets out of anyone else's logs."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus

from apprise import AppriseResult

from laborwatch.redaction import redact

APPRISE_LOGGER = "apprise"


class _RedactingFilter(logging.Filter):
    """Apprise's own secure logging misses URLs it cannot parse; mask them before any handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_filter_lock = threading.Lock()


def install_redacting_filter() -> None:
    """Idempotent: one redacting filter on the apprise logger for the whole process."""
    logger = logging.getLogger(APPRISE_LOGGER)
    with _filter_lock:
        if not any(isinstance(f, _RedactingFilter) for f in logger.filters):
            logger.addFilter(_RedactingFilter())


class _ThreadCollector(logging.Handler):
    """Keeps the records of one thread only, so concurrent sends never mix their errors."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__(level=logging.WARNING)
        self._thread = threading.get_ident()
        self._secrets = secrets
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self._thread:
            return
        text = " ".join(record.getMessage().split())
        if text:
            self.messages.append(redact(text, self._secrets))


# Apprise says why a connection failed only at DEBUG ("Socket Exception: … Connection refused");
# these words turn that into a reason a person reads, in this order.
_REASONS = (
    (re.compile(r"connection refused|errno 111|actively refused", re.I), "connection refused"),
    (re.compile(r"timed? ?out|timeout", re.I), "timed out"),
    (
        re.compile(r"name or service not known|nodename nor servname|getaddrinfo|resolve", re.I),
        "host not found",
    ),
    (re.compile(r"certificate|ssl", re.I), "TLS error"),
    (re.compile(r"authenticat|smtp auth|\b535\b|login", re.I), "login refused"),
    (re.compile(r"network is unreachable|no route to host", re.I), "network unreachable"),
)
_HTTP_STATUS = re.compile(r"error=(\d{3})")


def readable_reason(lines: list[str]) -> str:
    """One short reason from Apprise's log lines: "connection refused", "HTTP 500 Internal
    Server Error", or the first line as said."""
    text = " ".join(lines)
    status = _HTTP_STATUS.search(text)
    if status:
        code = int(status.group(1))
        try:
            return f"HTTP {code} {HTTPStatus(code).phrase}"
        except ValueError:
            return f"HTTP {code}"
    for pattern, reason in _REASONS:
        if pattern.search(text):
            return reason
    return lines[0] if lines else "no reason given"


class _SocketDetails(logging.Filter):
    """Hands Apprise's DEBUG "Socket Exception" lines to the collectors of this thread, and
    lets nothing else below WARNING through (other handlers see what they saw before)."""

    def __init__(self, collector: _ThreadCollector, passes_below: int) -> None:
        super().__init__()
        self._collector = collector
        self._passes_below = passes_below

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        if record.thread == threading.get_ident() and "exception" in record.getMessage().lower():
            text = " ".join(record.getMessage().split())
            self._collector.messages.append(redact(text, self._collector._secrets))
        return record.levelno >= self._passes_below


@contextmanager
def captured_apprise_errors(
    secrets: tuple[str, ...] = (), *, socket_details: bool = False
) -> Iterator[list[str]]:
    """Collect (redacted) warning and error lines Apprise logs in this thread while inside;
    with `socket_details`, also its DEBUG "Socket Exception" lines (the reason a connection
    failed), which nobody else's handlers get to see unless they did before."""
    install_redacting_filter()
    logger = logging.getLogger(APPRISE_LOGGER)
    collector = _ThreadCollector(secrets)
    logger.addHandler(collector)
    # Apprise logs its failures at WARNING; make sure they are produced even when the
    # application runs its root logger at ERROR. Lowering never hides anything.
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    details, level = None, logger.level
    if socket_details:
        details = _SocketDetails(collector, logger.getEffectiveLevel())
        logger.addFilter(details)
        logger.setLevel(logging.DEBUG)
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)
        if details is not None:
            logger.removeFilter(details)
            logger.setLevel(level)


_PROBLEM_LEVELS = frozenset({"WARNING", "ERROR", "CRITICAL"})


def result_problems(result: AppriseResult, secrets: tuple[str, ...] = ()) -> list[str]:
    """The warning and error lines an Apprise 2 notify() result captured, redacted, and its
    DEBUG "Socket Exception" lines: the only place Apprise says why a connection failed."""
    problems: list[str] = []
    for entry in result.logs():
        text = " ".join(str(entry.message).split())
        wanted = str(entry.level).upper() in _PROBLEM_LEVELS or "exception" in text.lower()
        if text and wanted:
            problems.append(redact(text, secrets))
    return problems
