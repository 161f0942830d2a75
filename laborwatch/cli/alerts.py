"""`alerts` (the outbox: status, sent time, --retry, --drop, --reassign) and `test-notify`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from laborwatch.cli.common import (
    ConfigOption,
    DbOption,
    SampleOption,
    err,
    load_cli_settings,
    open_store,
    out,
)
from laborwatch.cli.errors import clean, redact_logs, remember_secrets

if TYPE_CHECKING:
    from laborwatch.alerts.targets import Target
    from laborwatch.domain import Development
    from laborwatch.settings import Settings
    from laborwatch.storage.store import Store

WAITING = "(waiting for a target)"  # an alert queued while no usable target was configured
NO_TARGETS = (
    "no alert target configured: add Apprise URLs to [alerts] urls in the config file, set "
    "LABORWATCH_NOTIFY_URLS, or pass --notify URL"
)


def _say(message: str) -> None:
    err.print(clean(message), highlight=False, markup=False, soft_wrap=True)


def configured_targets(settings: Settings) -> list[Target]:
    from laborwatch.alerts.targets import TargetError, load_targets
    from laborwatch.flows.secrets import SecretBlockError, configured_apprise_urls

    try:
        urls = configured_apprise_urls(settings.alerts.urls, settings.alerts.secret_block)
        remember_secrets(urls)
        redact_logs()  # Apprise logs what it rejects, tokens included
        return load_targets(urls, settings.alerts.config)
    except (TargetError, SecretBlockError) as exc:
        _say(f"error: {exc}")
        raise typer.Exit(2) from None


def _retry(store: Store, settings: Settings, targets: list[Target]) -> None:
    from laborwatch.pipeline.delivery import deliver_outbox
    from laborwatch.pipeline.report_text import plural

    label = f"retry-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    delivery, errors = deliver_outbox(
        store,
        targets,
        mode=settings.alerts.mode,
        run_label=label,
        claimant=label,
        retry_failed=True,  # exhausted alerts too, without waiting for their back-off
    )
    for error in errors:
        _say(f"warning: {error.message}")
    if not (delivery.alerts_sent or delivery.alerts_failed or errors):
        _say("nothing pending: every alert has been delivered")
        return
    _say(
        f"{plural(delivery.alerts_sent, 'alert')} delivered in "
        f"{plural(delivery.messages_sent, 'message')}; {delivery.alerts_failed} failed; "
        f"{delivery.alerts_pending} still pending"
    )


def _manage(store: Store, targets: list[Target], drop: str | None, reassign: str | None) -> None:
    from laborwatch.alerts.targets import find_target
    from laborwatch.storage.outbox_admin import drop_alerts, open_target_keys, reassign_alerts

    if drop:
        dropped = drop_alerts(store, drop)
        if not dropped:  # a typo must not look like "done"
            keys = ", ".join(open_target_keys(store)) or "none: every alert has been delivered"
            raise typer.Exit(_usage(f"no undelivered alerts owed to {drop!r} (owed to: {keys})"))
        _say(f"dropped {dropped} undelivered alert(s) owed to {drop}")
    if reassign:
        source, sep, wanted = reassign.partition("=")
        if not sep or not source.strip() or not wanted.strip():
            raise typer.Exit(_usage("--reassign takes OLD=NEW, e.g. json-70a3b796='webhook …'"))
        target = find_target(targets, wanted)
        if target is None:
            names = ", ".join(t.name for t in targets) or "none configured"
            raise typer.Exit(_usage(f"no configured target named {wanted!r} (targets: {names})"))
        moved, doubles = reassign_alerts(store, source.strip(), target.key)
        extra = f" ({doubles} it already had dropped)" if doubles else ""
        _say(f"{moved} alert(s) owed to {source.strip()} now go to {target.name}{extra}")


def _usage(message: str) -> int:
    _say(f"error: {message}")
    return 2


def _table(store: Store, targets: list[Target], pending: bool) -> Table:
    from laborwatch.alerts.render import headline
    from laborwatch.storage.models import UNROUTED
    from laborwatch.storage.outbox_admin import list_outbox

    names = {t.key: f"{t.name} ({t.key})" for t in targets}  # the key: for --drop/--reassign
    table = Table(title="Alert outbox")
    for column in ("id", "target", "status", "attempts", "queued", "sent"):
        table.add_column(column, no_wrap=True)
    table.add_column("headline", ratio=2)
    table.add_column("error", ratio=1)
    for item in list_outbox(store, pending_only=pending):
        target = names.get(item.target_key) or (
            WAITING if item.target_key == UNROUTED else f"{item.target_key} (no longer configured)"
        )
        table.add_row(
            str(item.id),
            target,
            item.status,
            str(item.attempts),
            f"{item.created_at:%Y-%m-%d %H:%M}",
            f"{item.sent_at:%Y-%m-%d %H:%M}" if item.sent_at else "",
            headline(item.development),
            clean(item.last_error or ""),
        )
    return table


def alerts(
    config: ConfigOption = None,
    db: DbOption = None,
    sample: SampleOption = False,
    pending: Annotated[bool, typer.Option("--pending", help="Only alerts not yet sent.")] = False,
    retry: Annotated[bool, typer.Option("--retry", help="Send pending alerts now.")] = False,
    drop: Annotated[
        str | None,
        typer.Option(
            "--drop",
            help="Drop the undelivered alerts owed to this target key.",
            show_default=False,
        ),
    ] = None,
    reassign: Annotated[
        str | None,
        typer.Option(
            "--reassign",
            help="OLD=NEW: send the alerts owed to target key OLD to the configured NEW "
            "(its name or key).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Show the alert outbox: each alert's target, status and sent time. --retry sends what is
    pending; --drop and --reassign deal with alerts owed to a target that was removed."""
    settings = load_cli_settings(config, db, sample=sample)
    targets = configured_targets(settings)
    store = open_store(settings.database_url)
    try:
        _manage(store, targets, drop, reassign)
        if retry:
            if not targets:
                raise typer.Exit(_usage(NO_TARGETS))
            _retry(store, settings, targets)
        # A pipe or a file gets the whole table, not one squeezed to 80 columns.
        (out if out.is_terminal else Console(width=180)).print(_table(store, targets, pending))
        _hint_removed(store, targets)
    finally:
        store.close()


def _hint_removed(store: Store, targets: list[Target]) -> None:
    from laborwatch.pipeline.delivery import removed_target_note
    from laborwatch.storage.models import UNROUTED
    from laborwatch.storage.outbox_admin import open_target_keys

    known = {t.key for t in targets}
    for key, count in open_target_keys(store).items():
        if key == UNROUTED:
            _say(
                f"note: {count} alert(s) wait for an alert target: add Apprise URLs to [alerts] "
                "urls (or LABORWATCH_NOTIFY_URLS) and the next run or `laborwatch alerts --retry` "
                f"sends them; `laborwatch alerts --drop '{UNROUTED}'` drops them"
            )
        elif key not in known:
            _say(f"note: {removed_target_note(key, count)}")


def test_notify(
    config: ConfigOption = None,
    notify: Annotated[
        list[str] | None, typer.Option("--notify", "-n", help="Apprise URL (repeatable).")
    ] = None,
) -> None:
    """Send a sample alert to the configured URLs to check the set-up."""
    from laborwatch.alerts.send import send_developments
    from laborwatch.alerts.targets import TargetError, load_targets

    if notify:
        remember_secrets(notify)
        redact_logs()
        try:
            targets = load_targets(notify)
        except TargetError as exc:
            raise typer.Exit(_usage(str(exc))) from None
    else:
        targets = configured_targets(load_cli_settings(config, None))
    if not targets:
        raise typer.Exit(_usage(NO_TARGETS))
    sample = _sample_development()
    failed = 0
    for target in targets:
        outcome = send_developments(target, [sample], run_label="laborwatch test alert")
        if outcome.ok:
            out.print(f"sent to {target.name}", highlight=False, markup=False)
        else:
            failed += 1
            out.print(clean(f"failed: {outcome.error}"), highlight=False, markup=False)
    if failed:
        raise typer.Exit(1)


def _sample_development() -> Development:
    from laborwatch.domain import Development

    return Development(
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
