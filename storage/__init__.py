"""Persistence for laborwatch: articles, figures and their history, developments, alert outbox.

Plain Python (no Prefect, no environment reads): give it a SQLAlchemy URL."""

from laborwatch.storage.db import DatabaseURLError, make_engine, upgrade_database
from laborwatch.storage.store import (
    ArticleOutcome,
    HistoryEntry,
    OutboxItem,
    SourceRow,
    Store,
    StoredArticle,
)

__all__ = [
    "ArticleOutcome",
    "DatabaseURLError",
    "HistoryEntry",
    "OutboxItem",
    "SourceRow",
    "Store",
    "StoredArticle",
    "make_engine",
    "upgrade_database",
]
