"""Articles: dedup by guid, canonical URL and content hash; sources; compression; time zones."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from laborwatch.domain import ArticleAnalysis, FetchState
from laborwatch.storage import Store
from laborwatch.storage.models import ArticleRow, ArticleSourceRow
from tests.storage.conftest import article

NONE = ArticleAnalysis(False)


def test_new_article_then_duplicate_by_guid(store: Store) -> None:
    first = store.add_article(article("a", guid="https://news.example.org/?p=1"), NONE)
    assert (first.is_new, first.duplicate_of) == (True, None)
    again = store.add_article(
        article(
            "b",
            source="https://other.example.org/feed",
            guid="https://news.example.org/?p=1",
            text="edited text",
            url="https://elsewhere.example.org/x",
        ),
        NONE,
    )
    assert (again.article_id, again.is_new, again.duplicate_of) == (
        first.article_id,
        False,
        first.article_id,
    )
    assert store.counts()["articles"] == 1


def test_bare_guids_are_scoped_to_their_feed(store: Store) -> None:
    one = store.add_article(article("a", guid="1234", source="https://a.example.org/rss"), NONE)
    other = store.add_article(article("b", guid="1234", source="https://b.example.org/rss"), NONE)
    assert other.is_new and other.article_id != one.article_id
    same_feed = store.add_article(
        article("c", guid="1234", source="https://a.example.org/rss"), NONE
    )
    assert same_feed.duplicate_of == one.article_id


def test_duplicate_by_canonical_url(store: Store) -> None:
    first = store.add_article(
        article("a", url="https://News.Example.org:443/story/1?a=1&b=2#comments"), NONE
    )
    for variant in (
        "https://news.example.org/story/1?a=1&b=2",
        "https://news.example.org/story/1?utm_source=x&a=1&b=2&fbclid=zz#top",
    ):
        outcome = store.add_article(article("other text", url=variant), NONE)
        assert outcome.duplicate_of == first.article_id
    different = store.add_article(article("z", url="https://news.example.org/story/2"), NONE)
    assert different.is_new


def test_duplicate_by_content_hash_across_outlets(store: Store) -> None:
    wire = "Acme will lay off 4,200 workers,\nthe company said on Monday."
    outlets = [f"https://outlet{i}.example.org/feed" for i in range(5)]
    outcomes = [
        store.add_article(
            article(
                f"wire-{i}",
                source=outlet,
                text=wire if i % 2 else "  " + wire.upper().replace("\n", "  "),
                url=f"https://outlet{i}.example.org/acme",
            ),
            NONE,
        )
        for i, outlet in enumerate(outlets)
    ]
    assert [o.is_new for o in outcomes] == [True, False, False, False, False]
    assert store.counts() == {"sources": 5, "articles": 1, "figures": 0, "developments": 0}
    with store._transaction(read_only=True) as session:
        links = session.scalars(select(ArticleSourceRow.link).order_by(ArticleSourceRow.id)).all()
    assert links == [f"https://outlet{i}.example.org/acme" for i in range(5)]
    # Seeing it again through the same link adds nothing.
    store.add_article(article("x", source=outlets[0], text=wire, url=links[0]), NONE)
    with store._transaction(read_only=True) as session:
        assert len(session.scalars(select(ArticleSourceRow.id)).all()) == 5


def test_empty_text_articles_are_not_merged(store: Store) -> None:
    a = store.add_article(article("a", text="", url=None), NONE)
    b = store.add_article(article("b", text="", url=None), NONE)
    assert a.is_new and b.is_new


def test_text_and_raw_are_compressed_and_round_trip(store: Store) -> None:
    body = "Layoffs at the plant. " * 400
    raw = "<html><body>" + "<p>Layoffs at the plant.</p>" * 400 + "</body></html>"
    published = datetime(2017, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=-4)))
    item = article(
        "a", text=body, raw=raw, published=published, author="Jo", summary="Sum", position=3
    )
    outcome = store.add_article(item, ArticleAnalysis(True))
    with store._transaction(read_only=True) as session:
        row = session.get_one(ArticleRow, outcome.article_id)
        assert len(row.text_z) < len(body) // 10
        assert row.raw_z is not None and zlib.decompress(row.raw_z).decode() == raw
    [(article_id, loaded)] = list(store.iter_articles_for_reextract())
    assert article_id == outcome.article_id
    assert (loaded.text, loaded.raw, loaded.title, loaded.url) == (body, raw, item.title, item.url)
    assert (loaded.author, loaded.summary, loaded.position, loaded.source) == (
        "Jo",
        "Sum",
        3,
        item.source,
    )
    assert loaded.published == published
    assert loaded.published is not None and loaded.published.tzinfo == UTC
    assert loaded.published.hour == 13


def test_reextract_iterates_in_batches_over_everything(store: Store) -> None:
    for i in range(450):
        store.add_article(article(f"n{i}"), NONE)
    ids = [article_id for article_id, _ in store.iter_articles_for_reextract()]
    assert len(ids) == 450 and ids == sorted(ids)


def test_fetch_state_round_trip_with_time_zones(store: Store) -> None:
    assert store.load_fetch_state("https://feed.example.org/rss") is None
    eastern = timezone(timedelta(hours=-5))
    state = FetchState(
        etag='W/"abc"',
        last_modified="Mon, 01 May 2017 10:00:00 GMT",
        content_hash="f" * 64,
        last_status=200,
        last_fetched_at=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=eastern),
        last_new_entry_at=datetime(2026, 1, 2, 8, 0, tzinfo=UTC),
        failure_score=1.5,
        consecutive_failures=2,
        paused_until=datetime(2026, 1, 3, tzinfo=UTC),
        last_error="timeout",
    )
    store.save_fetch_state("https://feed.example.org/rss", state, label="Feed")
    loaded = store.load_fetch_state("https://feed.example.org/rss")
    assert loaded == state
    assert loaded is not None and loaded.last_fetched_at is not None
    assert loaded.last_fetched_at.tzinfo == UTC and loaded.last_fetched_at.hour == 8

    # Saving again updates in place; a missing label keeps the old one.
    store.save_fetch_state("https://feed.example.org/rss", FetchState(last_status=304))
    [row] = store.list_sources()
    assert (row.key, row.label, row.state) == (
        "https://feed.example.org/rss",
        "Feed",
        FetchState(last_status=304),
    )


def test_naive_datetimes_are_taken_as_utc(store: Store) -> None:
    store.save_fetch_state("s", FetchState(last_fetched_at=datetime(2026, 5, 1, 12, 0)))
    loaded = store.load_fetch_state("s")
    assert loaded is not None
    assert loaded.last_fetched_at == datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def test_sources_seen_through_articles_are_listed(store: Store) -> None:
    store.add_article(article("a", source="/data/articles"), NONE)
    store.save_fetch_state("https://feed.example.org/rss", FetchState(), label="Feed")
    assert [(s.key, s.label) for s in store.list_sources()] == [
        ("/data/articles", None),
        ("https://feed.example.org/rss", "Feed"),
    ]


def test_unchanged_links_answers_per_source(store: Store) -> None:
    feed = "https://feed.example.org/rss"
    store.add_article(article("a", source=feed, url="https://news.example.org/a"), NONE)
    store.add_article(article("b", source="https://other.example.org/rss"), NONE)
    asked = ["https://news.example.org/a", "https://news.example.org/b", "", "https://x.org/c"]
    unknown_versions = dict.fromkeys(asked)  # no fingerprint: any delivered link is unchanged
    assert store.unchanged_links(feed, unknown_versions) == {"https://news.example.org/a"}
    assert store.unchanged_links("https://never-seen.example.org/rss", unknown_versions) == set()
    assert store.unchanged_links(feed, {}) == set()


def test_very_long_urls_and_guids_are_stored_and_deduplicated(store: Store) -> None:
    long_url = "https://news.example.org/story?" + "&".join(f"k{i}=v{i}" for i in range(1500))
    long_guid = "tag:news.example.org," + "x" * 5000
    first = store.add_article(
        article("a", url=long_url, guid=long_guid, source="https://feed.example.org/rss"), NONE
    )
    again_by_url = store.add_article(article("b", url=long_url + "#frag"), NONE)
    again_by_guid = store.add_article(article("c", guid=long_guid), NONE)
    assert first.is_new
    assert again_by_url.duplicate_of == first.article_id
    assert again_by_guid.duplicate_of == first.article_id
    assert store.unchanged_links("https://feed.example.org/rss", {long_url: None}) == {long_url}
    [(_, loaded)] = list(store.iter_articles_for_reextract())
    assert (loaded.url, loaded.guid) == (long_url, long_guid)
