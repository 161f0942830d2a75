"""Delivering the alert outbox: every development sent once, or visibly owed.

Alerts that waited for a usable target are routed first; then the run claims what is due
(pending rows, exhausted rows whose back-off is over, rows a dead run left half-sent) and sends
each target's share. A target that hangs is not tried again in this run (its untried rows go
back untouched); a target that failed `FAILED_RUNS_ALERT` runs in a row is reported to the
operators once."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import Literal

from laborwatch.alerts.operators import send_operator_notice
from laborwatch.alerts.routing import ALWAYS_TAG
from laborwatch.alerts.send import SEND_TIMEOUT, SendOutcome, send_developments
from laborwatch.alerts.targets import Target
from laborwatch.domain import SourceError
from laborwatch.pipeline.history import chart_lookup
from laborwatch.pipeline.report import Delivery
from laborwatch.redaction import redact
from laborwatch.storage.outbox_admin import release_alerts
from laborwatch.storage.store import MAX_ATTEMPTS, OutboxItem, Store

logger = logging.getLogger("laborwatch.flow")

# Runs in a row a target may fail before the operators hear about it (once per streak).
FAILED_RUNS_ALERT = 3
# Targets with this Apprise tag get operator notices, not news alerts.
OPERATORS_TAG = "operators"


def notify_operators(
    targets: Sequence[Target], notices: Sequence[str], run_label: str
) -> list[SourceError]:
    """Source-health and delivery notices go to the operators' targets; a failure here is
    reported, never raised."""
    errors: list[SourceError] = []
    if not notices:
        return errors
    for target in targets:
        outcome = send_operator_notice(target, f"laborwatch health ({run_label})", notices)
        if not outcome.ok:
            errors.append(SourceError("operators", f"{target.label}: {outcome.error}", "notify"))
    return errors


NO_TARGET_WARNING = (
    "no alert target configured: %d development(s) not sent to anyone; add Apprise URLs to "
    "[alerts] urls or LABORWATCH_NOTIFY_URLS"
)


def undelivered(store: Store, targets: Sequence[Target], *, dry_run: bool) -> Delivery:
    """A run's delivery when nothing was sent (a dry run, or no target)."""
    return Delivery(
        targets=len(targets), alerts_pending=store.alert_counts()["pending"], dry_run=dry_run
    )


def removed_target_note(key: str, count: int) -> str:
    return (
        f"{count} alert(s) owed to {key}, which is no longer configured: "
        f"`laborwatch alerts --reassign {key}=NAME` sends them to another target, "
        f"`laborwatch alerts --drop {key}` drops them"
    )


def receivers(targets: Sequence[Target], route_tags: frozenset[str]) -> list[str]:
    """The keys of the targets an alert routed by `route_tags` (its watches' Apprise tags) goes
    to, under alerts.routing's rule: untagged and `always` targets get every alert."""
    keys = []
    for target in targets:
        tags = {tag.lower() for tag in target.tags}
        if not tags or ALWAYS_TAG in tags or tags & route_tags:
            keys.append(target.key)
    return keys


def deliver_outbox(
    store: Store,
    targets: Sequence[Target],
    *,
    mode: Literal["digest", "each"],
    run_label: str,
    claimant: str,
    operators: Sequence[Target] = (),
    retry_failed: bool = False,
    timeout: float = SEND_TIMEOUT,
) -> tuple[Delivery, list[SourceError]]:
    """Send every alert that is due once; `retry_failed` (`alerts --retry`) also sends the
    exhausted ones still backing off. A failed send stays owed, with its error. Returns what
    this delivery did (the report's `Delivery`) and its errors."""
    if targets:
        routed = store.route_waiting_alerts(lambda tags: receivers(targets, tags))
        if routed:
            logger.info("%d alert(s) that waited for a target are queued now", routed)
    items = store.claim_pending_alerts(claimant=claimant, retry_failed=retry_failed)
    grouped: dict[str, list[OutboxItem]] = defaultdict(list)
    for item in items:
        grouped[item.target_key].append(item)
    by_key = {t.key: t for t in targets}
    delivery = Delivery(targets=len(targets))
    errors: list[SourceError] = []
    for key, group in grouped.items():
        target = by_key.get(key)
        if target is None:
            # Waits for `alerts --reassign` or `--drop`, without using up its retries.
            note = removed_target_note(key, len(group))
            release_alerts(store, [item.id for item in group], note)
            errors.append(SourceError("alerts", note, "notify"))
            continue
        error = _deliver_to(store, target, group, mode, run_label, timeout, delivery)
        if error is not None:
            delivery.recipients_failed += 1
            errors.append(SourceError("alerts", error, "notify"))
            errors.extend(_target_failed(store, target, error, operators, run_label))
        else:
            delivery.recipients_reached += 1
            store.record_target_run(target.key, ok=True)
    delivery.alerts_pending = store.alert_counts().get("pending", 0)
    return delivery, errors


def _deliver_to(
    store: Store,
    target: Target,
    group: list[OutboxItem],
    mode: Literal["digest", "each"],
    run_label: str,
    timeout: float,
    delivery: Delivery,
) -> str | None:
    """Send one target's share, record what happened to each row (and count it in
    `delivery`); the error, if any."""
    devs = [item.development for item in group]
    accepted: set[int] = set()

    def mark_sent(indices: list[int]) -> None:
        # At once, message by message: a run killed mid-batch must not send these again.
        store.mark_alerts_sent(sorted(group[i].id for i in indices))
        accepted.update(indices)

    try:
        outcome = send_developments(
            target,
            devs,
            mode=mode,
            run_label=run_label,
            timeout=timeout,
            charts=chart_lookup(store),
            on_delivered=mark_sent,
        )
    except Exception as exc:  # never let one target's failure lose the others' alerts
        outcome = SendOutcome(
            target.key,
            ok=False,
            messages=0,
            error=f"{target.label}: {redact(str(exc), [target.url])}",
            delivered=sorted(accepted),
            failed=[i for i in range(len(group)) if i not in accepted],
        )
    delivered = {group[i].id for i in outcome.delivered}
    failed = {group[i].id for i in outcome.failed} - delivered
    untried = [item.id for item in group if item.id not in delivered and item.id not in failed]
    # (delivered rows were marked sent by mark_sent, message by message)
    delivery.messages_sent += outcome.messages
    delivery.alerts_sent += len(delivered)
    delivery.alerts_failed += len(failed)
    if failed:
        error = outcome.error or "notification failed"
        store.mark_alerts_failed(sorted(failed), error, max_attempts=MAX_ATTEMPTS)
    if untried:
        store.release_alerts(untried)
    if outcome.ok:
        return None
    return outcome.error or f"{target.shown}: notification failed"


def _target_failed(
    store: Store, target: Target, error: str, operators: Sequence[Target], run_label: str
) -> list[SourceError]:
    run = store.record_target_run(target.key, ok=False, error=error, threshold=FAILED_RUNS_ALERT)
    if not run.operators_due:
        return []
    notice = (
        f"alert target {target.label} failed {run.failed_runs} runs in a row; its alerts are "
        f"kept and sent once it works (last error: {error})"
    )
    logger.error("%s", notice)
    if not operators:
        return [SourceError("operators", f"no operator target to tell: {notice}", "notify")]
    return notify_operators(operators, [notice], run_label)
