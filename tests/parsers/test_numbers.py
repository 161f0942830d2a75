"""Number grammar: digits, scales, words, money, percent, cents and ranges."""

from __future__ import annotations

import pytest

from laborwatch.parsers.numbers import find_numbers, parse_number, parse_number_words


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("4,742", 4742),
        ("1.2 million", 1_200_000),
        ("$41.51 billion", 41_510_000_000),
        ("$700M", 700_000_000),
        ("$1.5bn", 1_500_000_000),
        ("$5m", 5_000_000),
        ("2 billion dollars", 2_000_000_000),
        ("a dozen", 12),
        ("two dozen", 24),
        ("three hundred", 300),
        ("twenty-five thousand", 25_000),
        ("one hundred and twenty", 120),
        ("half a million", 500_000),
        ("10 percent", 10),
        ("12 per cent", 12),
        ("20%", 20),
        ("10 cents", 0.1),
        ("$15.50", 15.5),
        (".5", 0.5),
    ],
)
def test_parse_number(expression: str, value: float) -> None:
    assert parse_number(expression) == pytest.approx(value)


@pytest.mark.parametrize(
    ("expression", "kind"),
    [("$2 billion", "money"), ("20%", "percent"), ("10 cents", "money"), ("4,200", "plain")],
)
def test_kind(expression: str, kind: str) -> None:
    (mention,) = find_numbers(expression)
    assert mention.kind == kind


@pytest.mark.parametrize(
    "expression",
    ["€500 million", "£200 million", "C$40 million", "500 million euros", "3 billion yen"],
)
def test_foreign_currency_is_marked(expression: str) -> None:
    (mention,) = find_numbers(expression)
    assert mention.kind == "money" and mention.foreign


def test_us_dollar_forms_are_not_foreign() -> None:
    assert not any(m.foreign for m in find_numbers("US$5 million and $2 billion and 3 dollars"))


@pytest.mark.parametrize(
    ("text", "values", "kinds"),
    [
        ("10 to 15 percent", [10, 15], ["percent", "percent"]),
        ("10-15%", [10, 15], ["percent", "percent"]),
        ("$10-15 million", [10e6, 15e6], ["money", "money"]),
        ("$10 to $15 million", [10e6, 15e6], ["money", "money"]),
        ("between $10 million and $15 million", [10e6, 15e6], ["money", "money"]),
        ("1.2 to 1.5 billion", [1.2e9, 1.5e9], ["plain", "plain"]),
        ("5 to 10 cents", [0.05, 0.1], ["money", "money"]),
    ],
)
def test_ranges_share_scale_and_kind(text: str, values: list[float], kinds: list[str]) -> None:
    mentions = find_numbers(text)
    assert [m.value for m in mentions] == pytest.approx(values)
    assert [m.kind for m in mentions] == kinds


def test_offsets_cover_the_expression() -> None:
    text = "It asked for $2 billion in savings and 10 percent cuts."
    spans = [text[m.start : m.end] for m in find_numbers(text)]
    assert spans == ["$2 billion", "10 percent"]


def test_plural_scale_words_are_not_numbers() -> None:
    assert find_numbers("thousands of workers and dozens of bills") == []


def test_parse_number_rejects_non_numbers() -> None:
    with pytest.raises(ValueError):
        parse_number("several workers")
    with pytest.raises(ValueError):
        parse_number("4 and 5")
    with pytest.raises(ValueError):
        parse_number_words("many")
