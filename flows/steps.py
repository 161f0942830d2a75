"""Plain-Python steps the flow's tasks call: read and analyse one source, order a run's articles
for diffing, deliver the alert outbox. No Prefect here, so each step is testable on its own."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Literal

from alerts.redact import redact
from alerts.send import send_developments
from alerts.targets import Target
from flows.report import AnalysedArticle, SourceResult
from ingest.http import Fetcher
from ingest.sources import read_source
from laborwatch.domain import SourceError
from laborwatch.settings import SourceConfig
from parsers.analyze import analyze_article
from storage.store import OutboxItem, Store

logger = logging.getLogger("laborwatch.flow")


def read_and_analyse(
    source: SourceConfig, store: Store, fetcher: Fetcher, aliases: dict[str, list[str]]
) -> SourceResult:
    """Fetch or read one source and extract figures from each of its articles."""
    state = store.load_fetch_state(source.location)
    batch = read_source(source.location, kind=source.kind, fetcher=fetcher, state=state)
    if batch.state is not None:
        store.save_fetch_state(source.location, batch.state, label=source.label)
    analysed: list[AnalysedArticle] = []
    errors = list(batch.errors)
    for article in batch.articles:
        try:
            analysis = analyze_article(article.title, article.text, aliases)
        except Exception as exc:  # a parser bug on one article must not cost the others
            logger.exception("extraction failed for %r", article.title)
            errors.append(SourceError(source.location, f"extract {article.title!r}: {exc}", "extract"))
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
            message = f"alert target {key} is no longer configured; {len(ids)} alert(s) kept pending"
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
