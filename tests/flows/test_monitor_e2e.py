"""The whole pipeline on the seed articles, with real SQLite, a real SMTP server and a real
webhook receiver: ingest → parse → extract → store → diff → alert, and nothing twice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support.config import write_config
from tests.support.servers import http_server, smtp_inbox

pytestmark = pytest.mark.flow


def _keys(report):  # (kind, metric, old, new) of each development
    return [(d.kind, d.metric, d.old_value, d.new_value) for d in report.developments]


def _has(report, kind, metric, new, old=None):
    return any(
        d.kind == kind
        and d.metric == metric
        and abs(d.new_value - new) <= 0.005 * new
        and (old is None or (d.old_value is not None and abs(d.old_value - old) <= 0.005 * old))
        for d in report.developments
    )


def test_seeds_one_by_one_give_the_story_and_alerts_arrive_once(
    prefect_harness, seed_dir: Path, tmp_path: Path
) -> None:
    from laborwatch.flows.monitor import monitor

    seeds = sorted(seed_dir.glob("*.txt"))
    with smtp_inbox() as inbox, http_server() as hook:
        config = write_config(
            tmp_path / "laborwatch.toml",
            db=tmp_path / "lw.db",
            urls=[inbox.apprise_url(), f"json://127.0.0.1:{hook.port}/alerts"],
            sources=[str(seeds[0])],
        )
        first = monitor(sources=[str(seeds[0])], config_path=str(config))
        assert _has(first, "new", "concessions", 2e9)
        assert _has(first, "new", "deficit", 3.3e9)

        second = monitor(sources=[str(seeds[1])], config_path=str(config))
        assert _has(second, "new", "layoff_notices", 4000)
        assert _has(second, "new", "layoff_notices", 100)
        assert not any(
            d.metric == "concessions" and d.new_value == 2e9 for d in second.developments
        )

        third = monitor(sources=[str(seeds[2])], config_path=str(config))
        assert _has(third, "changed", "concessions", 7e8, old=2e9)
        assert _has(third, "changed", "deficit", 3.6e9, old=3.3e9)
        assert _has(third, "changed", "layoffs", 4200)
        assert _has(third, "new", "budget", 41.51e9)

        # one digest per recipient per run, each with the headline change, quote and source
        mails = inbox.wait_for(3)
        assert len(mails) == 3
        last = mails[-1]
        body = last.get_body(preferencelist=("plain",)).get_content()
        assert "$2 billion → $700 million" in body or "$2 billion → $700 million" in str(
            last["Subject"]
        )
        assert "700 million in labor savings" in body
        html = last.get_body(preferencelist=("html",)).get_content()
        assert "<blockquote" in html
        posts = hook.posts()
        assert len(posts) == 3
        assert "4,200" in json.loads(posts[-1].body)["message"]

        # the same input again: no development, no alert
        again = monitor(sources=[str(s) for s in seeds], config_path=str(config))
        assert again.developments == []
        assert len(inbox.messages) == 3 and len(hook.posts()) == 3
        # the report counts this run's deliveries: nothing sent, nothing left waiting
        assert again.alerts == {"sent": 0, "failed": 0, "pending": 0}
        assert again.delivery.messages_sent == 0


def test_one_run_over_three_seeds_equals_three_runs(
    prefect_harness, seed_dir: Path, tmp_path: Path
) -> None:
    from laborwatch.flows.monitor import monitor

    seeds = sorted(seed_dir.glob("*.txt"))
    config_a = write_config(tmp_path / "a.toml", db=tmp_path / "a.db", urls=[], sources=[])
    config_b = write_config(tmp_path / "b.toml", db=tmp_path / "b.db", urls=[], sources=[])
    folder = tmp_path / "seeds"
    folder.mkdir()
    for seed in seeds:
        shutil.copy(seed, folder / seed.name)
    together = monitor(sources=[str(folder)], config_path=str(config_a))
    apart = []
    for seed in seeds:
        apart += _keys(monitor(sources=[str(seed)], config_path=str(config_b)))
    assert _keys(together) == apart
    assert len(apart) >= 8


def test_broken_sources_are_reported_and_the_rest_goes_through(
    prefect_harness, seed_dir: Path, tmp_path: Path
) -> None:
    from laborwatch.flows.monitor import monitor

    bad_xml = tmp_path / "broken.xml"
    bad_xml.write_text("<rss><channel><item><title>unclosed", encoding="utf-8")
    with http_server() as server:
        dead = f"http://127.0.0.1:{server.port}/gone.xml"  # answers 404
        config = write_config(tmp_path / "c.toml", db=tmp_path / "c.db", urls=[], sources=[])
        report = monitor(
            sources=[str(tmp_path / "missing.txt"), str(bad_xml), dead, str(seed_dir)],
            config_path=str(config),
        )
    failed = {row["source"] for row in report.per_source if row["status"] == "failed"}
    assert len(report.errors) >= 3
    assert str(tmp_path / "missing.txt") in " ".join(e.source for e in report.errors)
    assert dead in failed or any(dead in e.source for e in report.errors)
    assert _has(report, "changed", "concessions", 7e8, old=2e9)


def test_receiver_down_keeps_alerts_pending_then_delivers_once(
    prefect_harness, seed_dir: Path, tmp_path: Path
) -> None:
    from laborwatch.flows.monitor import monitor

    with http_server() as hook:
        hook.post_status = 500
        url = f"json://alerts:S3cretPass@127.0.0.1:{hook.port}/alerts"
        config = write_config(tmp_path / "d.toml", db=tmp_path / "d.db", urls=[url], sources=[])
        first = monitor(sources=[str(seed_dir)], config_path=str(config))
        assert first.developments and first.alerts["pending"] > 0 and first.alerts["sent"] == 0
        assert any(e.kind == "notify" for e in first.errors)
        assert not any("S3cretPass" in e.message for e in first.errors)

        hook.post_status = 200
        before = len(hook.posts())
        second = monitor(sources=[str(seed_dir)], config_path=str(config))
        assert second.developments == []
        assert second.alerts["pending"] == 0 and second.alerts["sent"] == first.alerts["pending"]
        assert len(hook.posts()) == before + 1  # one digest with everything that was pending
        third = monitor(sources=[str(seed_dir)], config_path=str(config))
        assert len(hook.posts()) == before + 1 and third.alerts["pending"] == 0
