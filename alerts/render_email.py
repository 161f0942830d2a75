"""Alert email: the subject names the count and the largest change; the HTML body gives each
development its headline, the quote below it and the linked source, in paragraphs rather than
table cells, since Apprise writes the plain-text alternative from this HTML one line per block.

Everything from the web is escaped; links are made only for http(s) URLs (`render.safe_link`)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from laborwatch.alerts.render import (
    _count_line,
    _Facts,
    _facts,
    _omitted_note,
    render_text,
)
from laborwatch.domain import Development

_QUOTE_STYLE = "margin:0 0 4px 0;padding-left:8px;border-left:3px solid #ccc;color:#333"
_SMALL_STYLE = "margin:0 0 14px 0;color:#555;font-size:13px"


def _html_link(text: str, link: str | None) -> str:
    shown = html.escape(text)
    if not link:
        return shown
    return f'<a href="{html.escape(link, quote=True)}">{shown}</a>'


def _email_section(f: _Facts) -> str:
    """One development: its headline on a line, the quote below it, then where it is from.

    Laid out in paragraphs, not table cells: Apprise writes the plain-text part from this HTML,
    one line per block, so a table would put each cell on its own line."""
    parts = [f'<p style="margin:12px 0 4px 0"><b>{html.escape(f.headline)}</b></p>']
    if f.in_article:
        parts.append(
            f'<p style="margin:0 0 4px 0">Also in this article: {html.escape(f.in_article)}</p>'
        )
    parts.append(f'<blockquote style="{_QUOTE_STYLE}">“{html.escape(f.quote)}”</blockquote>')
    source = f"{html.escape(f.kind)} · {_html_link(f.title, f.link)}"
    if f.published:
        source += f" ({html.escape(f.published)})"
    if f.raw_url:
        # The URL is also written out: the plain-text alternative keeps no link targets.
        source += f"<br>{html.escape(f.raw_url)}"
    if f.also:
        more = f" and {f.also_hidden} more" if f.also_hidden else ""
        items = "; ".join(_html_link(t, link) for t, link in f.also)
        source += f"<br>Also reported by: {items}{more}"
    if f.watches:
        source += f"<br>Watches: {html.escape(', '.join(f.watches))}"
    parts.append(f'<p style="{_SMALL_STYLE}">{source}</p>')
    return "".join(parts)  # no whitespace between blocks: no empty lines in the plain part


def render_email(
    devs: Sequence[Development], *, run_label: str | None = None, omitted: int = 0
) -> tuple[str, str, str]:
    """(subject naming the count and the largest change, HTML body, plain-text alternative):
    per development its headline, the quote below it and the linked source."""
    intro = html.escape(_count_line(devs) + (f" — run {run_label}" if run_label else ""))
    body = [
        '<div style="font-family:Arial,Helvetica,sans-serif;font-size:14px;max-width:760px">',
        f'<h2 style="font-size:18px">{intro}</h2>',
        *(_email_section(_facts(dev)) for dev in devs),
    ]
    if omitted:
        body.append(f"<p><em>{html.escape(_omitted_note(omitted))}</em></p>")
    body.append("</div>")
    subject, plain = render_text(devs, run_label=run_label, omitted=omitted)
    return subject, "\n".join(body), plain
