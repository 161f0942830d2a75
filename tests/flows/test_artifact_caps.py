"""Artifacts stay small however many developments a run makes: Prefect refuses events of
several MB, so long lists are cut with a pointer to the CLI, and only the figures that moved the
most get a history artifact."""

from __future__ import annotations

from laborwatch.domain import Development, SourceError
from laborwatch.flows.artifacts import (
    HISTORY_ARTIFACTS,
    LISTED_DEVELOPMENTS,
    developments_markdown,
    largest_changes,
    summary_markdown,
)
from laborwatch.pipeline.report import RunReport


def _dev(
    i: int, *, old: float | None = 100.0, new: float = 150.0, kind: str = "changed"
) -> Development:
    return Development(
        kind=kind,  # type: ignore[arg-type]
        subject=f"Employer {i}",
        metric="layoffs",
        unit="people",
        new_value=new,
        old_value=old,
        approx=False,
        text=f"{new:g} jobs",
        sentence=f"Employer {i} will cut {new:g} jobs.",
        article_title=f"Story {i}",
        article_url=f"https://news.example.org/{i}",
        published=None,
        source="https://news.example.org/rss",
    )


def test_summary_and_table_list_the_first_developments_then_say_how_many_more() -> None:
    many = [_dev(i) for i in range(LISTED_DEVELOPMENTS + 57)]
    report = RunReport(run_label="run-big", sources_total=1, sources_done=1)
    report.developments = many
    report.errors = [
        SourceError(f"https://s{i}.example/rss", "HTTP 503", "fetch") for i in range(450)
    ]
    text = summary_markdown(report)
    assert (
        f"Story {LISTED_DEVELOPMENTS - 1}]" in text and f"Story {LISTED_DEVELOPMENTS}]" not in text
    )
    assert "… and 57 more: `laborwatch developments`" in text
    assert "… and 250 more errors" in text and "s249.example" not in text
    listed = developments_markdown(report)
    assert f"**{LISTED_DEVELOPMENTS}. " in listed and f"**{LISTED_DEVELOPMENTS + 1}. " not in listed
    assert "… and 57 more: `laborwatch developments`" in listed


def test_history_artifacts_go_to_the_keys_that_moved_most() -> None:
    # Employer i moves by i %, employer 999 from 0 (infinitely), new figures never count.
    devs = [_dev(i, old=100.0, new=100.0 + i) for i in range(1, 60)]
    devs += [_dev(999, old=0.0, new=5.0), _dev(5000, old=None, new=1e9, kind="new")]
    devs.append(_dev(3, old=100.0, new=1.0))  # a second, larger move of employer 3: 99 %
    keys = largest_changes(devs)
    assert len(keys) == HISTORY_ARTIFACTS
    subjects = [subject for subject, _, _ in keys]
    assert subjects[:2] == ["Employer 999", "Employer 3"]
    assert subjects[2:] == [f"Employer {i}" for i in range(59, 59 - (HISTORY_ARTIFACTS - 2), -1)]
    assert largest_changes(devs[:5], limit=20) == [
        (f"Employer {i}", "layoffs", "people") for i in (5, 4, 3, 2, 1)
    ]
