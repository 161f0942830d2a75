"""Prefect events from a run: their names, resources, payloads (redacted), and that the monitor
flow emits one per stored development while its progress artifact goes to 100%."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from laborwatch.domain import Development
from laborwatch.flows.events import (
    DEVELOPMENT_CHANGED,
    DEVELOPMENT_NEW,
    SOURCE_UNHEALTHY,
    EventEmitter,
    development_event,
    figure_resource_id,
    slug,
    source_event,
)
from laborwatch.pipeline.progress import ProgressEvent, SourceNotice, notice_of
from tests.support.config import write_config

SECRET = "Sup3rSecretTok3nValue"


def _dev(**overrides: Any) -> Development:
    values: dict[str, Any] = {
        "kind": "changed",
        "subject": "Connecticut state employees",
        "metric": "layoffs",
        "unit": "people",
        "new_value": 4200.0,
        "old_value": 1000.0,
        "old_text": "1,000",
        "approx": False,
        "text": "4,200 workers",
        "sentence": "The state will lay off 4,200 workers.",
        "article_title": "Malloy: 4,200 layoffs",
        "article_url": f"https://news.example.org/ct?token={SECRET}&page=2",
        "published": datetime(2017, 5, 12, tzinfo=UTC),
        "source": "https://news.example.org/feed.xml",
        "watches": ["CT budget", "Unions"],
    }
    values.update(overrides)
    return Development(**values)


def test_a_changed_development_is_an_event_about_its_figure() -> None:
    event = development_event(_dev(), alerted=True)
    assert event["event"] == DEVELOPMENT_CHANGED
    resource = event["resource"]
    assert resource["prefect.resource.id"] == (
        "laborwatch.figure.connecticut-state-employees.layoffs"
    )
    assert resource["laborwatch.subject"] == "Connecticut state employees"
    assert resource["laborwatch.metric"] == "layoffs"
    assert resource["laborwatch.watch"] == "CT budget,Unions"
    assert resource["laborwatch.alerted"] == "true"
    assert [(r["prefect.resource.id"], r["prefect.resource.role"]) for r in event["related"]] == [
        ("laborwatch.watch.ct-budget", "watch"),
        ("laborwatch.watch.unions", "watch"),
    ]
    payload = event["payload"]
    assert (payload["old_value"], payload["new_value"]) == (1000.0, 4200.0)
    assert payload["quote"] == "The state will lay off 4,200 workers."
    assert payload["article"] == "Malloy: 4,200 layoffs"
    assert payload["relative_change"] == pytest.approx(3.2)


def test_a_new_development_has_no_old_value() -> None:
    event = development_event(_dev(kind="new", old_value=None, old_text=None), alerted=False)
    assert event["event"] == DEVELOPMENT_NEW
    assert event["payload"]["old_value"] is None
    assert event["resource"]["laborwatch.alerted"] == "false"


def test_payloads_are_redacted() -> None:
    hook = f"slack://T1JJ3T3L2/A1BRTD4JD/{SECRET}"
    dev = _dev(sentence=f"Posted to {hook} by mistake", article_title=f"see {hook}")
    event = development_event(dev, alerted=True, secrets=[hook])
    text = repr(event)
    assert SECRET not in text
    assert "token=***" in event["payload"]["link"]


def test_an_unhealthy_source_is_an_event_about_the_source() -> None:
    notice = notice_of(
        "City desk",
        f"https://user:{SECRET}@feeds.example.org/city.xml",
        "City desk: went silent — no new entry since 2026-11-01 08:00 UTC (usually every 2h)",
    )
    event = source_event(notice)
    assert event["event"] == SOURCE_UNHEALTHY
    assert event["resource"]["prefect.resource.id"] == "laborwatch.source.city-desk"
    assert event["resource"]["laborwatch.reason"] == "silent"
    assert SECRET not in repr(event)
    location = event["payload"]["location"]
    assert "***@feeds.example.org/city.xml" in location and SECRET not in location
    paused = notice_of("x", "y", "x: paused until 2026-11-02 after 5 failures in a row")
    assert paused.reason == "paused"


def test_slugs_are_short_lowercase_and_distinct() -> None:
    assert slug("Connecticut state employees") == "connecticut-state-employees"
    long_a, long_b = slug("A" * 80 + "x"), slug("A" * 80 + "y")
    assert len(long_a) <= 60 and long_a != long_b
    assert figure_resource_id("Ford & UAW", "wages") == "laborwatch.figure.ford-uaw.wages"


def test_the_emitter_sends_each_development_and_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[dict[str, Any]] = []

    def fake_emit(**kwargs: Any) -> object:
        sent.append(kwargs)
        if len(sent) == 2:
            raise ValueError("too large")  # one failure is skipped, the rest go on
        return object()

    monkeypatch.setattr("laborwatch.flows.events.emit_event", fake_emit)
    emitter = EventEmitter()
    notice = SourceNotice("City desk", "https://x.org/f", "paused", "City desk: paused")
    emitter(
        ProgressEvent(
            "extract",
            3,
            10,
            developments=(_dev(), _dev(kind="new"), _dev(metric="wages")),
            alerted=(True, True, False),
        )
    )
    emitter(ProgressEvent("read", 1, 1, unhealthy=(notice,)))
    assert [e["event"] for e in sent] == [
        DEVELOPMENT_CHANGED,
        DEVELOPMENT_NEW,
        DEVELOPMENT_CHANGED,
        SOURCE_UNHEALTHY,
    ]
    assert emitter.emitted == 3
    assert sent[2]["payload"]["alerted"] is False


def test_a_huge_run_emits_at_most_the_limit(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr("laborwatch.flows.events.emit_event", lambda **kw: sent.append(kw) or kw)
    emitter = EventEmitter(limit=3)
    emitter(ProgressEvent("extract", 1, 2, developments=(_dev(),) * 2))
    emitter(ProgressEvent("extract", 2, 2, developments=(_dev(),) * 3))
    emitter(ProgressEvent("done", 1, 1))
    assert len(sent) == 3
    assert "3 development(s) emitted as events, 2 more not (at most 3 per run)" in caplog.text


@pytest.mark.flow
def test_the_monitor_flow_emits_events_and_reports_progress(
    prefect_harness: None, seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.artifacts import Artifact

    from laborwatch.flows.monitor import monitor
    from laborwatch.flows.progress import PROGRESS_KEY

    sent: list[dict[str, Any]] = []
    monkeypatch.setattr("laborwatch.flows.events.emit_event", lambda **kw: sent.append(kw) or kw)
    articles = tmp_path / "articles"
    articles.mkdir()
    for seed in sorted(seed_dir.glob("*.txt")):
        shutil.copy(seed, articles / seed.name)
    config = write_config(
        tmp_path / "laborwatch.toml", db=tmp_path / "lw.db", urls=[], sources=[str(articles)]
    )
    report = monitor(config_path=str(config))
    stored = [*report.developments, *report.recorded_only]
    assert len(sent) == len(stored) > 0
    names = {
        (e["payload"]["subject"], e["payload"]["metric"], e["payload"]["new_value"]) for e in sent
    }
    assert names == {(d.subject, d.metric, d.new_value) for d in stored}
    assert {e["event"] for e in sent} == {DEVELOPMENT_NEW, DEVELOPMENT_CHANGED}
    alerted = [e for e in sent if e["payload"]["alerted"]]
    assert len(alerted) == len(report.developments)

    progress = Artifact.get(PROGRESS_KEY)
    assert progress is not None and progress.type == "progress"
    assert float(progress.data) == 100.0  # type: ignore[arg-type]
    assert progress.description == "laborwatch run: done"
