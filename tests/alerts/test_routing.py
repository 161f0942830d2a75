from __future__ import annotations

from laborwatch.alerts.routing import Watch, is_alertable, matching_watches, route
from laborwatch.alerts.targets import Target
from tests.alerts.conftest import MakeDev

BUDGET = Watch(name="ct-budget", include=("layoff notices", "Malloy"), tags=("ct",))
UNIONS = Watch(name="unions", include=("union",), exclude=("credit union",), tags=("labor",))
EVERYTHING = Watch(name="all-news", exclude=("baseball",))


def test_include_words_are_case_insensitive_and_word_bounded() -> None:
    found = matching_watches(
        [BUDGET, UNIONS], title="MALLOY warns", text="talks with the reunion committee", subject=""
    )
    assert [w.name for w in found] == ["ct-budget"]
    found = matching_watches(
        [BUDGET, UNIONS], title="", text="The Union rejected the offer", subject=""
    )
    assert [w.name for w in found] == ["unions"]


def test_multiword_include_matches_across_whitespace_and_in_subject() -> None:
    found = matching_watches([BUDGET], title="", text="sent layoff\nnotices", subject="")
    assert found == [BUDGET]
    assert matching_watches([BUDGET], title="", text="", subject="Malloy administration") == [
        BUDGET
    ]


def test_exclude_wins_and_a_watch_without_include_matches_the_rest() -> None:
    text = "The credit union and the union met."
    assert matching_watches([UNIONS], title="", text=text, subject="") == []
    assert matching_watches([EVERYTHING], title="Budget", text="", subject="") == [EVERYTHING]
    assert matching_watches([EVERYTHING], title="Baseball strike", text="", subject="") == []


def test_alertable_by_metric_kind_and_threshold(make_dev: MakeDev) -> None:
    changed = make_dev(old_value=4000.0, new_value=4400.0)  # +10%
    metrics = {"layoff_notices"}
    assert is_alertable(changed, metrics=metrics, min_relative_change=0.10)
    assert not is_alertable(changed, metrics=metrics, min_relative_change=0.11)
    assert not is_alertable(changed, metrics={"layoffs"}, min_relative_change=0.0)
    down = make_dev(old_value=4000.0, new_value=3000.0)
    assert is_alertable(down, metrics=metrics, min_relative_change=0.2)
    new = make_dev(kind="new", old_value=None)
    assert is_alertable(new, metrics=metrics, min_relative_change=5.0)
    from_zero = make_dev(old_value=0.0, new_value=10.0)
    assert is_alertable(from_zero, metrics=metrics, min_relative_change=5.0)


def _target(key: str, *tags: str) -> Target:
    return Target(key=key, url=f"json://h/{key}", tags=frozenset(tags), label=key)


PLAIN = _target("plain")
CT = _target("ct-desk", "ct")
LABOR = _target("labor-desk", "Labor")
ALWAYS = _target("pager", "always")
TARGETS = [PLAIN, CT, LABOR, ALWAYS]


def test_without_watches_untagged_get_everything_tagged_get_nothing(make_dev: MakeDev) -> None:
    dev = make_dev(watches=[])
    assert route(dev, TARGETS, watches_configured=False) == [PLAIN, ALWAYS]


def test_with_watches_untagged_only_get_matched_developments(make_dev: MakeDev) -> None:
    unmatched = make_dev(watches=[])
    assert route(unmatched, TARGETS, watches_configured=True, watches=[BUDGET, UNIONS]) == []
    matched = make_dev(watches=["ct-budget"])
    assert route(matched, TARGETS, watches_configured=True, watches=[BUDGET, UNIONS]) == [
        PLAIN,
        CT,
        ALWAYS,
    ]


def test_tags_of_all_matched_watches_count(make_dev: MakeDev) -> None:
    dev = make_dev(watches=["ct-budget", "unions"])
    routed = route(dev, TARGETS, watches_configured=True, watches=[BUDGET, UNIONS])
    assert routed == [PLAIN, CT, LABOR, ALWAYS]
    # a watch name the configuration no longer knows routes to no tagged target
    ghost = make_dev(watches=["gone"])
    assert route(ghost, [CT, LABOR], watches_configured=True, watches=[BUDGET]) == []


def test_alert_outcome_names_why_a_development_is_only_recorded(make_dev: MakeDev) -> None:
    from laborwatch.alerts.routing import alert_outcome

    metrics = {"layoff_notices"}

    def outcome(dev: object, *, matched: bool = True, watches: bool = True) -> str:
        return alert_outcome(
            dev,  # type: ignore[arg-type]
            metrics=metrics, min_relative_change=0.05,
            matched_watch=matched, watches_configured=watches,
        )  # fmt: skip

    assert outcome(make_dev()) == "alerted"
    assert outcome(make_dev(metric="other")) == "metric not alerted"
    assert outcome(make_dev(old_value=4000.0, new_value=4100.0)) == "below threshold"
    assert outcome(make_dev(), matched=False) == "no watch matched"
    assert outcome(make_dev(), matched=False, watches=False) == "alerted"
