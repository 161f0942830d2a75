from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from storage import Store, upgrade_database
from storage.db import DatabaseURLError, alembic_config, current_revision, make_engine
from storage.models import Base

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
    from laborwatch.domain import ArticleAnalysis
    from tests.storage.conftest import article, figure

    upgrade_database(db_url, "0001")
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) == "0001"
        indexes = {ix["name"] for ix in inspect(engine).get_indexes("article_sources")}
        assert "ix_article_sources_source_link" not in indexes
    finally:
        engine.dispose()
    # The 0001 schema is enough to store an article and its figures.
    with Store(db_url) as old:
        item = article("a")
        analysis = ArticleAnalysis(True, [figure(12)])
        outcome = old.add_article(item, analysis)
        assert len(old.record_figures(outcome.article_id, item, analysis)) == 1
    with Store.open(db_url) as store:
        assert store.counts() == {"sources": 1, "articles": 1, "figures": 1, "developments": 1}
        assert store.known_links(item.source, [item.url or ""]) == {item.url}
        assert current_revision(store.engine) == head_revision()
