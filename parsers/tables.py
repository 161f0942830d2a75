"""Tables rendered as text lines, as WARN listings and agency releases print them.

    Company | City | Effective Date | Workers Affected
    Garden State Bottling Co. | Newark | 08/19/2024 | 231

A bare "231" has no noun after it; its column header ("Workers Affected") is the noun it counts.
Cells are split on pipes or tabs; Markdown rule lines ("|---|---|") are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RULE_LINE = re.compile(r"^[\s|:+-]+$")
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class TableCell:
    start: int  # offsets of the stripped cell text in the document
    end: int
    header: str  # the column's header text, "" when the table has no header row


def is_table_line(line: str) -> bool:
    return line.count("|") >= 2 or "\t" in line.strip("\t")


def _cells(line: str, offset: int) -> list[tuple[int, int]]:
    delimiter = "|" if line.count("|") >= 2 else "\t"
    spans: list[tuple[int, int]] = []
    position = 0
    for part in line.split(delimiter):
        stripped = part.strip()
        if stripped:
            left = part.index(stripped)
            spans.append((offset + position + left, offset + position + left + len(stripped)))
        elif spans or position:
            spans.append((offset + position, offset + position))  # an empty cell keeps its column
        position += len(part) + 1
    return spans


def _is_header(cells: list[str]) -> bool:
    # A header names its columns: no cell of it is a number.
    return bool(cells) and not any(re.fullmatch(r"[\d,.$%/ -]+", c) for c in cells if c)


def table_cells(text: str) -> list[TableCell]:
    """Every cell of every table in `text`, with its column header, in text order."""
    result: list[TableCell] = []
    header: list[str] = []
    in_table = False
    for match in _LINE.finditer(text):
        line = match.group(0)
        if not is_table_line(line):
            in_table, header = False, []
            continue
        if _RULE_LINE.match(line):
            continue
        spans = _cells(line, match.start())
        texts = [text[s:e] for s, e in spans]
        if not in_table and _is_header(texts):
            header, in_table = texts, True
            continue
        in_table = True
        for column, (start, end) in enumerate(spans):
            name = header[column] if column < len(header) else ""
            result.append(TableCell(start, end, name))
    return result
