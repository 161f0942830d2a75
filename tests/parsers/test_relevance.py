"""Labor relevance per FIGURES.md: developments yes; look-alikes no."""

from __future__ import annotations

import pytest

from laborwatch.parsers.relevance import is_labor_relevant


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Plant to close", "The mill will shut down in 60 days, eliminating 240 jobs."),
        ("", "Gov. Malloy's administration decided to delay sending out layoff notices."),
        (
            "Nurses strike",
            "More than 7,000 nurses walked off the job Tuesday after talks broke down.",
        ),
        ("", "The union agreed to $12 million in wage and benefit concessions."),
        ("", "The county ordered a hiring freeze as it confronts a budget gap."),
        ("", "Teachers will get a 3% raise under the tentative agreement reached Sunday."),
        ("", "The company said it would furlough 2,000 workers for two weeks."),
        ("", "Management locked out 1,100 workers after the contract expired."),
    ],
)
def test_labor_developments_are_relevant(title: str, text: str) -> None:
    assert is_labor_relevant(text, title)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Rangers win",
            "Seager homered twice as the Rangers beat the Astros 9-4 before 38,112 fans.",
        ),
        (
            "Ace deals",
            "He threw 68 strikes among 101 pitches; the strike zone was generous all night.",
        ),
        (
            "Snowstorm",
            "The storm dropped 14 inches of snow and knocked out power to 60,000 customers.",
        ),
        (
            "Profit beats",
            "Fizzco reported profit of $1.2 billion as revenue rose 6% to $8.4 billion.",
        ),
        (
            "EU deal",
            "European Union ministers agreed to a package for farmers; the union will review it.",
        ),
        ("New branch", "Riverbend Credit Union, which has 48,000 members, opened its 12th branch."),
        ("Braise", "Choose well-marbled cuts such as chuck; cut the meat into 2-inch pieces."),
        (
            "Airstrikes",
            "Government forces launched air strikes on rebel positions near the border.",
        ),
        ("Rates", "The Federal Reserve signaled as many as three rate cuts next year."),
        ("Deal", "Senators struck a deal on a $118 billion package; it needs 60 votes."),
    ],
)
def test_look_alikes_are_not_relevant(title: str, text: str) -> None:
    assert not is_labor_relevant(text, title)


def test_earnings_with_job_news_are_relevant() -> None:
    text = "Fizzco reported profit of $1.2 billion and said it will cut 500 jobs at two plants."
    assert is_labor_relevant(text, "Fizzco profit rises")
