"""Plain-Python steps the flow's tasks call: read and analyse one source, order a run's articles
for diffing, deliver the alert outbox. No Prefect here, so each step is testable on its own."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Literal

from alerts.operators import send_operator_notice
from alerts.redact import redact
from alerts.send import send_developments
from alerts.targets import Target
from flows.report import AnalysedArticle, SourceResult
from ingest.health import is_auto_paused, is_silent, should_fetch, usual_interval
from ingest.http import Fetcher
from ingest.sources import read_source
from laborwatch.domain import FetchState, SourceError
from laborwatch.settings import SourceConfig
from parsers.analyze import analyze_article
from storage.store import OutboxItem, Store

logger = logging.getLogger("laborwatch.flow")


def is_remote(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def health_notices(
    label: str,
    before: FetchState | None,
    after: FetchState | None,
    now: datetime,
    published: Sequence[datetime | None],
) -> list[str]:
    """What operators should hear about a source after this fetch: it was paused after repeated
    failures, or it went silent. Only on the transition, so a paused source does not page the
    operators every run."""
    notices: list[str] = []
    if after is None:
        return notices
    if is_auto_paused(after) and not is_auto_paused(before):
        until = after.paused_until.strftime("%Y-%m-%d %H:%M UTC") if after.paused_until else "?"
        notices.append(
            f"{label}: paused until {until} after {after.consecutive_failures} failures "
            f"in a row (last error: {after.last_error})"
        )
    interval = usual_interval(published)
    if interval is not None and is_silent(after, now, interval):
        was_silent = (
            before is not None
            and before.last_fetched_at is not None
            and is_silent(before, before.last_fetched_at, interval)
        )
        if not was_silent:
            notices.append(
                f"{label}: went silent — no new entry since "
                f"{after.last_new_entry_at:%Y-%m-%d %H:%M UTC} (usually every {interval})"
            )
    return notices


def read_and_analyse(
    source: SourceConfig, store: Store, fetcher: Fetcher, aliases: dict[str, list[str]]
) -> SourceResult:
    """Fetch or read one source and extract figures from each of its articles."""
    state = store.load_fetch_state(source.location)
    now = datetime.now(UTC)
    if is_remote(source.location) and not should_fetch(state, now):
        assert state is not None and state.paused_until is not None
        logger.info("%s: backing off until %s", source.label, state.paused_until.isoformat())
        return SourceResult(
            source=source.label,
            location=source.location,
            articles=[],
            errors=[],
            skipped=f"backing off until {state.paused_until:%Y-%m-%d %H:%M UTC}"
            + (f" (last error: {state.last_error})" if state.last_error else ""),
        )
    batch = read_source(source.location, kind=source.kind, fetcher=fetcher, state=state)
    if batch.state is not None:
        store.save_fetch_state(source.location, batch.state, label=source.label)
    notices = health_notices(
        source.label, state, batch.state, now, [a.published for a in batch.articles]
    )
    analysed: list[AnalysedArticle] = []
    errors = list(batch.errors)
    for article in batch.articles:
        try:
            analysis = analyze_article(article.title, article.text, aliases)
        except Exception as exc:  # a parser bug on one article must not cost the others
            logger.exception("extraction failed for %r", article.title)
            message = f"extract {article.title!r}: {exc}"
            errors.append(SourceError(source.location, message, "extract"))
            continue
        analysed.append(AnalysedArticle(article, analysis))
    figures = sum(len(a.analysis.figures) for a in analysed)
    logger.info(
        "%s: %d article(s), %d figure(s)%s",
        source.label,
        len(analysed),
        figures,
        " (not modified)" if batch.not_modified else "",
    )
    return SourceResult(
        source=source.label,
        location=source.location,
        articles=analysed,
        errors=errors,
        not_modified=batch.not_modified,
        failed=bool(batch.errors) and not batch.articles and not batch.not_modified,
        health_notices=notices,
    )


_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


def order_for_diff(results: Iterable[SourceResult]) -> list[AnalysedArticle]:
    """Publish order, then source order, then position in the source: so one run over several
    articles gives the same developments as one run per article, in that order. Articles with
    no publish time come after the dated ones, in source order."""
    keyed = []
    for source_index, result in enumerate(results):
        for item in result.articles:
            published = item.article.published or _FAR_FUTURE
            keyed.append(((published, source_index, item.article.position), item))
    keyed.sort(key=lambda pair: pair[0])
    return [item for _, item in keyed]


def deliver_outbox(
    store: Store,
    targets: Sequence[Target],
    *,
    mode: Literal["digest", "each"],
    run_label: str,
    claimant: str,
) -> tuple[dict[str, int], list[SourceError]]:
    """Send every pending alert (this run's and earlier failures) once; a failed send stays
    pending with its error for the next run."""
    by_key = {t.key: t for t in targets}
    items = store.claim_pending_alerts(claimant=claimant)
    grouped: dict[str, list[OutboxItem]] = defaultdict(list)
    for item in items:
        grouped[item.target_key].append(item)
    errors: list[SourceError] = []
    for key, group in grouped.items():
        ids = [item.id for item in group]
        target = by_key.get(key)
        if target is None:
            message = f"alert target {key} is no longer configured; {len(ids)} alert(s) pending"
            store.mark_alerts_failed(ids, message)
            errors.append(SourceError("alerts", message, "notify"))
            continue
        try:
            outcome = send_developments(
                target, [item.development for item in group], mode=mode, run_label=run_label
            )
        except Exception as exc:  # never let one target's failure lose the others' alerts
            outcome_error = redact(str(exc), [target.url])
            store.mark_alerts_failed(ids, outcome_error)
            errors.append(SourceError("alerts", f"{target.label}: {outcome_error}", "notify"))
            continue
        if outcome.ok:
            store.mark_alerts_sent(ids)
        else:
            error = outcome.error or "notification failed"
            store.mark_alerts_failed(ids, error)
            errors.append(SourceError("alerts", f"{target.label}: {error}", "notify"))
    return store.alert_counts(), errors


def notify_operators(
    targets: Sequence[Target], notices: Sequence[str], run_label: str
) -> list[SourceError]:
    """Source-health notices go to the operators' targets; a failure here is reported, never
    raised."""
    errors: list[SourceError] = []
    if not notices:
        return errors
    for target in targets:
        outcome = send_operator_notice(target, f"laborwatch source health ({run_label})", notices)
        if not outcome.ok:
            errors.append(SourceError("operators", f"{target.label}: {outcome.error}", "notify"))
    return errors
