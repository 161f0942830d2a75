"""Every development is delivered or visibly owed.

Before issue #13: a digest stopped at 10 messages and marked the rest sent (290 of 1,300 never
went out); rows that failed 10 times became 'failed', vanished from `alerts --pending` and were
never sent again; developments stored while the Apprise URL was invalid were never queued; a
hung webhook cost 20 s per message; nobody heard about a target failing run after run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from laborwatch.alerts.targets import Target, load_targets
from laborwatch.domain import Article, ArticleAnalysis, Development, Figure
from laborwatch.pipeline.steps import deliver_outbox
from laborwatch.storage import Store
from tests.reliability.conftest import Gate, Hook, company, config_file, run_cli, story
from tests.support.servers import LocalHTTPServer

# Long enough that 1,300 developments need more than 10 messages (the old cap).
FILLER = "The union said the cuts would fall on nurses, aides and drivers first. " * 3


def _figures(count: int) -> list[Figure]:
    figures = []
    for i in range(count):
        text = f"{100 + i} workers"
        figures.append(
            Figure(
                text=text,
                value=float(100 + i),
                unit="people",
                metric="layoffs",
                approx=False,
                sentence=f"{company(i)} will lay off {text}. " + FILLER,
                start=0,
                end=len(text),
                subject=company(i),
            )
        )
    return figures


def _queued(store: Store, target: Target, count: int) -> list[Development]:
    """`count` developments (one article, one company each) queued for `target`."""
    article = Article(source="wire", title="Cuts everywhere", text="…", url="https://x.org/a")
    [stored] = store.store_articles([(article, ArticleAnalysis(True, _figures(count)))])
    ids = [dev.id for dev in stored.developments if dev.id is not None]
    store.enqueue_alerts({dev_id: [target.key] for dev_id in ids})
    return store.list_developments()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'lw.db'}") as opened:
        yield opened


def _deliver(store: Store, targets: list[Target], **options: object) -> dict[str, int]:
    options.setdefault("mode", "digest")
    _delivery, _errors = deliver_outbox(
        store,
        targets,
        run_label="run",
        claimant="run",
        **options,  # type: ignore[arg-type]
    )
    return store.alert_counts()  # the outbox as a whole, after this delivery


def test_a_digest_of_1300_developments_is_delivered_whole(
    store: Store, hook_server: LocalHTTPServer
) -> None:
    hook = Hook(hook_server)
    [target] = load_targets([hook.url])
    developments = _queued(store, target, 1300)
    assert _deliver(store, [target]) == {"sent": 1300, "pending": 0, "failed": 0}
    delivered = hook.times_delivered(developments)
    assert len(delivered) == 1300 and set(delivered.values()) == {1}
    assert len(hook.accepted) > 10  # as many messages as it takes
    assert "not shown" not in hook.bodies()


def test_exhausted_alerts_stay_listed_and_are_resent_by_alerts_retry(
    tmp_path: Path, store: Store, hook_server: LocalHTTPServer
) -> None:
    hook = Hook(hook_server)
    [target] = load_targets([hook.url])
    developments = _queued(store, target, 3)
    hook.fail_with = 500
    for _ in range(10):  # ten runs against a broken receiver: attempts exhausted
        _deliver(store, [target])
    assert store.alert_counts() == {"sent": 0, "pending": 0, "failed": 3}
    assert _deliver(store, [target])["failed"] == 3  # backing off: the next run leaves them
    config = config_file(
        tmp_path / "laborwatch.toml", db_url=str(store.engine.url), sources=[], urls=[hook.url]
    )
    listed = run_cli("alerts", "--config", str(config), "--pending", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count(target.key) == 3  # visibly owed
    hook.fail_with = None
    retried = run_cli("alerts", "--config", str(config), "--retry", cwd=tmp_path)
    assert retried.returncode == 0, retried.stderr
    assert store.alert_counts() == {"sent": 3, "pending": 0, "failed": 0}
    assert set(hook.times_delivered(developments).values()) == {1}


def test_alerts_stored_while_the_url_was_invalid_are_sent_once_it_is_fixed(
    tmp_path: Path, hook_server: LocalHTTPServer
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(3):
        title, body = story(i)
        (folder / f"{i}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    db_url = f"sqlite:///{tmp_path / 'lw.db'}"
    broken = config_file(
        tmp_path / "broken.toml", db_url=db_url, sources=[str(folder)], urls=["nosuch://x"]
    )
    first = run_cli("run", "--config", str(broken), cwd=tmp_path)
    assert "nosuch" in first.stderr
    with Store.open(db_url) as store:
        assert len(store.list_developments()) == 3
        assert len(store.list_alerts(pending_only=True)) == 3  # owed, waiting for a target
    hook = Hook(hook_server)
    fixed = config_file(
        tmp_path / "fixed.toml", db_url=db_url, sources=[str(folder)], urls=[hook.url]
    )
    second = run_cli("run", "--config", str(fixed), cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    with Store.open(db_url) as store:
        developments = store.list_developments()
        assert store.alert_counts() == {"sent": 3, "pending": 0, "failed": 0}
    assert set(hook.times_delivered(developments).values()) == {1}


def test_a_hung_target_costs_one_timeout_per_run_and_gets_everything_later(
    store: Store, hook_server: LocalHTTPServer
) -> None:
    hook = Hook(hook_server)
    hook.gate = Gate()
    [target] = load_targets([hook.url])
    developments = _queued(store, target, 5)
    started = time.monotonic()
    counts = _deliver(store, [target], mode="each", timeout=1.0)
    assert time.monotonic() - started < 4.0  # one timeout, not five
    assert counts == {"sent": 0, "pending": 5, "failed": 0}
    attempts = sorted(item.attempts for item in store.list_alerts(pending_only=True))
    assert attempts == [0, 0, 0, 0, 1]  # the rest was never tried: no attempt spent
    hook.gate.open()
    assert _deliver(store, [target], mode="each", timeout=1.0)["sent"] == 5
    assert set(hook.times_delivered(developments).values()) == {1}


def test_operators_hear_once_when_a_target_fails_three_runs_in_a_row(
    store: Store, hook_server: LocalHTTPServer
) -> None:
    hook = Hook(hook_server)
    operators_hook = Hook(hook_server, "/operators")
    [target] = load_targets([hook.url])
    [operators] = load_targets([operators_hook.url])
    _queued(store, target, 2)
    hook.fail_with = 503
    notices = []
    for _ in range(5):
        _deliver(store, [target], operators=[operators])
        notices.append(len(operators_hook.accepted))
    assert notices == [0, 0, 1, 1, 1]  # on the third failed run, once
    assert "failed 3 runs in a row" in operators_hook.accepted[0]["message"]
    assert (
        target.key in operators_hook.accepted[0]["message"]
        or "127.0.0.1" in (operators_hook.accepted[0]["message"])
    )
    hook.fail_with = None
    assert _deliver(store, [target], operators=[operators])["sent"] == 2
