"""Source-health notices for the operators' Apprise targets, kept apart from the news alerts."""

from __future__ import annotations

from collections.abc import Sequence

import apprise

from laborwatch.alerts.apprise_log import captured_apprise_errors, result_problems
from laborwatch.alerts.send import SendOutcome
from laborwatch.alerts.targets import Target
from laborwatch.redaction import redact


def send_operator_notice(target: Target, title: str, lines: Sequence[str]) -> SendOutcome:
    """One plain-text message listing the source problems of a run."""
    body = "\n".join(f"- {line}" for line in lines)
    notifier = apprise.Apprise()
    with captured_apprise_errors((target.url,)) as messages:
        added = notifier.add(target.url)
        ok = False
        if added:
            with notifier.notify(
                title=title, body=body, body_format=apprise.NotifyFormat.TEXT
            ) as result:
                ok = bool(result)
                if not ok:
                    messages.extend(result_problems(result, (target.url,)))
    error = None if ok else redact("; ".join(messages) or "notice not delivered", [target.url])
    return SendOutcome(target_key=target.key, ok=ok, messages=int(ok), error=error)
