"""Unicode clean-up and sentence splitting that keep character offsets intact.

Extraction reports offsets into the caller's text, so everything here that feeds extraction is
length-preserving: `fold` swaps look-alike characters one for one, and `split_sentences` returns
spans into the original string. `normalize_text` is the lossy clean-up for ingest, run once before
an article's text is stored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from laborwatch.parsers.tables import is_table_line

# One-for-one replacements: curly quotes, dashes and odd spaces that news sites emit.
_FOLD_TABLE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u3000": " ",
        "\u00ad": " ",
        "\u200b": " ",
        "\ufeff": " ",
    }
)


_FOLD_MAP = {chr(code): target for code, target in _FOLD_TABLE.items()}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_UPPER = re.compile(r"[A-Z]+")
_UPPER_LITERAL = re.compile(r"(?<![\\?])[A-Z]")  # not escapes (\\S) or group syntax (?P<


def ascii_lower(text: str) -> str:
    """Lowercase A-Z only, so offsets stay valid (str.lower can change the length)."""
    if text.isascii():
        return text.lower()
    return _ASCII_UPPER.sub(lambda m: m.group(0).lower(), text)


def compile_lower(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A case-insensitive pattern for `ascii_lower`ed text.

    Python's re runs large alternations several times faster case-sensitively, so lexicon
    patterns are lowered once here instead of compiled with IGNORECASE. Escapes such as \\S keep
    their case.
    """
    return re.compile(_UPPER_LITERAL.sub(lambda m: m.group(0).lower(), pattern), flags)


def fold(text: str) -> str:
    """Map typographic variants to ASCII look-alikes without changing the length."""
    if text.isascii():
        return text
    return _fold_non_ascii(text)


# Every stage of one article's analysis folds the same text; strings cache their hash, so a
# repeated lookup costs nothing next to the substitution.
@lru_cache(maxsize=16)
def _fold_non_ascii(text: str) -> str:
    # Substituting the few non-ASCII characters beats str.translate over the whole text.
    return _NON_ASCII.sub(lambda m: _FOLD_MAP.get(m.group(0), m.group(0)), text)


def _words(block: str) -> frozenset[str]:
    """A lexicon written as a whitespace-separated block."""
    return frozenset(block.split())


_SPACES = re.compile(r"[ \t\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Canonical plain text for storage: NFKC, ASCII quotes/dashes, tidy whitespace."""
    text = unicodedata.normalize("NFKC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = fold(text)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int


# Words whose trailing period does not end a sentence.
_ABBREVIATIONS = _words(
    """
    mr mrs ms dr prof gov govs sen sens rep reps gen col lt sgt capt cmdr adm atty supt
    pres vice st ste mt ft jr sr inc corp co cos ltd llc plc bros dept depts univ assn assoc
    no nos vol vols pp p para sec secs fig approx est vs v etc al
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo
    mont neb nev okla ore pa tenn tex va vt wash wis wyo
    u.s u.k a.m p.m d.c n.y n.j e.g i.e
    """
)

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then whitespace.
# A single line break also ends a headline or a paragraph that has no closing period ("Dockworkers
# strike, shutting eastern ports\nApproximately 50,000 ..."), unless the line breaks mid-clause.
_BOUNDARY = re.compile(
    r"[.!?]+[\"')\]]*(?=\s)|\n\s*\n|\n(?=\s*[-*\u2022])"
    r"|(?<=[^\s,;(\-])[ \t]*\n(?=[ \t]*[\"'A-Z0-9$])"
)


def _is_abbreviation(text: str, dot: int) -> bool:
    # The word before the dot, letters and inner dots ("U.S", "Conn"), as far back as 30 chars.
    start = dot
    floor = max(0, dot - 30)
    while start > floor and (
        text[start - 1].isascii() and (text[start - 1].isalpha() or text[start - 1] == ".")
    ):
        start -= 1
    while start < dot and not text[start].isalpha():
        start += 1  # the word starts with a letter
    if start == dot:
        return False
    raw = text[start:dot]
    word = raw.lower().rstrip(".")
    if word in _ABBREVIATIONS:
        return True
    # Initials such as "Dannel P. Malloy" or "J.P. Morgan".
    return len(word.replace(".", "")) == 1 and raw[0].isupper()


_LAST_WORD = re.compile(r"([A-Za-z]+)[ \t]*$")
_CONNECTIVES = _words(
    """
    a an the of to in on at by for from with and or but as than that which who its their his
    her our this these those is are was were be been will would could should has have had
    """
)


def _mid_clause(text: str, end: int) -> bool:
    """True when the line ending at `end` stops on a word that cannot end a sentence."""
    word = _LAST_WORD.search(text, max(0, end - 30), end)
    return word is not None and word.group(1).lower() in _CONNECTIVES


# The first character after a boundary, found in place (slicing the rest of the text at every
# period made splitting quadratic in the length of the text).
_NEXT_CHARACTER = re.compile(r"\s*(\S)")


def split_sentences(text: str) -> list[Sentence]:
    """Split into sentences; each carries its exact offsets into `text`."""
    sentences: list[Sentence] = []
    start = 0
    folded = fold(text)
    for boundary in _BOUNDARY.finditer(folded):
        token = boundary.group(0)
        if token.strip() == "" and token.count("\n") == 1 and _mid_clause(folded, boundary.start()):
            continue  # a hard-wrapped line: "... workers at the\nAcme plant"
        if token[0] == "." and len(token.rstrip("\"')]")) == 1:
            if _is_abbreviation(folded, boundary.start()):
                continue
            # Lowercase continuation means the period was not terminal ("approx. 40 workers").
            following = _NEXT_CHARACTER.match(folded, boundary.end())
            if following is not None and following.group(1).islower():
                continue
        _append(sentences, text, start, boundary.end())
        start = boundary.end()
    _append(sentences, text, start, len(text))
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    if "\n" in chunk and ("|" in chunk or "\t" in chunk):
        lines = chunk.split("\n")
        if any(is_table_line(line) for line in lines):
            # Each row of a text table is its own statement ("Acme | Newark | 231").
            for line in lines:
                _append_span(sentences, text, start, start + len(line))
                start += len(line) + 1
            return
    _append_span(sentences, text, start, end)


def _append_span(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(text[start:end], start, end))
