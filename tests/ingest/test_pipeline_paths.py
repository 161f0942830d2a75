"""The fast paths of ingestion: pages left to the caller, fetching on many hosts at once, and
the flow's phases (read, fetch and analyse on a process pool, store) over a real local HTTP
server and a real SQLite database."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from laborwatch.ingest.entries import apply_page, page_fetch_error
from laborwatch.ingest.http import Fetcher
from laborwatch.ingest.sources import read_source
from laborwatch.pipeline.steps import (
    fetch_and_analyse,
    pending_in_diff_order,
    read_sources,
    store_and_diff,
)
from laborwatch.settings import Settings, SourceConfig
from laborwatch.storage.store import Store
from tests.support.servers import LocalHTTPServer, Response, http_server

PAGE = (
    b"<html><head><title>Mill closing | Gazette</title></head><body><nav>Home 77 Sports</nav>"
    b"<article><h1>Mill closing</h1><p>The Valley Paper mill will close in June and lay off "
    b"180 workers, the company said in a WARN notice.</p><p>"
    + b"The mill opened in 1952 and once employed more than 900 people. " * 5
    + b"</p></article><footer>Copyright</footer></body></html>"
)


def _feed(base: str, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}/story/{slug}</link><guid>{slug}</guid>"
        f"<pubDate>Tue, 0{i + 1} Oct 2024 10:00:00 GMT</pubDate>"
        f"<description>{title}…</description></item>"
        for i, (slug, title) in enumerate(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>G</title>{entries}'
        "</channel></rss>"
    ).encode()


def _page(mill: str, workers: int) -> bytes:
    return PAGE.replace(b"Valley Paper", mill.encode()).replace(b"180", str(workers).encode())


def test_pages_left_to_the_caller_are_listed_not_fetched(
    server: LocalHTTPServer, fetcher: Fetcher
) -> None:
    server.routes["/feed"] = Response(200, _feed(server.base_url, [("mill", "Mill closing")]))
    server.routes["/story/mill"] = Response(200, PAGE)
    batch = read_source(server.url("/feed"), fetcher=fetcher, state=None, fetch_pages=False)
    assert [r.path for r in server.requests] == ["/feed"]
    (request,) = batch.pages
    (article,) = batch.articles
    assert request.index == 0 and request.url == server.url("/story/mill")
    assert not request.use_page_title  # the entry has a title of its own
    assert article.text == "Mill closing…"
    result = fetcher.fetch(request.url)
    assert page_fetch_error(batch.source, request.url, result) is None
    assert apply_page(batch.source, article, request, result.body or b"") is None
    assert "lay off 180 workers" in article.text and "77" not in article.text
    assert article.page == result.body and article.raw is None  # the page as fetched, kept
    assert batch.fetch_seconds > 0 and batch.parse_seconds > 0


def test_a_failed_page_keeps_the_summary_with_a_clear_error(
    server: LocalHTTPServer, fetcher: Fetcher
) -> None:
    result = fetcher.fetch(server.url("/story/gone?token=SECRET42"))
    error = page_fetch_error("feed", server.url("/story/gone?token=SECRET42"), result)
    assert error is not None and error.kind == "fetch"
    assert "HTTP 404" in error.message and "kept the feed summary" in error.message
    assert "SECRET42" not in error.message


def test_requests_start_on_every_host_before_a_second_one_on_any(
    make_fetcher: Callable[..., Fetcher],
) -> None:
    with http_server() as a, http_server() as b:
        for server in (a, b):
            server.routes["/p"] = Response(200, b"page")
        # One worker thread and a long spacing: taken in input order, b's page would wait
        # behind two of a's spacing delays.
        fetcher = make_fetcher(concurrency=1, host_spacing=0.3)
        urls = [a.url("/p?1"), a.url("/p?2"), a.url("/p?3"), b.url("/p")]
        order = [index for index, _ in fetcher.fetch_as_completed([(u, None) for u in urls])]
        assert order == [0, 3, 1, 2]
        results = fetcher.fetch_many([(u, None) for u in urls])
        assert [r.url for r in results] == urls and all(r.body == b"page" for r in results)


def _run_phases(
    store: Store, fetcher: Fetcher, sources: list[SourceConfig], pool: ProcessPoolExecutor | None
) -> tuple[list[tuple[str, str, float]], int]:
    reads = read_sources(list(enumerate(sources)), store, fetcher)
    pending = pending_in_diff_order(reads)
    chunk = fetch_and_analyse(pending, fetcher, {}, pool)
    assert chunk.errors == []
    stored = store_and_diff([item for _, item in chunk.items], store, Settings(), [], [])
    assert stored.errors == []
    developments = [(d.subject, d.metric, d.new_value) for d in stored.alertable + stored.recorded]
    return developments, len(pending)


def test_phases_with_a_process_pool_equal_the_phases_in_process(
    server: LocalHTTPServer, fetcher: Fetcher, tmp_path: Path
) -> None:
    items = [("a", "Mill closing"), ("b", "Second mill"), ("c", "Third mill")]
    server.routes["/feed"] = Response(200, _feed(server.base_url, items))
    for (slug, _), (mill, workers) in zip(
        items, [("Valley Paper", 180), ("Ridge Paper", 240), ("Valley Paper", 150)], strict=True
    ):
        server.routes[f"/story/{slug}"] = Response(200, _page(mill, workers))
    sources = [SourceConfig(location=server.url("/feed"))]
    context = multiprocessing.get_context("spawn")
    with Store.open(f"sqlite:///{tmp_path / 'inline.db'}") as inline_store:
        inline, pending = _run_phases(inline_store, fetcher, sources, None)
    with (
        Store.open(f"sqlite:///{tmp_path / 'pool.db'}") as pool_store,
        ProcessPoolExecutor(max_workers=2, mp_context=context) as pool,
    ):
        pooled, _ = _run_phases(pool_store, fetcher, sources, pool)
    assert pending == 3
    assert pooled == inline
    assert any(metric == "layoffs" and value == 240 for _, metric, value in inline)
    assert any(metric == "layoffs" and value == 150 for _, metric, value in inline)


def test_entries_stored_by_an_earlier_run_are_not_fetched_again(
    server: LocalHTTPServer, fetcher: Fetcher, tmp_path: Path
) -> None:
    server.routes["/feed"] = Response(200, _feed(server.base_url, [("a", "Mill closing")]))
    server.routes["/story/a"] = Response(200, PAGE)
    sources = [SourceConfig(location=server.url("/feed"))]
    with Store.open(f"sqlite:///{tmp_path / 'lw.db'}") as store:
        first, pending = _run_phases(store, fetcher, sources, None)
        assert pending == 1 and first
        # The feed changes (so it is parsed again) and lists one new entry beside the old one.
        items = [("a", "Mill closing"), ("b", "Second mill")]
        server.routes["/feed"] = Response(200, _feed(server.base_url, items))
        server.routes["/story/b"] = Response(200, _page("Ridge Paper", 240))
        server.requests.clear()
        second, pending = _run_phases(store, fetcher, sources, None)
    assert pending == 1
    assert sorted(r.path for r in server.requests) == ["/feed", "/story/b"]
    assert any(metric == "layoffs" and value == 240 for _, metric, value in second)


def test_chunks_close_at_500_articles_or_200_page_fetches() -> None:
    from laborwatch.domain import Article
    from laborwatch.ingest.entries import PageRequest
    from laborwatch.pipeline.chunks import PendingArticle, plan_chunks

    def item(i: int, page: bool) -> PendingArticle:
        request = PageRequest(i, f"https://x.example/{i}", use_page_title=False) if page else None
        return PendingArticle(0, "feed", Article(source="feed", title=f"t{i}", text="x"), request)

    with_pages = plan_chunks([item(i, True) for i in range(450)])
    assert [len(c) for c in with_pages] == [200, 200, 50]
    without = plan_chunks([item(i, False) for i in range(1100)])
    assert [len(c) for c in without] == [500, 500, 100]
    items = [item(i, i % 4 == 0) for i in range(1000)]  # a page for every 4th
    mixed = plan_chunks(items)
    assert [len(c) for c in mixed] == [500, 500]
    assert [i for c in mixed for i in c] == items  # in order, each once
    assert plan_chunks([]) == []
