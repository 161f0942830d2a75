"""Fixtures for the ingest tests: a real local HTTP server and fetchers that may reach it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from laborwatch.ingest.http import Fetcher
from tests.support.servers import LocalHTTPServer, http_server

TEST_USER_AGENT = "laborwatch-tests/0.1 (+https://github.com/laborwatch/laborwatch)"


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
    with http_server() as running:
        yield running


@pytest.fixture
def make_fetcher() -> Iterator[Callable[..., Fetcher]]:
    """Fetchers allowed to reach 127.0.0.1 only, fast by default; closed after the test."""
    made: list[Fetcher] = []

    def factory(**overrides: Any) -> Fetcher:
        options: dict[str, Any] = {
            "user_agent": TEST_USER_AGENT,
            "connect_timeout": 2,
            "total_timeout": 5,
            "retries": 0,
            "host_spacing": 0,
            "allowed_networks": ("127.0.0.1/32",),
        }
        options.update(overrides)
        fetcher = Fetcher(**options)
        made.append(fetcher)
        return fetcher

    yield factory
    for fetcher in made:
        fetcher.close()


@pytest.fixture
def fetcher(make_fetcher: Callable[..., Fetcher]) -> Fetcher:
    return make_fetcher()
