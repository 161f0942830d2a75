"""Where alert URLs come from (a Prefect Secret block) and how a run ends when nothing works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.config import write_config
from tests.support.servers import http_server

pytestmark = pytest.mark.flow


def test_apprise_urls_from_a_prefect_secret_block(
    prefect_harness, seed_dir: Path, tmp_path: Path
) -> None:
    from prefect.blocks.system import Secret

    from laborwatch.flows.monitor import monitor

    seed = sorted(seed_dir.glob("*.txt"))[0]
    with http_server() as receiver:
        Secret(value=json.dumps([f"json://127.0.0.1:{receiver.port}/from-secret"])).save(
            "laborwatch-test-urls", overwrite=True
        )
        config = write_config(
            tmp_path / "s.toml",
            db=tmp_path / "s.db",
            urls=[],
            sources=[],
            alerts='secret_block = "laborwatch-test-urls"',
        )
        report = monitor(sources=[str(seed)], config_path=str(config))
        assert report.alerts["sent"] >= 2 and report.errors == []
        posts = receiver.posts()
        assert len(posts) == 1 and posts[0].path == "/from-secret"
        assert "$3.3 billion" in json.loads(posts[0].body)["message"]


def test_a_missing_secret_block_is_reported_and_detection_goes_on(
    prefect_harness, seed_dir: Path, tmp_path: Path
) -> None:
    from laborwatch.flows.monitor import monitor

    config = write_config(
        tmp_path / "m.toml",
        db=tmp_path / "m.db",
        urls=[],
        sources=[],
        alerts='secret_block = "no-such-block"',
    )
    report = monitor(sources=[str(sorted(seed_dir.glob("*.txt"))[0])], config_path=str(config))
    assert report.developments
    assert any("no-such-block" in e.message for e in report.errors)


def test_a_run_whose_sources_all_fail_ends_failed(prefect_harness, tmp_path: Path) -> None:
    from laborwatch.flows.monitor import monitor

    config = write_config(tmp_path / "f.toml", db=tmp_path / "f.db", urls=[], sources=[])
    state = monitor(
        sources=[str(tmp_path / "missing.txt"), str(tmp_path / "also-missing")],
        config_path=str(config),
        return_state=True,
    )
    assert state.is_failed()
    assert "every source failed" in str(state.message) or "every source failed" in repr(
        state.result(raise_on_failure=False)
    )
