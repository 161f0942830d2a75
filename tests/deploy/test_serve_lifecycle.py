"""`laborwatch serve` on its way in and out: a warning when no alert target is configured,
SIGTERM stopping it as cleanly as Ctrl-C (no "never awaited" coroutine, exit 0, its own schedule
paused), and a deployment made with `prefect deploy` for a work pool left alone."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.deploy.conftest import REPO, SEEDS, PrefectServer, start_child, wait_until
from tests.support.config import write_config

pytestmark = [pytest.mark.e2e]


def _deployment(server: PrefectServer, name: str) -> dict[str, Any] | None:
    response = httpx.get(f"{server.api_url}/deployments/name/monitor/{name}", timeout=5)
    return response.json() if response.status_code == 200 else None


def test_sigterm_stops_serve_cleanly_and_it_warns_without_alert_targets(
    prefect_server: PrefectServer, tmp_path: Path
) -> None:
    config = write_config(
        tmp_path / "laborwatch.toml", db=tmp_path / "s.db", urls=[], sources=[str(SEEDS)]
    )
    child = start_child(
        "laborwatch serve",
        [sys.executable, "-m", "laborwatch.cli", "serve", "--name", "lifecycle",
         "--config", str(config)],
        env=prefect_server.client_env(tmp_path / "home"),
        cwd=REPO,
        log=tmp_path / "serve.log",
    )  # fmt: skip
    try:
        deployment = wait_until(
            lambda: _deployment(prefect_server, "lifecycle"), timeout=60, what="served deployment"
        )
        assert not deployment["paused"]
        wait_until(
            lambda: "Ctrl-C (or SIGTERM) stops it" in child.log.read_text(errors="replace"),
            timeout=30,
            what="serve's ready line",
        )
        time.sleep(2)  # the runner's loop is up
        child.process.send_signal(signal.SIGTERM)
        code = child.process.wait(timeout=60)
    finally:
        child.stop()
    output = child.log.read_text(encoding="utf-8", errors="replace")
    assert code == 0, output
    assert "never awaited" not in output and "Traceback" not in output, output
    assert "warning: no alert target configured" in output
    after = _deployment(prefect_server, "lifecycle")
    assert after is not None and after["paused"], "its own schedule is paused on the way out"


def test_serve_leaves_a_work_pool_deployment_of_the_same_name_alone(
    prefect_server: PrefectServer, tmp_path: Path
) -> None:
    api = prefect_server.api_url
    with httpx.Client(timeout=10) as http:
        http.post(f"{api}/work_pools/", json={"name": "lifecycle-pool", "type": "process"})
        flow_id = http.post(f"{api}/flows/", json={"name": "monitor"}).json()["id"]
        made = http.post(
            f"{api}/deployments/",
            json={
                "name": "pooled",
                "flow_id": flow_id,
                "work_pool_name": "lifecycle-pool",
                "entrypoint": "flows/monitor.py:monitor",
            },
        )
        assert made.status_code in (200, 201), made.text
    result = subprocess.run(
        [sys.executable, "-m", "laborwatch.cli", "serve", "--name", "pooled"],
        env=prefect_server.client_env(tmp_path / "home"),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    said = " ".join(result.stderr.split())
    assert "made with `prefect deploy`" in said and "--name pooled-local" in said, said
    untouched = _deployment(prefect_server, "pooled")
    assert untouched is not None and untouched["work_pool_name"] == "lifecycle-pool"
    assert not untouched["paused"]
