"""Alert outbox: idempotent enqueue, atomic claims, retries, exhaustion, stale claims."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from laborwatch.domain import ArticleAnalysis
from laborwatch.storage import Store
from tests.storage.conftest import UrlFactory, article, figure


def developments(store: Store, count: int) -> list[int]:
    item = article("a")
    analysis = ArticleAnalysis(True, [figure(float(100 + i)) for i in range(0, count * 10, 10)])
    outcome = store.add_article(item, analysis)
    found = store.record_figures(outcome.article_id, item, analysis)
    assert len(found) == count
    return [d.id for d in found if d.id is not None]


def test_enqueue_is_idempotent(store: Store) -> None:
    ids = developments(store, 2)
    routes = {ids[0]: ["slack", "email", "slack"], ids[1]: ["email"]}
    assert store.enqueue_alerts(routes) == 3
    assert store.enqueue_alerts(routes) == 0
    assert store.enqueue_alerts({ids[1]: ["email", "ops"]}) == 1
    assert store.alert_counts() == {"sent": 0, "pending": 4, "failed": 0}
    with pytest.raises(ValueError, match="unknown development"):
        store.enqueue_alerts({99999: ["slack"]})
    assert store.alert_counts()["pending"] == 4


def test_claimed_items_carry_the_development(store: Store) -> None:
    [dev_id] = developments(store, 1)
    store.enqueue_alerts({dev_id: ["slack"]})
    [item] = store.claim_pending_alerts(claimant="run-1")
    assert (item.target_key, item.attempts, item.last_error) == ("slack", 0, None)
    assert item.development.id == dev_id
    assert item.development.kind == "new" and item.development.new_value == 100.0
    assert item.development.article_title == "Story a"
    assert store.claim_pending_alerts(claimant="run-2") == []
    with pytest.raises(ValueError, match="claimant"):
        store.claim_pending_alerts(claimant=" ")
    with pytest.raises(ValueError, match="max_attempts"):
        store.claim_pending_alerts(claimant="run-3", max_attempts=0)


def test_two_overlapping_claimers_never_share_a_row(make_db_url: UrlFactory) -> None:
    url = make_db_url()
    with Store.open(url) as setup:
        ids = developments(setup, 30)
        assert setup.enqueue_alerts({d: ["slack", "email", "ops"] for d in ids}) == 90
    stores = [Store(url), Store(url)]
    barrier = threading.Barrier(2)
    # (outbox id, attempts when claimed): a row handed to two runs at once would appear twice.
    claims: list[list[tuple[int, int]]] = [[], []]
    errors: list[BaseException] = []

    def claimer(index: int) -> None:
        try:
            barrier.wait()
            while True:
                batch = stores[index].claim_pending_alerts(claimant=f"run-{index}")
                if not batch:
                    return
                claims[index].extend((item.id, item.attempts) for item in batch)
                # Every other row fails once (and goes back to pending); the rest are sent.
                first_failures = [i.id for i in batch if i.attempts == 0 and i.id % 2 == 0]
                stores[index].mark_alerts_failed(first_failures, "flaky")
                stores[index].mark_alerts_sent([i.id for i in batch if i.id not in first_failures])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=claimer, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for opened in stores:
        opened.close()
    assert errors == []
    every_claim = claims[0] + claims[1]
    assert len(every_claim) == len(set(every_claim))
    assert len(every_claim) == 90 + 45  # one claim per row, plus one retry for each even id
    with Store(url) as store:
        assert store.alert_counts() == {"sent": 90, "pending": 0, "failed": 0}
        assert sorted(i.attempts for i in store.list_alerts()) == [0] * 45 + [1] * 45


def test_concurrent_single_claims_are_exclusive(make_db_url: UrlFactory) -> None:
    url = make_db_url()
    with Store.open(url) as setup:
        ids = developments(setup, 5)
        setup.enqueue_alerts({d: ["slack"] for d in ids})
    stores = [Store(url) for _ in range(6)]
    barrier = threading.Barrier(len(stores))
    results: list[list[int]] = [[] for _ in stores]

    def claimer(index: int) -> None:
        barrier.wait()
        results[index] = [i.id for i in stores[index].claim_pending_alerts(claimant="same-name")]

    threads = [threading.Thread(target=claimer, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for opened in stores:
        opened.close()
    everything = [row for result in results for row in result]
    assert sorted(everything) == sorted(set(everything)) and len(everything) == 5
    assert sum(1 for result in results if result) == 1  # one claim statement took them all


def test_failed_then_retried_then_sent_exactly_once(store: Store) -> None:
    [dev_id] = developments(store, 1)
    store.enqueue_alerts({dev_id: ["slack"]})
    [item] = store.claim_pending_alerts(claimant="run-1")
    store.mark_alerts_failed(
        [item.id], "HTTP 500 from slack://T000/B000/XXXXSECRET and mailto://u:pw@mail.example.org"
    )
    [pending] = store.list_alerts(pending_only=True)
    assert pending.attempts == 1
    assert pending.last_error is not None
    assert "SECRET" not in pending.last_error and "pw@" not in pending.last_error
    assert "HTTP 500" in pending.last_error
    [retry] = store.claim_pending_alerts(claimant="run-2")
    assert retry.id == item.id and retry.attempts == 1
    store.mark_alerts_sent([retry.id])
    store.mark_alerts_sent([retry.id])  # a repeat does nothing
    assert store.claim_pending_alerts(claimant="run-3") == []
    assert store.alert_counts() == {"sent": 1, "pending": 0, "failed": 0}
    assert store.list_alerts(pending_only=True) == []
    # A late failure report for a sent row must not resurrect it.
    store.mark_alerts_failed([retry.id], "late")
    assert store.alert_counts() == {"sent": 1, "pending": 0, "failed": 0}


def test_exhausted_rows_stay_owed_back_off_and_are_retried(store: Store) -> None:
    ids = developments(store, 2)
    store.enqueue_alerts({ids[0]: ["slack"], ids[1]: ["slack"]})
    claims_per_row: dict[int, int] = {}
    for _ in range(10):  # bounded: the loop must end by exhaustion, not by luck
        batch = store.claim_pending_alerts(claimant="run", max_attempts=3)
        if not batch:
            break
        for item in batch:
            claims_per_row[item.id] = claims_per_row.get(item.id, 0) + 1
        broken = [i.id for i in batch if i.development.id == ids[0]]
        store.mark_alerts_failed(broken, "receiver down")
        store.mark_alerts_sent([i.id for i in batch if i.id not in broken])
    assert sorted(claims_per_row.values()) == [1, 3]
    assert store.alert_counts() == {"sent": 1, "pending": 0, "failed": 1}
    [failed] = [i for i in store.list_alerts() if i.development.id == ids[0]]
    assert (failed.attempts, failed.last_error) == (3, "receiver down")
    # Still owed: listed, and backing off, so the next run does not hammer a broken target...
    assert [i.id for i in store.list_alerts(pending_only=True)] == [failed.id]
    assert failed.status == "failed" and failed.next_attempt_at is not None
    assert store.claim_pending_alerts(claimant="run", max_attempts=5) == []
    # ... but `alerts --retry` sends it at once, and once sent it is done.
    [again] = store.claim_pending_alerts(claimant="retry", retry_failed=True)
    assert again.id == failed.id
    store.mark_alerts_sent([again.id])
    assert store.alert_counts() == {"sent": 2, "pending": 0, "failed": 0}
    assert store.list_alerts(pending_only=True) == []


def test_an_exhausted_row_is_retried_by_a_run_once_its_back_off_is_over(store: Store) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import update

    from laborwatch.storage.models import OUTBOX

    [dev_id] = developments(store, 1)
    store.enqueue_alerts({dev_id: ["slack"]})
    [item] = store.claim_pending_alerts(claimant="run", max_attempts=1)
    store.mark_alerts_failed([item.id], "down", max_attempts=1)
    assert store.claim_pending_alerts(claimant="run", max_attempts=1) == []
    with store.engine.begin() as connection:  # the back-off is over
        past = datetime.now(UTC) - timedelta(seconds=1)
        connection.execute(update(OUTBOX).values(next_attempt_at=past))
    [again] = store.claim_pending_alerts(claimant="later-run", max_attempts=1)
    assert again.id == item.id
    store.release_alerts([again.id])  # not tried (the target hung): stays failed, owed
    assert store.alert_counts() == {"sent": 0, "pending": 0, "failed": 1}


def test_failed_with_max_attempts_is_failed_at_once(store: Store) -> None:
    [dev_id] = developments(store, 1)
    store.enqueue_alerts({dev_id: ["slack"]})
    [item] = store.claim_pending_alerts(claimant="run", max_attempts=1)
    store.mark_alerts_failed([item.id], "down", max_attempts=1)
    assert store.alert_counts() == {"sent": 0, "pending": 0, "failed": 1}


def test_stale_sending_rows_become_claimable(store: Store) -> None:
    [dev_id] = developments(store, 1)
    store.enqueue_alerts({dev_id: ["slack"]})
    [item] = store.claim_pending_alerts(claimant="crashed-run")
    assert store.claim_pending_alerts(claimant="next-run") == []
    time.sleep(0.05)
    [again] = store.claim_pending_alerts(
        claimant="next-run", stale_after=timedelta(milliseconds=10)
    )
    assert again.id == item.id
    assert store.alert_counts() == {"sent": 0, "pending": 1, "failed": 0}
