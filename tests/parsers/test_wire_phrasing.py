"""Round-2 phrasing: wire-service copy, text tables, glued units, sourcing idioms, short items."""

from __future__ import annotations

import pytest

from laborwatch.parsers.figures import extract_figures
from laborwatch.parsers.relevance import is_labor_relevant
from laborwatch.parsers.tables import table_cells
from laborwatch.parsers.text import split_sentences

WARN_TABLE = (
    "The following WARN notices were received by the state labor department this week.\n\n"
    "Company | City | Effective Date | Workers Affected | Type\n"
    "Pinnacle Pharma Services LLC | Parsippany | 08/05/2024 | 118 | Closing\n"
    "Eastbay Logistics Inc. | Edison | 08/12/2024 | 64 | Layoff\n"
    "Total workers affected this week: 182\n"
)


def _summary(text: str, **kwargs: object) -> list[tuple[float, str, str]]:
    return [(f.value, f.unit, f.metric) for f in extract_figures(text, **kwargs)]  # type: ignore[arg-type]


def test_table_rows_are_sentences_and_cells_know_their_header() -> None:
    rows = [s.text for s in split_sentences(WARN_TABLE)]
    assert rows[1].startswith("Company |") and rows[2].startswith("Pinnacle")
    cells = {WARN_TABLE[c.start : c.end]: c.header for c in table_cells(WARN_TABLE)}
    assert cells["118"] == "Workers Affected" and cells["Edison"] == "City"


def test_table_column_counts_people_framed_by_the_intro() -> None:
    assert _summary(WARN_TABLE) == [
        (118, "people", "layoff_notices"),
        (64, "people", "layoff_notices"),
        (182, "people", "layoff_notices"),
    ]


def test_glued_cents_and_measures() -> None:
    assert _summary("The 38-cent increase takes the minimum wage to $16.66 an hour.") == [
        (0.38, "USD", "wages"),
        (16.66, "USD", "wages"),
    ]
    recipe = "A 4-pound shoulder feeds about 10 people."
    assert _summary(recipe, labor_relevant=False) == [(10, "people", "other")]


@pytest.mark.parametrize(
    "text",
    [
        "The bank will cut jobs, two people familiar with the matter said.",
        "The plan was approved by 82% of the 11,800 pilots who voted.",
        "The park service would send home two-thirds of its staff.",
        "Steele struck out nine and got 22 straight save chances with 211 strikeouts.",
    ],
)
def test_sourcing_turnout_fractions_and_box_scores_are_not_figures(text: str) -> None:
    assert extract_figures(text) == []


def test_head_noun_reads_through_a_named_tier() -> None:
    figures = extract_figures("The plan covers about 150,000 so-called Tier 2 employees.")
    assert [(f.value, f.unit) for f in figures] == [(150000, "people")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "A spokesperson said 240 employees will be affected, including 38 truck drivers.",
            ["layoffs", "layoffs"],
        ),
        ("The closures will cost about 2,100 workers their jobs.", ["layoffs"]),
        ("The first 200 workers will return Monday.", ["rehired"]),
        ("About 250 members remain on layoff.", ["layoffs"]),
        ("It aims to trim operating expenses to $18bn from $20.5bn.", ["budget", "budget"]),
        ("The shares have fallen 31% this year.", ["other"]),
        ("The district offered a one-time payment of $1,500.", ["wages"]),
        ("The deal adds about $1.6bn to its labor costs.", ["wages"]),
        ("The state cut spending and left 4,800 positions vacant.", ["other"]),
    ],
)
def test_metric_cues_of_wire_copy(text: str, expected: list[str]) -> None:
    context = "The distribution center will close for good on Aug. 30. "
    figures = extract_figures(context + text, title="Center closing")
    assert [f.metric for f in figures] == expected


def test_pension_cost_of_living_raise_is_a_benefit() -> None:
    text = (
        "The pension bill would raise the state's contribution. It would also restore a 3% "
        "annual cost-of-living increase for retirees."
    )
    assert [f.metric for f in extract_figures(text)] == ["benefits"]


def test_head_counts_outside_labor_news_are_not_workforces() -> None:
    credit = "The credit union, which has 48,000 members, opened a branch."
    assert _summary(credit, labor_relevant=False) == [(48000, "people", "other")]
    employer = "The chain, which employs 9,000 people, opened a store."
    assert _summary(employer, labor_relevant=False) == [(9000, "people", "workforce")]


@pytest.mark.parametrize(
    "text",
    [
        "Hollywood writers reached a tentative deal with studios, ending a 148-day work stoppage.",
        "Amazon is cutting several hundred roles in its Alexa division, an internal memo showed.",
        "State troopers will get a 5 percent pay bump under a deal announced Friday.",
        "The school board voted to non-renew the contracts of 45 probationary teachers.",
        "Graduate student workers at the university voted to authorize a strike.",
        "Google parent Alphabet said it would let go of 12,000 employees.",
        "The mill's 400 employees were told Monday that it would shut down permanently.",
        "The county sheriff's deputies union declared an impasse in contract talks.",
        "The airline's flight attendants approved a new four-year contract with 33% raises.",
        "Video game developers at the studio formed a union, the first at the company.",
        "The paper's guild said management proposed freezing wages for two years.",
        "The nonprofit eliminated its entire communications team last week.",
        "The restaurant chain will pay $5 million to settle claims it stole tips from servers.",
    ],
)
def test_short_feed_items_about_labor_are_relevant(text: str) -> None:
    assert is_labor_relevant(text)


@pytest.mark.parametrize(
    "text",
    [
        "Drivers should expect delays as the tunnel closes for maintenance.",
        "The senator said negotiations on the farm bill would resume.",
        "Teachers said the new curriculum would help students read earlier.",
        "Employees can now pay for meals in the cafeteria with their badges.",
        "The team's pitcher agreed to a one-year contract to avoid arbitration.",
        "Rescue workers searched the rubble as ceasefire talks stalled.",
        "The chief of staff told reporters the trade talks were going well.",
        "Workers at the museum discovered a hidden painting during restoration.",
    ],
)
def test_labor_words_in_other_news_are_not_relevant(text: str) -> None:
    assert not is_labor_relevant(text)
