"""Hostile text and unresponsive databases.

Before issue #13 a NUL character made PostgreSQL refuse the figure insert, and the per-article
fallback stored the article without its figures, never to retry them; text with undecodable
bytes (lone surrogates) could not be stored at all; and a PostgreSQL host that never answers
hung the run (no connect timeout, no statement timeout)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from laborwatch.domain import Article, ArticleAnalysis, Figure
from laborwatch.storage import Store
from tests.reliability.conftest import Hook, config_file, run_cli, scalar
from tests.support.servers import LocalHTTPServer

HOSTILE = "Acme\x00 Mills will lay off 120 workers, the union said \udcff\ud800."


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url_factory: Callable[[], str]
) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lw.db'}"
    return postgres_url_factory()


@pytest.fixture
def postgres_url_factory(request: pytest.FixtureRequest) -> Iterator[Callable[[], str]]:
    """The PostgreSQL fixture, taken only by the postgresql variant (SQLite runs without it)."""
    if getattr(request, "param", None) is None and "postgresql" not in request.node.name:
        yield lambda: ""
        return
    yield request.getfixturevalue("postgres_url")


def test_nul_and_undecodable_text_is_cleaned_and_every_figure_stored(db_url: str) -> None:
    figure = Figure(
        text="120\x00 workers",
        value=120.0,
        unit="people",
        metric="layoffs",
        approx=False,
        sentence=HOSTILE,
        start=0,
        end=12,
        subject="Acme\x00 Mills\udcff",
    )
    article = Article(
        source="https://feed.example.org/rss\x00",
        title="Acme\x00 cuts \ud800",
        text=HOSTILE,
        url="https://news.example.org/acme",
        summary="\x00",
        raw=HOSTILE,
    )
    with Store.open(db_url) as store:
        [stored] = store.store_articles([(article, ArticleAnalysis(True, [figure]))])
        assert stored.outcome.is_new and len(stored.developments) == 1
        [dev] = store.list_developments()
        assert "\x00" not in dev.subject + dev.sentence + dev.text + dev.article_title
        assert dev.subject == "Acme Mills\ufffd"
        assert store.counts()["figures"] == 1
        [(article_id, stored_article)] = list(store.iter_articles_for_reextract())
        assert "\x00" not in stored_article.text and "\ud800" not in stored_article.text
        assert store.article_figures(article_id) == [
            ("Acme Mills\ufffd", "layoffs", "people", 120.0)
        ]


def test_a_feed_with_nul_bytes_on_postgresql_stores_every_figure(
    tmp_path: Path, hook_server: LocalHTTPServer, postgres_url: Callable[[], str]
) -> None:
    db_url = postgres_url()
    folder = tmp_path / "articles"
    folder.mkdir()
    # The NUL comes after the first 4 kB (a NUL up front makes the file "binary" and refused).
    padding = b"The council met on Monday to discuss the budget for the coming year. " * 64
    (folder / "acme.txt").write_bytes(
        b"Acme Mills cuts jobs\n\n" + padding + b"\n\nAcme Mills will lay off 120 workers\x00 "
        b"at its plant in Springfield, the union said \xff\xfe on Monday.\n"
    )
    hook = Hook(hook_server)
    config = config_file(
        tmp_path / "laborwatch.toml", db_url=db_url, sources=[str(folder)], urls=[hook.url]
    )
    result = run_cli("run", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert scalar(db_url, "SELECT count(*) FROM articles") == 1
    assert scalar(db_url, "SELECT count(*) FROM figures") >= 1
    assert scalar(db_url, "SELECT count(*) FROM alert_outbox WHERE status = 'sent'") >= 1


def test_a_postgresql_server_that_never_answers_fails_within_the_connect_timeout() -> None:
    from laborwatch.storage.errors import DatabaseUnreachable, StorageError

    # A socket that listens but never speaks: the TCP connection opens, the handshake hangs.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        url = f"postgresql+psycopg://laborwatch:s3cret@127.0.0.1:{port}/lw?connect_timeout=1"
        started = time.monotonic()
        with pytest.raises(DatabaseUnreachable) as caught:
            Store.open(url)
        assert time.monotonic() - started < 10
    message = str(caught.value)
    assert isinstance(caught.value, StorageError) and "s3cret" not in message
    assert "cannot reach the database server" in message


def test_a_statement_longer_than_the_statement_timeout_is_cancelled(
    postgres_url: Callable[[], str],
) -> None:
    url = postgres_url()
    Store.open(url).close()  # the schema, under the default timeout
    with Store(url + "?statement_timeout=200") as store:
        started = time.monotonic()
        with (
            pytest.raises(OperationalError, match="statement timeout"),
            store.engine.connect() as connection,
        ):
            connection.execute(text("SELECT pg_sleep(5)"))
        assert time.monotonic() - started < 4
