"""Fixtures for the alerts tests: hand-built developments and real local receivers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from apprise.plugins.slack import NotifySlack

from laborwatch.domain import Development
from tests.support.servers import LocalHTTPServer, SMTPInbox, http_server, smtp_inbox

MakeDev = Callable[..., Development]


def _development(**overrides: Any) -> Development:
    values: dict[str, Any] = {
        "kind": "changed",
        "subject": "Connecticut state employees",
        "metric": "layoff_notices",
        "unit": "people",
        "new_value": 5000.0,
        "approx": True,
        "text": "nearly 5,000 layoff notices",
        "sentence": "The administration has now sent nearly 5,000 layoff notices to unions.",
        "article_title": "Malloy sends more layoff notices",
        "article_url": "https://news.example.org/ct/layoff-notices",
        "published": datetime(2017, 5, 6, 12, 0, tzinfo=UTC),
        "source": "https://news.example.org/feed.xml",
        "old_value": 4000.0,
        "old_text": "more than 4,000 unionized workers",
        "old_approx": True,
        "watches": ["ct-budget"],
    }
    values.update(overrides)
    return Development(**values)


@pytest.fixture
def make_dev() -> MakeDev:
    return _development


@pytest.fixture
def new_dev() -> Development:
    return _development(
        kind="new",
        subject="Acme Foods",
        metric="layoffs",
        new_value=350.0,
        approx=False,
        text="350 workers",
        sentence="Acme Foods will lay off 350 workers at its Hartford plant.",
        article_title="Acme Foods to close Hartford plant",
        article_url="https://news.example.org/acme",
        old_value=None,
        old_text=None,
        old_approx=False,
        watches=[],
    )


@pytest.fixture
def inbox() -> Iterator[SMTPInbox]:
    with smtp_inbox() as server:
        yield server


@pytest.fixture
def web() -> Iterator[LocalHTTPServer]:
    with http_server() as server:
        yield server


@pytest.fixture
def slack_receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalHTTPServer]:
    """Slack's webhook endpoint is a class attribute of Apprise's plugin; point it at a real
    local receiver so the exact request Apprise would send to Slack can be inspected."""
    with http_server() as server:
        monkeypatch.setattr(NotifySlack, "webhook_url", server.url("/services"))
        yield server
