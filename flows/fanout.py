"""Scale-out: the feed list in N shards, each a flow run of the sharded deployment on a work pool,
picked up by whichever worker is free on whichever machine, all on one PostgreSQL.

`monitor_shards` (the parent) starts the N runs with `run_deployment`, waits for them and writes
ONE summary artifact; each shard run leaves a one-row tally artifact the parent adds up. The shards
are disjoint by construction (a source's shard is a hash of its location), and the database makes
concurrent runs safe (claimed outbox rows, unique keys), so the union is one unsharded run."""

from __future__ import annotations

import json
import resource
import time
from typing import Annotated, Any
from uuid import UUID

from prefect import flow, get_client
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    ArtifactFilterKey,
)
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from pydantic import Field

from laborwatch.pipeline.report import RunReport

TALLY_KEY = "laborwatch-shard-tally"
SUMMARY_KEY = "laborwatch-shards-summary"
TALLY_FIELDS = ("sources", "failed", "articles", "figures", "developments", "recorded", "errors")
MEMORY_FIELDS = ("peak_mib", "analysis_peak_mib")


def shard_tally(shard: str, report: RunReport) -> dict[str, Any]:
    return {
        "shard": shard,
        "sources": report.sources_total,
        "failed": report.sources_failed,
        "articles": report.articles,
        "figures": report.figures,
        "developments": len(report.developments),
        "recorded": len(report.recorded_only),
        "errors": len(report.errors),
        # Peak resident memory of this run's process and of its largest finished child (a
        # local Dask cluster's worker), for sizing the machines the workers run on.
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "analysis_peak_mib": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
    }


def publish_shard_tally(shard: str, report: RunReport) -> None:
    """One row of numbers for the parent's summary (no URL, no title: nothing to redact)."""
    create_table_artifact(
        table=[shard_tally(shard, report)], key=TALLY_KEY, description=f"shard {shard}"
    )


def _wait(run_ids: list[UUID], timeout: float, poll: float = 2.0) -> list[FlowRun]:
    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while True:
            runs = [client.read_flow_run(run_id) for run_id in run_ids]
            if all(r.state is not None and r.state.is_final() for r in runs):
                return runs
            if time.monotonic() > deadline:
                return runs  # reported as not finished, not waited for forever
            time.sleep(poll)


def _tallies(run_ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=[TALLY_KEY]),
                flow_run_id=ArtifactFilterFlowRunId(any_=run_ids),
            )
        )
    tallies: dict[UUID, dict[str, Any]] = {}
    for artifact in artifacts:
        data = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
        if artifact.flow_run_id is not None and isinstance(data, list) and data:
            tallies[artifact.flow_run_id] = data[0]
    return tallies


def summary_markdown(
    deployment: str, shards: int, runs: list[FlowRun], tallies: dict[UUID, Any]
) -> str:
    """One table: a row per shard run and the totals (memory: the largest)."""
    columns = TALLY_FIELDS + MEMORY_FIELDS
    lines = [
        f"# laborwatch: {shards} shard(s) of `{deployment}`",
        "",
        "| shard | flow run | state | " + " | ".join(columns) + " |",
        "|---|---|---|" + "---:|" * len(columns),
    ]
    for number, run in enumerate(runs, start=1):
        tally = tallies.get(run.id, {})
        state = run.state.name if run.state else "?"
        cells = " | ".join(str(tally.get(name, "–")) for name in columns)
        lines.append(f"| {number}/{shards} | {run.name} | {state} | {cells} |")
    totals = [sum(int(t.get(name) or 0) for t in tallies.values()) for name in TALLY_FIELDS]
    peaks = [
        max((float(t.get(name) or 0) for t in tallies.values()), default=0.0)
        for name in MEMORY_FIELDS
    ]
    lines.append("| **all** | | | " + " | ".join(f"**{v}**" for v in [*totals, *peaks]) + " |")
    return "\n".join(lines) + "\n"


@flow(name="monitor-shards", log_prints=False, validate_parameters=True)
def monitor_shards(
    shards: Annotated[int, Field(ge=1, le=64, description="How many shard runs")] = 4,
    deployment: Annotated[
        str, Field(description="The sharded deployment, flow/deployment")
    ] = "monitor/laborwatch-shard",
    parameters: Annotated[
        dict[str, Any], Field(description="Other monitor parameters for every shard")
    ] = {},  # noqa: B006 - rendered as a JSON input in the UI's run form
    timeout_seconds: Annotated[float, Field(gt=0, description="Wait this long at most")] = 3600.0,
) -> dict[str, Any]:
    """Run the monitor over every source in `shards` parallel flow runs of `deployment` (on its
    work pool: each worker on any machine takes one), wait for them and summarise them in one
    artifact. Fails if a shard run did not complete."""
    started: list[FlowRun] = [
        run_deployment(  # type: ignore[misc]  # sync in a sync flow (async_dispatch)
            name=deployment,
            parameters={**parameters, "shard": f"{k}/{shards}"},
            flow_run_name=f"shard {k}/{shards}",
            timeout=0,  # start them all, then wait
        )
        for k in range(1, shards + 1)
    ]
    runs = _wait([run.id for run in started], timeout_seconds)
    tallies = _tallies([run.id for run in runs])
    create_markdown_artifact(
        markdown=summary_markdown(deployment, shards, runs, tallies),
        key=SUMMARY_KEY,
        description=f"{shards} shard run(s) of {deployment}",
    )
    totals = {name: sum(int(t.get(name) or 0) for t in tallies.values()) for name in TALLY_FIELDS}
    unfinished = [r.name for r in runs if r.state is None or not r.state.is_completed()]
    if unfinished:
        raise RuntimeError(f"shard run(s) not completed: {', '.join(unfinished)}")
    return {"shards": shards, "runs": [str(r.id) for r in runs], **totals}


__all__ = ["monitor_shards", "publish_shard_tally"]
