"""Store.store_articles (one transaction per chunk) gives exactly what add_article +
record_figures give one by one, and stores nothing when it fails."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from laborwatch.domain import Article, ArticleAnalysis, Development, Figure
from laborwatch.storage import Store
from laborwatch.storage.models import (
    ArticleRow,
    ArticleSourceRow,
    CorroborationRow,
    FigureRow,
    KnownValueRow,
)
from tests.storage.conftest import UrlFactory, article, figure, seed_articles

Items = list[tuple[Article, ArticleAnalysis]]


def one_by_one(store: Store, items: Items) -> list[tuple[int, bool, list[Development]]]:
    results = []
    for art, analysis in items:
        outcome = store.add_article(art, analysis)
        found = store.record_figures(outcome.article_id, art, analysis) if outcome.is_new else []
        results.append((outcome.article_id, outcome.is_new, found))
    return results


def batched(store: Store, items: Items) -> list[tuple[int, bool, list[Development]]]:
    return [
        (s.outcome.article_id, s.outcome.is_new, s.developments)
        for s in store.store_articles(items)
    ]


def comparable(dev: Development) -> tuple[Any, ...]:
    # Everything but the detection time, which is the clock's.
    return (
        dev.id, dev.kind, dev.subject, dev.metric, dev.unit, dev.old_value, dev.new_value,
        dev.approx, dev.text, dev.old_text, dev.old_approx, dev.sentence, dev.article_title,
        dev.article_url, dev.published, dev.source, tuple(dev.also_reported_by),
    )  # fmt: skip


def snapshot(store: Store) -> dict[str, Any]:
    with store.engine.connect() as connection:

        def rows(*columns: Any) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in connection.execute(select(*columns).order_by(*columns))]

        return {
            "articles": rows(
                ArticleRow.id, ArticleRow.content_hash, ArticleRow.title, ArticleRow.url,
                ArticleRow.labor_relevant, ArticleRow.first_source_id, ArticleRow.text_z,
                ArticleRow.raw_z, ArticleRow.figures_recorded_at.is_(None),
            ),
            "article_sources": rows(
                ArticleSourceRow.article_id, ArticleSourceRow.source_id, ArticleSourceRow.link
            ),
            "figures": rows(
                FigureRow.id, FigureRow.article_id, FigureRow.subject, FigureRow.metric,
                FigureRow.unit, FigureRow.value, FigureRow.text, FigureRow.start,
            ),
            "known": rows(
                KnownValueRow.id, KnownValueRow.subject, KnownValueRow.metric,
                KnownValueRow.unit, KnownValueRow.value, KnownValueRow.first_article_id,
                KnownValueRow.development_id,
            ),
            "corroborations": rows(CorroborationRow.development_id, CorroborationRow.article_id),
            "developments": [comparable(d) for d in store.list_developments()],
            "counts": store.counts(),
        }  # fmt: skip


def generated_batch(seed: int, size: int) -> Items:
    """Articles over a few subjects and sources whose figures repeat, change, fall within
    tolerance, and whose stories reappear through other outlets (duplicates)."""
    rng = random.Random(seed)
    subjects = ["Acme Corp", "Globex", "State of Ohio", "Initech"]
    metrics = [("layoffs", "people"), ("budget", "USD"), ("deficit", "USD")]
    sources = [f"https://feed{n}.example.org/rss" for n in range(3)]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    items: Items = []
    for i in range(size):
        if items and rng.random() < 0.15:
            earlier, analysis = rng.choice(items)  # the same story through another outlet
            items.append((replace(earlier, source=rng.choice(sources), guid=None), analysis))
            continue
        figures = []
        for _ in range(rng.randint(0, 4)):
            metric, unit = rng.choice(metrics)
            base = rng.choice([100, 250, 1000, 2e9])
            value = base * rng.choice([1, 1, 1.001, 1.2, 0.5, 3])
            figures.append(figure(value, metric=metric, unit=unit, subject=rng.choice(subjects)))
        items.append(
            (
                article(
                    f"g{seed}-{i}",
                    source=rng.choice(sources),
                    published=start + timedelta(hours=i),
                    text=f"Story {i}: " + " ".join(f.text for f in figures),
                    raw=f"<p>story {i}</p>",
                    position=i,
                ),
                ArticleAnalysis(rng.random() < 0.85, figures),
            )
        )
    return items


@pytest.mark.parametrize("case", ["seeds", "generated"])
def test_batch_equals_one_by_one(make_db_url: UrlFactory, case: str) -> None:
    if case == "seeds":
        batches = [seed_articles()]
        # The seeds again, through another feed: known values, corroborations, duplicates.
        batches.append(
            [(replace(a, source="https://wire.example.org/rss"), x) for a, x in batches[0]]
        )
    else:
        batches = [generated_batch(7, 120), generated_batch(8, 80)]
    with Store.open(make_db_url()) as single, Store.open(make_db_url()) as batch:
        for items in batches:
            expected = one_by_one(single, items)
            got = batched(batch, items)
            assert [(i, new, [comparable(d) for d in devs]) for i, new, devs in got] == [
                (i, new, [comparable(d) for d in devs]) for i, new, devs in expected
            ]
        expected_state, got_state = snapshot(single), snapshot(batch)
    assert got_state == expected_state
    # The comparison saw every kind of outcome, so it could have failed on any of them.
    kinds = {row[1] for row in expected_state["developments"]}
    assert kinds == {"new", "changed"}
    assert expected_state["corroborations"]
    assert any(not new for _, new, _ in expected)


def test_a_bad_figure_stores_nothing_of_the_batch(store: Store) -> None:
    good = (article("ok"), ArticleAnalysis(True, [figure(120)]))
    bad_figure = Figure(
        text="x", value=float("nan"), unit="people", metric="layoffs", approx=False,
        sentence="x", start=0, end=1, subject="Acme Corp",
    )  # fmt: skip
    bad = (article("bad"), ArticleAnalysis(True, [bad_figure]))
    with pytest.raises(ValueError, match="finite number"):
        store.store_articles([good, bad])
    assert store.counts() == {"sources": 0, "articles": 0, "figures": 0, "developments": 0}
    # The good article alone goes through, as the flow's fallback does.
    (stored,) = store.store_articles([good])
    assert stored.outcome.is_new and [d.kind for d in stored.developments] == ["new"]
