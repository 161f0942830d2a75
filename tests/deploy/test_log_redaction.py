"""The redacting log filter: what any handler (Prefect's API handler included) receives has its
Apprise URLs and given secrets masked, for our loggers' children and for tracebacks too."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from laborwatch.log_redaction import OUR_LOGGERS, RedactingFilter, install_log_redaction

SLACK = "slack://T1A2B3C4D/B5E6F7G8H/aBcDeFgHiJkLmNoPqRsTuVwX/#labor"
MAIL = "mailtos://newsroom:Hunter2Secret@example.org?to=desk@example.org"


@pytest.fixture(autouse=True)
def uninstall_afterwards() -> Iterator[None]:
    """The filter is process-wide: take it off again so other packages' log tests see raw logs."""
    levels = {name: logging.getLogger(name).level for name in OUR_LOGGERS}
    yield
    installed = install_log_redaction()  # the one process-wide filter
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        for handler in getattr(logger, "handlers", []):
            handler.removeFilter(installed)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture()
def captured() -> Iterator[io.StringIO]:
    """A real stream handler on a logger of ours, removed afterwards."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    parent = logging.getLogger("alerts")
    parent.addHandler(handler)
    old_level = parent.level
    parent.setLevel(logging.NOTSET)
    try:
        yield stream
    finally:
        parent.removeHandler(handler)
        parent.setLevel(old_level)


def test_child_logger_messages_and_tracebacks_are_redacted(captured: io.StringIO) -> None:
    install_log_redaction()
    child = logging.getLogger("alerts.send.e2e")  # a child: logger-level filters would miss it
    child.warning("delivery to %s failed", SLACK)
    try:
        raise ConnectionError(f"cannot reach {MAIL}")
    except ConnectionError:
        child.exception("target broken")
    text = captured.getvalue()
    assert "delivery to slack://" in text and "target broken" in text
    assert "ConnectionError: cannot reach mailtos://" in text
    for secret in ("aBcDeFgHiJkLmNoPqRsTuVwX", "Hunter2Secret", "T1A2B3C4D"):
        assert secret not in text


def test_explicit_secrets_are_masked_wherever_they_appear(captured: io.StringIO) -> None:
    install_log_redaction(secrets=["plain-token-value"])
    logging.getLogger("alerts").error("config said plain-token-value somewhere")
    assert "plain-token-value" not in captured.getvalue()
    assert "config said *** somewhere" in captured.getvalue()


def test_install_is_idempotent_and_gives_our_loggers_info_level() -> None:
    first = install_log_redaction()
    second = install_log_redaction()
    assert first is second
    root_handlers = logging.getLogger().handlers
    assert all(h.filters.count(first) == 1 for h in root_handlers)
    for name in OUR_LOGGERS:
        assert logging.getLogger(name).getEffectiveLevel() <= logging.INFO


def test_a_bad_format_string_still_reaches_the_handler() -> None:
    record = logging.LogRecord("flows", logging.INFO, __file__, 1, "%d items", ("x",), None)
    assert RedactingFilter().filter(record) is True
