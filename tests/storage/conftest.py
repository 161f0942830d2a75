"""Storage tests run on a fresh SQLite file and, when LABORWATCH_TEST_POSTGRES_URL is set, on a
fresh PostgreSQL schema per test (dropped afterwards)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from laborwatch.domain import Article, ArticleAnalysis, Figure
from laborwatch.storage import Store

POSTGRES_ENV = "LABORWATCH_TEST_POSTGRES_URL"
REPO = Path(__file__).resolve().parents[2]
SEED_GOLD = Path("/work/shared/fixtures/seed_gold.json")
SEED_ARTICLES = REPO / "data" / "samples" / "articles"
SEED_SUBJECT = "Connecticut state employees"

UrlFactory = Callable[[], str]


@pytest.fixture(params=["sqlite", "postgresql"])
def make_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UrlFactory]:
    """Returns a function that hands out URLs of new, empty databases of the parametrised kind."""
    if request.param == "sqlite":
        counter = iter(range(1000))
        yield lambda: f"sqlite:///{tmp_path}/db{next(counter)}/laborwatch.db"
        return

    base_url = os.environ.get(POSTGRES_ENV)
    if not base_url:
        pytest.skip(
            "PostgreSQL variant: no server on 127.0.0.1:5432 (trust auth, database 'test'); "
            f"start one or set {POSTGRES_ENV}"
        )
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    schemas: list[str] = []

    def new_schema_url() -> str:
        schema = f"lw_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        schemas.append(schema)
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    try:
        yield new_schema_url
    finally:
        with admin.connect() as connection:
            for schema in schemas:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db_url(make_db_url: UrlFactory) -> str:
    return make_db_url()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    try:
        yield opened
    finally:
        opened.close()


def seed_articles() -> list[tuple[Article, ArticleAnalysis]]:
    """The three seed articles with their gold figures, in story order, as hand-built inputs."""
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    result = []
    for entry in sorted(gold["articles"], key=lambda item: item["order"]):
        path = SEED_ARTICLES / Path(entry["file"]).name
        body = path.read_text(encoding="utf-8")
        figures = []
        for item in entry["figures"]:
            start = body.find(item["text"])
            start = max(start, 0)
            figures.append(
                Figure(
                    text=item["text"],
                    value=float(item["value"]),
                    unit=item["unit"],
                    metric=item["metric"],
                    approx=bool(item.get("approx", False)),
                    sentence=item["text"],
                    start=start,
                    end=start + len(item["text"]),
                    subject=SEED_SUBJECT,
                )
            )
        article = Article(
            source=str(SEED_ARTICLES),
            title=path.stem,
            text=body,
            url=f"https://news.example.org/ct/{quote(path.stem)}",
            raw=body,
        )
        result.append((article, ArticleAnalysis(entry["labor_relevant"], figures)))
    return result


def figure(
    value: float,
    *,
    metric: str = "layoffs",
    unit: str = "people",
    subject: str = "Acme Corp",
    text_: str | None = None,
    approx: bool = False,
) -> Figure:
    span = text_ or f"{value:g}"
    return Figure(
        text=span,
        value=value,
        unit=unit,  # type: ignore[arg-type]
        metric=metric,
        approx=approx,
        sentence=f"The figure is {span}.",
        start=14,
        end=14 + len(span),
        subject=subject,
    )


def article(
    name: str, *, source: str = "https://feed.example.org/rss", **fields: object
) -> Article:
    values: dict[str, object] = {
        "title": f"Story {name}",
        "text": f"Body of story {name}.",
        "url": f"https://news.example.org/{name}",
    }
    values.update(fields)
    return Article(source=source, **values)  # type: ignore[arg-type]
