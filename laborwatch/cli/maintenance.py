"""`reextract`: the stored articles through the current extraction."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from laborwatch.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    SampleOption,
    load_cli_settings,
    open_store,
    out,
)
from laborwatch.cli.progress import count_bar, wanted


def reextract(
    config: ConfigOption = None,
    db: DbOption = None,
    sample: SampleOption = False,
    apply: Annotated[
        bool, typer.Option("--apply", help="Store the new figures (default: only report).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Extract the stored articles again from their stored raw text (no fetching). The figure
    history and past alerts are not rewritten."""
    from laborwatch.pipeline.reextract import reextract_articles
    from laborwatch.pipeline.run import subject_aliases

    settings = load_cli_settings(config, db, sample=sample)
    store = open_store(settings.database_url)
    try:
        with count_bar(wanted(as_json=as_json), "articles read again") as progress:
            seen, changes = reextract_articles(
                store, aliases=subject_aliases(settings), apply=apply, progress=progress
            )
    finally:
        store.close()
    if as_json:
        print(
            json.dumps(
                {
                    "articles": seen,
                    "changed": [
                        {
                            "article_id": c.article_id,
                            "title": c.title,
                            "before": c.before,
                            "after": c.after,
                            "added": [list(f) for f in c.added],
                            "removed": [list(f) for f in c.removed],
                        }
                        for c in changes
                    ],
                    "applied": apply,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    for change in changes:
        out.print(
            f"{change.title[:90]}: {change.before} → {change.after} figures "
            f"(+{len(change.added)} −{len(change.removed)})",
            highlight=False,
        )
    verb = "updated" if apply else "would change (use --apply to store)"
    out.print(f"{seen} article(s) read; {len(changes)} {verb}")
