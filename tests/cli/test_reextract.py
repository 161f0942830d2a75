"""`reextract`: stored articles are extracted again from their stored raw body, no fetching."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from laborwatch.parsers.analyze import analyze_article
from laborwatch.parsers.article_files import read_article_file
from laborwatch.pipeline.reextract import reextract_articles, text_from_raw
from laborwatch.storage.store import Store

SEEDS = Path(__file__).resolve().parents[2] / "data" / "samples" / "articles"


def test_a_stale_extraction_is_found_and_replaced(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'lw.db'}")
    try:
        seed = sorted(SEEDS.glob("*.txt"))[2]
        article = read_article_file(seed, source=str(SEEDS))
        fresh = analyze_article(article.title, article.text)
        # What an older extractor stored: the budget figure missed.
        stale = replace(fresh, figures=[f for f in fresh.figures if f.metric != "budget"])
        outcome = store.add_article(article, stale)
        store.record_figures(outcome.article_id, article, stale)
        history_before = store.figure_history()

        seen, changes = reextract_articles(store)
        assert seen == 1 and len(changes) == 1
        assert [f[1] for f in changes[0].added] == ["budget"] and changes[0].removed == []
        assert len(store.article_figures(outcome.article_id)) == len(stale.figures)  # report only

        reextract_articles(store, apply=True)
        assert len(store.article_figures(outcome.article_id)) == len(fresh.figures)
        assert reextract_articles(store)[1] == []  # nothing left to change
        assert store.figure_history() == history_before  # past alerts and history stand
    finally:
        store.close()


def test_raw_html_is_read_again_as_html() -> None:
    article = read_article_file(sorted(SEEDS.glob("*.txt"))[0], source="x")
    page = replace(
        article,
        raw="<html><body><nav>Home | Sports</nav><article><p>The city will lay off 40 workers."
        "</p></article><script>var x = 1;</script></body></html>",
    )
    text = text_from_raw(page)
    assert "lay off 40 workers" in text and "var x" not in text and "Sports" not in text


def test_a_fetched_page_is_kept_as_bytes_and_read_again_with_its_own_encoding(
    tmp_path: Path,
) -> None:
    page = (
        '<html><head><meta charset="windows-1252"><title>Mill</title></head><body>'
        "<nav>Home | Sports</nav><article><p>The mill\u2019s owner will lay off 40 workers "
        "in Ma\u00f1ana County.</p></article></body></html>"
    ).encode("windows-1252")
    article = replace(
        read_article_file(sorted(SEEDS.glob("*.txt"))[0], source="https://feed.example.org/rss"),
        url="https://news.example.org/mill",
        page=page,
        raw=None,
    )
    store = Store.open(f"sqlite:///{tmp_path / 'lw.db'}")
    try:
        store.add_article(article, analyze_article(article.title, article.text))
        [(_, loaded)] = list(store.iter_articles_for_reextract())
    finally:
        store.close()
    assert loaded.page == page  # byte for byte, undecoded
    text = text_from_raw(loaded)
    assert "The mill\u2019s owner will lay off 40 workers in Ma\u00f1ana County." in text
    assert "Sports" not in text
