"""Fixtures for the extraction tests: the labelled seed articles and the extraction corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from laborwatch.parsers.scoring import (
    LabelledArticle,
    load_corpus,
    load_realnews,
    load_seed_gold,
)

ROOT = Path(__file__).resolve().parents[2]
SEED_GOLD = ROOT / "tests" / "data" / "seed_gold.json"
SEED_ARTICLES = ROOT / "data" / "samples" / "articles"
SHARED_GOLD = ROOT.parent / "shared" / "fixtures" / "seed_gold.json"
CORPUS = ROOT / "tests" / "data" / "extraction_corpus" / "corpus.jsonl"
# Real articles labelled by FIGURES.md, shared next to the repository and never copied into it.
REALNEWS = ROOT.parent / "shared" / "realnews"


@pytest.fixture(scope="session")
def seed_articles() -> list[LabelledArticle]:
    # The project ships the seeds and a copy of their gold; ../shared is only a fallback.
    gold = SEED_GOLD if SEED_GOLD.exists() else SHARED_GOLD
    if not gold.exists() or not SEED_ARTICLES.exists():
        pytest.skip(f"seed gold not found at {SEED_GOLD} or {SHARED_GOLD}")
    return load_seed_gold(gold, SEED_ARTICLES)


@pytest.fixture(scope="session")
def corpus_articles() -> list[LabelledArticle]:
    return load_corpus(CORPUS)


@pytest.fixture(scope="session")
def realnews_articles() -> list[LabelledArticle]:
    files = sorted(REALNEWS.glob("*/*.json"))
    if not files:
        pytest.skip(f"no real-news gold files under {REALNEWS} (../shared/realnews is absent)")
    return load_realnews(files)
