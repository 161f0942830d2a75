"""What every command shares: consoles, the common options, settings and the store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from laborwatch.cli.errors import (
    BAD_INPUT,
    clean,
    one_line,
    print_error,
    remember_database,
    remember_secrets,
)
from laborwatch.cli.errors import (
    err as err,
)
from laborwatch.redaction import credentials_of
from laborwatch.settings import (
    NO_CONFIG_HINT,
    NoConfigError,
    Settings,
    SettingsError,
    check_database_url,
    load_settings,
)

if TYPE_CHECKING:
    from laborwatch.storage.store import Store

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


DebugOption = Annotated[
    bool,
    typer.Option(
        "--debug", envvar="LABORWATCH_DEBUG", help="Show the traceback of an error (redacted)."
    ),
]


def fail(message: str, code: int = BAD_INPUT) -> typer.Exit:
    """One clear line on stderr, credentials masked; the caller raises what this returns."""
    print_error(message)
    return typer.Exit(code)


def warn(message: str) -> None:
    err.print(
        f"[yellow]warning:[/yellow] {escape(clean(one_line(message)))}",
        highlight=False,
        soft_wrap=True,
    )


def load_cli_settings(config: Path | None, db: str | None, *, sample: bool = False) -> Settings:
    """The settings, loaded once here at the edge; --db on top. With --db and no config file
    anywhere, the defaults: reading a database needs nothing else. The database URL is checked
    here (rc 2 when it cannot work), and every URL of the settings becomes a secret that no
    message of this process shows."""
    if db:
        remember_secrets(credentials_of(db))
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
    remember_secrets(secret_values(settings))
    remember_database(settings.database_url)
    try:
        check_database_url(settings.database_url)
    except SettingsError as exc:
        raise fail(str(exc)) from None
    return settings


def secret_values(settings: Settings) -> set[str]:
    """What no message may show: the Apprise and operator URLs (never shown: a target shows
    its label), the credentials inside the database URL and the feed locations (shown)."""
    found = {*settings.alerts.urls, *settings.alerts.operators_urls}
    for url in (settings.database_url, *(source.location for source in settings.sources)):
        found |= credentials_of(url)
    return found


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
