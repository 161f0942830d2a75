"""Apprise reports failures through the `apprise` logger (loading a URL, in the caller's thread)
and, since Apprise 2, in the result of notify() (each service is sent from a worker thread, whose
log lines the result keeps). This turns both into redacted error strings for the caller, and keeps
secrets out of anyone else's logs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

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


@contextmanager
def captured_apprise_errors(secrets: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """Collect (redacted) warning and error lines Apprise logs in this thread while inside."""
    install_redacting_filter()
    logger = logging.getLogger(APPRISE_LOGGER)
    collector = _ThreadCollector(secrets)
    logger.addHandler(collector)
    # Apprise logs its failures at WARNING; make sure they are produced even when the
    # application runs its root logger at ERROR. Lowering never hides anything.
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)


_PROBLEM_LEVELS = frozenset({"WARNING", "ERROR", "CRITICAL"})


def result_problems(result: AppriseResult, secrets: tuple[str, ...] = ()) -> list[str]:
    """The warning and error lines an Apprise 2 notify() result captured, redacted."""
    problems: list[str] = []
    for entry in result.logs():
        text = " ".join(str(entry.message).split())
        if text and str(entry.level).upper() in _PROBLEM_LEVELS:
            problems.append(redact(text, secrets))
    return problems
