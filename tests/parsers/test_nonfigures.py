"""Hedges and the numbers FIGURES.md says are not figures."""

from __future__ import annotations

import pytest

from laborwatch.parsers.figures import extract_figures


def _values(text: str) -> list[float]:
    return [f.value for f in extract_figures(text)]


@pytest.mark.parametrize(
    "text",
    [
        "The layoffs take effect May 6 and July 1, 2017, the state said.",
        "The deficit for FY16/17 and 2015/16 will be reviewed in 2018.",
        "The union meets at 3 p.m. and again at 10:30 on Tuesday.",
        "The contract runs two years, with eight weeks notice and three furlough days.",
        "Layoffs are 13 weeks away, the 45-year-old steward said.",
        "John Smith, 58, was laid off; call 860-555-1212 for help.",
        "The list of layoffs is on page 23 of Section 4 of Bill 1120.",
        "SEIU Local 2001 and District 1199 joined the first and 21st rallies.",
        "Union members voted 25,713 to 9,791 to ratify the layoff deal.",
        "Some 64% voted to accept the contract, with turnout at 71 percent.",
        "That's state government, five or six zeroes, the governor said of the raises.",
        "The union was founded in 1911 and the layoffs began in the 1990s.",
        "Thousands of workers and dozens of bills were at the hearing.",
        "The layoffs were announced as COVID-19 spread along I-95.",
        "The company cut jobs and took a charge of 200 million euros.",
        "Boeing 737 MAX jets were grounded and Windows 11 shipped.",
        "About one in five workers and 3 out of 4 members were affected.",
    ],
)
def test_not_figures(text: str) -> None:
    assert _values(text) == [], extract_figures(text)


def test_currency_equivalent_beside_foreign_amount_is_a_figure() -> None:
    figures = extract_figures("It will cut 420 jobs to save £200 million ($254 million).")
    assert [(f.value, f.unit) for f in figures] == [(420, "people"), (254_000_000, "USD")]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        (
            "It sent notices to more than 4,000 unionized workers.",
            "more than 4,000 unionized workers",
        ),
        ("It will save about $100 million.", "about $100 million"),
        ("It laid off fewer than 1,000 state employees.", "fewer than 1,000 state employees"),
        ("It will lay off up to 500 workers.", "up to 500 workers"),
        ("It will cut nearly 5,000 jobs.", "nearly 5,000 jobs"),
        ("It laid off some 60 journalists.", "some 60 journalists"),
        ("It will lay off as many as 2,000 employees.", "as many as 2,000 employees"),
        ("It employs just under 1,900 people.", "just under 1,900 people"),
        ("It cut an estimated 300 jobs.", "an estimated 300 jobs"),
        ("The mine will idle 1,000-plus miners.", "1,000-plus miners"),
        ("The county will cut 300 or more jobs.", "300 or more jobs"),
        ("It will lay off at least 30 workers.", "at least 30 workers"),
    ],
)
def test_hedged_figures_are_approx_and_keep_the_hedge(text: str, span: str) -> None:
    (figure,) = extract_figures(text)
    assert figure.approx
    assert figure.text == span


def test_hedging_verb_is_not_a_hedge() -> None:
    (figure,) = extract_figures("The plan is expected to save $10 million.")
    assert not figure.approx


def test_size_of_a_voting_body_is_a_figure() -> None:
    figures = extract_figures("The 146,000 members of 15 unions voted 25,713 to 9,791.")
    assert [(f.value, f.unit) for f in figures] == [(146_000, "people"), (15, "count")]
