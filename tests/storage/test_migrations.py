from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from laborwatch.storage import Store, upgrade_database
from laborwatch.storage.db import DatabaseURLError, alembic_config, current_revision, make_engine
from laborwatch.storage.models import Base

EXPECTED_TABLES = {
    "sources",
    "articles",
    "article_sources",
    "figures",
    "known_values",
    "developments",
    "corroborations",
    "alert_outbox",
}


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def test_upgrade_from_empty_creates_every_table_at_head(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No alembic.ini on the caller's cwd: the package finds its own migrations.
    monkeypatch.chdir(tmp_path)
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        upgrade_database(db_url)
        assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    upgrade_database(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_open_twice_is_a_no_op_and_keeps_data(db_url: str) -> None:
    from laborwatch.domain import ArticleAnalysis
    from tests.storage.conftest import article

    with Store.open(db_url) as first:
        first.add_article(article("a"), ArticleAnalysis(True))
    with Store.open(db_url) as second:
        assert second.counts()["articles"] == 1


def test_downgrade_to_base_and_back(db_url: str) -> None:
    upgrade_database(db_url)
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            config = alembic_config(db_url)
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert not (EXPECTED_TABLES & set(inspect(engine).get_table_names()))
        upgrade_database(db_url)
        assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
    finally:
        engine.dispose()


def test_sqlite_file_gets_parent_folder_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "deeper" / "lw.db"
    with Store.open(f"sqlite:///{path}") as store:
        assert path.exists()
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_bad_url_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(DatabaseURLError) as caught:
        Store("nosuchdialect://user:hunter2@db.example.org/x")
    assert "hunter2" not in str(caught.value)
    with pytest.raises(DatabaseURLError):
        Store("this is not a url")


def test_upgrade_from_first_revision_keeps_data(db_url: str) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import text

    from laborwatch.domain import ArticleAnalysis
    from tests.storage.conftest import article, figure

    upgrade_database(db_url, "0001")
    engine = make_engine(db_url)
    feed, link = "https://feed.example.org/rss", "https://news.example.org/a"
    now = datetime(2026, 11, 1, tzinfo=UTC)
    try:
        assert current_revision(engine) == "0001"
        indexes = {ix["name"] for ix in inspect(engine).get_indexes("article_sources")}
        assert "ix_article_sources_source_link" not in indexes
        # What a 0001 installation holds: a source, an article it delivered, and the link.
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO sources (id, key, failure_score, consecutive_failures, created_at)"
                    " VALUES (1, :key, 0, 0, :now)"
                ),
                {"key": feed, "now": now},
            )
            connection.execute(
                text(
                    "INSERT INTO articles (id, canonical_url, content_hash, title, url, text_z,"
                    " position, labor_relevant, first_source_id, first_seen_at)"
                    " VALUES (1, :url, :hash, 'Story a', :url, :text, 0, :yes, 1, :now)"
                ),
                {
                    "url": link,
                    "hash": "0" * 64,
                    "text": b"x\x9c\x03\x00\x00\x00\x00\x01",
                    "yes": True,
                    "now": now,
                },
            )
            connection.execute(
                text(
                    "INSERT INTO article_sources (article_id, source_id, link, seen_at)"
                    " VALUES (1, 1, :link, :now)"
                ),
                {"link": link, "now": now},
            )
    finally:
        engine.dispose()
    with Store.open(db_url) as store:
        assert current_revision(store.engine) == head_revision()
        assert store.counts() == {"sources": 1, "articles": 1, "figures": 0, "developments": 0}
        # A link stored before entries had fingerprints counts as unchanged, once.
        assert store.unchanged_links(feed, {link: "v1"}) == {link}
        assert store.unchanged_links(feed, {link: "v2"}) == set()
        item = article("b")
        analysis = ArticleAnalysis(True, [figure(12)])
        [stored] = store.store_articles([(item, analysis)])
        assert stored.outcome.is_new and len(stored.developments) == 1
