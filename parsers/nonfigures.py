"""Numbers that are not figures: dates, fiscal years, times, phone numbers, identifiers, votes.

`blocked_spans` marks the character ranges of such expressions so the extractor can skip any
number inside them. Unit-dependent exclusions (durations "two years", measurements "20 miles")
live with the head-noun lexicons in `parsers.figures`.
"""

from __future__ import annotations

import re

from laborwatch.parsers.text import ascii_lower, compile_lower

_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
    r"|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?"

_PATTERNS: tuple[re.Pattern[str], ...] = (
    # Dates: "May 6", "July 1, 2017", "6 May 2016", "12/31/2016", "Tuesday 14".
    re.compile(
        rf"\b(?=[JFMASOND]){_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?![\d,]\d)(?:,?\s+\d{{4}})?\b"
    ),
    re.compile(rf"\b(?=\d)\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:,?\s+\d{{4}})?"),
    re.compile(rf"\b(?=[JFMASOND]){_MONTH},?\s+\d{{4}}\b"),
    re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b"),
    re.compile(r"\b\d{1,2}/\d{1,2}\b"),
    # Fiscal and academic years: "FY16/17", "FY 2017", "2015/16", "2015-16", "fiscal 2018".
    re.compile(r"\bFY\s?'?\d{2,4}(?:\s?[-/]\s?'?\d{2,4})?\b", re.IGNORECASE),
    re.compile(r"\b(?:19|20)\d{2}\s?[-/]\s?(?:19|20)?\d{2}\b"),
    re.compile(r"\bfiscal(?:\s+years?)?\s+'?\d{2,4}\b", re.IGNORECASE),
    re.compile(r"'\d{2}s?\b|\b(?:19|20)\d0s\b"),
    # Times: "3 p.m.", "10:30", "9 o'clock".
    re.compile(r"\b(?=\d)\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock)", re.IGNORECASE),
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b"),
    # Phone numbers.
    re.compile(r"(?=[\d(+])(?:\+?1[-.\s])?\(?\b\d{3}\)?[-.\s]\d{3}[-.]\d{4}\b"),
    re.compile(r"\b1-8\d{2}-[A-Z\d]{3}-[A-Z\d]{4}\b"),
    # Ages: "45-year-old", "aged 45", "Smith, 45, said".
    re.compile(r"\b[A-Z][a-z]+,\s\d{1,3},(?=\s[a-z])"),
    # Ordinals.
    re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.IGNORECASE),
    re.compile(r"#\s?\d+\b"),
    # Codes glued to letters: "COVID-19", "I-95", "F-35", "W-2", "10-K", "1199SEIU", "401(k)".
    re.compile(
        r"\b[A-Za-z]+-\d+[A-Za-z]*\b|\b\d+-[A-Z]\b|\b\d+(?!(?:mln|bln|mn|bn|tn|mm|[MBKkmb])\b)[A-Za-z]+\d*[A-Za-z]*\b"
    ),
    re.compile(r"\b\d+\([a-z]\)"),
    re.compile(r"\b\d+/7\b|\b9/11\b"),
)

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# For each of _PATTERNS, lowercase literals one of which any match contains, checked on the
# lowered text (empty: no cheap test).
_PATTERN_NEEDS: tuple[tuple[str, ...], ...] = (
    _MONTHS,
    _MONTHS,
    _MONTHS,
    ("/", ".", "-"),
    ("/",),
    ("fy",),
    ("-", "/"),
    ("fiscal",),
    ("'", "0s"),
    ("am", "pm", "a.m", "p.m", "o'clock"),
    (":",),
    (),
    ("1-8",),
    (",",),
    (),
    ("#",),
    (),
    ("(",),
    ("/7", "9/11"),
)
# Ratios: "one in five workers", "3 out of 4 members" (matched on lowered text).
_RATIO = compile_lower(
    r"\b(?:one|two|three|four|\d+)\s+(?:in|out\s+of)\s+(?:every\s+)?"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\b"
)
# Labels that make the number after them a name or an address: each is found once in the whole
# text, and a number whose preceding gap (spaces, "#", a comma) ends at a label is blocked.
# (Searching a window before every number for them is what made this module slow.)
_LABELS: tuple[tuple[re.Pattern[str], re.Pattern[str], bool], ...] = (
    # Page, section, bill, route and similar numbers (matched on lowered text: much faster than
    # IGNORECASE).
    (
        compile_lower(
            r"\b(?:pages?|p\.|pp\.|sections?|sec\.|§|bill|H\.?B\.?|S\.?B\.?|A\.?B\.?|H\.?R\.?"
            r"|S\.?F\.?|H\.?F\.?|L\.?D\.?|act|chapters?|ch\.|articles?|art\.|title|rule|item|form"
            r"|docket|case|no\.|nos\.|number|rooms?|suite|route|rte\.|highway|interstate|exit"
            r"|precinct|ward|flight|gate|platform|tier|phase|round|week|game|inning|quarter|volume"
            r"|vol\.|issue|episode|season|version|proposition|prop\.|measure|question|amendment"
            r"|ordinance|resolution|executive order|code|zip|box|channel|grade|step|level|floor"
            r"|stage|category|class|table|figure|exhibit|schedule|appendix|line|paragraph|clause"
            r"|slide|model|hole|unit)(?![\w.])",
        ),
        re.compile(r"\s*#?\s*"),
        True,
    ),
    # Union locals and councils, buildings and units are names: "Local 2001", "District 1199".
    (
        re.compile(
            r"\b(?:Local|District|Council|Lodge|Division|Region|Chapter|Unit|Branch|Post|Club|Cycle"
            r"|Precinct|Station|Engine|Ladder|Squad|Company|Battalion|Troop|Building|Hall|Pier"
            r"|Terminal|Berth|Plant|Line|Shop|Store|Warehouse|Facility|Site|Lot|Block|Sector|Zone"
            r"|Area|Bay)\b"
        ),
        re.compile(r"\s+#?"),
        False,
    ),
    # Ages and weekdays: "aged 45", "Tuesday 14".
    (compile_lower(r"\b(?:aged?|ages)\b"), re.compile(r"\s+"), True),
    (re.compile(rf"\b{_WEEKDAY}\b"), re.compile(r",?\s+"), False),
)
_GAP_CHARS = frozenset(" \t\n\r\f\v#,")


# An acronym or model name right before a bare number: "SEIU 1199", "Boeing 737 MAX".
_ACRONYM = re.compile(r"[A-Z]{2,}[A-Z0-9&-]*")
_NAME_WORD = re.compile(r"[A-Z][a-z]+[A-Za-z]*")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789&-")


def _word_before(text: str, start: int) -> int | None:
    """Start of the word that ends one whitespace character before `start`, if there is one."""
    if start < 2 or not text[start - 1].isspace():
        return None
    position = start - 1
    while position > 0 and text[position - 1] in _WORD_CHARS:
        position -= 1
    return position if position < start - 1 else None


_MODEL_AFTER = re.compile(r"[ \t]+[A-Z][A-Za-z]*\b|[ \t]*[.,;:)]")  # not across lines
_DIGIT_START = re.compile(r"(?<![\w.,])\d")
_DIGIT_TOKEN = re.compile(r"\d[\d,]*(?:[-.]\d+)*[A-Za-z]?\b")
_SHARE_AFTER = re.compile(r"\s*(?:%|percent|-?plus)", re.IGNORECASE)

_VOTE_WORD = re.compile(
    r"\b(?:vot(?:e|es|ed|ing|ers)|ballots?|turnout|in favou?r|margin|tally|tallied|poll(?:ed|s)?"
    r"|approval rating|supermajority|majority)\b",
    re.IGNORECASE,
)
_VOTE_BY = re.compile(
    r"\b(?:approved|ratified|passed|rejected|backed|supported|endorsed|defeated|won|lost|voted"
    r"|carried)\s+(?:it\s+)?by\s+(?:a\s+)?(?:(?:margin|vote)\s+of\s+)?(?:about\s+|nearly\s+|roughly\s+)?$",
    re.IGNORECASE,
)


_VOTE_TO = re.compile(
    r"\s+(?:to\s+(?:reject|accept|approve|ratify|strike|authori[sz]e|endorse|oppose|support)"
    r"|in\s+favou?r|against|for\s+the\s+(?:deal|contract|offer|agreement))\b",
    re.IGNORECASE,
)


_DIGIT_RUN = re.compile(r"\d[\d,./:-]*")
# Room for the longest label ("executive order") or month name before a number, and its gap.
_WINDOW_MARGIN = 20


def _digit_windows(text: str) -> list[tuple[int, int]]:
    """Merged [start, end) stretches of `text` around each run of digits."""
    windows: list[tuple[int, int]] = []
    for run in _DIGIT_RUN.finditer(text):
        low = max(0, run.start() - _WINDOW_MARGIN)
        high = min(len(text), run.end() + _WINDOW_MARGIN)
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], high)
        else:
            windows.append((low, high))
    return windows


def blocked_spans(folded_text: str) -> list[tuple[int, int]]:
    """Character ranges whose numbers are never figures, sorted by start."""
    spans: list[tuple[int, int]] = []
    lowered = ascii_lower(folded_text)
    label_ends: dict[int, list[tuple[int, re.Pattern[str]]]] = {}
    # Every pattern involves digits, so only the stretches around digits are searched.
    # A pattern whose literal is nowhere in the text cannot match; most texts skip half of them.
    patterns = [
        pattern
        for pattern, needs in zip(_PATTERNS, _PATTERN_NEEDS, strict=True)
        if not needs or any(literal in lowered for literal in needs)
    ]
    # Ratios may be all words ("one in five workers"), so they are looked for everywhere.
    if any(literal in lowered for literal in (" in ", " out ")):
        spans.extend(match.span() for match in _RATIO.finditer(lowered))
    for low, high in _digit_windows(folded_text):
        for pattern in patterns:
            spans.extend(match.span() for match in pattern.finditer(folded_text, low, high))
        for label, gap, on_lowered in _LABELS:
            for hit in label.finditer(lowered if on_lowered else folded_text, low, high):
                label_ends.setdefault(hit.end(), []).append((hit.start(), gap))
    for digit in _DIGIT_START.finditer(folded_text):
        start = digit.start()
        token = _DIGIT_TOKEN.match(folded_text, start)
        if token is None:
            continue
        window = max(0, start - 40)
        label_start = _label_before(folded_text, window, start, label_ends)
        if label_start is not None:
            spans.append((label_start, token.end()))
            continue
        word_start = _word_before(folded_text, start)
        if word_start is None:
            continue
        word = folded_text[word_start : start - 1]
        if (
            _ACRONYM.fullmatch(word)
            and "," not in token.group(0)
            and len(token.group(0)) <= 5
            and not _SHARE_AFTER.match(folded_text, token.end())
        ):
            spans.append((word_start, token.end()))
            continue
        # "Boeing 737 MAX", "Windows 11.": a name with a model number, not a count.
        if (
            _NAME_WORD.fullmatch(word)
            and "," not in token.group(0)
            and len(token.group(0)) <= 4
            and _MODEL_AFTER.match(folded_text, token.end())
            and not _SHARE_AFTER.match(folded_text, token.end())
        ):
            spans.append((word_start, token.end()))
    spans.sort()
    return spans


def _label_before(
    text: str,
    window: int,
    start: int,
    label_ends: dict[int, list[tuple[int, re.Pattern[str]]]],
) -> int | None:
    """Start of the label that names the number at `start` ("Local 2001", "page 4"), if any."""
    gap_start = start
    while gap_start > window and text[gap_start - 1] in _GAP_CHARS:
        gap_start -= 1
    # A label ends where the gap before the number begins ("Local #12", "Route  9").
    for label_start, gap_rule in label_ends.get(gap_start, ()):
        if label_start >= window and gap_rule.fullmatch(text, gap_start, start):
            return label_start
    return None


def in_blocked(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def is_vote_percent(sentence: str, start: int, end: int) -> bool:
    """A percentage that reports a vote or turnout: "64% voted to accept", "ratified by 80%"."""
    if _VOTE_BY.search(sentence[max(0, start - 60) : start]):
        return True
    if _VOTE_WORD.search(sentence) and _VOTE_TO.match(sentence, end):
        return True  # "voted 64% to reject the offer and 96% to strike"
    after = " ".join(sentence[end:].split()[:7])
    before = " ".join(sentence[:start].split()[-4:])
    return _VOTE_WORD.search(after) is not None or _VOTE_WORD.search(before) is not None


def mentions_vote(sentence: str) -> bool:
    return _VOTE_WORD.search(sentence) is not None
