"""The diff: new / changed / known against the history before each article."""

from __future__ import annotations

import threading

import pytest

from laborwatch.domain import Article, ArticleAnalysis, Development
from laborwatch.storage import Store
from tests.storage.conftest import SEED_SUBJECT, UrlFactory, article, figure, seed_articles


def ingest(store: Store, item: Article, analysis: ArticleAnalysis) -> list[Development]:
    outcome = store.add_article(item, analysis)
    return store.record_figures(outcome.article_id, item, analysis)


def summary(developments: list[Development]) -> set[tuple[object, ...]]:
    return {(d.kind, d.metric, d.unit, d.new_value, d.old_value) for d in developments}


def test_seed_sequence(store: Store) -> None:
    seeds = seed_articles()
    (a0, an0), (a1, an1), (a2, an2) = seeds

    after_000 = ingest(store, a0, an0)
    assert summary(after_000) == {
        ("new", "concessions", "USD", 2e9, None),
        ("new", "deficit", "USD", 3.3e9, None),
        ("new", "savings", "USD", 1e8, None),
        ("new", "layoffs", "people", 1000.0, None),
    }
    assert all(d.subject == SEED_SUBJECT and d.id and d.detected_at for d in after_000)

    after_001 = ingest(store, a1, an1)
    assert summary(after_001) == {
        ("new", "layoff_notices", "people", 100.0, None),
        ("new", "layoff_notices", "people", 4000.0, None),
        ("new", "other", "count", 81.0, None),
        ("new", "other", "count", 57.0, None),
        ("changed", "savings", "USD", 1e7, 1e8),
        ("changed", "savings", "USD", 1.5e7, 1e8),
        ("new", "spending_cuts", "USD", 1e9, None),
    }
    assert not [d for d in after_001 if d.metric == "concessions"]
    concessions = [d for d in store.list_developments() if d.metric == "concessions"]
    assert len(concessions) == 1
    assert concessions[0].also_reported_by == [a1.title]

    after_002 = ingest(store, a2, an2)
    assert summary(after_002) == {
        ("changed", "concessions", "USD", 7e8, 2e9),
        ("changed", "concessions", "USD", 8.69e8, 2e9),
        ("changed", "deficit", "USD", 3.6e9, 3.3e9),
        ("changed", "layoffs", "people", 4200.0, 1000.0),
        ("changed", "layoffs", "people", 825.0, 1000.0),
        ("changed", "layoffs", "people", 300.0, 1000.0),
        ("new", "budget", "USD", 4.151e10, None),
        # the newest count before 002 was 57 (recorded after 81 in the same article)
        ("changed", "other", "count", 30.0, 57.0),
    }
    changed_concessions = next(d for d in after_002 if d.new_value == 7e8)
    assert changed_concessions.old_text == "$2 billion"
    assert changed_concessions.relative_change == pytest.approx(-0.65)
    layoffs_1000 = next(d for d in store.list_developments() if d.new_value == 1000.0)
    assert layoffs_1000.also_reported_by == [a2.title]  # "fewer than 1,000" in 002
    assert store.counts() == {
        "sources": 1,
        "articles": 3,
        "figures": sum(len(an.figures) for _, an in seeds),
        "developments": 4 + 7 + 8,
    }


def test_tolerance_decides_known_or_changed(store: Store) -> None:
    ingest(
        store, article("a"), ArticleAnalysis(True, [figure(2e9, metric="concessions", unit="USD")])
    )
    close = ingest(
        store,
        article("b"),
        ArticleAnalysis(True, [figure(2.009e9, metric="concessions", unit="USD")]),
    )
    assert close == []  # 0.45% off: the same number reported a little differently
    far = ingest(
        store,
        article("c"),
        ArticleAnalysis(True, [figure(2.011e9, metric="concessions", unit="USD")]),
    )
    assert summary(far) == {("changed", "concessions", "USD", 2.011e9, 2e9)}

    outcome = store.add_article(article("d"), ArticleAnalysis(True))
    strict = store.record_figures(
        outcome.article_id,
        article("d"),
        ArticleAnalysis(True, [figure(2.001e9, metric="concessions", unit="USD")]),
        tolerance=0.0,
    )
    # Compared against the newest value (2.011e9), not the first one.
    assert summary(strict) == {("changed", "concessions", "USD", 2.001e9, 2.011e9)}

    with pytest.raises(ValueError, match="tolerance"):
        store.record_figures(outcome.article_id, article("d"), ArticleAnalysis(True), tolerance=1.5)


def test_keys_are_separate(store: Store) -> None:
    ingest(store, article("a"), ArticleAnalysis(True, [figure(100)]))
    other_subject = ingest(
        store, article("b"), ArticleAnalysis(True, [figure(100, subject="Beta")])
    )
    other_metric = ingest(
        store, article("c"), ArticleAnalysis(True, [figure(100, metric="rehired")])
    )
    other_unit = ingest(
        store, article("d"), ArticleAnalysis(True, [figure(100, metric="layoffs", unit="count")])
    )
    assert [d.kind for d in other_subject + other_metric + other_unit] == ["new", "new", "new"]


def test_repeated_value_in_one_article_counts_once(store: Store) -> None:
    analysis = ArticleAnalysis(
        True, [figure(500, text_="500 jobs"), figure(500, text_="500 workers"), figure(700)]
    )
    developments = ingest(store, article("a"), analysis)
    assert sorted(d.new_value for d in developments) == [500.0, 700.0]
    assert {d.kind for d in developments} == {"new"}
    assert next(d for d in developments if d.new_value == 500).text == "500 jobs"
    assert store.counts()["figures"] == 3  # every mention is still stored


def test_irrelevant_article_stores_figures_but_makes_no_history(store: Store) -> None:
    assert ingest(store, article("sports"), ArticleAnalysis(False, [figure(300)])) == []
    assert store.figure_history() == []
    assert store.counts()["figures"] == 1
    # The value is still new to the history when a relevant article reports it.
    assert summary(ingest(store, article("a"), ArticleAnalysis(True, [figure(300)]))) == {
        ("new", "layoffs", "people", 300.0, None)
    }


def test_record_figures_is_idempotent(store: Store) -> None:
    item = article("a")
    analysis = ArticleAnalysis(True, [figure(10), figure(20, metric="rehired")])
    outcome = store.add_article(item, analysis)
    first = store.record_figures(outcome.article_id, item, analysis)
    assert len(first) == 2
    before = store.counts()
    assert store.record_figures(outcome.article_id, item, analysis) == []
    assert store.counts() == before
    assert len(store.figure_history()) == 2


def test_corroboration_only_from_another_article_and_once(store: Store) -> None:
    ingest(store, article("a"), ArticleAnalysis(True, [figure(42)]))
    ingest(store, article("b"), ArticleAnalysis(True, [figure(42), figure(42.01)]))
    ingest(store, article("c"), ArticleAnalysis(True, [figure(42)]))
    (development,) = store.list_developments()
    assert development.also_reported_by == ["Story b", "Story c"]


def test_bad_figure_is_rejected_and_nothing_is_lost(store: Store) -> None:
    item = article("a")
    outcome = store.add_article(item, ArticleAnalysis(True))
    bad = ArticleAnalysis(True, [figure(5), figure(float("nan"))])
    with pytest.raises(ValueError, match="finite"):
        store.record_figures(outcome.article_id, item, bad)
    with pytest.raises(ValueError, match="unknown metric"):
        store.record_figures(
            outcome.article_id, item, ArticleAnalysis(True, [figure(5, metric="x")])
        )
    assert store.counts()["figures"] == 0
    # The article is not marked done, so a corrected analysis still records.
    fixed = store.record_figures(outcome.article_id, item, ArticleAnalysis(True, [figure(5)]))
    assert summary(fixed) == {("new", "layoffs", "people", 5.0, None)}
    with pytest.raises(ValueError, match="no article"):
        store.record_figures(9999, item, ArticleAnalysis(True, [figure(5)]))


def comparable(store: Store) -> list[tuple[object, ...]]:
    return [
        (
            d.kind,
            d.subject,
            d.metric,
            d.unit,
            d.new_value,
            d.old_value,
            d.old_text,
            d.text,
            d.article_title,
            tuple(d.also_reported_by),
        )
        for d in store.list_developments()
    ]


def test_one_run_over_three_articles_equals_three_runs(make_db_url: UrlFactory) -> None:
    seeds = seed_articles()
    one_run_url, three_runs_url = make_db_url(), make_db_url()
    with Store.open(one_run_url) as store:
        for item, analysis in seeds:
            ingest(store, item, analysis)
        one_run = comparable(store)
        one_history = [(h.metric, h.value, h.article_title) for h in store.figure_history()]
    for item, analysis in seeds:
        with Store.open(three_runs_url) as store:
            ingest(store, item, analysis)
            # A rerun of the same run adds nothing.
            ingest(store, item, analysis)
    with Store.open(three_runs_url) as store:
        assert comparable(store) == one_run
        assert [(h.metric, h.value, h.article_title) for h in store.figure_history()] == one_history
    assert len(one_run) == 19


def test_concurrent_writers_agree_on_one_new_value(make_db_url: UrlFactory) -> None:
    url = make_db_url()
    Store.open(url).close()
    stores = [Store(url) for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    results: list[list[Development]] = [[] for _ in stores]
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            item = article(f"w{index}", source=f"https://feed{index}.example.org/rss")
            # Not identical, but all within tolerance of each other: still one value.
            analysis = ArticleAnalysis(True, [figure(777 + index * 0.1)])
            outcome = stores[index].add_article(item, analysis)
            barrier.wait()
            results[index] = stores[index].record_figures(outcome.article_id, item, analysis)
        except BaseException as exc:  # reported below, in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for opened in stores:
        opened.close()
    assert errors == []
    assert sum(len(r) for r in results) == 1
    with Store(url) as store:
        (development,) = store.list_developments()
        assert len(development.also_reported_by) == 3
        assert len(store.figure_history()) == 1


def test_article_with_hundreds_of_keys(store: Store) -> None:
    many = [figure(1000 + i, subject=f"Employer {i}") for i in range(650)]
    assert len(ingest(store, article("a"), ArticleAnalysis(True, many))) == 650
    moved = [figure(2000 + i if i % 2 else 1000 + i, subject=f"Employer {i}") for i in range(650)]
    developments = ingest(store, article("b"), ArticleAnalysis(True, moved))
    assert {(d.subject, d.old_value, d.new_value) for d in developments} == {
        (f"Employer {i}", 1000.0 + i, 2000.0 + i) for i in range(1, 650, 2)
    }
    corroborated = [d for d in store.list_developments() if d.also_reported_by]
    assert len(corroborated) == 325


def test_times_come_back_aware_utc_and_filter_by_since(store: Store) -> None:
    from datetime import UTC, datetime, timedelta, timezone

    before = datetime.now(UTC)
    published = datetime(2017, 5, 1, 22, 0, tzinfo=timezone(timedelta(hours=-4)))
    ingest(store, article("a", published=published), ArticleAnalysis(True, [figure(10)]))
    [development] = store.list_developments()
    assert development.detected_at is not None and development.detected_at.tzinfo == UTC
    assert before <= development.detected_at <= datetime.now(UTC)
    assert development.published == published and development.published.tzinfo == UTC
    [entry] = store.figure_history()
    assert entry.first_seen == development.detected_at and entry.published == published

    # `since` compares instants, whatever zone the caller uses.
    later = development.detected_at + timedelta(seconds=1)
    assert store.list_developments(since=later.astimezone(timezone(timedelta(hours=9)))) == []
    assert len(store.list_developments(since=development.detected_at)) == 1


def test_list_developments_filters_and_limit(store: Store) -> None:
    for i in range(5):
        ingest(store, article(f"a{i}"), ArticleAnalysis(True, [figure(100 * (i + 1))]))
    ingest(store, article("b"), ArticleAnalysis(True, [figure(9, subject="Beta")]))
    assert [d.new_value for d in store.list_developments(subject="Acme Corp", limit=2)] == [
        400.0,
        500.0,
    ]
    assert [d.subject for d in store.list_developments(subject="Beta")] == ["Beta"]
    assert len(store.list_developments()) == 6
    assert [h.value for h in store.figure_history(subject="Acme Corp", metric="layoffs")] == [
        100.0,
        200.0,
        300.0,
        400.0,
        500.0,
    ]
    assert store.figure_history(metric="wages") == []
