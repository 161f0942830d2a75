"""Persistence for laborwatch: articles, figures and their history, developments, sources and
the alert outbox.

Plain Python (no Prefect, no environment reads): give it a SQLAlchemy URL."""

from laborwatch.domain import HistoryEntry
from laborwatch.storage.db import DatabaseURLError, make_engine, upgrade_database
from laborwatch.storage.errors import StorageError
from laborwatch.storage.records import (
    AlertRoutes,
    ArticleOutcome,
    OutboxItem,
    SourceRow,
    SourceStateUpdate,
    StoredArticle,
)
from laborwatch.storage.store import Store

__all__ = [
    "AlertRoutes",
    "ArticleOutcome",
    "DatabaseURLError",
    "HistoryEntry",
    "OutboxItem",
    "SourceRow",
    "SourceStateUpdate",
    "StorageError",
    "Store",
    "StoredArticle",
    "make_engine",
    "upgrade_database",
]
