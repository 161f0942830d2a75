"""Metric choice from the words around a figure."""

from __future__ import annotations

import pytest

from laborwatch.parsers.figures import extract_figures


def _metric(text: str, value: float) -> str:
    matches = [f for f in extract_figures(text) if f.value == pytest.approx(value)]
    assert matches, f"no figure {value} in {extract_figures(text)}"
    return matches[0].metric


@pytest.mark.parametrize(
    ("text", "value", "metric"),
    [
        ("The company will lay off 400 employees.", 400, "layoffs"),
        ("The plant closing will eliminate 240 jobs.", 240, "layoffs"),
        ("The state sent layoff notices to 2,500 workers.", 2500, "layoff_notices"),
        ("Officials issued nearly 5,000 layoff notices.", 5000, "layoff_notices"),
        ("The company filed WARN notices covering 640 workers.", 640, "layoff_notices"),
        ("The automaker will recall 600 workers next month.", 600, "rehired"),
        ("The deal averted the layoffs of 85 officers.", 85, "rehired"),
        ("The company employs about 14,000 people.", 14000, "workforce"),
        ("The union represents roughly 30,000 state employees.", 30000, "workforce"),
        ("More than 7,000 nurses walked off the job.", 7000, "strikers"),
        ("The union agreed to $12 million in concessions.", 12e6, "concessions"),
        ("The governor needs $700 million in labor savings.", 700e6, "concessions"),
        ("The consolidation is expected to save $10 million.", 10e6, "savings"),
        ("Lawmakers approved $30 million in spending cuts.", 30e6, "spending_cuts"),
        ("The state faces a $3.6 billion deficit.", 3.6e9, "deficit"),
        ("The city must close a $177 million shortfall.", 177e6, "deficit"),
        ("The two-year, $41.51 billion budget passed.", 41.51e9, "budget"),
        ("Drivers will earn $31.50 an hour.", 31.5, "wages"),
        ("The contract provides a 3.5% raise.", 3.5, "wages"),
        ("Employees will pay 20% of their health premiums.", 20, "benefits"),
        ("The city will contribute $2.7 billion to its pension funds.", 2.7e9, "benefits"),
        ("The company reported a loss of $520 million.", 520e6, "other"),
        ("The company will hire about 1,000 replacement nurses.", 1000, "other"),
        ("The strike kept 45,000 students out of class.", 45000, "other"),
        ("The company is cutting 12% of its staff.", 12, "layoffs"),
        ("The newspaper cut its newsroom staff by roughly 40 percent.", 40, "layoffs"),
        ("The university will cut department budgets by 5 percent.", 5, "spending_cuts"),
        ("Workers will see their pay cut by 9.2 percent.", 9.2, "wages"),
    ],
)
def test_metric(text: str, value: float, metric: str) -> None:
    assert _metric(text, value) == metric


def test_head_noun_outranks_sentence_cues() -> None:
    text = "The state would save about $100 million for every 1,000 layoffs it makes."
    assert _metric(text, 1000) == "layoffs"
    assert _metric(text, 100e6) == "savings"


def test_list_items_read_under_their_intro_line() -> None:
    text = (
        "The following WARN notices were filed in March:\n\n"
        "- Harbor Point Foods, Secaucus: 212 employees, plant closure.\n"
        "- Castellan Hotels, Newark: 87 employees, layoff.\n"
    )
    figures = extract_figures(text)
    assert [(f.value, f.metric, f.subject) for f in figures] == [
        (212, "layoff_notices", "Harbor Point Foods"),
        (87, "layoff_notices", "Castellan Hotels"),
    ]


def test_a_list_of_raises_shares_its_metric() -> None:
    text = (
        "It provides raises of 4 percent in the first year and 3.5 percent in each later year, "
        "and caps health premium contributions at 12% of cost."
    )
    assert [f.metric for f in extract_figures(text)] == ["wages", "wages", "benefits"]
