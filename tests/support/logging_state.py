"""In-process CLI runs configure logging for a one-shot process (a stderr handler and levels on
our loggers, the redacting filter on every handler); tests put it back as it was."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from laborwatch.log_redaction import OUR_LOGGERS, install_log_redaction


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    saved = {
        name: (lg.level, list(lg.handlers), lg.propagate)
        for name in OUR_LOGGERS
        for lg in [logging.getLogger(name)]
    }
    yield
    for name, (level, handlers, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.handlers[:] = handlers
        logger.propagate = propagate
    installed = install_log_redaction(level=None)
    for known in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        for handler in getattr(known, "handlers", []):
            handler.removeFilter(installed)
