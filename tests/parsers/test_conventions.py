"""FIGURES.md "Conventions from real news": metrics follow the meaning, not the nearest word."""

from __future__ import annotations

import pytest

from laborwatch.parsers.analyze import analyze_article
from laborwatch.parsers.figures import extract_figures


def _figures(text: str) -> list[tuple[float, str, str]]:
    title = text.split("\n")[0]
    return [
        (f.value, f.unit, f.metric) for f in extract_figures(text, title=title, labor_relevant=True)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The number's own phrase and clause first: the cut is not the workforce it leaves.
        (
            "Acme cut 300 jobs at its plant, leaving 1,200 workers.",
            [(300, "people", "layoffs"), (1200, "people", "workforce")],
        ),
        # A headline in title case still reads its words; a total of layoffs is layoffs.
        (
            "Layoff Total Hits 644\n\nThe county released its numbers on Monday.",
            [(644, "people", "layoffs")],
        ),
        ("The district rescinded layoff notices for 120 teachers.", [(120, "people", "rehired")]),
        ("About 15,000 nurses will strike on Monday.", [(15000, "people", "strikers")]),
        ("Some 4,000 workers were locked out by the company.", [(4000, "people", "strikers")]),
        # A breakdown of a figure just given keeps its metric.
        (
            "The mill will cut 300 jobs. Those affected include 120 machinists.",
            [(300, "people", "layoffs"), (120, "people", "layoffs")],
        ),
        ("The union membership rate fell to 10 percent.", [(10, "percent", "workforce")]),
        ("The city will eliminate 61 vacant positions.", [(61, "people", "layoffs")]),
        ("The state left 4,800 positions vacant.", [(4800, "people", "other")]),
        ("In 2024, over 60 WARN notices were issued.", [(60, "count", "layoff_notices")]),
        ("The company is cutting 12% of its staff.", [(12, "percent", "layoffs")]),
        (
            "The plan calls for 180 officers to be cut from a force of 375.",
            [(180, "people", "layoffs"), (375, "people", "workforce")],
        ),
        ("About 150 were laid off late last year.", [(150, "people", "layoffs")]),
        ("The city faces a $304 million budget shortfall.", [(304e6, "USD", "deficit")]),
        (
            "The state released $45 million in state funds to the district.",
            [(45e6, "USD", "budget")],
        ),
        (
            "The decision will affect 133 employees at the plant, which will close.",
            [(133, "people", "layoffs")],
        ),
        (
            "The state pays $850 per month per worker for health insurance.",
            [(850, "USD", "benefits")],
        ),
        (
            "He says labor costs are only 4% to 5% of a vehicle's cost.",
            [(4, "percent", "other"), (5, "percent", "other")],
        ),
        # People told they will lose their jobs have received layoff notices; the staff a share
        # of them is taken from is the workforce.
        (
            "More than a third of Acme's 12,000 employees will receive notice this week.",
            [(12000, "people", "workforce")],
        ),
        (
            "In all, more than 4,000 people are expected to receive notice in the coming weeks.",
            [(4000, "people", "layoff_notices")],
        ),
        # Money and shares of the business or the economy are not budgets, cuts or wages, even
        # beside a labor word: the figure's own phrase decides.
        (
            "After a lifeline from investors worth up to $8 billion, the firm began cost-cutting.",
            [(8e9, "USD", "other")],
        ),
        (
            "The fund bought a 25.2% stake in the publisher, whose staff took pay cuts.",
            [(25.2, "percent", "other")],
        ),
        (
            "The tariffs would reduce GDP by 0.25 percent while lowering wages by 0.16 percent.",
            [(0.25, "percent", "other"), (0.16, "percent", "wages")],
        ),
        (
            "The study found a reduction in real income of $1.4 billion per month.",
            [(1.4e9, "USD", "other")],
        ),
    ],
)
def test_conventions(text: str, expected: list[tuple[float, str, str]]) -> None:
    assert _figures(text) == expected


def test_labor_words_outside_labor_news_are_other() -> None:
    text = (
        "Yamamoto struck out 15 batters on Sunday.\n\n"
        "He got a $100,000 bonus for the win.\n\n"
        "The crowd cheered as the game ended in the ninth inning."
    )
    analysis = analyze_article("Yamamoto strikes out 15", text)
    assert not analysis.labor_relevant
    assert {f.metric for f in analysis.figures} <= {"other"}


@pytest.mark.parametrize(
    "title",
    [
        "Wilder knocks out Helenius after a year-long layoff",
        "Chipmaker's stock surges after $47 billion buyout deal",
        "Public Employees' Retirement System reports 11.2% return",
    ],
)
def test_look_alikes_are_not_labor_news(title: str) -> None:
    assert not analyze_article(title, title).labor_relevant


def test_short_wire_item_on_plant_closures_is_labor_news() -> None:
    text = "Tyson Foods is closing four U.S. plants, one in Arkansas and two in Missouri."
    analysis = analyze_article(text, text)
    assert analysis.labor_relevant
    assert [(f.value, f.unit) for f in analysis.figures] == [
        (4, "count"),
        (1, "count"),
        (2, "count"),
    ]


def test_a_headline_line_is_its_own_sentence_and_a_wrapped_line_is_not() -> None:
    from laborwatch.parsers.text import split_sentences

    text = "Acme Cuts 300 Jobs\nThe company will cut 300 jobs at the\nAcme plant in Ohio."
    assert [s.text for s in split_sentences(text)] == [
        "Acme Cuts 300 Jobs",
        "The company will cut 300 jobs at the\nAcme plant in Ohio.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The plant will cut 300-400 workers.", [300, 400]),
        ("The split goes from 88-12 to 85-15 under the deal.", []),
        ("It costs $300-$400 million.", [300e6, 400e6]),
        ("Salesforce expects charges of $1.4-2.1 billion.", [1.4e9, 2.1e9]),
        ("NXP Stock Surges After $47 Billion Deal", [47e9]),
        ("A projected $9.6-million loss in revenue.", [9.6e6]),
        (
            "The district laid off 127 assistant principals and 53 school operations officers.",
            [127, 53],
        ),
        ("Tyson is closing two U.S. chicken plants.", [2]),
        (
            "About 12,700 workers - 5,800 at Stellantis, 3,600 at GM - will strike.",
            [12700, 5800, 3600],
        ),
        ("The company is terminating 555 employees at 4900 East Dublin Granville Rd.", [555]),
    ],
)
def test_real_news_number_forms(text: str, expected: list[float]) -> None:
    assert [f.value for f in extract_figures(text, labor_relevant=True)] == expected
