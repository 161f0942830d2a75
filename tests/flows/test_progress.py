"""Progress while a pass runs: what the pass reports, and the progress artifact it drives."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from laborwatch.flows.progress import MIN_INTERVAL, PROGRESS_KEY, ProgressArtifact, fan_out
from laborwatch.pipeline.options import RunOptions
from laborwatch.pipeline.progress import ProgressEvent, tell
from laborwatch.pipeline.run import run_pass
from laborwatch.pipeline.runner import LocalRunner
from laborwatch.settings import load_settings
from tests.support.config import write_config


def test_a_pass_reports_reading_extracting_and_done(seed_dir: Path, tmp_path: Path) -> None:
    config = write_config(
        tmp_path / "laborwatch.toml", db=tmp_path / "lw.db", urls=[], sources=[str(seed_dir)]
    )
    events: list[ProgressEvent] = []
    with LocalRunner() as runner:
        report = run_pass(load_settings(str(config)), RunOptions(), runner, progress=events.append)
    stages = [e.stage for e in events]
    assert stages[0] == "read" and stages[-2:] == ["extract", "done"]
    assert [(e.done, e.total) for e in events if e.stage == "read"] == [(1, 1)]
    extract = [e for e in events if e.stage == "extract"]
    assert (extract[0].done, extract[-1].done) == (0, extract[-1].total)
    assert extract[-1].total == report.articles == 3
    percents = [e.percent for e in events]
    assert percents == sorted(percents) and percents[-1] == 100.0
    stored = [d for e in extract for d in e.developments]
    assert len(stored) == len(report.developments) + len(report.recorded_only)
    alerted = [a for e in extract for a in e.alerted]
    assert alerted.count(True) == len(report.developments)


def test_a_failing_watcher_does_not_stop_the_pass(caplog: pytest.LogCaptureFixture) -> None:
    def broken(event: ProgressEvent) -> None:
        raise RuntimeError("API down")

    seen: list[ProgressEvent] = []
    tell(fan_out(broken, seen.append), ProgressEvent("read", 1, 2))
    assert [e.done for e in seen] == [1]
    assert "progress report failed (1/2 source(s) read)" in caplog.text


def test_the_progress_artifact_is_created_once_and_updated_sparingly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str, Any, float, str | None]] = []
    artifact_id = uuid4()

    def create(progress: float, key: str, description: str | None = None) -> UUID:
        calls.append(("create", key, progress, description))
        return artifact_id

    def update(id_: UUID, progress: float, description: str | None = None) -> UUID:
        calls.append(("update", id_, progress, description))
        return id_

    monkeypatch.setattr("laborwatch.flows.progress.create_progress_artifact", create)
    monkeypatch.setattr("laborwatch.flows.progress.update_progress_artifact", update)
    now = [0.0]
    artifact = ProgressArtifact(clock=lambda: now[0])
    artifact(ProgressEvent("read", 0, 4))
    artifact(ProgressEvent("read", 2, 4))  # too soon: skipped
    now[0] += MIN_INTERVAL
    artifact(ProgressEvent("read", 4, 4))
    artifact(ProgressEvent("read", 4, 4))  # nothing moved
    artifact(ProgressEvent("done", 1, 1))  # the last one always goes
    assert calls == [
        ("create", PROGRESS_KEY, 0.0, "laborwatch run: 0/4 source(s) read"),
        ("update", artifact_id, 15.0, "laborwatch run: 4/4 source(s) read"),
        ("update", artifact_id, 100.0, "laborwatch run: done"),
    ]


def test_percent_spans_the_whole_pass() -> None:
    assert ProgressEvent("read", 1, 2).percent == 7.5
    assert ProgressEvent("extract", 0, 0).percent == 95.0  # nothing to extract: that stage done
    assert ProgressEvent("extract", 50, 100).percent == 55.0
    assert ProgressEvent("deliver", 0, 1).percent == 95.0
    assert ProgressEvent("done", 1, 1).percent == 100.0
