"""The flow's plain-Python steps: ordering for the diff, source-health notices to operators."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from laborwatch.alerts.targets import load_targets
from laborwatch.domain import Article, FetchState
from laborwatch.ingest.health import record_failure
from laborwatch.ingest.sources import SourceBatch
from laborwatch.pipeline.steps import (
    SourceRead,
    health_notices,
    notify_operators,
    pending_in_diff_order,
)
from laborwatch.settings import SourceConfig
from tests.support.servers import http_server

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)


def _article(title: str, published: datetime | None, position: int) -> Article:
    return Article(source="s", title=title, text=title, published=published, position=position)


def test_articles_are_diffed_in_publish_order_then_source_order() -> None:
    first = SourceBatch("a", [_article("a-late", NOW, 0), _article("a-undated", None, 1)], [], None)
    second = SourceBatch(
        "b",
        [
            _article("b-early", NOW - timedelta(days=1), 0),
            _article("b-undated", None, 1),
            _article("b-known", NOW - timedelta(days=2), 2),
        ],
        [],
        None,
    )
    reads = [
        SourceRead(0, SourceConfig(location="a"), first),
        SourceRead(1, SourceConfig(location="b"), second, known={2}),
        SourceRead(2, SourceConfig(location="c"), None, skipped="backing off"),
    ]
    ordered = [p.article.title for p in pending_in_diff_order(reads)]
    assert ordered == ["b-early", "a-late", "a-undated", "b-undated"]


def test_operators_hear_once_when_a_source_is_paused() -> None:
    state: FetchState | None = None
    heard = []
    for _ in range(6):
        after = record_failure(state, NOW, kind="hard", message="HTTP 404", status=404)
        heard += health_notices("Gone feed", state, after, NOW, [])
        state = after
    assert len(heard) == 1
    assert "Gone feed: paused until" in heard[0] and "HTTP 404" in heard[0]


def test_operators_hear_when_a_source_goes_silent() -> None:
    published = [NOW - timedelta(days=30 + d) for d in range(5)]  # daily, until a month ago
    before = FetchState(last_fetched_at=NOW - timedelta(hours=1), last_new_entry_at=published[0])
    after = FetchState(last_fetched_at=NOW, last_new_entry_at=published[0])
    notices = health_notices("Quiet feed", None, after, NOW, published)
    assert notices and "went silent" in notices[0]
    # already silent at the previous fetch: no repeat
    assert health_notices("Quiet feed", before, after, NOW, published) == []


def test_operator_notices_reach_their_own_target_and_failures_are_reported() -> None:
    with http_server() as receiver:
        ok_target = load_targets([f"json://127.0.0.1:{receiver.port}/ops"])
        assert notify_operators(ok_target, ["Gone feed: paused"], "run-1") == []
        posts = receiver.posts()
        assert len(posts) == 1 and "Gone feed: paused" in json.loads(posts[0].body)["message"]
        receiver.post_status = 503
        errors = notify_operators(ok_target, ["Gone feed: paused"], "run-2")
        assert len(errors) == 1 and errors[0].kind == "notify"


def test_a_local_feed_file_never_goes_silent(tmp_path) -> None:
    from laborwatch.ingest.http import Fetcher
    from laborwatch.pipeline.steps import read_one_source
    from laborwatch.storage.store import Store

    sample = Path(__file__).resolve().parents[2] / "data" / "samples" / "labor-news.xml"
    store = Store.open(f"sqlite:///{tmp_path / 'lw.db'}")
    try:
        with Fetcher(user_agent="laborwatch-test") as fetcher:
            read = read_one_source(0, SourceConfig(location=str(sample)), store, fetcher)
    finally:
        store.close()
    assert read.batch is not None and len(read.batch.articles) == 4  # entries from 2024
    assert read.notices == []


def test_a_database_error_on_one_source_is_that_source_s_error_and_the_others_are_read(
    tmp_path,
) -> None:
    from sqlalchemy import text

    from laborwatch.ingest.http import Fetcher
    from laborwatch.pipeline.steps import read_sources
    from laborwatch.storage.store import Store

    sample = Path(__file__).resolve().parents[2] / "data" / "samples" / "labor-news.xml"
    # A feed with nothing new saves its fetch state while it is read (one with new articles
    # saves it with the last of them, in phase three), so the refusal comes here.
    refused = tmp_path / "refused-feed.xml"
    refused.write_text(
        '<rss version="2.0"><channel><title>Empty</title></channel></rss>', encoding="utf-8"
    )
    store = Store.open(f"sqlite:///{tmp_path / 'lw.db'}")
    try:
        with store.engine.begin() as connection:  # the database itself refuses this one source
            connection.execute(
                text(
                    "CREATE TRIGGER refuse_source BEFORE INSERT ON sources "
                    "WHEN NEW.key LIKE '%refused-feed%' "
                    "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"
                )
            )
        sources = [
            (0, SourceConfig(location=str(refused))),
            (1, SourceConfig(location=str(sample))),
        ]
        with Fetcher(user_agent="laborwatch-test") as fetcher:
            reads = read_sources(sources, store, fetcher)
    finally:
        store.close()
    bad, good = reads
    assert bad.failed and bad.batch is not None
    assert [e.kind for e in bad.batch.errors] == ["store"]
    assert "refused by the test trigger" in bad.batch.errors[0].message
    assert not good.failed and good.batch is not None and len(good.batch.articles) == 4


def test_a_page_analysed_in_a_worker_process_comes_back_packed_and_is_stored_as_fetched(
    tmp_path,
) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from laborwatch.ingest.entries import PageRequest
    from laborwatch.ingest.http import Fetcher
    from laborwatch.pipeline.steps import PendingArticle, fetch_and_analyse
    from laborwatch.storage.store import Store
    from tests.support.servers import Response

    # A non-Latin-1 character ("—") makes the str of the page two bytes per character.
    page = (
        "<html><head><title>Mill cuts</title></head><body><nav>Home | Sports</nav><article>"
        + "<p>The Harlow mill — the county's largest — will lay off 240 workers.</p>" * 200
        + "</article></body></html>"
    )
    with (
        http_server() as server,
        Fetcher(user_agent="laborwatch-test", allow_private_addresses=True) as fetcher,
        ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool,
    ):
        server.routes["/mill.html"] = Response(
            200, page.encode(), {"Content-Type": "text/html; charset=utf-8"}
        )
        url = server.url("/mill.html")
        article = Article(source="feed", title="", text="Summary only.", url=url, guid="g1")
        pending = [PendingArticle(0, "feed", article, PageRequest(0, url, True))]
        done = fetch_and_analyse(pending, fetcher, {}, pool)
    assert done.errors == []
    [(_, analysed)] = done.items
    assert analysed.article.page is None and analysed.article.page_z is not None
    assert len(analysed.article.page_z) < len(page) // 20
    assert {f.value for f in analysed.analysis.figures} == {240.0}
    store = Store.open(f"sqlite:///{tmp_path / 'lw.db'}")
    try:
        store.store_articles([(analysed.article, analysed.analysis)])
        [(_, loaded)] = list(store.iter_articles_for_reextract())
    finally:
        store.close()
    assert loaded.page == page.encode() and "will lay off 240 workers" in loaded.text
