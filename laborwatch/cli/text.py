"""`laborwatch text PAGE...`: the article text the pipeline reads from saved HTML pages.

It calls `extract_article_text` on the page's bytes, exactly as the monitor does with a fetched
page (ingest.sources.apply_page) and as `reextract` does with a stored one, so what it prints
is what figure extraction sees."""

from __future__ import annotations

import gzip
import io
import json
import zlib
from pathlib import Path
from typing import Annotated, Any

import typer

from laborwatch.cli.common import JsonOption
from laborwatch.parsers.html_text import extract_article_text

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
MAX_PAGE_BYTES = 20_000_000  # a news page is kilobytes to a few megabytes
_GZIP_MAGIC = b"\x1f\x8b"


class PageError(Exception):
    """A page that cannot be read; the message names the file and the problem."""


def _decompress(data: bytes, path: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            page = stream.read(MAX_PAGE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise PageError(f"{path}: not a readable gzip file ({exc})") from None
    if len(page) > MAX_PAGE_BYTES:
        raise PageError(f"{path}: more than {MAX_PAGE_BYTES} bytes once decompressed")
    return page


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
    if data.startswith(_GZIP_MAGIC):
        return _decompress(data, raw)
    if raw.lower().endswith(".gz"):
        raise PageError(f"{raw}: not a gzip file")
    return data


def page_text(raw: str) -> dict[str, Any]:
    """{"path", "title", "text"} of one saved page. Raises PageError."""
    data = read_page(raw)
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
