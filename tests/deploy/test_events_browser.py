"""What the events, charts and progress look like where people look, in headless Chromium: the
README's Automation and the event feed in the Prefect UI, the run's chart and progress
artifacts, an alert email with its inline chart, and `history --chart`'s SVG.

Screenshots go to $LABORWATCH_SCREENSHOTS when set (docs/screenshots/ was made that way), else
to the test's tmp_path."""

from __future__ import annotations

import base64
import html
import json
import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import UUID

import pytest
from typer.testing import CliRunner

from laborwatch.flows.events import DEVELOPMENT_CHANGED
from tests.deploy.conftest import PrefectServer, wait_until
from tests.deploy.e2e_support import RunReader
from tests.deploy.test_e2e_browser import browser, page  # noqa: F401 - shared fixtures
from tests.deploy.test_events_e2e import (
    WATCH,
    create_automation,
    feed_with_a_token,
    follow_up_deployment,
    laborwatch_events,
    run_flow,
)
from tests.support.config import write_config
from tests.support.servers import smtp_inbox

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

# The server persists events in batches: a busy 2-core machine can take a while to show them.
EVENTS_WAIT = 120


@pytest.fixture()
def plain_page(browser: Any) -> Iterator[Any]:  # noqa: F811
    """A page for local files only (no Prefect server needed)."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    local = context.new_page()
    local.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort()
        ),
    )
    try:
        yield local
    finally:
        context.close()


@pytest.fixture()
def shots(tmp_path: Path) -> Path:
    where = Path(os.environ.get("LABORWATCH_SCREENSHOTS") or tmp_path)
    where.mkdir(parents=True, exist_ok=True)
    return where


def _config(tmp_path: Path, urls: list[str]) -> Path:
    return write_config(
        tmp_path / "laborwatch.toml",
        db=tmp_path / "ui.db",
        urls=urls,
        sources=[str(feed_with_a_token(tmp_path))],
        extra=f'\n[[watches]]\nname = "{WATCH}"\ninclude = ["WARN", "plant", "closing"]\n',
    )


def ui_root(server_url: str) -> str:
    """Prefect 3.9 serves its new UI under /v2 (the default); 3.8 has only the first one."""
    import prefect

    major, minor = (int(part) for part in prefect.__version__.split(".")[:2])
    return server_url + ("/v2" if (major, minor) >= (3, 9) else "")


def show_in_the_ui(
    page: Any,  # noqa: F811
    server_url: str,
    automation: dict[str, Any],
    run_id: UUID,
    artifacts: dict[str, Any],
    shots: Path,
) -> None:
    """The Automation, the event feed of laborwatch.development.*, the run's chart and
    progress artifacts; a screenshot of each."""
    from playwright.sync_api import expect

    ui = ui_root(server_url)
    page.goto(f"{ui}/automations/automation/{automation['id']}")
    expect(page.get_by_text(automation["name"]).first).to_be_visible(timeout=30_000)
    page.screenshot(path=shots / "automation.png")
    parameters = page.get_by_role("button", name="Show Parameters")
    if parameters.count():  # the new UI shows the action's parameters in a dialog
        parameters.click()
        expect(
            page.get_by_role("dialog").get_by_text("event.payload", exact=False).first
        ).to_be_visible()
        page.screenshot(path=shots / "automation-parameters.png")

    # the event filter in the URL: a JSON list in the new UI, a plain name in the first one
    wanted = quote(json.dumps(["laborwatch.development.*"]))
    page.goto(f"{ui}/events?events=" + (wanted if ui.endswith("/v2") else DEVELOPMENT_CHANGED))
    # the new UI shows the event's name, the first one its label ("Development Changed")
    changed = page.get_by_text(re.compile(r"laborwatch\.development\.changed|Development Changed"))
    changed = changed.first
    expect(changed).to_be_visible(timeout=60_000)
    page.screenshot(path=shots / "event-feed.png")

    chart = next(a for key, a in artifacts.items() if key and key.startswith("chart-harlow-axle"))
    page.goto(f"{ui}/artifacts/artifact/{chart.id}")
    image = page.locator("img[alt='history chart']")
    expect(image).to_be_visible(timeout=30_000)
    assert image.evaluate("i => i.complete && i.naturalWidth") == 640
    page.screenshot(path=shots / "artifact-chart.png")

    progress = artifacts["laborwatch-progress"]
    page.goto(f"{ui}/artifacts/artifact/{progress.id}")
    expect(page.get_by_text("100%").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("laborwatch run: done").first).to_be_visible()
    page.screenshot(path=shots / "artifact-progress.png")


def test_the_automation_events_and_artifacts_in_the_prefect_ui(
    page: Any,  # noqa: F811
    prefect_server: PrefectServer,
    runs: RunReader,
    tmp_path: Path,
    shots: Path,
) -> None:
    api = prefect_server.api_url
    automation = create_automation(api, follow_up_deployment(api))
    run_id = run_flow(prefect_server, tmp_path, _config(tmp_path, []))
    # the feed page does not refresh itself: open it once the server has stored the events
    found = wait_until(
        lambda: laborwatch_events(api, run_id), timeout=EVENTS_WAIT, what="the run's events"
    )
    wait_for_the_feed_window(found)
    artifacts = {a.key: a for a in runs.artifacts(run_id)}
    show_in_the_ui(page, prefect_server.url, automation, run_id, artifacts, shots)


def wait_for_the_feed_window(found: list[dict[str, Any]]) -> None:
    """The event feed asks for events up to the current minute, rounded down: an event of this
    minute shows once the next one has begun."""
    latest = max(datetime.fromisoformat(e["occurred"].replace("Z", "+00:00")) for e in found)
    shown_from = latest.replace(second=0, microsecond=0) + timedelta(minutes=1, seconds=1)
    time.sleep(max(0.0, (shown_from - datetime.now(UTC)).total_seconds()))


def _as_a_mail_client_shows_it(message: EmailMessage) -> str:
    """The HTML part with each cid: reference replaced by its attached image."""
    part = message.get_body(("html",))
    assert part is not None
    body = str(part.get_content())
    for attachment in message.walk():
        cid = (attachment.get("Content-ID") or "").strip("<>")
        if cid and attachment.get_content_type().startswith("image/"):
            data = base64.b64encode(attachment.get_payload(decode=True)).decode()
            body = body.replace(f"cid:{cid}", f"data:{attachment.get_content_type()};base64,{data}")
    return body


def test_the_alert_email_and_the_history_chart_in_a_browser(
    plain_page: Any,
    tmp_path: Path,
    shots: Path,
) -> None:
    from laborwatch.cli import app
    from laborwatch.pipeline.options import RunOptions
    from laborwatch.pipeline.run import run_pass
    from laborwatch.pipeline.runner import LocalRunner
    from laborwatch.settings import load_settings

    with smtp_inbox() as inbox:
        config = _config(tmp_path, [inbox.apprise_url()])
        with LocalRunner() as runner:
            run_pass(load_settings(str(config)), RunOptions(), runner)
        messages = inbox.wait_for(1)
    raw = messages[0]
    assert raw.get_content_type() == "multipart/related"
    shown = tmp_path / "email.html"
    shown.write_text(_as_a_mail_client_shows_it(raw), encoding="utf-8")
    plain_page.goto(shown.as_uri())
    charts = plain_page.locator("img[src^='data:image/png']")
    assert charts.count() >= 1
    assert charts.first.evaluate("i => i.complete && i.naturalWidth") == 480
    charts.first.scroll_into_view_if_needed()
    plain_page.screenshot(path=shots / "email-inline-chart.png", full_page=True)

    svg = tmp_path / "harlow-layoffs.svg"
    result = CliRunner().invoke(
        app,
        [
            "history",
            "--config",
            str(config),
            "--subject",
            "Harlow Axle",
            "--metric",
            "layoffs",
            "--chart",
            str(svg),
        ],
    )
    assert result.exit_code == 0, result.output
    plain_page.goto(svg.as_uri())
    assert plain_page.locator("svg").count() == 1
    plain_page.locator("svg").screenshot(path=shots / "history-chart.png")
    assert re.search(r"350 → 420", html.unescape(result.stderr))
