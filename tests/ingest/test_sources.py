"""read_source over real files, folders and a real local HTTP server."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from laborwatch.ingest.http import Fetcher
from laborwatch.ingest.sources import read_source
from tests.support.servers import LocalHTTPServer, ReceivedRequest, Response, free_port

REPO = Path(__file__).resolve().parents[2]
SAMPLE_FEED = REPO / "data" / "samples" / "labor-news.xml"
SAMPLE_ARTICLES = REPO / "data" / "samples" / "articles"

PAGE = (
    b"<html><head><title>Mill closing | Gazette</title></head><body><nav>Home Sports</nav>"
    b"<article><h1>Mill closing</h1><p>The Valley Paper mill will close in June and lay off "
    b"180 workers, the company said in a WARN notice.</p><p>"
    + b"The mill opened in 1952 and once employed more than 900 people. " * 5
    + b"</p></article><footer>Copyright</footer></body></html>"
)


def _summary_feed(base: str) -> bytes:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>
<item><title>Mill closing</title><link>{base}/story/mill</link><guid>mill</guid>
<description>The Valley Paper mill will close…</description></item>
<item><title>Gone story</title><link>{base}/story/gone</link><guid>gone</guid>
<description>A short summary of 12 job cuts.</description></item>
<item><title>Full story</title><link>{base}/story/full</link><guid>full</guid>
<description>{"The county will cut 30 positions in the clerk's office. " * 12}</description></item>
</channel></rss>""".encode()


def test_sample_feed_file(tmp_path: Path) -> None:
    batch = read_source(str(SAMPLE_FEED), fetcher=None, state=None)
    assert batch.errors == [] and not batch.not_modified
    assert [a.position for a in batch.articles] == [0, 1, 2, 3]
    first, _, revised, _ = batch.articles
    assert first.title == "Harlow Axle to close Toledo plant, will lay off 350 workers"
    assert "will lay off 350 workers" in first.text and "<p>" not in first.text
    assert first.raw is not None and "<p>" in first.raw  # the HTML, so extraction can re-run
    assert "will lay off nearly 420 workers" in revised.text
    assert first.source == str(SAMPLE_FEED) and first.guid == "glld-2024-0312-harlow"
    assert first.author == "Dana Whitfield"
    assert batch.state is not None and batch.state.content_hash
    assert batch.state.last_new_entry_at is not None
    assert batch.state.last_new_entry_at.isoformat() == "2024-05-21T22:10:00+00:00"
    again = read_source(str(SAMPLE_FEED), fetcher=None, state=batch.state)
    assert again.not_modified and again.articles == [] and again.errors == []


def test_article_folder_and_single_file(tmp_path: Path) -> None:
    folder = read_source(str(SAMPLE_ARTICLES), fetcher=None, state=None)
    assert len(folder.articles) == 3 and folder.errors == []
    assert folder.fetched_bytes == sum(p.stat().st_size for p in SAMPLE_ARTICLES.iterdir())
    unchanged = read_source(str(SAMPLE_ARTICLES), fetcher=None, state=folder.state)
    assert unchanged.not_modified
    copy = tmp_path / "articles"
    shutil.copytree(SAMPLE_ARTICLES, copy)
    (copy / "003_new.md").write_text("---\ntitle: New one\n---\nA plant will cut 50 jobs.\n")
    changed = read_source(str(copy), fetcher=None, state=folder.state)
    assert not changed.not_modified and [a.title for a in changed.articles][-1] == "New one"
    single = read_source(str(copy / "003_new.md"), fetcher=None, state=None)
    assert [a.text for a in single.articles] == ["A plant will cut 50 jobs."]


def test_bad_inputs_become_errors_not_exceptions(tmp_path: Path) -> None:
    missing = read_source(str(tmp_path / "nope.xml"), fetcher=None, state=None)
    assert missing.articles == [] and "no such file or folder" in missing.errors[0].message
    invalid = tmp_path / "broken.xml"
    invalid.write_bytes(b"<html><body>this is not a feed")
    parsed = read_source(str(invalid), fetcher=None, state=None)
    assert parsed.articles == [] and parsed.errors[0].kind == "parse"
    assert "not a feed" in parsed.errors[0].message
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.txt").write_text("Good story about 10 layoffs.")
    (folder / "b.txt").write_text("---\ntitle: [\n---\nbad")
    mixed = read_source(str(folder), fetcher=None, state=None)
    assert [a.title for a in mixed.articles] == ["Good story about 10 layoffs."]
    assert len(mixed.errors) == 1 and "b.txt" in mixed.errors[0].message
    assert read_source(str(folder), kind="feed", fetcher=None, state=None).errors
    assert read_source(str(folder), kind="bogus", fetcher=None, state=None).errors


def test_sniffs_feed_without_extension(tmp_path: Path) -> None:
    file = tmp_path / "feed"
    file.write_bytes(SAMPLE_FEED.read_bytes())
    assert len(read_source(str(file), fetcher=None, state=None).articles) == 4


def test_plain_text_fields_cannot_smuggle_markup(tmp_path: Path) -> None:
    feed = tmp_path / "evil.xml"
    feed.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry>'
        '<title type="text">&lt;script&gt;alert(1)&lt;/script&gt;Plant closes</title>'
        "<id>x</id><author><name>&lt;img src=x onerror=alert(2)&gt;Reporter</name></author>"
        '<content type="text">&lt;b onmouseover="alert(3)"&gt;120 jobs&lt;/b&gt; cut. '
        '&lt;a href="javascript:alert(4)"&gt;link&lt;/a&gt;</content></entry></feed>'
    )
    (article,) = read_source(str(feed), fetcher=None, state=None).articles
    for field in (article.title, article.text, article.author or ""):
        assert "<" not in field and "alert" not in field and "javascript:" not in field
    assert article.title == "Plant closes" and article.text == "120 jobs cut. link"
    assert article.author == "Reporter"


def test_url_feed_with_conditional_get(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    def handler(request: ReceivedRequest) -> Response:
        if request.headers.get("if-none-match") == '"v1"':
            return Response(304, b"")
        return Response(
            200, SAMPLE_FEED.read_bytes(), {"ETag": '"v1"', "Content-Type": "application/rss+xml"}
        )

    server.routes["/feed.xml"] = handler
    fetcher = make_fetcher()
    url = server.url("/feed.xml")
    first = read_source(url, fetcher=fetcher, state=None)
    assert len(first.articles) == 4 and first.errors == []
    assert first.state is not None and first.state.etag == '"v1"'
    assert first.fetched_bytes == SAMPLE_FEED.stat().st_size
    second = read_source(url, fetcher=fetcher, state=first.state)
    assert second.not_modified and second.articles == []
    assert second.state is not None and second.state.last_status == 304


def test_summary_only_entries_get_their_pages(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    server.routes["/feed"] = Response(200, _summary_feed(server.base_url))
    server.routes["/story/mill"] = Response(200, PAGE, {"Content-Type": "text/html"})
    server.routes["/story/gone"] = Response(404, b"not here")
    server.routes["/story/full"] = Response(200, b"<p>should not be fetched</p>")
    batch = read_source(server.url("/feed"), fetcher=make_fetcher(), state=None)
    mill, gone, full = batch.articles
    assert "lay off 180 workers" in mill.text and "Home Sports" not in mill.text
    assert mill.summary == "The Valley Paper mill will close…"
    assert mill.page == PAGE and mill.raw is None  # the page exactly as fetched
    assert gone.text == "A short summary of 12 job cuts."  # fell back to the summary
    assert full.text.startswith("The county will cut 30 positions")
    (error,) = batch.errors
    assert error.kind == "fetch" and "/story/gone" in error.message and "404" in error.message
    assert not [r for r in server.requests if r.path == "/story/full"]
    assert batch.fetched_bytes == len(_summary_feed(server.base_url)) + len(PAGE)
    no_pages = read_source(
        server.url("/feed"), fetcher=make_fetcher(), state=None, fetch_pages=False
    )
    assert no_pages.errors == [] and no_pages.articles[0].text.endswith("close…")


def test_dead_url_and_http_errors_update_health(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    fetcher = make_fetcher()
    dead = read_source(f"http://127.0.0.1:{free_port()}/feed", fetcher=fetcher, state=None)
    assert dead.articles == [] and dead.errors[0].kind == "fetch"
    assert dead.state is not None and dead.state.consecutive_failures == 1
    assert dead.state.paused_until is not None and dead.state.last_error
    server.routes["/secret"] = Response(404, b"")
    gone = read_source(server.url("/secret?apikey=HUSH123"), fetcher=fetcher, state=dead.state)
    assert gone.state is not None and gone.state.consecutive_failures == 2
    assert "404" in gone.errors[0].message and "HUSH123" not in gone.errors[0].message
    assert "HUSH123" not in (gone.state.last_error or "")
    server.routes["/html"] = Response(200, b"<html><body>Sign in</body></html>")
    not_feed = read_source(server.url("/html"), fetcher=fetcher, state=None)
    assert not_feed.errors[0].kind == "parse" and not_feed.state is not None
    assert not_feed.state.consecutive_failures == 1


def test_url_read_as_article_page(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    server.routes["/story"] = Response(200, PAGE, {"Content-Type": "text/html"})
    batch = read_source(server.url("/story"), kind="articles", fetcher=make_fetcher(), state=None)
    (article,) = batch.articles
    assert article.title == "Mill closing" and "lay off 180 workers" in article.text


def test_a_folder_with_files_but_no_article_files_says_so(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    batch = read_source(str(tmp_path), fetcher=None, state=None)
    assert batch.articles == []
    [error] = batch.errors
    assert error.message == (
        f"{tmp_path}: no article files in the folder (.txt, .md, .html, or gzipped)"
    )

    empty = tmp_path / "empty"  # nothing there yet: nothing to say
    empty.mkdir()
    assert read_source(str(empty), fetcher=None, state=None).errors == []
