from datetime import UTC, datetime, timedelta

from laborwatch.domain import FetchState
from laborwatch.ingest.health import (
    BASE_BACKOFF,
    MAX_BACKOFF,
    PAUSE_FOR,
    backoff_for,
    is_auto_paused,
    is_silent,
    note_entries,
    record_failure,
    record_success,
    should_fetch,
    usual_interval,
)

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_failure_weights_hard_over_soft_over_temporary() -> None:
    scores = {
        kind: record_failure(None, NOW, kind=kind, message="x").failure_score
        for kind in ("hard", "soft", "temporary")
    }
    assert scores["hard"] > scores["soft"] > scores["temporary"] > 0


def test_backoff_doubles_and_is_bounded() -> None:
    assert backoff_for(1) == BASE_BACKOFF
    assert backoff_for(2) == BASE_BACKOFF * 2
    assert backoff_for(3) == BASE_BACKOFF * 4
    assert backoff_for(50) == MAX_BACKOFF
    state = None
    waits = []
    for _ in range(3):
        state = record_failure(state, NOW, kind="temporary", message="timeout")
        assert state.paused_until is not None
        waits.append(state.paused_until - NOW)
    assert waits == [BASE_BACKOFF, BASE_BACKOFF * 2, BASE_BACKOFF * 4]
    assert state is not None and state.consecutive_failures == 3 and state.last_error == "timeout"


def test_retry_after_extends_the_wait() -> None:
    state = record_failure(None, NOW, kind="temporary", message="429", retry_after=7200)
    assert state.paused_until == NOW + timedelta(seconds=7200)
    assert not should_fetch(state, NOW + timedelta(hours=1))
    assert should_fetch(state, NOW + timedelta(hours=2))


def test_auto_pause_after_many_failures_then_reset_on_success() -> None:
    state = FetchState(etag='"e"')
    for _ in range(4):
        state = record_failure(state, NOW, kind="hard", message="HTTP 404")
    assert is_auto_paused(state)
    assert state.paused_until is not None and state.paused_until >= NOW + PAUSE_FOR
    assert not should_fetch(state, NOW + timedelta(hours=23))
    assert should_fetch(state, NOW + PAUSE_FOR)
    healthy = record_success(state, NOW, status=200, content_hash="abc")
    assert healthy.failure_score == 0 and healthy.consecutive_failures == 0
    assert healthy.paused_until is None and healthy.last_error is None
    assert healthy.etag == '"e"' and healthy.content_hash == "abc"  # validators kept/updated
    assert should_fetch(healthy, NOW) and should_fetch(None, NOW)


def test_silence() -> None:
    state = note_entries(FetchState(), [NOW - timedelta(days=3), None, NOW - timedelta(days=5)])
    assert state.last_new_entry_at == NOW - timedelta(days=3)
    assert note_entries(state, [NOW - timedelta(days=9)]) == state  # never goes backwards
    assert not is_silent(state, NOW, timedelta(days=1), factor=5)
    assert is_silent(state, NOW, timedelta(hours=23))  # 72 h without news > 3 x 23 h
    assert not is_silent(state, NOW, timedelta(days=1))  # exactly 3 x 1 day is not yet silent
    assert not is_silent(FetchState(), NOW, timedelta(hours=1))  # no history, no alarm


def test_usual_interval_is_median_gap() -> None:
    times = [NOW, NOW - timedelta(hours=2), NOW - timedelta(hours=4), NOW - timedelta(hours=30)]
    assert usual_interval(times) == timedelta(hours=2)
    assert usual_interval([NOW, None]) is None
