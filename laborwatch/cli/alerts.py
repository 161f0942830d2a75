"""`alerts` (the outbox, --retry) and `test-notify`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from laborwatch.cli.common import (
    ConfigOption,
    DbOption,
    err,
    fail,
    load_cli_settings,
    open_store,
    out,
    warn,
)
from laborwatch.cli.errors import clean, redact_logs, remember_secrets


def alerts(
    config: ConfigOption = None,
    db: DbOption = None,
    pending: Annotated[bool, typer.Option("--pending", help="Only alerts not yet sent.")] = False,
    retry: Annotated[bool, typer.Option("--retry", help="Send pending alerts now.")] = False,
) -> None:
    """Show the alert outbox; --retry sends what is pending."""
    from laborwatch.alerts.render import headline
    from laborwatch.alerts.targets import TargetError, load_targets
    from laborwatch.flows.secrets import SecretBlockError, configured_apprise_urls
    from laborwatch.pipeline.steps import deliver_outbox

    settings = load_cli_settings(config, db)
    store = open_store(settings.database_url)
    try:
        if retry:
            try:
                urls = configured_apprise_urls(settings.alerts.urls, settings.alerts.secret_block)
                targets = load_targets(urls, settings.alerts.config)
            except (TargetError, SecretBlockError) as exc:
                raise fail(str(exc)) from None
            remember_secrets(urls)
            redact_logs()
            label = f"retry-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
            counts, errors = deliver_outbox(
                store,
                targets,
                mode=settings.alerts.mode,
                run_label=label,
                claimant=label,
                retry_failed=True,  # exhausted alerts too, without waiting for their back-off
            )
            for error in errors:
                warn(error.message)
            err.print(f"alerts: {counts}")
        items = store.list_alerts(pending_only=pending)
        table = Table(title="Alert outbox")
        for column in ("id", "target", "attempts", "headline", "last error"):
            table.add_column(column)
        for item in items:
            table.add_row(
                str(item.id),
                item.target_key,
                str(item.attempts),
                headline(item.development),
                clean(item.last_error or ""),
            )
        out.print(table)
    finally:
        store.close()


def test_notify(
    config: ConfigOption = None,
    notify: Annotated[
        list[str] | None, typer.Option("--notify", "-n", help="Apprise URL (repeatable).")
    ] = None,
) -> None:
    """Send a sample alert to the configured URLs to check the set-up."""
    from laborwatch.alerts.send import send_developments
    from laborwatch.alerts.targets import TargetError, load_targets
    from laborwatch.domain import Development
    from laborwatch.flows.secrets import SecretBlockError, configured_apprise_urls

    remember_secrets(notify or ())
    redact_logs()  # Apprise logs what it rejects, tokens included
    try:
        if notify:
            targets = load_targets(notify)
        else:
            settings = load_cli_settings(config, None)
            targets = load_targets(
                configured_apprise_urls(settings.alerts.urls, settings.alerts.secret_block),
                settings.alerts.config,
            )
    except (TargetError, SecretBlockError) as exc:
        raise fail(str(exc)) from None
    if not targets:
        raise fail("no Apprise URL configured ([alerts] urls or --notify)")
    sample = Development(
        kind="changed",
        subject="Example County employees",
        metric="layoff_notices",
        unit="people",
        new_value=5000,
        approx=True,
        text="nearly 5,000 layoff notices",
        sentence="This is a laborwatch test alert: the county sent nearly 5,000 layoff notices.",
        article_title="laborwatch test alert",
        article_url="https://example.org/laborwatch-test",
        published=datetime.now(UTC),
        source="test-notify",
        old_value=4000,
        old_text="more than 4,000",
        old_approx=True,
    )
    remember_secrets(target.url for target in targets)
    redact_logs()
    failed = 0
    for target in targets:
        outcome = send_developments(target, [sample], run_label="laborwatch test alert")
        if outcome.ok:
            out.print(f"[green]sent[/green] {escape(target.label)}", highlight=False)
        else:
            failed += 1
            reason = escape(clean(f"{target.label}: {outcome.error}"))
            out.print(f"[red]failed[/red] {reason}", highlight=False, soft_wrap=True)
    if failed:
        raise typer.Exit(1)
