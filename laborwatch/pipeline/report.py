"""What a run found and did, as plain data: the one object the CLI prints, the JSON holds, the
alerts count, the run's artifacts show and `laborwatch developments` lists. Every count people
see is defined once, in `RunCounts`, and read from there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from laborwatch.alerts.render import fold_key, group_same_article
from laborwatch.domain import (
    ALERTED,
    RECORDED_REASONS,
    Article,
    ArticleAnalysis,
    Development,
    SourceError,
)

# `extra` for a log record whose problem also goes into the report's errors: a console that
# prints the report's errors anyway leaves such records out (one line per problem).
IN_REPORT = {"laborwatch_in_report": True}


def in_report(record: object) -> bool:
    """A log record logged with `extra=IN_REPORT`."""
    return bool(getattr(record, "laborwatch_in_report", False))


@dataclass(slots=True)
class AnalysedArticle:
    article: Article
    analysis: ArticleAnalysis


@dataclass(slots=True)
class SourceTally:
    """How many articles and figures a source gave, for articles not kept in memory: a run of
    thousands of articles needs their counts in the report, not their text and figures."""

    articles: int = 0
    figures: int = 0


@dataclass(slots=True)
class SourceResult:
    source: str  # the label people see
    location: str
    articles: list[AnalysedArticle]
    errors: list[SourceError]
    not_modified: bool = False
    failed: bool = False
    skipped: str | None = None  # why the source was not fetched this run (backing off)
    health_notices: list[str] = field(default_factory=list)
    tally: SourceTally | None = None  # articles counted here are not in `articles`

    @property
    def article_count(self) -> int:
        return len(self.articles) + (self.tally.articles if self.tally else 0)

    @property
    def figure_count(self) -> int:
        listed = sum(len(a.analysis.figures) for a in self.articles)
        return listed + (self.tally.figures if self.tally else 0)


def development_to_dict(dev: Development) -> dict[str, Any]:
    return {
        "kind": dev.kind,
        "subject": dev.subject,
        "metric": dev.metric,
        "unit": dev.unit,
        "old_value": dev.old_value,
        "new_value": dev.new_value,
        "approx": dev.approx,
        "text": dev.text,
        "old_text": dev.old_text,
        "sentence": dev.sentence,
        "article_title": dev.article_title,
        "article_url": dev.article_url,
        "published": dev.published.isoformat() if dev.published else None,
        "detected_at": dev.detected_at.isoformat() if dev.detected_at else None,
        "source": dev.source,
        "absolute_change": dev.absolute_change,
        "relative_change": dev.relative_change,
        "watches": list(dev.watches),
        "story_updated": dev.story_updated,
        "also_in_article": list(dev.also_in_article),
        "also_reported_by": list(dev.also_reported_by),
        "outcome": dev.outcome,
    }


def developments_to_dicts(devs: Sequence[Development]) -> list[dict[str, Any]]:
    """Every development, one item per new or changed value, in order. A value shown inside
    another entry ("also in this article") is listed too, with `folded_into` the index of that
    entry; the entries themselves (`folded_into` null) are what the counts count."""
    leads = {fold_key(lead): lead for lead in group_same_article(devs)}
    items: list[dict[str, Any]] = []
    index: dict[tuple[str, str, str, str], int] = {}
    for dev in devs:
        key = fold_key(dev)
        if key in index:
            items.append(development_to_dict(dev) | {"folded_into": index[key]})
        else:
            index[key] = len(items)
            items.append(development_to_dict(leads[key]) | {"folded_into": None})
    return items


def recorded_to_dict(dev: Development) -> dict[str, Any]:
    return development_to_dict(dev) | {"reason": dev.outcome}


def source_failed(result: SourceResult) -> bool:
    """Failed: the source gave errors and nothing else, or an error for every article it
    listed (an offline site whose feed was read but none of its pages) — never "0 failed" next
    to its errors."""
    if result.failed:
        return True
    if not result.errors or result.not_modified:
        return False
    return result.article_count == 0 or len(result.errors) >= result.article_count


def _status(result: SourceResult) -> str:
    if result.failed:
        return "failed"
    if result.skipped:
        return f"skipped: {result.skipped}"
    return "not modified" if result.not_modified else "ok"


@dataclass(slots=True)
class Delivery:
    """What the run's alert delivery did. A message is one notification a service accepted (one
    digest, or one per development in "each" mode); a recipient is one alert target; an alert
    is one development owed to one target in the outbox."""

    targets: int = 0  # alert targets configured for the run
    messages_sent: int = 0
    recipients_reached: int = 0  # targets that accepted everything sent to them
    recipients_failed: int = 0  # targets with at least one message refused
    alerts_sent: int = 0  # outbox rows delivered by this run
    alerts_failed: int = 0  # outbox rows this run could not deliver (they stay pending)
    alerts_pending: int = 0  # outbox rows waiting after the run, for the next one
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class RunCounts:
    """The counts of a run, each defined once.

    developments = alerted + recorded_only: figure changes found, same-article values of one
    (subject, metric) folded into one entry ("also in this article"); `folded` says how many
    values were folded in."""

    developments: int
    alerted: int
    recorded_only: int
    reasons: dict[str, int]  # recorded-only entries per reason
    folded: int
    messages_sent: int
    recipients_reached: int
    recipients_failed: int
    alert_targets: int
    alerts_pending: int
    sources: int
    sources_failed: int
    articles: int
    figures: int
    errors: int


def recorded_in_order(devs: list[Development]) -> list[Development]:
    """Recorded-only entries grouped by reason (in RECORDED_REASONS order), folded per article."""
    rank = {reason: i for i, reason in enumerate(RECORDED_REASONS)}
    ordered = sorted(devs, key=lambda d: rank.get(d.outcome or "", len(rank)))
    folded: list[Development] = []
    for reason in dict.fromkeys(d.outcome for d in ordered):
        folded += group_same_article([d for d in ordered if d.outcome == reason])
    return folded


@dataclass(slots=True)
class RunReport:
    run_label: str
    sources_total: int
    sources_done: int = 0
    sources_failed: int = 0
    sources_not_modified: int = 0
    sources_skipped: int = 0
    health_notices: list[str] = field(default_factory=list)
    articles: int = 0
    figures: int = 0
    developments: list[Development] = field(default_factory=list)  # the ones people are told
    recorded_only: list[Development] = field(default_factory=list)  # kept, no alert (outcome)
    delivery: Delivery = field(default_factory=Delivery)
    errors: list[SourceError] = field(default_factory=list)
    per_source: list[dict[str, Any]] = field(default_factory=list)
    # Busy seconds per stage (fetch, parse, extract, store, diff, alert), summed over threads
    # and processes, so they can exceed the run's wall time; read by benchmarks/, not printed.
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of_stored(cls, label: str, developments: list[Development]) -> RunReport:
        """Stored developments as a report (for `laborwatch developments`): alerted ones and
        undecided old ones as developments, the rest recorded only with their reason."""
        report = cls(run_label=label, sources_total=0)
        for dev in developments:
            recorded = dev.outcome not in (None, ALERTED)
            (report.recorded_only if recorded else report.developments).append(dev)
        return report

    @property
    def alerts(self) -> dict[str, int]:
        """This run's outbox rows: delivered, failed, and waiting after the run."""
        d = self.delivery
        return {"sent": d.alerts_sent, "failed": d.alerts_failed, "pending": d.alerts_pending}

    def alerted_entries(self) -> list[Development]:
        """The developments people are told about, as every rendering shows them."""
        return group_same_article(self.developments)

    def recorded_entries(self) -> list[Development]:
        return recorded_in_order(self.recorded_only)

    def counts(self) -> RunCounts:
        alerted, recorded = self.alerted_entries(), self.recorded_entries()
        reasons: dict[str, int] = {}
        for dev in recorded:
            reasons[dev.outcome or "unknown"] = reasons.get(dev.outcome or "unknown", 0) + 1
        raw = len(self.developments) + len(self.recorded_only)
        d = self.delivery
        return RunCounts(
            developments=len(alerted) + len(recorded),
            alerted=len(alerted),
            recorded_only=len(recorded),
            reasons=reasons,
            folded=raw - len(alerted) - len(recorded),
            messages_sent=d.messages_sent,
            recipients_reached=d.recipients_reached,
            recipients_failed=d.recipients_failed,
            alert_targets=d.targets,
            alerts_pending=d.alerts_pending,
            sources=self.sources_total,
            sources_failed=self.sources_failed,
            articles=self.articles,
            figures=self.figures,
            errors=len(self.errors),
        )

    def add_source(self, result: SourceResult) -> None:
        self.sources_done += 1
        failed = source_failed(result)
        self.sources_failed += int(failed)
        self.sources_not_modified += int(result.not_modified)
        self.sources_skipped += int(result.skipped is not None)
        self.health_notices.extend(result.health_notices)
        figures = result.figure_count
        self.articles += result.article_count
        self.figures += figures
        self.errors.extend(result.errors)
        self.per_source.append(
            {
                "source": result.source,
                "articles": result.article_count,
                "figures": figures,
                "status": "failed" if failed else _status(result),
                "errors": len(result.errors),
            }
        )

    def summary_line(self) -> str:
        return summary_line(self)

    def to_dict(self) -> dict[str, Any]:
        counts = self.counts()
        return {
            "run": self.run_label,
            "counts": asdict(counts),
            "developments": developments_to_dicts(self.developments),
            "recorded_only": [recorded_to_dict(d) for d in self.recorded_entries()],
            "alerts": {
                "messages_sent": counts.messages_sent,
                "recipients_reached": counts.recipients_reached,
                "recipients_failed": counts.recipients_failed,
                "targets": counts.alert_targets,
                **self.alerts,
            },
            "errors": [
                {"source": e.source, "kind": e.kind, "message": e.message} for e in self.errors
            ],
            "sources": self.per_source,
            "health": list(self.health_notices),
        }


# -- the counts in words: one phrase per count, used by every rendering ---------------------


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def reasons_text(counts: RunCounts) -> str:
    return ", ".join(f"{n} {reason}" for reason, n in counts.reasons.items())


def developments_phrase(counts: RunCounts) -> str:
    """'20 developments: 16 alerted, 4 recorded only (3 below threshold, 1 no watch matched)'."""
    text = f"{plural(counts.developments, 'development')}: {counts.alerted} alerted"
    text += f", {counts.recorded_only} recorded only"
    if counts.reasons:
        text += f" ({reasons_text(counts)})"
    return text


def delivery_phrase(report: RunReport) -> str:
    counts, delivery = report.counts(), report.delivery
    if delivery.dry_run:
        return f"dry run: nothing sent, {plural(counts.alerts_pending, 'alert')} queued"
    if not counts.alert_targets:
        return "no alert target configured: nothing sent"
    text = (
        f"{plural(counts.messages_sent, 'message')} sent, "
        f"{counts.recipients_reached} of {plural(counts.alert_targets, 'recipient')} reached"
    )
    if counts.recipients_failed:
        text += f" ({counts.recipients_failed} failed)"
    if counts.alerts_pending:
        text += f", {plural(counts.alerts_pending, 'alert')} pending for the next run"
    return text


def summary_line(report: RunReport) -> str:
    counts = report.counts()
    sources = f"{report.sources_done}/{report.sources_total} sources"
    states = [f"{counts.sources_failed} failed"] if counts.sources_failed else []
    if report.sources_skipped:  # a source backing off after failures: `laborwatch sources`
        states.append(f"{report.sources_skipped} backing off")
    if states:
        sources += f" ({', '.join(states)})"
    return (
        f"{sources}, {plural(counts.articles, 'article')}, {plural(counts.figures, 'figure')}; "
        f"{developments_phrase(counts)}; {delivery_phrase(report)}; "
        f"{plural(counts.errors, 'error')}"
    )
