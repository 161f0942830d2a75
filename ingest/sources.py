"""Read one configured source (feed URL, feed file, article file or folder) into Articles.

`read_source` never raises for bad input: a missing file, a dead URL, an HTTP error or a document
that is not a feed becomes a SourceError in the batch, with a message that names the problem and
never repeats credentials or query strings."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from laborwatch.domain import Article, FetchState, SourceError
from laborwatch.ingest.entries import (
    PageRequest,
    apply_page,
    entry_to_article,
    page_fetch_error,
    page_requests,
)
from laborwatch.ingest.fetch_result import FetchResult
from laborwatch.ingest.health import note_entries, record_failure, record_success
from laborwatch.ingest.http import Fetcher
from laborwatch.parsers.article_files import (
    ARTICLE_SUFFIXES,
    ArticleFileError,
    article_files_in,
    first_sentence,
    read_article_file,
    read_article_folder_collecting,
)
from laborwatch.parsers.feeds import FeedEntry, FeedParseError, ParsedFeed, parse_feed
from laborwatch.parsers.gzipped import inner_suffix
from laborwatch.parsers.html_text import extract_article_text
from laborwatch.redaction import redact_url

SourceKind = Literal["auto", "feed", "articles"]
DEFAULT_USER_AGENT = "laborwatch/0.1 (+https://github.com/laborwatch/laborwatch)"
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf", ".feed", ".json"})
MAX_FILE_BYTES = 10_000_000


@dataclass(slots=True)
class SourceBatch:
    source: str
    articles: list[Article]
    errors: list[SourceError]
    state: FetchState | None
    not_modified: bool = False
    fetched_bytes: int = 0
    pages: list[PageRequest] = field(default_factory=list)  # left to fetch (fetch_pages=False)
    fetch_seconds: float = 0.0  # time spent fetching (feed and pages) and reading files
    parse_seconds: float = 0.0  # time spent parsing feeds and extracting page text


@dataclass(slots=True)
class _Pages:
    """A Fetcher for page downloads, created only if a page is needed and none was given."""

    given: Fetcher | None
    owned: Fetcher | None = None
    bytes: int = field(default=0)
    fetch_seconds: float = 0.0
    parse_seconds: float = 0.0

    def get(self) -> Fetcher:
        if self.given is not None:
            return self.given
        if self.owned is None:
            self.owned = Fetcher(user_agent=DEFAULT_USER_AGENT)
        return self.owned

    def close(self) -> None:
        if self.owned is not None:
            self.owned.close()


def _is_url(location: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", location)) and not location.startswith(
        "file://"
    )


def _sniff_kind(path: Path) -> Literal["feed", "articles"]:
    suffix = inner_suffix(path)
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix in ARTICLE_SUFFIXES:
        return "articles"
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    head = head.replace(b"\x00", b"")
    if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head) or head.startswith((b"<?xml", b"{")):
        return "feed"
    return "articles"


def _fill_pages(
    source: str,
    articles: list[Article],
    wanted: list[PageRequest],
    pages: _Pages,
    errors: list[SourceError],
) -> None:
    """Fetch the pages of summary-only entries and use their text; a failure keeps the summary."""
    if not wanted:
        return
    fetcher = pages.get()
    started = time.perf_counter()
    results = fetcher.fetch_many([(r.url, None) for r in wanted], pages=True)
    pages.fetch_seconds += time.perf_counter() - started
    started = time.perf_counter()
    for request, result in zip(wanted, results, strict=True):
        error = page_fetch_error(source, request.url, result)
        if error is None and result.body:
            pages.bytes += len(result.body)
            error = apply_page(source, articles[request.index], request, result.body)
        if error is not None:
            errors.append(error)
    pages.parse_seconds += time.perf_counter() - started


def _feed_articles(
    source: str, feed: ParsedFeed, pages: _Pages, fetch_pages: bool, errors: list[SourceError]
) -> tuple[list[Article], list[PageRequest]]:
    """The entries as articles, and the pages still to fetch (none when fetch_pages)."""
    pairs: list[tuple[FeedEntry, Article]] = []
    for entry in feed.entries:
        article = entry_to_article(source, entry)
        if article is None:
            errors.append(
                SourceError(source, f"entry {entry.position}: no title and no text", "parse")
            )
            continue
        pairs.append((entry, article))
    articles = [article for _, article in pairs]
    wanted = page_requests(pairs)
    if not fetch_pages:
        return articles, wanted
    _fill_pages(source, articles, wanted, pages, errors)
    return articles, []


def _hash_files(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode("utf-8", "surrogateescape") + b"\x00")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _read_url(
    location: str,
    kind: SourceKind,
    pages: _Pages,
    state: FetchState | None,
    fetch_pages: bool,
    now: datetime,
) -> SourceBatch:
    batch = SourceBatch(source=location, articles=[], errors=[], state=state)
    started = time.perf_counter()
    # A feed is fetched as published; a URL read as one article is a page (robots.txt applies).
    result = pages.get().fetch(location, state=state, page=kind == "articles")
    pages.fetch_seconds += time.perf_counter() - started
    if result.robots_disallowed:
        message = (
            f"{redact_url(location)}: not fetched, its site's robots.txt disallows it "
            "([fetch] respect_robots = false fetches it anyway)"
        )
        batch.errors.append(SourceError(location, message, "fetch"))
        return batch
    if result.error:
        batch.errors.append(SourceError(location, result.error, "fetch"))
        batch.state = record_failure(
            state,
            now,
            kind=result.error_kind or "soft",
            message=result.error,
            status=result.status or None,
            retry_after=result.retry_after,
        )
        return batch
    batch.fetched_bytes = len(result.body or b"")
    new_state = record_success(
        state,
        now,
        status=result.status,
        etag=result.etag,
        last_modified=result.last_modified,
        content_hash=result.content_hash,
    )
    batch.state = new_state
    if result.not_modified:
        batch.not_modified = True
        return batch
    body = result.body or b""
    started = time.perf_counter()
    try:
        return _parse_url_body(
            location, kind, body, result, batch, new_state, now, pages, fetch_pages
        )
    finally:
        pages.parse_seconds += time.perf_counter() - started


def _parse_url_body(
    location: str,
    kind: SourceKind,
    body: bytes,
    result: FetchResult,
    batch: SourceBatch,
    new_state: FetchState,
    now: datetime,
    pages: _Pages,
    fetch_pages: bool,
) -> SourceBatch:
    if kind == "articles":
        title, text = extract_article_text(body)
        batch.articles.append(
            Article(
                source=location,
                title=title or first_sentence(text),
                text=text,
                url=result.final_url,
                page=body,
            )
        )
        return batch
    try:
        feed = parse_feed(body, content_type=result.content_type, base_url=result.final_url)
    except FeedParseError as exc:
        message = f"{redact_url(location)}: {exc}"
        batch.errors.append(SourceError(location, message, "parse"))
        # Keep the validators (the fetch worked) but count the failure: the source is broken.
        batch.state = record_failure(new_state, now, kind="soft", message=message, status=200)
        batch.state.etag, batch.state.last_modified = new_state.etag, new_state.last_modified
        batch.state.content_hash = None  # so a fixed feed with the same bytes is not skipped
        return batch
    batch.articles, batch.pages = _feed_articles(location, feed, pages, fetch_pages, batch.errors)
    batch.state = note_entries(new_state, (a.published for a in batch.articles))
    return batch


def _read_path(
    location: str,
    kind: SourceKind,
    pages: _Pages,
    state: FetchState | None,
    fetch_pages: bool,
    now: datetime,
) -> SourceBatch:
    batch = SourceBatch(source=location, articles=[], errors=[], state=state)
    path = Path(location[len("file://") :] if location.startswith("file://") else location)
    path = path.expanduser()
    if not path.exists():
        batch.errors.append(SourceError(location, f"{path}: no such file or folder", "read"))
    elif path.is_dir():
        _read_folder(batch, path, kind, now)
    else:
        _read_file(batch, path, kind, pages, fetch_pages, now)
    return batch


def _unchanged(batch: SourceBatch, digest: str, now: datetime) -> bool:
    """True (and the batch marked not modified) when the content hash is the stored one."""
    state = batch.state
    if state is None or state.content_hash != digest:
        return False
    batch.not_modified = True
    batch.state = record_success(state, now, status=0, content_hash=digest)
    return True


def _read_succeeded(batch: SourceBatch, digest: str, now: datetime) -> None:
    batch.state = note_entries(
        record_success(batch.state, now, status=0, content_hash=digest),
        (a.published for a in batch.articles),
    )


def _read_folder(batch: SourceBatch, path: Path, kind: SourceKind, now: datetime) -> None:
    location = batch.source
    if kind == "feed":
        batch.errors.append(SourceError(location, f"{path}: is a folder, not a feed", "read"))
        return
    files = article_files_in(path)
    if not files and any(not p.name.startswith(".") for p in path.iterdir()):
        message = f"{path}: no article files in the folder (.txt, .md, .html, or gzipped)"
        batch.errors.append(SourceError(location, message, "read"))
        return
    digest = _hash_files(files)
    if _unchanged(batch, digest, now):
        return
    result = read_article_folder_collecting(path, source=location)
    batch.articles = result.articles
    batch.errors.extend(SourceError(location, message, "parse") for _, message in result.errors)
    batch.fetched_bytes = sum(f.stat().st_size for f in files)
    _read_succeeded(batch, digest, now)


def _read_file(
    batch: SourceBatch,
    path: Path,
    kind: SourceKind,
    pages: _Pages,
    fetch_pages: bool,
    now: datetime,
) -> None:
    location = batch.source
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        message = f"{path}: {size} bytes exceeds the {MAX_FILE_BYTES} limit"
        batch.errors.append(SourceError(location, message, "read"))
        return
    data = path.read_bytes()
    batch.fetched_bytes = len(data)
    digest = hashlib.sha256(data).hexdigest()
    if _unchanged(batch, digest, now):
        return
    if (_sniff_kind(path) if kind == "auto" else kind) == "feed":
        try:
            feed = parse_feed(data)
        except FeedParseError as exc:
            batch.errors.append(SourceError(location, f"{path}: {exc}", "parse"))
            return
        batch.articles, batch.pages = _feed_articles(
            location, feed, pages, fetch_pages, batch.errors
        )
    else:
        try:
            batch.articles = [read_article_file(path, source=location)]
        except ArticleFileError as exc:
            batch.errors.append(SourceError(location, str(exc), "parse"))
            return
    _read_succeeded(batch, digest, now)


def read_source(
    location: str,
    *,
    kind: str = "auto",
    fetcher: Fetcher | None,
    state: FetchState | None,
    fetch_pages: bool = True,
) -> SourceBatch:
    """Read a feed URL, feed file, article file or folder of articles.

    kind "auto" guesses: a folder or .txt/.md/.html file is articles; .xml/.rss/.atom or a URL is
    a feed; anything else is sniffed. A URL with kind "articles" is read as one article page.
    Feed entries with only a short summary and a link get their page fetched (with `fetcher`, or
    a default one when None) unless fetch_pages is False: then batch.pages lists them for the
    caller to fetch (page_fetch_error / apply_page). Unchanged content (HTTP 304 or the same
    sha256 as state.content_hash) returns not_modified=True and no articles. The returned state
    carries the new validators and health; errors never raise."""
    now = datetime.now(UTC)
    location = location.strip()
    batch = SourceBatch(source=location, articles=[], errors=[], state=state)
    if kind not in ("auto", "feed", "articles"):
        batch.errors.append(
            SourceError(location, f"unknown source kind {kind!r} (auto, feed, articles)", "config")
        )
        return batch
    if not location:
        batch.errors.append(SourceError(location, "empty source location", "config"))
        return batch
    pages = _Pages(fetcher)
    chosen: SourceKind = kind  # type: ignore[assignment]
    try:
        reader = _read_url if _is_url(location) else _read_path
        batch = reader(location, chosen, pages, state, fetch_pages, now)
        batch.fetched_bytes += pages.bytes
        batch.fetch_seconds += pages.fetch_seconds
        batch.parse_seconds += pages.parse_seconds
    except OSError as exc:
        where = redact_url(location)
        batch.errors.append(SourceError(location, f"{where}: {exc.strerror or exc}", "read"))
    except Exception as exc:  # a bug must cost one source, not the run; the message says so
        where = redact_url(location)
        batch.errors.append(
            SourceError(
                location,
                f"{where}: unexpected {type(exc).__name__} while reading: {exc}",
                "internal",
            )
        )
    finally:
        pages.close()
    return batch
