"""Slack mrkdwn for alerts: a compact block per development, escaped by Slack's rules (or left
to Apprise's legacy attachment mode, which escapes on its own), links only for http(s) URLs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from laborwatch.alerts.render import _count_line, _Facts, _facts, _omitted_note, message_title
from laborwatch.domain import Development

SlackEscaping = Literal["slack", "apprise-legacy"]


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
