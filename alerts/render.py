"""Alert text for people: newsroom-style headlines and per-service bodies (plain text, Markdown,
Slack mrkdwn, HTML email).

Everything that comes from the web (subjects, titles, quotes, URLs) is escaped for the format it
lands in, and links are only made for http(s) URLs, so a hostile article cannot inject markup,
mentions or `javascript:` links into an alert.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from urllib.parse import quote, urlsplit

from laborwatch.domain import Development

METRIC_LABELS: dict[str, str] = {
    "layoffs": "Layoffs",
    "layoff_notices": "Layoff notices",
    "rehired": "Rehired",
    "workforce": "Workforce",
    "strikers": "Strikers",
    "concessions": "Concessions",
    "savings": "Savings",
    "spending_cuts": "Spending cuts",
    "deficit": "Deficit",
    "budget": "Budget",
    "wages": "Wages",
    "benefits": "Benefits",
    "other": "Other figure",
}

# Hedges from FIGURES.md, longest first so "more than" wins over "more".
_LEADING_HEDGES = sorted(
    (
        "nearly",
        "about",
        "roughly",
        "more than",
        "over",
        "at least",
        "fewer than",
        "less than",
        "up to",
        "almost",
        "some",
        "as many as",
        "as high as",
        "as much as",
        "just under",
        "just over",
        "an estimated",
        "approximately",
        "around",
        "close to",
        "upwards of",
    ),
    key=len,
    reverse=True,
)
_TRAILING_HEDGES = (("-plus", "-plus"), (" plus", "-plus"), ("or more", " or more"))

QUOTE_MAX_CHARS = 600
TITLE_MAX_CHARS = 300
ALSO_REPORTED_SHOWN = 5
MESSAGE_TITLE_MAX_CHARS = 200


# ---------------------------------------------------------------------------- numbers


def _trim(number: float, decimals: int) -> str:
    text = f"{number:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(value: float, unit: str) -> str:
    """A figure as a reader would write it: $700 million, $41.51 billion, 4,200, 10%, $0.10."""
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    if unit == "USD":
        for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            # Compare after rounding so 999,999,999.9 reads "$1 billion", not "$1,000 million".
            scaled = round(magnitude / size, 2)
            if scaled >= 1:
                return f"{sign}${_trim(scaled, 2)} {word}"
        if magnitude != int(magnitude):
            return f"{sign}${magnitude:,.2f}"
        return f"{sign}${int(magnitude):,}"
    if unit == "percent":
        return f"{sign}{_trim(magnitude, 2)}%"
    if magnitude == int(magnitude):
        return f"{sign}{int(magnitude):,}"
    return f"{sign}{_trim(magnitude, 2)}"


def hedged_value(value: float, unit: str, text: str | None, approx: bool) -> str:
    """The value with the hedge the article used ("more than 4,000", "4,000-plus")."""
    number = format_value(value, unit)
    if not approx:
        return number
    spoken = " ".join((text or "").lower().split())
    first_number = re.search(r"[\d$]", spoken)
    before = spoken[: first_number.start()] if first_number else spoken
    for hedge in _LEADING_HEDGES:
        if re.search(r"(?:^|\W)" + re.escape(hedge) + r"\W*$", before):
            return f"{hedge} {number}"
    after = spoken[first_number.start() :] if first_number else ""
    for marker, shown in _TRAILING_HEDGES:
        if marker in after:
            return f"{number}{shown}"
    return f"about {number}"  # approximate, but the text did not say how


def _change(dev: Development) -> str:
    if dev.kind == "new" or dev.old_value is None:
        return "new"
    delta = dev.new_value - dev.old_value
    if dev.unit == "percent":
        return f"{'+' if delta >= 0 else '-'}{_trim(abs(delta), 2)} pts"
    relative = dev.relative_change
    if relative is None:  # from zero: a percentage would be infinite
        return f"{'+' if delta >= 0 else '-'}{format_value(abs(delta), dev.unit)}"
    percent = relative * 100
    shown = _trim(abs(percent), 0 if abs(percent) >= 10 else 1)
    if shown == "0":
        shown = _trim(abs(percent), 2)
    return f"{'+' if percent >= 0 else '-'}{shown}%"


def metric_label(metric: str) -> str:
    return METRIC_LABELS.get(metric, metric.replace("_", " ").capitalize())


def headline(dev: Development) -> str:
    """'Layoff notices — Connecticut state employees: more than 4,000 → nearly 5,000 (+25%)'."""
    new = hedged_value(dev.new_value, dev.unit, dev.text, dev.approx)
    if dev.kind == "new" or dev.old_value is None:
        figures = f"{new} (new)"
    else:
        old = hedged_value(dev.old_value, dev.unit, dev.old_text, dev.old_approx)
        figures = f"{old} → {new} ({_change(dev)})"
    subject = " ".join(dev.subject.split()) or "(no subject)"
    return f"{metric_label(dev.metric)} — {subject}: {figures}"


def fold_key(dev: Development) -> tuple[str, str, str, str]:
    """Developments with one key are one entry when shown: one article, subject, metric, unit."""
    return (dev.article_url or dev.article_title, dev.subject, dev.metric, dev.unit)


def group_same_article(devs: Sequence[Development]) -> list[Development]:
    """Fold developments that share an article and a (subject, metric, unit) key into the first
    one mentioned: "Layoffs — X: 1,000 → 4,200 (+320%)", also in this article: about 825, about
    300. News puts the main figure first; the others stay visible without an alert each."""
    grouped: list[Development] = []
    first_of: dict[tuple[str, str, str, str], Development] = {}
    for dev in devs:
        key = fold_key(dev)
        lead = first_of.get(key)
        if lead is None:
            lead = replace(dev, also_in_article=list(dev.also_in_article))
            first_of[key] = lead
            grouped.append(lead)
        else:
            lead.also_in_article.append(hedged_value(dev.new_value, dev.unit, dev.text, dev.approx))
    return grouped


# ---------------------------------------------------------------------------- shared facts


def _clip(text: str | None, limit: int) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def safe_link(url: str | None) -> str | None:
    """An http(s) URL fit to put in a link (no spaces, quotes, brackets or pipes), else None."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=":/?#@!$&*+,;=%~-._")


@dataclass(frozen=True)
class _Facts:
    """What every format shows about one development, clipped but not yet escaped."""

    headline: str
    kind: str
    quote: str
    title: str
    link: str | None
    raw_url: str | None  # written out in full where a format cannot carry link targets
    published: str | None
    also: list[tuple[str, str | None]]  # (shown text, link or None)
    also_hidden: int
    watches: list[str]
    in_article: str  # "about 825, about 300": other values for the same key in the article


def _facts(dev: Development) -> _Facts:
    also = [
        (_clip(item, 120), safe_link(item)) for item in dev.also_reported_by[:ALSO_REPORTED_SHOWN]
    ]
    return _Facts(
        headline=headline(dev),
        kind=("New figure" if dev.kind == "new" or dev.old_value is None else "Changed")
        + (" in an updated story" if dev.story_updated else ""),
        quote=_clip(dev.sentence or dev.text, QUOTE_MAX_CHARS),
        title=_clip(dev.article_title, TITLE_MAX_CHARS) or "(untitled article)",
        link=safe_link(dev.article_url),
        raw_url=safe_link(dev.article_url),
        published=dev.published.date().isoformat() if dev.published else None,
        also=also,
        also_hidden=max(0, len(dev.also_reported_by) - ALSO_REPORTED_SHOWN),
        watches=[_clip(w, 80) for w in dev.watches],
        in_article=_clip(", ".join(dev.also_in_article), 200),
    )


def largest_change(devs: Sequence[Development]) -> Development:
    """The development that moved the most, relative to its previous value (a change from zero
    counts as the largest); new figures only when nothing changed, the first of them then."""

    def size(dev: Development) -> float:
        if dev.kind == "new" or dev.old_value is None:
            return -1.0
        relative = dev.relative_change
        return float("inf") if relative is None else abs(relative)

    return max(devs, key=size)  # max keeps the first of equals


def message_title(devs: Sequence[Development]) -> str:
    """One development: its headline. More: how many, and the largest change among them."""
    if not devs:
        return "laborwatch: no developments"
    if len(devs) == 1:
        return _clip(headline(devs[0]), MESSAGE_TITLE_MAX_CHARS)
    title = f"{_count_line(devs)}; largest change: {headline(largest_change(devs))}"
    return _clip(title, MESSAGE_TITLE_MAX_CHARS)


def _omitted_note(omitted: int) -> str:
    return f"… and {omitted} more development{'s' if omitted != 1 else ''} not shown."


def _count_line(devs: Sequence[Development]) -> str:
    return f"{len(devs)} labor development{'s' if len(devs) != 1 else ''}"


# ---------------------------------------------------------------------------- plain text


def _text_block(f: _Facts) -> str:
    lines = [f"• {f.headline}"]
    if f.in_article:
        lines.append(f"  Also in this article: {f.in_article}")
    lines.append(f"  {f.kind}. “{f.quote}”")
    source = f"  Source: {f.title}"
    if f.published:
        source += f" ({f.published})"
    lines.append(source)
    if f.raw_url:
        lines.append(f"  {f.raw_url}")
    if f.also:
        more = f" and {f.also_hidden} more" if f.also_hidden else ""
        lines.append("  Also reported by: " + "; ".join(text for text, _ in f.also) + more)
    if f.watches:
        lines.append("  Watches: " + ", ".join(f.watches))
    return "\n".join(lines)


def render_text(
    devs: Sequence[Development], *, run_label: str | None = None, omitted: int = 0
) -> tuple[str, str]:
    """(title, plain-text body)."""
    parts = [_count_line(devs) + (f" — run {run_label}" if run_label else "")]
    parts += [_text_block(_facts(dev)) for dev in devs]
    if omitted:
        parts.append(_omitted_note(omitted))
    return message_title(devs), "\n\n".join(parts)


# ---------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def escape_markdown(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_link(text: str, link: str | None) -> str:
    shown = escape_markdown(text)
    if not link:
        return shown
    return f"[{shown}]({link.replace('(', '%28').replace(')', '%29')})"


def _markdown_block(f: _Facts) -> str:
    source = f"{f.kind} · {_md_link(f.title, f.link)}"
    if f.published:
        source += f" ({f.published})"
    details = [source]
    if f.in_article:
        details.insert(0, f"Also in this article: {escape_markdown(f.in_article)}")
    if f.also:
        more = f" and {f.also_hidden} more" if f.also_hidden else ""
        details.append(
            "Also reported by: " + "; ".join(_md_link(t, link) for t, link in f.also) + more
        )
    if f.watches:
        details.append("Watches: " + ", ".join(escape_markdown(w) for w in f.watches))
    # Two trailing spaces are a Markdown hard line break: one detail per line, one paragraph.
    return "\n\n".join(
        (
            f"**{escape_markdown(f.headline)}**",
            f"> {escape_markdown(f.quote)}",
            "  \n".join(details),
        )
    )


def render_markdown(
    devs: Sequence[Development], *, run_label: str | None = None, omitted: int = 0
) -> tuple[str, str]:
    """(title, CommonMark body) for JSON webhooks and other Markdown-capable services."""
    heading = f"### {_count_line(devs)}"
    if run_label:
        heading += f" — run {escape_markdown(run_label)}"
    parts = [heading] + [_markdown_block(_facts(dev)) for dev in devs]
    if omitted:
        parts.append(f"_{_omitted_note(omitted)}_")
    return message_title(devs), "\n\n---\n\n".join(parts)
