"""The three seed articles, and a database holding their history (built through the storage core,
not through a run)."""

from __future__ import annotations

from pathlib import Path

from laborwatch.parsers.analyze import analyze_article
from laborwatch.parsers.article_files import read_article_file
from laborwatch.storage.store import Store

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "data" / "samples" / "articles").glob("*.txt"))


def seed_database(db: Path) -> Path:
    store = Store.open(f"sqlite:///{db}")
    try:
        for seed in SEEDS:
            article = read_article_file(seed, source="seeds")
            analysis = analyze_article(article.title, article.text)
            outcome = store.add_article(article, analysis)
            store.record_figures(outcome.article_id, article, analysis)
    finally:
        store.close()
    return db
