"""Alert text for people: newsroom-style headlines and per-service bodies (plain text, Markdown,
Slack mrkdwn, HTML email).

Everything that comes from the web (subjects, titles, quotes, URLs) is escaped for the format it
lands in, and links are only made for http(s) URLs, so a hostile article cannot inject markup,
mentions or `javascript:` links into an alert.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import quote, urlsplit

from laborwatch.domain import Development

SlackEscaping = Literal["slack", "apprise-legacy"]

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


def _hedged(value: float, unit: str, text: str | None, approx: bool) -> str:
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
    new = _hedged(dev.new_value, dev.unit, dev.text, dev.approx)
    if dev.kind == "new" or dev.old_value is None:
        figures = f"{new} (new)"
    else:
        old = _hedged(dev.old_value, dev.unit, dev.old_text, dev.old_approx)
        figures = f"{old} → {new} ({_change(dev)})"
    subject = " ".join(dev.subject.split()) or "(no subject)"
    return f"{metric_label(dev.metric)} — {subject}: {figures}"


def group_same_article(devs: Sequence[Development]) -> list[Development]:
    """Fold developments that share an article and a (subject, metric, unit) key into the first
    one mentioned: "Layoffs — X: 1,000 → 4,200 (+320%)", also in this article: about 825, about
    300. News puts the main figure first; the others stay visible without an alert each."""
    grouped: list[Development] = []
    first_of: dict[tuple[str, str, str, str], Development] = {}
    for dev in devs:
        key = (dev.article_url or dev.article_title, dev.subject, dev.metric, dev.unit)
        lead = first_of.get(key)
        if lead is None:
            lead = replace(dev, also_in_article=list(dev.also_in_article))
            first_of[key] = lead
            grouped.append(lead)
        else:
            lead.also_in_article.append(_hedged(dev.new_value, dev.unit, dev.text, dev.approx))
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


def message_title(devs: Sequence[Development]) -> str:
    """The headline of the first development, with how many more the message holds."""
    if not devs:
        return "laborwatch: no developments"
    first = headline(devs[0])
    title = first if len(devs) == 1 else f"{first} (+{len(devs) - 1} more)"
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


# ---------------------------------------------------------------------------- Slack


def escape_slack(text: str) -> str:
    """Slack's own rule: only &, < and > are control characters in message text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _legacy_slack(text: str) -> str:
    # Apprise's legacy Slack path escapes &<> itself and then turns anything shaped like
    # `!name>` or `@id>` back into a mention; angle brackets from the web are swapped for
    # look-alikes so an article can never ping a channel.
    return text.replace("<", "‹").replace(">", "›")


def _slack_block(f: _Facts, escape: Callable[[str], str], legacy: bool) -> str:
    def link(text: str, url: str | None) -> str:
        if not url:
            return escape(text)
        if legacy:  # links would be rewritten by Apprise; Slack auto-links bare URLs
            return url if text == url else f"{escape(text)} {url}"
        return f"<{url.replace('|', '%7C')}|{escape(text)}>"

    lines = [f"*{escape(f.headline)}*"]
    if f.in_article:
        lines.append(f"Also in this article: {escape(f.in_article)}")
    lines.append(f">{escape(f.quote)}")
    source = f"{f.kind} · {link(f.title, f.link)}"
    if f.published:
        source += f" ({f.published})"
    lines.append(source)
    if f.also:
        more = f" and {f.also_hidden} more" if f.also_hidden else ""
        lines.append("Also reported by: " + "; ".join(link(t, u) for t, u in f.also) + more)
    if f.watches:
        lines.append("Watches: " + ", ".join(escape(w) for w in f.watches))
    return "\n".join(lines)


def render_slack(
    devs: Sequence[Development],
    *,
    run_label: str | None = None,
    omitted: int = 0,
    escaping: SlackEscaping = "slack",
) -> tuple[str, str]:
    """(title, Slack mrkdwn body): a compact block per development.

    `escaping="slack"` gives mrkdwn escaped by Slack's rules (what Slack's API and Apprise's
    Block Kit mode want); `"apprise-legacy"` leaves the escaping to Apprise's legacy
    attachment mode, which escapes &<> on its own."""
    legacy = escaping == "apprise-legacy"
    escape = _legacy_slack if legacy else escape_slack
    heading = f"*{_count_line(devs)}*"
    if run_label:
        heading += f" — run {escape(run_label)}"
    parts = [heading] + [_slack_block(_facts(dev), escape, legacy) for dev in devs]
    if omitted:
        parts.append(f"_{_omitted_note(omitted)}_")
    return escape(message_title(devs)) if not legacy else message_title(devs), "\n\n".join(parts)


# ---------------------------------------------------------------------------- email

_TABLE_STYLE = "border-collapse:collapse;margin:8px 0 16px 0"
_CELL_STYLE = "border:1px solid #ccc;padding:4px 8px;text-align:left"


def _html_link(text: str, link: str | None) -> str:
    shown = html.escape(text)
    if not link:
        return shown
    return f'<a href="{html.escape(link, quote=True)}">{shown}</a>'


def _email_row(dev: Development, f: _Facts) -> str:
    was = (
        ""
        if dev.kind == "new" or dev.old_value is None
        else _hedged(dev.old_value, dev.unit, dev.old_text, dev.old_approx)
    )
    now = _hedged(dev.new_value, dev.unit, dev.text, dev.approx)
    if dev.also_in_article:
        now += " (also " + ", ".join(dev.also_in_article) + ")"
    cells = (
        metric_label(dev.metric),
        " ".join(dev.subject.split()),
        was or "—",
        now,
        _change(dev),
    )
    tds = "".join(f'<td style="{_CELL_STYLE}">{html.escape(c)}</td>' for c in cells)
    return f"<tr>{tds}</tr>"


def _email_section(f: _Facts) -> str:
    parts = [f"<h3>{html.escape(f.headline)}</h3>"]
    if f.in_article:
        parts.append(f"<p>Also in this article: {html.escape(f.in_article)}</p>")
    parts += [
        f'<blockquote style="margin:0 0 8px 0;padding-left:8px;border-left:3px solid #ccc">'
        f"“{html.escape(f.quote)}”</blockquote>",
    ]
    source = f"{html.escape(f.kind)} · {_html_link(f.title, f.link)}"
    if f.published:
        source += f" ({html.escape(f.published)})"
    if f.raw_url:
        # The URL is also written out: the plain-text alternative keeps no link targets.
        source += f"<br><small>{html.escape(f.raw_url)}</small>"
    parts.append(f"<p>{source}</p>")
    if f.also:
        more = f" and {f.also_hidden} more" if f.also_hidden else ""
        items = "; ".join(_html_link(t, link) for t, link in f.also)
        parts.append(f"<p>Also reported by: {items}{more}</p>")
    if f.watches:
        parts.append(f"<p>Watches: {html.escape(', '.join(f.watches))}</p>")
    return "\n".join(parts)


def render_email(
    devs: Sequence[Development], *, run_label: str | None = None, omitted: int = 0
) -> tuple[str, str, str]:
    """(subject, HTML body with a table of the developments and their quotes and links,
    plain-text alternative)."""
    facts = [_facts(dev) for dev in devs]
    header = "".join(
        f'<th style="{_CELL_STYLE}">{name}</th>'
        for name in ("Metric", "Subject", "Was", "Now", "Change")
    )
    rows = "\n".join(_email_row(dev, f) for dev, f in zip(devs, facts, strict=True))
    intro = html.escape(_count_line(devs) + (f" — run {run_label}" if run_label else ""))
    body = [
        '<div style="font-family:Arial,Helvetica,sans-serif;font-size:14px">',
        f"<h2>{intro}</h2>",
        f'<table style="{_TABLE_STYLE}"><thead><tr>{header}</tr></thead>'
        f"<tbody>\n{rows}\n</tbody></table>",
        *(_email_section(f) for f in facts),
    ]
    if omitted:
        body.append(f"<p><em>{html.escape(_omitted_note(omitted))}</em></p>")
    body.append("</div>")
    subject, plain = render_text(devs, run_label=run_label, omitted=omitted)
    return subject, "\n".join(body), plain
