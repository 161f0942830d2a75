"""`laborwatch extract`: figures from article files, feed files or standard input, without a
database: what the monitor would see."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from laborwatch.cli.common import JsonOption, err, out
from laborwatch.cli.errors import one_line
from laborwatch.domain import Article

FEED_HINT_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".json", ".rdf"})


def _figure_to_dict(figure: Any) -> dict[str, Any]:
    return {
        "text": figure.text,
        "value": figure.value,
        "unit": figure.unit,
        "metric": figure.metric,
        "approx": figure.approx,
        "subject": figure.subject,
        "sentence": figure.sentence,
        "start": figure.start,
        "end": figure.end,
    }


def _expand_inputs(paths: list[str]) -> list[str]:
    from laborwatch.parsers.article_files import ARTICLE_SUFFIXES
    from laborwatch.parsers.gzipped import inner_suffix

    expanded: list[str] = []
    for raw in paths:
        path = Path(raw)
        if raw != "-" and path.is_dir():
            expanded += sorted(
                str(p)
                for p in path.rglob("*")
                if p.is_file() and inner_suffix(p) in ARTICLE_SUFFIXES | FEED_HINT_SUFFIXES
            )
        else:
            expanded.append(raw)
    return expanded


def _problem(raw: str, exc: BaseException) -> str:
    """The reason once, with the path once: "/nope/missing.txt: no such file"."""
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    text = text.strip().removeprefix(f"{raw}:").strip() or type(exc).__name__
    return one_line(f"{raw}: {text}")  # a YAML parser's message spans lines


def _read(raw: str) -> list[tuple[str, Article]]:
    """(label, article) for one input: a feed file gives one per entry (its summary or content;
    pages are not fetched here), an article file one, '-' standard input."""
    from laborwatch.ingest.sources import read_source
    from laborwatch.parsers.article_files import ARTICLE_SUFFIXES, read_article_file
    from laborwatch.parsers.gzipped import inner_suffix

    if raw == "-":
        return [("-", Article(source="-", title="", text=sys.stdin.read()))]
    path = Path(raw)
    if not path.exists():
        raise FileNotFoundError(2, "no such file", raw)
    if inner_suffix(path) in ARTICLE_SUFFIXES:
        return [(raw, read_article_file(path, source=raw))]
    batch = read_source(raw, kind="auto", fetcher=None, state=None, fetch_pages=False)
    if batch.errors and not batch.articles:
        raise ValueError(batch.errors[0].message)
    return [(f"{raw} #{a.position + 1}: {a.title[:80]}", a) for a in batch.articles]


def _table(result: dict[str, Any]) -> Table:
    table = Table(title=f"{result['path']} (labor relevant: {result['labor_relevant']})")
    for column in ("text", "value", "unit", "metric", "approx", "subject"):
        table.add_column(column)
    for f in result["figures"]:
        table.add_row(
            f["text"], f"{f['value']:g}", f["unit"], f["metric"], str(f["approx"]), f["subject"]
        )
    return table


def extract(
    paths: Annotated[
        list[str], typer.Argument(help="Article files, feed files or folders; '-' for stdin.")
    ],
    as_json: JsonOption = False,
) -> None:
    """Extract figures from articles or feed files (no database): what the monitor would see.
    A feed file is previewed from its entries' text; linked pages are not fetched."""
    from laborwatch.parsers.analyze import analyze_article

    results: list[dict[str, Any]] = []
    failed = False
    for raw in _expand_inputs(paths):
        try:
            articles = _read(raw)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            err.print(f"error: {_problem(raw, exc)}", highlight=False, markup=False, soft_wrap=True)
            failed = True
            continue
        for label, article in articles:
            analysis = analyze_article(article.title, article.text)
            results.append(
                {
                    "path": label,
                    "title": article.title,
                    "labor_relevant": analysis.labor_relevant,
                    "figures": [_figure_to_dict(f) for f in analysis.figures],
                }
            )
    if as_json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        for result in results:
            out.print(_table(result))
    if failed:
        raise typer.Exit(1)
