"""Number grammar of English news: digits, scale words, number words, money, percent, cents.

`find_numbers` returns every numeric expression with its value and kind, before any decision
about whether it is a figure. Ranges ("10 to 15 percent", "$10-15 million") share their scale and
kind here, because only the number grammar knows that "10" borrows "percent" from "15 percent".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from laborwatch.parsers.text import ascii_lower, compile_lower, fold

NumberKind = Literal["money", "percent", "plain"]

_UNIT_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
_SHORT_SCALES = {
    "k": 1_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "mn": 1_000_000,
    "mln": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "bln": 1_000_000_000,
    "t": 1_000_000_000_000,
    "tn": 1_000_000_000_000,
    "tr": 1_000_000_000_000,
}

_UNITS_RE = "|".join(sorted(_UNIT_WORDS, key=len, reverse=True))
_TENS_RE = "|".join(_TENS_WORDS)
_SMALL = rf"(?:(?:{_TENS_RE})(?:[- ](?:{_UNITS_RE}))?|{_UNITS_RE})"
_MULT = r"(?:hundred|thousand|million|billion|trillion|dozen)"
# "three hundred", "twenty-five thousand", "a dozen", "two dozen", "one hundred and twenty".
_WORD_NUMBER = (
    rf"(?:half\s+a\s+(?:million|billion|dozen)"
    rf"|(?:{_SMALL}|an?)(?:\s+{_MULT}(?!s))+(?:\s+(?:and\s+)?{_SMALL}(?!\s+{_MULT}))?"
    rf"|{_SMALL})"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"

# Run on ascii-lowered text: a case-sensitive scan is several times faster than IGNORECASE.
_NUMBER_RE = compile_lower(
    rf"(?<![\w.,])(?:(?P<digits>{_DIGITS})(?=(?:mln|bln|mn|bn|tn|mm|[MBKkmb])?(?!\w))"
    rf"|(?P<words>{_WORD_NUMBER})(?!\w))",
)

# Currency symbols directly before the number; anything but USD marks a foreign amount.
_CURRENCY_PREFIX = re.compile(
    r"(?P<cur>US\s?\$|U\.S\.\s?\$|USD\s?|\$|C\$|CA\$|CAD\s?|A\$|AU\$|AUD\s?|HK\$|NZ\$|S\$|R\$|NT\$"
    r"|MX\$|€|£|¥|₹|₩|₽|EUR\s?|GBP\s?|JPY\s?|CNY\s?|RMB\s?|CHF\s?|INR\s?|Rs\.?\s?)$"
)
# "$2 billion", "$47 Billion" (a headline), "$9.6-million", "$20-plus billion" (hedged).
_SCALE_AFTER = re.compile(
    r"(?:(?P<plus>-plus|\+)?(?:\s*|\s*-\s*)"
    r"(?P<long>(?i:hundred|thousand|million|billion|trillion))(?!s)\b"
    r"|\s?(?P<short>mln|bln|mn|bn|tn|mm|[MBKkmb])\b)"
)
_PERCENT_AFTER = re.compile(
    r"(?:\s?%|\s*(?:-\s?)?(?:percent|per\s+cent|pct\.?|percentage\s+points?)\b)", re.IGNORECASE
)
_CENTS_AFTER = re.compile(r"(?:\s?¢|\s*-?\s*\bcents?\b)", re.IGNORECASE)
_USD_WORD_AFTER = re.compile(r"\s+(?:U\.S\.\s+|US\s+|American\s+)?dollars?\b", re.IGNORECASE)
_FOREIGN_WORD_AFTER = re.compile(
    r"\s+(?:(?:Canadian|Australian|Hong\s+Kong|New\s+Zealand|Singapore|Taiwan(?:ese)?|Mexican"
    r"|Jamaican|Zimbabwe(?:an)?)\s+(?:dollars?|pesos?)"
    r"|euros?|pounds?(?:\s+sterling)?|sterling|yen|yuan|renminbi|rupees?|pesos?|francs?|won"
    r"|kronor|kroner|krona|krone|rand|reais|reals?|rubles?|roubles?|lira|liras|dinars?|dirhams?"
    r"|riyals?|zlotys?|forints?|shekels?|baht|ringgit|rupiah|naira|shillings?|bolivars?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A numeric expression: `start:end` covers currency sign, number, scale and unit word."""

    start: int
    end: int
    value: float  # scaled; dollars for money, the written number for percent
    kind: NumberKind
    foreign: bool  # money in a currency other than US dollars
    words: bool  # written in words ("a dozen")
    scaled: bool  # carries a scale ("million", "bn")
    integer_digits: str  # the digits as written, "" for words ("4,742", "2015")
    borrowed: bool = False  # kind or scale taken from the other end of a range ("10" in "10-15%")

    @property
    def has_comma(self) -> bool:
        return "," in self.integer_digits


def parse_number_words(phrase: str) -> float:
    """Value of an English number phrase: "three hundred" 300, "a dozen" 12, "half a million"."""
    tokens = re.split(r"[\s-]+", phrase.lower().strip())
    if tokens[:2] == ["half", "a"]:
        return 0.5 * parse_number_words(" ".join(["one", *tokens[2:]]))
    total = 0.0
    current = 0.0
    for token in tokens:
        if token in ("a", "an"):
            current = 1
        elif token == "and":
            continue
        elif token in _UNIT_WORDS:
            current += _UNIT_WORDS[token]
        elif token in _TENS_WORDS:
            current += _TENS_WORDS[token]
        elif token == "dozen":
            current = (current or 1) * 12
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in SCALES:
            total += (current or 1) * SCALES[token]
            current = 0
        else:
            raise ValueError(f"not a number word: {token!r} in {phrase!r}")
    return total + current


def parse_number(expression: str) -> float:
    """Parse one number as written: "4,742", "1.2 million", "$700M", "10 percent", "a dozen".

    Raises ValueError when `expression` is not exactly one number.
    """
    mentions = find_numbers(expression)
    if len(mentions) != 1 or expression[: mentions[0].start].strip(" ~"):
        raise ValueError(f"not a single number: {expression!r}")
    return mentions[0].value


def find_numbers(text: str) -> list[NumberMention]:
    """All numeric expressions in `text`, in order, with ranges sharing scale and kind."""
    folded = fold(text)
    mentions: list[NumberMention] = []
    for match in _NUMBER_RE.finditer(ascii_lower(folded)):
        mention = _read_mention(folded, match)
        if mention is not None:
            mentions.append(mention)
    return _share_range_parts(folded, mentions)


def _read_mention(text: str, match: re.Match[str]) -> NumberMention | None:
    start, end = match.span()
    digits = match.group("digits")
    if digits is not None:
        value = float(digits.replace(",", ""))
        words = False
    else:
        words = True
        value = parse_number_words(match.group("words"))
    kind: NumberKind = "plain"
    foreign = False
    scaled = (
        words and re.search(r"thousand|million|billion|trillion", match.group(0), re.I) is not None
    )

    before = text[max(0, start - 5) : start]
    # Every currency prefix has a symbol or a capital letter; plain words before a number skip
    # the search.
    prefix = (
        _CURRENCY_PREFIX.search(text, max(0, start - 5), start)
        if "$" in before or not before.isascii() or any(c.isupper() for c in before)
        else None
    )
    if prefix is not None and digits is not None:
        symbol = prefix.group("cur").replace(" ", "").replace(".", "").upper()
        foreign = symbol not in ("$", "US$", "USD")
        kind = "money"
        start = prefix.start()

    scale = _SCALE_AFTER.match(text, end)
    if scale is not None and not words:
        short = scale.group("short")
        # Bare "M"/"B"/"K" after a number only means a scale on money ("$700M").
        if scale.group("long") or kind == "money" or (short and len(short) > 1):
            key = (scale.group("long") or short).lower()
            value *= SCALES.get(key) or _SHORT_SCALES[key]
            scaled = True
            end = scale.end()

    kind, foreign, value, end = _unit_after(text, end, kind, foreign, value)
    return NumberMention(
        start=start,
        end=end,
        value=value,
        kind=kind,
        foreign=foreign,
        words=words,
        scaled=scaled,
        integer_digits=(digits or "").split(".")[0],
    )


def _unit_after(
    text: str, end: int, kind: NumberKind, foreign: bool, value: float
) -> tuple[NumberKind, bool, float, int]:
    """The unit word after a number: percent, cents, a currency name."""
    percent = _PERCENT_AFTER.match(text, end)
    cents = _CENTS_AFTER.match(text, end)
    if kind == "plain" and percent is not None:
        return "percent", foreign, value, percent.end()
    if kind == "plain" and cents is not None:
        return "money", foreign, value / 100, cents.end()
    foreign_word = _FOREIGN_WORD_AFTER.match(text, end)
    if foreign_word is not None:
        return "money", True, value, foreign_word.end()
    usd_word = _USD_WORD_AFTER.match(text, end)
    if usd_word is not None:
        return "money", foreign, value, usd_word.end()
    return kind, foreign, value, end


_RANGE_JOIN = re.compile(r"^\s*(?:-|to|and|or|through|thru)\s*$", re.IGNORECASE)


def range_join(text: str, left: NumberMention, right: NumberMention) -> bool:
    """True when two numbers form a range or alternative: "10 to 15", "$10-$15", "10 and 15"."""
    return _RANGE_JOIN.match(text[left.end : right.start]) is not None


def _share_range_parts(text: str, mentions: list[NumberMention]) -> list[NumberMention]:
    shared = list(mentions)
    for i in range(len(shared) - 1):
        left, right = shared[i], shared[i + 1]
        if not range_join(text, left, right):
            continue
        if left.kind != "plain" and right.kind != "plain" and left.kind != right.kind:
            continue  # "rose 12% to $3.4 billion": a change and a level, not a range
        # "$10 to $15 million" and "1.2 to 1.5 billion": the left side borrows the scale...
        compatible = left.kind in ("plain", right.kind) or right.kind == "plain"
        if right.scaled and not left.scaled and not left.words and left.value < 1000 and compatible:
            factor = right.value / _unscaled(text, right)
            left = replace(left, value=left.value * factor, scaled=True, borrowed=True)
        # ...and "10 to 15 percent" / "$10-15 million": kind flows to whichever side lacks it.
        if left.kind == "plain" and right.kind != "plain":
            scale = 0.01 if _CENTS_AFTER.search(text[right.start : right.end]) else 1
            left = replace(
                left,
                kind=right.kind,
                foreign=right.foreign,
                value=left.value * scale,
                borrowed=True,
            )
        elif right.kind == "plain" and left.kind == "money":
            right = replace(right, kind="money", foreign=left.foreign, borrowed=True)
        shared[i], shared[i + 1] = left, right
    return shared


def _unscaled(text: str, mention: NumberMention) -> float:
    digits = re.search(_DIGITS, text[mention.start : mention.end])
    base = float(digits.group(0).replace(",", "")) if digits else 1.0
    if _CENTS_AFTER.search(text[mention.start : mention.end]):
        base /= 100
    return base or 1.0
