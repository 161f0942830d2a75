"""End to end in a real browser: headless Debian Chromium driven by Playwright through the
Prefect UI of the session's server — deployment page, Run → Custom run, the typed form (a bad
value is refused there), submit, the run page reaching Completed, the developments table in the
Artifacts tab. Screenshots of each step go to the test's tmp_path."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from tests.deploy.conftest import REPO, SEEDS, PrefectServer, Served
from tests.deploy.e2e_support import RunReader

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
FEED = REPO / "data" / "samples" / "labor-news.xml"
# As root Chromium needs --no-sandbox; the rest keep it off the (closed) network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"no headless browser: {CHROMIUM} is missing (Debian: apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture()
def page(browser: Any, prefect_server: PrefectServer) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    origin = prefect_server.url + "/"

    # The UI calls an analytics host; only our loopback server may be reached.
    def only_local(route: Any) -> None:
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_local)
    try:
        yield page
    finally:
        context.close()


def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go: $LABORWATCH_SCREENSHOTS (e.g. docs/screenshots) or tmp_path."""
    chosen = Path(os.environ.get("LABORWATCH_SCREENSHOTS") or tmp_path)
    chosen.mkdir(parents=True, exist_ok=True)
    return chosen


def parameter(page: Any, name: str) -> Any:
    """The form block of one flow parameter, found by its label."""
    label = page.locator("label", has_text=re.compile(rf"^{re.escape(name)}( \(Optional\))?$"))
    return page.locator("div.group").filter(has=label).last


def test_custom_run_from_the_ui_completes_and_shows_the_developments_table(
    browser: Any,
    page: Any,
    served: Served,
    prefect_server: PrefectServer,
    runs: RunReader,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    emails_before = len(served.inbox.messages)

    # The dashboard → Deployments → our deployment, with its schedule.
    page.goto(prefect_server.url + "/")
    page.get_by_role("link", name="Deployments").click()
    page.get_by_role("link", name=served.name, exact=True).click()
    expect(page.get_by_text("Every hour, between 06:00 AM and 10:00 PM")).to_be_visible()
    page.screenshot(path=screenshot_dir(tmp_path) / "1-deployment.png", full_page=True)

    page.get_by_role("button", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Custom run").click()
    expect(page.get_by_role("heading", name="Parameters")).to_be_visible()
    page.screenshot(path=screenshot_dir(tmp_path) / "2-run-form.png", full_page=True)

    # A plain number input: no "float | None" switch to click first.
    minimum = parameter(page, "min_relative_change")
    expect(minimum.get_by_role("tab")).to_have_count(0)
    field = minimum.locator("input")
    assert field.get_attribute("type") == "number"
    # A negative minimum change is refused by the form itself; nothing is submitted.
    field.fill("-1")
    page.get_by_role("button", name="Submit").click()
    assert "greater than or equal to 0" in field.evaluate("e => e.validationMessage")
    expect(page).to_have_url(re.compile(r"/run(\?|$)"))
    page.screenshot(path=screenshot_dir(tmp_path) / "3-refused.png", full_page=True)

    # The run we want, on a fresh form: the seed articles, dry run, a 1% minimum change.
    page.reload()
    expect(page.get_by_role("heading", name="Parameters")).to_be_visible()
    minimum = parameter(page, "min_relative_change")
    field = minimum.locator("input")
    field.fill("0.01")
    sources = parameter(page, "sources")
    sources.get_by_role("button", name="Add item").click()
    sources.locator("input, textarea").last.fill(str(SEEDS))
    sources.get_by_role("button", name="Add item").click()
    sources.locator("input, textarea").last.fill(str(FEED))  # its stories have links
    parameter(page, "dry_run").get_by_role("switch").click()
    assert field.evaluate("e => e.checkValidity()"), field.evaluate("e => e.validationMessage")
    page.screenshot(path=screenshot_dir(tmp_path) / "4-filled.png", full_page=True)
    with page.expect_response(re.compile(r"/create_flow_run$"), timeout=30_000) as created:
        page.get_by_role("button", name="Submit").click()
    assert created.value.status == 201, created.value.text()
    run_id = UUID(created.value.json()["id"])

    page.get_by_role("link", name="View run").click()
    expect(page).to_have_url(re.compile(rf"/runs/flow-run/{run_id}"))
    expect(page.get_by_text("Completed", exact=True).first).to_be_visible(timeout=120_000)
    page.screenshot(path=screenshot_dir(tmp_path) / "5-run-completed.png", full_page=True)

    # What the form sent is what ran.
    run = runs.flow_run(run_id)
    assert run.parameters["dry_run"] is True
    assert run.parameters["sources"] == [str(SEEDS), str(FEED)]
    assert run.parameters["min_relative_change"] == pytest.approx(0.01)

    # The run's Artifacts tab lists them; each opens on its own page (the path is the same in
    # both of Prefect 3.9's UIs, whose tabs and links differ). The page was opened while the run
    # had only its progress artifact, and the UI keeps the list it fetched then: a person reloads.
    page.reload()
    page.get_by_role("tab", name="Artifacts").click()
    expect(page.get_by_text("laborwatch-developments", exact=True).first).to_be_visible(
        timeout=30_000
    )
    artifacts = {a.key: a for a in runs.artifacts(run_id)}
    page.goto(f"{prefect_server.url}/artifacts/artifact/{artifacts['laborwatch-developments'].id}")
    # Markdown: headlines with their hedges, quotes, and links one can click, within 1400 px.
    # (the UI renders the markdown after fetching it: on a busy machine that takes a while)
    expect(
        page.get_by_text(re.compile(r"Concessions — .*\$2 billion → \$700 million"))
    ).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile(r"Layoffs — .*1,000 → 4,200")).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"about 825")).first).to_be_visible()
    link = page.get_by_role("link", name=re.compile("Harlow Axle")).first
    expect(link).to_be_visible()
    assert (link.get_attribute("href") or "").startswith("https://news.example.org/")
    hedged = page.get_by_text(re.compile(r"Layoffs — Harlow Axle: 350 → nearly 420"))
    expect(hedged.first).to_be_visible()  # the hedge is kept
    quote = page.locator("blockquote").first
    expect(quote).to_be_visible()
    box = quote.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1400, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    shots = screenshot_dir(tmp_path)
    page.screenshot(path=shots / "6-developments-artifact.png", full_page=True)
    page.goto(f"{prefect_server.url}/artifacts/artifact/{artifacts['laborwatch-run-summary'].id}")
    expect(page.get_by_text("messages sent", exact=False).first).to_be_visible()
    page.screenshot(path=shots / "7-summary-artifact.png", full_page=True)

    # A dry run sends nothing.
    assert len(served.inbox.messages) == emails_before
