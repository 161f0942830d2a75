"""Alerts: notification targets, routing of developments to them, rendering for people and
delivery through Apprise. Plain Python: no Prefect, no environment reads."""

from laborwatch.alerts.render import (
    format_value,
    headline,
    render_markdown,
    render_text,
)
from laborwatch.alerts.render_email import render_email
from laborwatch.alerts.render_slack import render_slack
from laborwatch.alerts.routing import Watch, is_alertable, matching_watches, route
from laborwatch.alerts.send import SendOutcome, send_developments
from laborwatch.alerts.targets import Target, TargetError, load_targets
from laborwatch.redaction import redact

__all__ = [
    "SendOutcome",
    "Target",
    "TargetError",
    "Watch",
    "format_value",
    "headline",
    "is_alertable",
    "load_targets",
    "matching_watches",
    "redact",
    "render_email",
    "render_markdown",
    "render_slack",
    "render_text",
    "route",
    "send_developments",
]
