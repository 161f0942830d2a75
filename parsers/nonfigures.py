"""Numbers that are not figures: dates, fiscal years, times, phone numbers, identifiers, votes.

`blocked_spans` marks the character ranges of such expressions so the extractor can skip any
number inside them. Unit-dependent exclusions (durations "two years", measurements "20 miles")
live with the head-noun lexicons in `parsers.figures`.
"""

from __future__ import annotations

import re

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
    # Ratios: "one in five workers", "3 out of 4 members".
    re.compile(
        r"\b(?:one|two|three|four|\d+)\s+(?:in|out\s+of)\s+(?:every\s+)?"
        r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\b",
        re.IGNORECASE,
    ),
    # Codes glued to letters: "COVID-19", "I-95", "F-35", "W-2", "10-K", "1199SEIU", "401(k)".
    re.compile(
        r"\b[A-Za-z]+-\d+[A-Za-z]*\b|\b\d+-[A-Z]\b|\b\d+(?!(?:mln|bln|mn|bn|tn|mm|[MBKkmb])\b)[A-Za-z]+\d*[A-Za-z]*\b"
    ),
    re.compile(r"\b\d+\([a-z]\)"),
    re.compile(r"\b\d+/7\b|\b9/11\b"),
)

# Labels that make the number after them a name or an address, checked in a short window before
# each number (scanning the whole text for them is what made this module slow).
_LABELS_BEFORE: tuple[re.Pattern[str], ...] = (
    # Page, section, bill, route and similar numbers.
    re.compile(
        r"\b(?:pages?|p\.|pp\.|sections?|sec\.|§|bill|H\.?B\.?|S\.?B\.?|A\.?B\.?|H\.?R\.?"
        r"|S\.?F\.?|H\.?F\.?|L\.?D\.?|act|chapters?|ch\.|articles?|art\.|title|rule|item|form"
        r"|docket|case|no\.|nos\.|number|rooms?|suite|route|rte\.|highway|interstate|exit|precinct"
        r"|ward|flight|gate|platform|tier|phase|round|week|game|inning|quarter|volume|vol\.|issue"
        r"|episode|season|version|proposition|prop\.|measure|question|amendment|ordinance"
        r"|resolution|executive order|code|zip|box|channel|grade|step|level|floor|stage|category"
        r"|class|table|figure|exhibit|schedule|appendix|line|paragraph|clause|slide|model|hole"
        r"|unit)\s*#?\s*$",
        re.IGNORECASE,
    ),
    # Union locals and councils, buildings and units are names: "Local 2001", "District 1199".
    re.compile(
        r"\b(?:Local|District|Council|Lodge|Division|Region|Chapter|Unit|Branch|Post|Club|Cycle"
        r"|Precinct|Station|Engine|Ladder|Squad|Company|Battalion|Troop|Building|Hall|Pier|Terminal"
        r"|Berth|Plant|Line|Shop|Store|Warehouse|Facility|Site|Lot|Block|Sector|Zone|Area|Bay)"
        r"\s+#?$"
    ),
    # Ages and weekdays: "aged 45", "Tuesday 14".
    re.compile(r"\b(?:aged?|ages)\s+$", re.IGNORECASE),
    re.compile(rf"\b{_WEEKDAY},?\s+$"),
)
# An acronym or model name right before a bare number: "SEIU 1199", "Boeing 737 MAX".
_ACRONYM_BEFORE = re.compile(r"\b[A-Z]{2,}[A-Z0-9&-]*\s$")
_NAME_BEFORE = re.compile(r"\b[A-Z][a-z]+[A-Za-z]*\s$")
_MODEL_AFTER = re.compile(r"\s+[A-Z][A-Za-z]*\b|\s*[.,;:)]")
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
_WINDOW_MARGIN = 32  # the longest label or month name before a number, with room to spare


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
    # Every pattern involves digits, so only the stretches around digits are searched.
    for low, high in _digit_windows(folded_text):
        for pattern in _PATTERNS:
            spans.extend(match.span() for match in pattern.finditer(folded_text, low, high))
    for digit in _DIGIT_START.finditer(folded_text):
        start = digit.start()
        token = _DIGIT_TOKEN.match(folded_text, start)
        if token is None:
            continue
        window = max(0, start - 40)
        label = next(
            (hit for p in _LABELS_BEFORE if (hit := p.search(folded_text, window, start))), None
        )
        if label is not None:
            spans.append((label.start(), token.end()))
            continue
        acronym = _ACRONYM_BEFORE.search(folded_text, window, start)
        if (
            acronym is not None
            and "," not in token.group(0)
            and len(token.group(0)) <= 5
            and not _SHARE_AFTER.match(folded_text, token.end())
        ):
            spans.append((acronym.start(), token.end()))
            continue
        # "Boeing 737 MAX", "Windows 11.": a name with a model number, not a count.
        name = _NAME_BEFORE.search(folded_text, window, start)
        if (
            name is not None
            and "," not in token.group(0)
            and len(token.group(0)) <= 4
            and _MODEL_AFTER.match(folded_text, token.end())
            and not _SHARE_AFTER.match(folded_text, token.end())
        ):
            spans.append((name.start(), token.end()))
    spans.sort()
    return spans


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
