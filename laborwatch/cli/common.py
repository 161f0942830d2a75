"""What every command shares: consoles, the common options, settings and the store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from laborwatch.settings import (
    NO_CONFIG_HINT,
    NoConfigError,
    Settings,
    SettingsError,
    load_settings,
)

if TYPE_CHECKING:
    from laborwatch.storage.store import Store

err = Console(stderr=True)
out = Console()

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="Config file (default: $LABORWATCH_CONFIG, else ./laborwatch.toml)."
    ),
]
DbOption = Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL of the database.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only on stdout.")]
SampleOption = Annotated[
    bool, typer.Option("--sample", help="Use the bundled sample (seed articles and a feed).")
]


def fail(message: str, code: int = 2) -> typer.Exit:
    """One clear line on stderr; the caller raises what this returns."""
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def load_cli_settings(config: Path | None, db: str | None, *, sample: bool = False) -> Settings:
    """The settings, loaded once here at the edge; --db on top. With --db and no config file
    anywhere, the defaults: reading a database needs nothing else."""
    try:
        settings = load_settings(config, sample=sample)
    except NoConfigError:
        if not db:
            raise fail(NO_CONFIG_HINT) from None
        settings = Settings()
    except SettingsError as exc:
        raise fail(str(exc)) from None
    if db:
        settings.database_url = db
    return settings


def open_store(url: str) -> Store:
    from laborwatch.storage.store import Store

    return Store.open(url)


def print_developments(developments: list[Any]) -> None:
    from laborwatch.alerts.render import group_same_article, headline

    if not developments:
        out.print("No new developments.")
        return
    out.print(f"[bold]{len(developments)} development(s)[/bold]\n")
    for dev in group_same_article(developments):
        out.print(f"[bold]• {headline(dev)}[/bold]", highlight=False)
        if dev.also_in_article:
            out.print(f"  also in this article: {', '.join(dev.also_in_article)}", highlight=False)
        out.print(f"  “{dev.sentence}”", highlight=False, soft_wrap=True)
        where = (
            dev.article_title
            + (" (updated story)" if dev.story_updated else "")
            + (f" <{dev.article_url}>" if dev.article_url else "")
        )
        out.print(f"  source: {where}", highlight=False, soft_wrap=True)
        if dev.also_reported_by:
            out.print(f"  also reported by: {', '.join(dev.also_reported_by)}", highlight=False)
        out.print()
