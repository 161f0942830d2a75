"""Reading a flow run's outcome back through the Prefect REST API: final state, artifacts, logs,
task runs. Plain HTTP with explicit bodies: prefect 3.8.8's sync client sends `null` for unset
filter fields, which this server version answers with 422."""

from __future__ import annotations

import json
import time
from typing import Any
from uuid import UUID

import httpx
from prefect.client.schemas.objects import Artifact, FlowRun, Log, TaskRun


class RunReader:
    def __init__(self, api_url: str) -> None:
        self._http = httpx.Client(base_url=api_url.rstrip("/") + "/", timeout=10)

    def close(self) -> None:
        self._http.close()

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        response = self._http.post(path, json=body)
        response.raise_for_status()
        return response.json()

    def flow_run(self, run_id: UUID) -> FlowRun:
        response = self._http.get(f"flow_runs/{run_id}")
        response.raise_for_status()
        return FlowRun.model_validate(response.json())

    def wait_for_final_state(self, run_id: UUID, timeout: float) -> FlowRun:
        deadline = time.monotonic() + timeout
        run = self.flow_run(run_id)
        while time.monotonic() < deadline:
            run = self.flow_run(run_id)
            if run.state is not None and run.state.is_final():
                return run
            time.sleep(0.3)
        state = run.state.name if run.state else "no state"
        raise TimeoutError(f"flow run {run_id} not finished within {timeout:.0f}s ({state})")

    def flow_run_count(self, deployment_id: str) -> int:
        body = {"deployments": {"id": {"any_": [deployment_id]}}}
        return int(self._post("flow_runs/count", body))

    def artifacts(self, run_id: UUID) -> list[Artifact]:
        body = {"artifacts": {"flow_run_id": {"any_": [str(run_id)]}}, "limit": 200}
        return Artifact.model_validate_list(self._post("artifacts/filter", body))

    def logs(self, run_id: UUID) -> list[Log]:
        body = {"logs": {"flow_run_id": {"any_": [str(run_id)]}}, "limit": 200}
        return Log.model_validate_list(self._post("logs/filter", body))

    def task_runs(self, run_id: UUID) -> list[TaskRun]:
        body = {"task_runs": {"flow_run_id": {"any_": [str(run_id)]}}, "limit": 200}
        return TaskRun.model_validate_list(self._post("task_runs/filter", body))


def table_rows(artifact: Artifact) -> list[dict[str, Any]]:
    """A table artifact's rows; the API keeps the table as a JSON string."""
    data = artifact.data
    if isinstance(data, str):
        data = json.loads(data)
    if isinstance(data, dict):  # {"columns": [...], "rows": [[...]]} form
        return [dict(zip(data["columns"], row, strict=True)) for row in data["rows"]]
    assert isinstance(data, list), f"unexpected table data: {data!r}"
    return data
