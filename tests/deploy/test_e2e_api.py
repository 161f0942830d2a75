"""End to end through the API: a run of the served deployment started with
`prefect deployment run`, on the seed articles, read back through the Prefect client."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from uuid import UUID

import pytest

from laborwatch.log_redaction import EXTRA_LOGGERS
from tests.deploy.conftest import PREFECT, REPO, SECRET, SEEDS, Served, wait_until
from tests.deploy.e2e_support import RunReader

pytestmark = pytest.mark.e2e


def start_run(served: Served, params: dict[str, object]) -> UUID:
    """`prefect deployment run`, as a person would type it; returns the new run's id."""
    result = subprocess.run(
        [str(PREFECT), "deployment", "run", served.deployment_name, "--params", json.dumps(params)],
        env=served.client_env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    found = re.search(r"UUID:\s*([0-9a-f-]{36})", result.stdout)
    assert found, result.stdout
    return UUID(found.group(1))


def test_api_run_completes_with_artifacts_logs_and_an_email(
    served: Served, runs: RunReader, tmp_path: Path
) -> None:
    already = len(served.inbox.messages)
    run_id = start_run(
        served, {"sources": [str(SEEDS)], "database_url": f"sqlite:///{tmp_path / 'api.db'}"}
    )
    run = runs.wait_for_final_state(run_id, timeout=120)
    assert run.state is not None
    assert run.state.is_completed(), f"{run.state.name}: {run.state.message}\n{served.child.tail()}"
    assert run.parameters["config_path"] == str(served.config)  # serve --config default kept

    artifacts = {a.key: a for a in runs.artifacts(run_id)}
    summary = artifacts["laborwatch-run-summary"].data
    assert isinstance(summary, str)
    assert "$700 million" in summary and "4,200" in summary
    changes = str(artifacts["laborwatch-developments"].data)
    subject = "Connecticut state employees"
    assert f"Concessions — {subject}: $2 billion → $700 million" in changes, changes
    assert f"Deficit — {subject}: $3.3 billion → $3.6 billion" in changes, changes
    assert f"Layoffs — {subject}: 1,000 → 4,200" in changes, changes
    histories = [a for key, a in artifacts.items() if key and key.startswith("history-")]
    assert histories, f"no history table for the changed figures: {sorted(artifacts)}"

    # One digest to the SMTP target; the broken webhook failed without failing the run.
    messages = served.inbox.wait_for(already + 1, timeout=20)[already:]
    assert len(messages) == 1
    body = messages[0].get_body(("plain", "html"))
    assert body is not None and "700 million" in body.get_content()
    assert served.hook.posts(), "the webhook target was never tried"
    # one message reached the SMTP recipient, the broken webhook did not: said once, the same
    assert "1 message sent, 1 of 2 recipients reached (1 failed)" in summary, summary

    # The run's log view: records of our own modules arrive (the API handler sends in batches).
    ours = wait_until(
        lambda: [log for log in runs.logs(run_id) if log.name.split(".")[0] in EXTRA_LOGGERS],
        timeout=20,
        what="log records of our modules in the run's logs",
    )
    assert ours
    logs = runs.logs(run_id)
    task_runs = {t.name for t in runs.task_runs(run_id)}
    assert any(name.startswith("read ") or name.startswith("fetch ") for name in task_runs)
    everything = "\n".join(
        [log.message for log in logs] + [str(a.data) for a in artifacts.values()]
    )
    assert SECRET not in everything


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_relative_change": -1}, "-1 is less than the minimum of 0.0"),
        ({"alert_mode": "x"}, "alert_mode"),
        ({"dry_run": "sometimes"}, "dry_run"),
    ],
)
def test_bad_parameters_are_refused_before_a_run_starts(
    served: Served, runs: RunReader, params: dict[str, object], message: str
) -> None:
    before = runs.flow_run_count(served.deployment_id)
    result = subprocess.run(
        [str(PREFECT), "deployment", "run", served.deployment_name, "--params", json.dumps(params)],
        env=served.client_env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    output = " ".join((result.stdout + result.stderr).split())
    assert "Validation failed" in output and message in output, output
    assert runs.flow_run_count(served.deployment_id) == before
