"""`prefect deploy --prefect-file deployments/prefect.yaml` against the session's real server:
the deployment lands with its schedule in its timezone, default parameters, parameter schema
enforcement, the process pool's job env and the pull step into this checkout."""

from __future__ import annotations

import subprocess
from typing import Any

import httpx
import pytest

from laborwatch.deployments.spec import REPO_ROOT
from tests.deploy.conftest import PREFECT, PrefectServer

pytestmark = pytest.mark.e2e


def test_prefect_deploy_applies_the_file(
    prefect_server: PrefectServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    env = prefect_server.client_env(tmp_path_factory.mktemp("deploy-home"))

    def prefect(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(PREFECT), *args],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    pool = prefect("work-pool", "create", "laborwatch", "--type", "process", "--overwrite")
    assert pool.returncode == 0, pool.stdout + pool.stderr
    result = prefect("deploy", "--prefect-file", "deployments/prefect.yaml", "--all")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "monitor/laborwatch" in result.stdout

    response = httpx.get(f"{prefect_server.api_url}/deployments/name/monitor/laborwatch")
    response.raise_for_status()
    deployment: dict[str, Any] = response.json()
    assert deployment["entrypoint"] == "flows/monitor.py:monitor"
    assert deployment["work_pool_name"] == "laborwatch"
    assert deployment["enforce_parameter_schema"] is True
    assert deployment["parameters"] == {"dry_run": False, "skip_sources": []}
    [schedule] = deployment["schedules"]
    assert schedule["schedule"]["cron"] == "0 6-22 * * *"
    assert schedule["schedule"]["timezone"] == "America/New_York"
    assert deployment["pull_steps"] == [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(REPO_ROOT)}}
    ]
    env_vars = deployment["job_variables"]["env"]
    assert "laborwatch" in env_vars["PREFECT_LOGGING_EXTRA_LOGGERS"].split(",")
    assert "min_relative_change" in deployment["parameter_openapi_schema"]["properties"]
