"""The cost of recording an article must not grow with the history: a fixed number of statements,
each answered from an index (checked on SQLite's query plans; PostgreSQL picks seq scans on tiny
tables, so there only the statement count is checked)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from laborwatch.domain import ArticleAnalysis
from laborwatch.storage import Store
from tests.storage.conftest import article, figure

METRICS = ("layoffs", "rehired", "workforce")


def analysis_for(index: int) -> ArticleAnalysis:
    return ArticleAnalysis(
        True,
        [
            figure(float(1000 + index * 10 + j), metric=METRICS[j % 3], subject=f"Firm {j % 4}")
            for j in range(8)
        ],
    )


@contextmanager
def captured(store: Store) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
        statements.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


def record_one(store: Store, index: int) -> list[tuple[str, Any]]:
    item = article(f"n{index}")
    analysis = analysis_for(index)
    with captured(store) as statements:
        outcome = store.add_article(item, analysis)
        store.record_figures(outcome.article_id, item, analysis)
    return statements


def test_statement_count_does_not_depend_on_history_size(store: Store) -> None:
    record_one(store, 0)
    small = len(record_one(store, 1))
    for index in range(2, 150):
        record_one(store, index)
    large = record_one(store, 150)
    assert len(large) == small
    assert store.counts()["figures"] == 151 * 8


def test_sqlite_plans_use_indexes_only(tmp_path: Any) -> None:
    with Store.open(f"sqlite:///{tmp_path}/plans.db") as store:
        for index in range(30):
            record_one(store, index)
        statements = record_one(store, 30)
        checked = [
            (statement, params)
            for statement, params in statements
            if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE"))
        ]
        assert sum("FROM known_values" in statement for statement, _ in checked) == 2
        with store.engine.connect() as connection:
            for statement, params in checked:
                plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
                full_scans = [row[3] for row in plan if str(row[3]).startswith("SCAN")]
                assert full_scans == [], (statement, plan)
