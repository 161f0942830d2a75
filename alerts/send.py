"""Deliver developments to one target through Apprise, in the format its service reads best.

Per service: Slack gets mrkdwn (escaped for the Slack mode the URL selects), email services get
an HTML body with a table (Apprise derives the plain-text alternative part from it), custom
webhooks (json/xml/form), Markdown and other HTML services get CommonMark (Apprise converts it
to the HTML they accept), other text-only services plain text.

A digest is packed into as few messages as fit the service's body limit (Apprise's plugin
`body_maxlen`, 3,000 characters for a Slack Block Kit section), as many as it takes: nothing is
left out. Apprise reports failures through its logger (loading a URL) and in each notify() result
(sending); both are returned, redacted, in `SendOutcome.error`.

The outcome says which developments went out, which were tried and failed, and which were not
tried: after a message hangs (or the connection fails) the target is not tried again in this
call — a circuit breaker, so a dead webhook costs one timeout per run, not one per message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import apprise
from apprise import NotifyFormat
from apprise.plugins.base import NotifyBase
from apprise.plugins.slack import NotifySlack

from laborwatch.alerts.apprise_log import (
    captured_apprise_errors,
    readable_reason,
    result_problems,
)
from laborwatch.alerts.charts import FigureChart
from laborwatch.alerts.history_charts import (
    ChartLookup,
    cached,
    charts_for,
    email_images,
    email_section,
    slack_history,
    with_section,
)
from laborwatch.alerts.render import (
    _clip,
    group_same_article,
    message_title,
    render_markdown,
    render_text,
)
from laborwatch.alerts.render_email import render_email
from laborwatch.alerts.render_slack import _legacy_slack, escape_slack, render_slack
from laborwatch.alerts.targets import Target
from laborwatch.domain import Development
from laborwatch.redaction import redact

logger = logging.getLogger(__name__)

# Per message (connect and read): a target that takes longer has hung.
SEND_TIMEOUT = 20.0
# Apprise's error lines that mean the target is unreachable or hung, not that it refused one.
_UNREACHABLE = ("timed out", "timeout", "connection error", "connection refused")
SLACK_BLOCK_TEXT_LIMIT = 3000  # Slack rejects a section block with more text than this
SLACK_HEADER_LIMIT = 150  # ... and a header block longer than this
# Room kept in every message for the "… and N more not shown" line and a part counter.
_RESERVE = 120
# Email services get the HTML table; other HTML services (Telegram, Matrix …) accept only a few
# tags, so they get Markdown, which Apprise converts to the HTML they support.
_EMAIL_SCHEMES = frozenset(
    {
        "mailto", "mailtos", "sendgrid", "mailgun", "ses", "azure", "o365", "sparkpost",
        "postmark", "resend", "brevo", "smtp2go", "mailersend", "sendpulse",
    }
)  # fmt: skip
_WEBHOOK_SCHEMES = frozenset({"json", "jsons", "xml", "xmls", "form", "forms"})


@dataclass
class SendOutcome:
    target_key: str
    ok: bool
    messages: int  # messages the service accepted
    error: str | None = None  # redacted; None when everything was delivered
    # Indices into the developments given: delivered, and tried but not delivered. The rest
    # were not tried (`stopped`: the target hung or was unreachable, so sending stopped).
    delivered: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    stopped: bool = False


@dataclass(frozen=True)
class _Message:
    title: str
    body: str
    charts: tuple[FigureChart, ...] = ()  # drawn inline (email): the body refers to them by cid


# A renderer turns (developments, omitted count) into one message for a given service.
_Renderer = Callable[[Sequence[Development], int], _Message]


def _schemes(plugin: NotifyBase) -> set[str]:
    found: set[str] = set()
    for value in (getattr(plugin, "protocol", None), getattr(plugin, "secure_protocol", None)):
        if isinstance(value, str):
            found.add(value.lower())
        elif isinstance(value, (tuple, list)):
            found.update(str(v).lower() for v in value)
    return found


def _renderer_for(
    plugin: NotifyBase, run_label: str | None, charts: ChartLookup | None = None
) -> tuple[_Renderer, NotifyFormat | None]:
    # Apprise 2: a plugin may declare several formats (email: HTML and text); resolve_format()
    # is the one it renders by default, after any ?format= in its URL.
    fmt = plugin.resolve_format()
    if isinstance(plugin, NotifySlack) and fmt == NotifyFormat.MARKDOWN:
        blocks = bool(getattr(plugin, "use_blocks", False))

        def slack(devs: Sequence[Development], omitted: int) -> _Message:
            _, body = render_slack(
                devs,
                run_label=run_label,
                omitted=omitted,
                escaping="slack" if blocks else "apprise-legacy",
            )
            history = slack_history(
                charts_for(devs, charts), escape_slack if blocks else _legacy_slack
            )
            body = f"{body}\n\n{history}" if history else body
            # Block Kit puts the title in a plain_text header (shown literally, so unescaped);
            # legacy mode escapes the title itself.
            title = message_title(devs)
            return _Message(_clip(title, SLACK_HEADER_LIMIT) if blocks else title, body)

        # Already Slack's own mrkdwn: no declared format, so Apprise 2 passes it through instead
        # of converting it as CommonMark (its legacy mode still escapes as Apprise 1 did).
        return slack, None
    if fmt == NotifyFormat.HTML and _schemes(plugin) & _EMAIL_SCHEMES:
        inline = hasattr(plugin, "inline")  # Apprise's inline images (RFC 2387, cid:)

        def email(devs: Sequence[Development], omitted: int) -> _Message:
            subject, html_body, _plain = render_email(devs, run_label=run_label, omitted=omitted)
            drawn = tuple(charts_for(devs, charts)) if inline else ()
            return _Message(subject, with_section(html_body, email_section(drawn)), drawn)

        return email, NotifyFormat.HTML
    if fmt in (NotifyFormat.MARKDOWN, NotifyFormat.HTML) or _schemes(plugin) & _WEBHOOK_SCHEMES:

        def markdown(devs: Sequence[Development], omitted: int) -> _Message:
            return _Message(*render_markdown(devs, run_label=run_label, omitted=omitted))

        return markdown, NotifyFormat.MARKDOWN

    def text(devs: Sequence[Development], omitted: int) -> _Message:
        return _Message(*render_text(devs, run_label=run_label, omitted=omitted))

    return text, NotifyFormat.TEXT


def _body_limit(plugin: NotifyBase) -> int:
    limit = int(plugin.body_maxlen)
    if isinstance(plugin, NotifySlack) and getattr(plugin, "use_blocks", False):
        limit = min(limit, SLACK_BLOCK_TEXT_LIMIT)
    if plugin.title_maxlen <= 0:  # the service has no title: Apprise puts it into the body
        limit -= 250
    return limit


def _pack(devs: Sequence[Development], render: _Renderer, limit: int) -> list[list[Development]]:
    """Greedy packing: consecutive developments per message while the rendered body fits.

    Sizes are estimated from one-development renders, then each chunk is rendered for real
    and shrunk until it fits, so the estimate never decides alone."""
    budget = max(limit - _RESERVE, 1)
    base = len(render([], 0).body)
    # A development's share: its one-development body minus the empty body (+2 for a joint).
    sizes = [len(render([dev], 0).body) - base + 2 for dev in devs]
    chunks: list[list[Development]] = []
    start = 0
    while start < len(devs):
        end, used = start, base
        while end < len(devs) and (end == start or used + sizes[end] <= budget):
            used += sizes[end]
            end += 1
        while end - start > 1 and len(render(devs[start:end], 0).body) > budget:
            end -= 1
        chunks.append(list(devs[start:end]))
        start = end
    return chunks


def _group(devs: Sequence[Development]) -> tuple[list[Development], list[list[int]]]:
    """group_same_article, with the input indices each shown development stands for."""
    grouped = group_same_article(devs)
    slots: dict[tuple[str | None, str, str, str], int] = {}
    members: list[list[int]] = [[] for _ in grouped]
    for index, dev in enumerate(devs):
        key = (dev.article_url or dev.article_title, dev.subject, dev.metric, dev.unit)
        members[slots.setdefault(key, len(slots))].append(index)
    assert len(slots) == len(grouped), "grouping keys out of step with group_same_article"
    return grouped, members


def _messages(
    devs: Sequence[Development], render: _Renderer, limit: int, mode: str
) -> list[tuple[_Message, range]]:
    """Every message to send, each with the (grouped) developments it carries."""
    if mode == "each":
        return [(render([dev], 0), range(i, i + 1)) for i, dev in enumerate(devs)]
    chunks = _pack(devs, render, limit)
    messages = []
    start = 0
    for number, chunk in enumerate(chunks, start=1):
        message = render(chunk, 0)
        if len(chunks) > 1:
            message = _Message(f"[{number}/{len(chunks)}] {message.title}", message.body)
        messages.append((message, range(start, start + len(chunk))))
        start += len(chunk)
    return messages


def _unreachable(log: Sequence[str], seconds: float, timeout: float) -> bool:
    text = " ".join(log).lower()
    return seconds >= 0.8 * timeout or any(needle in text for needle in _UNREACHABLE)


def _send_all(
    notifier: apprise.Apprise,
    messages: list[tuple[_Message, range]],
    members: list[list[int]],
    body_format: NotifyFormat | None,
    outcome: SendOutcome,
    secrets: tuple[str, ...],
    timeout: float,
    on_delivered: Callable[[list[int]], None] | None = None,
) -> list[str]:
    """Send the messages in order, noting in `outcome` which developments went out (and telling
    `on_delivered` after each message, so they can be marked sent before the next one); stops
    after a message that hung or found the target unreachable. Returns the problems."""
    problems: list[str] = []
    for number, (message, part) in enumerate(messages, start=1):
        started = time.monotonic()
        with captured_apprise_errors(secrets, socket_details=True) as log:
            try:
                # Apprise 2 answers with an AppriseResult (true on success) that holds the
                # service's log lines; closing it frees any temporary file they spilled to.
                with notifier.notify(
                    body=message.body,
                    title=message.title,
                    body_format=body_format,
                    attach=_inline_images(notifier[0], message),
                ) as result:
                    ok = bool(result)
                    if not ok:
                        log.extend(p for p in result_problems(result, secrets) if p not in log)
            except Exception as exc:  # a plugin bug must not lose the other messages
                ok = False
                log.append(f"{exc.__class__.__name__}: {exc}")
        carried = [index for shown in part for index in members[shown]]
        if ok:
            outcome.messages += 1
            outcome.delivered.extend(carried)
            if on_delivered is not None:
                on_delivered(carried)
            continue
        outcome.failed.extend(carried)
        where = f"message {number}/{len(messages)}: " if len(messages) > 1 else ""
        problems.append(where + readable_reason(log))  # "connection refused", "HTTP 500 …"
        if number < len(messages) and _unreachable(log, time.monotonic() - started, timeout):
            outcome.stopped = True
            problems.append(f"target unreachable: {len(messages) - number} message(s) not tried")
            break
    return problems


def send_developments(
    target: Target,
    developments: Sequence[Development],
    *,
    mode: Literal["digest", "each"] = "digest",
    run_label: str | None = None,
    timeout: float = SEND_TIMEOUT,
    charts: ChartLookup | None = None,
    on_delivered: Callable[[list[int]], None] | None = None,
) -> SendOutcome:
    """Send `developments` to `target`: one message per call in digest mode (more when the
    service's size limit forces a split), one per development in each mode. Never raises for
    a delivery problem: the outcome says what was delivered and why the rest was not.
    `charts` gives a figure's history: email shows it as a small chart, Slack as a sparkline.
    `on_delivered` hears the indices each accepted message carried, as soon as it is accepted."""
    if mode not in ("digest", "each"):
        raise ValueError(f"mode must be 'digest' or 'each', not {mode!r}")
    if not developments:
        return SendOutcome(target.key, ok=True, messages=0)
    secrets = (target.url,)
    notifier = apprise.Apprise()
    with captured_apprise_errors(secrets) as load_errors:
        loaded = notifier.add(target.url)
    if not loaded or len(notifier) != 1:
        reason = "; ".join(load_errors) or "Apprise could not load the URL"
        return SendOutcome(
            target.key,
            ok=False,
            messages=0,
            error=f"{target.shown}: {reason}",
            failed=list(range(len(developments))),
        )
    plugin = notifier[0]
    # Apprise's default waits are short (4 s) or long (15 s for SMTP); one setting for all.
    plugin.socket_connect_timeout = timeout
    plugin.socket_read_timeout = timeout

    render, body_format = _renderer_for(plugin, run_label, cached(charts) if charts else None)
    grouped, members = _group(developments)
    messages = _messages(grouped, render, _body_limit(plugin), mode)
    outcome = SendOutcome(target.key, ok=False, messages=0)
    problems = _send_all(
        notifier, messages, members, body_format, outcome, secrets, timeout, on_delivered
    )
    outcome.ok = not problems
    if problems:
        outcome.error = redact(f"{target.shown}: " + "; ".join(problems), secrets)
    return outcome


def _inline_images(plugin: NotifyBase, message: _Message) -> apprise.AppriseAttachment | None:
    """The message's charts as in-memory PNG attachments, shown inline by an email plugin."""
    if not message.charts:
        return None
    from apprise.attachment.memory import AttachMemory

    try:
        images = email_images(message.charts)
    except Exception as exc:  # a chart that cannot be drawn must not hold back the alert
        logger.warning("alert chart left out: %s: %s", type(exc).__name__, exc)
        return None
    setattr(plugin, "inline", True)  # noqa: B010 - not declared on NotifyBase
    attachments = apprise.AppriseAttachment()
    for image in images:
        attachments.add(
            AttachMemory(  # type: ignore[no-untyped-call]
                content=image.png, name=image.name, mimetype="image/png"
            )
        )
    return attachments
