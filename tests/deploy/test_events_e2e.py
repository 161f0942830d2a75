"""Events, charts and progress against a real `prefect server start`: a flow run of the monitor
sends `laborwatch.development.*` events the server stores (read back through its events API),
the README's Automation (docs/automations/plant-layoffs.yaml), created through the API, runs
its deployment with the event's figure, and the run has its progress and chart artifacts.
Redaction holds in what reaches the server: a token in an article link and the alert URL's
password appear nowhere in the events."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
import yaml

from tests.deploy.conftest import (
    REPO,
    SECRET,
    SEEDS,
    PrefectServer,
    Served,
    until_available,
    wait_until,
)
from tests.deploy.e2e_support import RunReader
from tests.deploy.test_e2e_api import start_run
from tests.support.config import write_config

pytestmark = pytest.mark.e2e
# The server persists events in batches: a busy 2-core machine can take a while to show them.
EVENTS_WAIT = 120

AUTOMATION = REPO / "docs" / "automations" / "plant-layoffs.yaml"
FEED = REPO / "data" / "samples" / "labor-news.xml"
WATCH = "Plant closings and WARN notices"
LINK_TOKEN = "tok3nInTheArticleLink42"


def events(api_url: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every matching event, page by page (the server gives 50 at most per page)."""
    since = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    request = {"filter": {"occurred": {"since": since}, **body}, "limit": 50}
    found: list[dict[str, Any]] = []
    with httpx.Client(timeout=10) as http:
        response = until_available(http, "POST", f"{api_url}/events/filter", json=request)
        for _ in range(40):
            response.raise_for_status()
            page = response.json()
            found += page["events"]
            if not page.get("next_page"):
                break
            response = http.get(page["next_page"])
    return found


def laborwatch_events(api_url: str, flow_run_id: UUID) -> list[dict[str, Any]]:
    return events(
        api_url,
        {
            "event": {"prefix": ["laborwatch."]},
            "related": {"id": [f"prefect.flow-run.{flow_run_id}"]},
        },
    )


def follow_up_deployment(api_url: str) -> str:
    """A deployment for the Automation to run (no worker: its runs stay scheduled)."""
    with httpx.Client(base_url=api_url + "/", timeout=10) as http:
        flow = until_available(http, "POST", "flows/", json={"name": "follow-up"}).json()
        deployment = until_available(
            http,
            "POST",
            "deployments/",
            json={"name": "desk", "flow_id": flow["id"], "enforce_parameter_schema": False},
        )
        return str(deployment.json()["id"])


def create_automation(api_url: str, deployment_id: str) -> dict[str, Any]:
    """The README's YAML, as `prefect automation create --from-file` sends it."""
    spec = yaml.safe_load(AUTOMATION.read_text(encoding="utf-8"))
    spec["actions"][0]["deployment_id"] = deployment_id
    with httpx.Client(base_url=api_url + "/", timeout=10) as http:
        response = until_available(http, "POST", "automations/", json=spec)
    assert response.status_code == 201, response.text
    return dict(response.json())


def feed_with_a_token(tmp_path: Path) -> Path:
    feed = tmp_path / "labor-news.xml"
    text = FEED.read_text(encoding="utf-8").replace(
        "harlow-axle-revised-warn</link>", f"harlow-axle-revised-warn?token={LINK_TOKEN}</link>"
    )
    feed.write_text(text, encoding="utf-8")
    return feed


def run_flow(server: PrefectServer, tmp_path: Path, config: Path) -> UUID:
    """`laborwatch run --flow`, as a person would: a flow run on the server."""
    result = subprocess.run(
        [sys.executable, "-m", "laborwatch.cli", "run", "--flow", "--config", str(config)],
        env=server.client_env(tmp_path / "cli-home"),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with httpx.Client(base_url=server.api_url + "/", timeout=10) as http:
        # Ad-hoc runs only: a served deployment's scheduled runs lie in the future and would
        # sort first (Prefect orders by start time, else expected start time).
        body = {
            "flows": {"name": {"any_": ["monitor"]}},
            "flow_runs": {"deployment_id": {"is_null_": True}},
            "sort": "START_TIME_DESC",
            "limit": 1,
        }
        [run] = until_available(http, "POST", "flow_runs/filter", json=body).json()
    return UUID(run["id"])


def test_a_flow_run_emits_events_that_fire_the_readme_automation(
    prefect_server: PrefectServer, runs: RunReader, tmp_path: Path
) -> None:
    api = prefect_server.api_url
    deployment_id = follow_up_deployment(api)
    automation = create_automation(api, deployment_id)
    time.sleep(2)  # the triggers service loads new automations
    config = write_config(
        tmp_path / "laborwatch.toml",
        db=tmp_path / "events.db",
        urls=[f"json://laborwatch:{SECRET}@127.0.0.1:9/alerts"],  # nothing listens: fails
        sources=[str(feed_with_a_token(tmp_path))],
        extra=f'\n[[watches]]\nname = "{WATCH}"\ninclude = ["WARN", "plant", "closing"]\n',
    )
    run_id = run_flow(prefect_server, tmp_path, config)

    def layoff_events() -> list[dict[str, Any]]:
        ours = laborwatch_events(api, run_id)
        return [e for e in ours if e["resource"]["prefect.resource.id"].endswith(".layoffs")]

    found = wait_until(
        layoff_events,
        timeout=EVENTS_WAIT,
        what="laborwatch.development events of the run",
    )
    layoffs = {e["event"]: e for e in found}
    changed = layoffs["laborwatch.development.changed"]
    assert changed["resource"]["prefect.resource.id"] == "laborwatch.figure.harlow-axle.layoffs"
    assert changed["resource"]["laborwatch.watch"] == WATCH
    assert (changed["payload"]["old_value"], changed["payload"]["new_value"]) == (350.0, 420.0)
    assert "nearly 420 workers" in changed["payload"]["quote"]
    roles = {r["prefect.resource.role"] for r in changed["related"]}
    assert {"watch", "flow-run", "flow"} <= roles
    everything = json.dumps(laborwatch_events(api, run_id))
    assert LINK_TOKEN not in everything and SECRET not in everything
    assert "token=***" in everything

    # The Automation ran the follow-up deployment with the figure from the event.
    def follow_up_runs() -> list[dict[str, Any]]:
        body = {"deployments": {"id": {"any_": [deployment_id]}}, "limit": 10}
        with httpx.Client(timeout=10) as http:
            return list(until_available(http, "POST", f"{api}/flow_runs/filter", json=body).json())

    started = wait_until(follow_up_runs, timeout=EVENTS_WAIT, what=f"a run of {automation['name']}")
    subjects = {r["parameters"]["subject"] for r in started}
    assert subjects == {"Harlow Axle"}, [r["parameters"] for r in started]
    assert any(r["parameters"]["change"].endswith("→ nearly 420 workers") for r in started), [
        r["parameters"]["change"] for r in started
    ]

    artifacts = {a.key: a for a in runs.artifacts(run_id)}
    progress = artifacts["laborwatch-progress"]
    assert progress.type == "progress" and float(progress.data) == 100.0  # type: ignore[arg-type]
    charts = [a for key, a in artifacts.items() if key and key.startswith("chart-harlow-axle")]
    assert charts and "data:image/png;base64," in str(charts[0].data)


def test_a_deployment_run_emits_one_event_per_stored_development(
    served: Served, runs: RunReader, prefect_server: PrefectServer, tmp_path: Path
) -> None:
    run_id = start_run(
        served, {"sources": [str(SEEDS)], "database_url": f"sqlite:///{tmp_path / 'ev.db'}"}
    )
    run = runs.wait_for_final_state(run_id, timeout=120)
    assert run.state is not None and run.state.is_completed()
    found = wait_until(
        lambda: laborwatch_events(prefect_server.api_url, run_id),
        timeout=EVENTS_WAIT,
        what="events of the deployment run",
    )
    time.sleep(2)  # the last ones of the batch
    found = laborwatch_events(prefect_server.api_url, run_id)
    kinds = {e["event"] for e in found}
    assert kinds == {"laborwatch.development.new", "laborwatch.development.changed"}
    related = {r["prefect.resource.role"] for e in found for r in e["related"]}
    assert "deployment" in related
    concessions = [
        e["payload"]
        for e in found
        if e["event"] == "laborwatch.development.changed"
        and e["resource"]["laborwatch.metric"] == "concessions"
    ]
    assert any(p["old_value"] == 2e9 and p["new_value"] == 7e8 for p in concessions)
