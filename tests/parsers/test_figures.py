"""The extraction contract: spans, offsets, order, units and the FIGURES.md examples."""

from __future__ import annotations

import pytest

from laborwatch.domain import METRICS, Figure
from laborwatch.parsers.analyze import analyze_article
from laborwatch.parsers.figures import extract_figures

SEED_LIKE = (
    "HARTFORD, CT - Gov. Dannel P. Malloy said he will need $700 million in labor savings or "
    "he will lay off 4,200 state employees. The two-year, $41.51 billion budget closes a "
    "$3.6 billion deficit. Last year Malloy laid off about 825 executive branch employees, "
    "while the judicial branch laid off about 300."
)


def test_offsets_index_into_the_text_and_order_is_text_order() -> None:
    figures = extract_figures(SEED_LIKE)
    assert [f.text for f in figures] == [
        "$700 million",
        "4,200 state employees",
        "$41.51 billion",
        "$3.6 billion",
        "about 825 executive branch employees",
        "about 300",
    ]
    for figure in figures:
        assert SEED_LIKE[figure.start : figure.end] == figure.text
        assert figure.text in figure.sentence
        assert figure.metric in METRICS
        assert figure.subject == "Connecticut state employees"
    assert [f.start for f in figures] == sorted(f.start for f in figures)


def test_every_figure_is_kept_even_when_repeated() -> None:
    text = "Unions were asked for $2 billion. The $2 billion figure was repeated."
    assert [f.value for f in extract_figures(text)] == [2e9, 2e9]


def test_title_is_not_searched_but_offsets_stay_in_the_body() -> None:
    body = "The company will cut 850 jobs."
    figures = extract_figures(body, title="Acme to cut 1,000 jobs")
    assert [(f.value, f.start, f.end) for f in figures] == [(850, 21, 29)]


def _summary(figures: list[Figure]) -> list[tuple[float, str, str]]:
    return [(f.value, f.unit, f.metric) for f in figures]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The firm laid off a dozen workers.", [(12, "people", "layoffs")]),
        (
            "The consolidation of 81 state agencies down to 57 is expected to save money.",
            [(81, "count", "other"), (57, "count", "other")],
        ),
        (
            "The state would save about $100 million for every 1,000 layoffs it makes.",
            [(100e6, "USD", "savings"), (1000, "people", "layoffs")],
        ),
        (
            "The merger is expected to save between $10 million and $15 million.",
            [(10e6, "USD", "savings"), (15e6, "USD", "savings")],
        ),
        ("Workers will get raises of 10 cents an hour.", [(0.1, "USD", "wages")]),
        ("The plan calls for a 10 percent spending cut.", [(10, "percent", "spending_cuts")]),
        ("He will need to cut $1 billion from the state budget.", [(1e9, "USD", "spending_cuts")]),
        ("The state will transition at least 30 group homes.", [(30, "count", "other")]),
        (
            "It will cut 850 jobs, or about 6% of its workforce.",
            [(850, "people", "layoffs"), (6, "percent", "layoffs")],
        ),
        (
            "The bank plans to cut between 2,500 and 3,000 jobs.",
            [(2500, "people", "layoffs"), (3000, "people", "layoffs")],
        ),
        (
            "The union is seeking raises of 10 to 15 percent.",
            [(10, "percent", "wages"), (15, "percent", "wages")],
        ),
        ("Nurses will pay 20% of their health premiums.", [(20, "percent", "benefits")]),
        ("Another 120 layoff notices went out Friday.", [(120, "people", "layoff_notices")]),
    ],
)
def test_figures_md_examples(text: str, expected: list[tuple[float, str, str]]) -> None:
    assert _summary(extract_figures(text)) == [(pytest.approx(v), u, m) for v, u, m in expected]


def test_a_change_and_a_level_are_not_a_range() -> None:
    figures = extract_figures(
        "Sales fell 12% to $3.4 billion, and it will cut 5% of its 20,000 jobs."
    )
    assert [(f.value, f.unit) for f in figures] == [
        (12, "percent"),
        (3.4e9, "USD"),
        (5, "percent"),
        (20_000, "people"),
    ]
    assert [f.metric for f in figures][2:] == ["layoffs", "workforce"]


def test_bare_numbers_borrow_people_from_the_words_before_them() -> None:
    figures = extract_figures(
        "It has cut 1,100 jobs, bringing its headcount to 9,400. "
        "Staffing will fall from 12,000 to 10,500."
    )
    assert [(f.value, f.unit, f.metric) for f in figures] == [
        (1100, "people", "layoffs"),
        (9400, "people", "workforce"),
        (12000, "people", "workforce"),
        (10500, "people", "workforce"),
    ]


def test_people_versus_things() -> None:
    figures = extract_figures(
        "The closure affects 1,200 fans, 300 customers, 40 stores and 12 trucks."
    )
    assert [(f.value, f.unit) for f in figures] == [
        (1200, "people"),
        (300, "people"),
        (40, "count"),
        (12, "count"),
    ]


def test_analyze_article_keeps_figures_of_irrelevant_articles() -> None:
    # FIGURES.md: fans are people and scoring runs over all articles; the score is not a figure.
    sports = "The Rangers beat the Astros 9-4 before a crowd of 38,112 fans."
    analysis = analyze_article("Rangers win", sports)
    assert not analysis.labor_relevant
    assert [(f.value, f.unit, f.metric) for f in analysis.figures] == [(38112, "people", "other")]
    labor = analyze_article("", SEED_LIKE)
    assert labor.labor_relevant and len(labor.figures) == 6


def test_empty_and_numberless_texts() -> None:
    assert extract_figures("") == []
    assert extract_figures("No numbers here at all.") == []


def test_analyze_article_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        analyze_article("title", None)  # type: ignore[arg-type]
