"""A story updated in place (same source, same link, new text) is stored as a new revision of the
article: its figures are recorded again and diffed against everything reported before."""

from __future__ import annotations

from sqlalchemy import select

from laborwatch.domain import ArticleAnalysis
from laborwatch.storage import Store
from laborwatch.storage.models import ArticleRow, ArticleSourceRow
from tests.storage.conftest import article, figure

FEED = "https://feed.example.org/rss"


def _kinds(store: Store, items: list) -> list[list[tuple[str, float | None, float]]]:
    return [
        [(d.kind, d.old_value, d.new_value) for d in stored.developments]
        for stored in store.store_articles(items)
    ]


def test_an_updated_story_is_revised_and_only_its_changed_figure_is_a_development(
    store: Store,
) -> None:
    first = article("plant", guid="g-1", text="Acme will lay off 4,000.", fingerprint="v1")
    first_figures = ArticleAnalysis(True, [figure(4000), figure(200, metric="layoff_notices")])
    assert _kinds(store, [(first, first_figures)]) == [
        [("new", None, 4000.0), ("new", None, 200.0)]
    ]

    update = article(
        "plant",
        guid="g-1",
        text="Acme will now lay off 5,000.",
        raw="<p>5,000</p>",
        fingerprint="v2",
    )
    update_figures = ArticleAnalysis(True, [figure(5000), figure(200, metric="layoff_notices")])
    [stored] = store.store_articles([(update, update_figures)])
    assert stored.outcome.revised and not stored.outcome.is_new
    assert stored.outcome.article_id == 1 and stored.outcome.duplicate_of is None
    assert [(d.kind, d.old_value, d.new_value) for d in stored.developments] == [
        ("changed", 4000.0, 5000.0)
    ]
    assert stored.developments[0].story_updated
    listed = {(d.new_value, d.story_updated) for d in store.list_developments()}
    assert listed == {(4000.0, False), (200.0, False), (5000.0, True)}
    assert store.article_figures(1) == [
        ("Acme Corp", "layoffs", "people", 5000.0),
        ("Acme Corp", "layoff_notices", "people", 200.0),
    ]
    with store._transaction(read_only=True) as session:
        row = session.get_one(ArticleRow, 1)
        assert (row.revision, row.revised_at is not None) == (1, True)
        entry_hashes = session.scalars(select(ArticleSourceRow.entry_hash)).all()
    assert entry_hashes == ["v2"]
    [(_, loaded)] = list(store.iter_articles_for_reextract())
    assert (loaded.text, loaded.raw) == ("Acme will now lay off 5,000.", "<p>5,000</p>")

    # The same update again changes nothing.
    assert _kinds(store, [(update, update_figures)]) == [[]]
    # Back to the first value: known from before, not news.
    back = article("plant", guid="g-1", text="Acme will lay off 4,000 again.", fingerprint="v3")
    assert _kinds(store, [(back, first_figures)]) == [[]]


def test_another_outlet_s_text_of_the_same_link_is_a_duplicate_not_an_update(
    store: Store,
) -> None:
    original = article("wire", text="Acme will lay off 4,000.", fingerprint="a")
    store.store_articles([(original, ArticleAnalysis(True, [figure(4000)]))])
    other = article(
        "wire", source="https://other.example.com/rss", text="Acme to cut 5,000.", fingerprint="b"
    )
    [stored] = store.store_articles([(other, ArticleAnalysis(True, [figure(5000)]))])
    assert not stored.outcome.revised and stored.outcome.duplicate_of == 1
    assert stored.developments == []
    assert store.article_figures(1) == [("Acme Corp", "layoffs", "people", 4000.0)]


def test_one_by_one_storing_revises_too(store: Store) -> None:
    first = article("mill", text="Mill cuts 40 jobs.", fingerprint="v1")
    outcome = store.add_article(first, ArticleAnalysis(True, [figure(40)]))
    store.record_figures(outcome.article_id, first, ArticleAnalysis(True, [figure(40)]))
    update = article("mill", text="Mill cuts 60 jobs.", fingerprint="v2")
    revised = store.add_article(update, ArticleAnalysis(True, [figure(60)]))
    assert revised.revised and revised.needs_figures
    found = store.record_figures(revised.article_id, update, ArticleAnalysis(True, [figure(60)]))
    assert [(d.kind, d.old_value, d.new_value) for d in found] == [("changed", 40.0, 60.0)]


def test_unchanged_links_tell_updated_entries_apart(store: Store) -> None:
    a = article("a", fingerprint="a1")
    b = article("b", fingerprint="b1")
    legacy = article("c", fingerprint=None)  # stored before fingerprints were kept
    store.store_articles([(x, ArticleAnalysis(False)) for x in (a, b, legacy)])
    links = {
        "https://news.example.org/a": "a1",
        "https://news.example.org/b": "b2",  # updated since
        "https://news.example.org/c": "c1",
        "https://news.example.org/new": "n1",
    }
    assert store.unchanged_links(FEED, links) == {
        "https://news.example.org/a",
        "https://news.example.org/c",
    }
    # The legacy row took the fingerprint it was seen with: a later change shows.
    links["https://news.example.org/c"] = "c2"
    assert store.unchanged_links(FEED, links) == {"https://news.example.org/a"}
    assert store.unchanged_links("https://never.example.org/rss", links) == set()
