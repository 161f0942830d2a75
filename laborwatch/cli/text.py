"""`laborwatch text PAGE...`: the article text the pipeline reads from saved HTML pages.

It calls `extract_article_text` on the page's bytes, exactly as the monitor does with a fetched
page (ingest.sources.apply_page) and as `reextract` does with a stored one, so what it prints
is what figure extraction sees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from laborwatch.cli.common import JsonOption
from laborwatch.parsers.article_files import looks_binary
from laborwatch.parsers.gzipped import GzipError, maybe_gunzip
from laborwatch.parsers.html_text import extract_article_text

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
MAX_PAGE_BYTES = 20_000_000  # a news page is kilobytes to a few megabytes


class PageError(Exception):
    """A page that cannot be read; the message names the file and the problem."""


def read_page(raw: str) -> bytes:
    """The HTML bytes of a saved page (.html, .htm, or either gzipped). Raises PageError."""
    path = Path(raw)
    if not raw.lower().endswith(PAGE_SUFFIXES):
        raise PageError(f"{raw}: not an HTML page (expected {', '.join(PAGE_SUFFIXES)})")
    try:
        if path.stat().st_size > MAX_PAGE_BYTES:
            raise PageError(f"{raw}: too large for a page")
        data = path.read_bytes()
    except FileNotFoundError:
        raise PageError(f"{raw}: no such file") from None
    except IsADirectoryError:
        raise PageError(f"{raw}: is a folder, not a page") from None
    except OSError as exc:
        raise PageError(f"{raw}: cannot read: {exc.strerror or exc}") from None
    try:
        return maybe_gunzip(data, path, MAX_PAGE_BYTES)
    except GzipError as exc:
        raise PageError(f"{raw}: {exc}") from None


def page_text(raw: str) -> dict[str, Any]:
    """{"path", "title", "text"} of one saved page. Raises PageError."""
    data = read_page(raw)
    if looks_binary(data):
        raise PageError(f"{raw}: binary data, not an HTML page")
    try:
        title, text = extract_article_text(data)
    except Exception as exc:  # lxml failures on hostile pages: one error line, not a traceback
        raise PageError(f"{raw}: cannot extract text ({exc})") from None
    return {"path": raw, "title": title, "text": text}


def text(
    paths: Annotated[list[str], typer.Argument(help="HTML pages (.html, .htm, or gzipped).")],
    as_json: JsonOption = False,
) -> None:
    """Print the article text the pipeline reads from HTML pages (title, then the text)."""
    results: list[dict[str, Any]] = []
    failed = False
    for raw in paths:
        try:
            results.append(page_text(raw))
        except PageError as exc:
            typer.echo(f"error: {exc}", err=True)
            failed = True
    if as_json:
        typer.echo(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        for index, result in enumerate(results):
            if len(paths) > 1:
                typer.echo(f"{'' if index == 0 else chr(10)}==> {result['path']} <==")
            title, body = result["title"], result["text"]
            typer.echo(f"{title}\n\n{body}" if title else body)
    if failed:
        raise typer.Exit(1)
