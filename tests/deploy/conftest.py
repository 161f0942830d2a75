"""One real Prefect server (`prefect server start`, SQLite in a temporary PREFECT_HOME) and one
`laborwatch serve` process for the whole session, shared by the API and the browser test.

Every subprocess runs in its own process group and is killed with it, whatever the test did."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from tests.deploy.e2e_support import RunReader
from tests.support.config import write_config
from tests.support.servers import LocalHTTPServer, SMTPInbox, free_port

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "data" / "samples" / "articles"
PREFECT = Path(sys.executable).with_name("prefect")
# A password no log line, artifact or error may ever show.
SECRET = "TopSecretPw4242"
T = TypeVar("T")


def wait_until(
    probe: Callable[[], T | None], *, timeout: float, what: str, interval: float = 0.2
) -> T:
    """Poll `probe` until it returns something truthy; fail with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = probe()
        except Exception as exc:  # the thing we wait for may not answer yet
            last_error = exc
        else:
            if value:
                return value
        time.sleep(interval)
    raise TimeoutError(f"{what}: not within {timeout:.0f}s (last error: {last_error!r})")


def _clean_env(**extra: str) -> dict[str, str]:
    """The parent environment minus any Prefect or laborwatch setting that could point a child
    at another server, profile or config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LABORWATCH_"))}
    env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", PYTHONUNBUFFERED="1", **extra)
    return env


@dataclass
class Child:
    """A subprocess in its own process group, its output in a log file."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        for sig, grace in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                continue


def start_child(name: str, args: list[str], *, env: dict[str, str], cwd: Path, log: Path) -> Child:
    with log.open("wb") as out:
        process = subprocess.Popen(
            args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Child(name, process, log)


@dataclass
class PrefectServer:
    url: str  # the UI
    api_url: str
    child: Child

    def client_env(self, home: Path, **extra: str) -> dict[str, str]:
        home.mkdir(parents=True, exist_ok=True)
        return _clean_env(PREFECT_API_URL=self.api_url, PREFECT_HOME=str(home), **extra)


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrefectServer]:
    root = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = _clean_env(
        PREFECT_HOME=str(root / "home"),
        # The UI calls the API at this address; the default would be port 4200.
        PREFECT_UI_API_URL=f"{url}/api",
        PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT="false",
    )
    child = start_child(
        "prefect server",
        [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=root,
        log=root / "server.log",
    )
    try:

        def healthy() -> bool:
            if not child.alive():
                raise AssertionError(f"prefect server exited:\n{child.tail()}")
            return httpx.get(f"{url}/api/health", timeout=2).status_code == 200

        try:
            # A busy 2-core machine took 60-130 s to start a server (prefect 3.9, under load).
            wait_until(healthy, timeout=240, what="prefect server health", interval=0.3)
        except TimeoutError as exc:
            raise AssertionError(f"{exc}\n{child.tail()}") from None
        yield PrefectServer(url=url, api_url=f"{url}/api", child=child)
    finally:
        child.stop()


def quiet_schedules(api_url: str, deployment: dict[str, Any]) -> None:
    """The served schedule is registered as prefect.yaml says; then it is switched off (it stays
    visible in the UI) so an hourly run cannot start mid-test and send mail the tests count."""
    schedules = [(s["id"], s["schedule"]) for s in deployment["schedules"]]
    assert [(s.get("cron"), s.get("timezone")) for _, s in schedules] == [
        ("0 6-22 * * *", "America/New_York")
    ]
    with httpx.Client(base_url=api_url + "/", timeout=10) as http:
        for schedule_id, _ in schedules:
            url = f"deployments/{deployment['id']}/schedules/{schedule_id}"
            until_available(http, "PATCH", url, json={"active": False})
        body = {
            "deployments": {"id": {"any_": [deployment["id"]]}},
            "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
            "limit": 200,
            "offset": 0,
        }
        scheduled = until_available(http, "POST", "flow_runs/filter", json=body)
        for run in scheduled.json():
            until_available(http, "DELETE", f"flow_runs/{run['id']}")


def until_available(http: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """The server answers 503 while its scheduler holds the SQLite write lock (it is creating
    the served schedule's runs): ask again until it lets go, for 30 s at most."""
    deadline = time.monotonic() + 30
    response = http.request(method, url, **kwargs)
    while response.status_code == 503 and time.monotonic() < deadline:
        time.sleep(0.25)
        response = http.request(method, url, **kwargs)
    response.raise_for_status()
    return response


@dataclass
class Served:
    """`laborwatch serve` running the deployment against the session's server."""

    name: str
    deployment_id: str
    deployment_name: str  # "monitor/<name>"
    inbox: SMTPInbox
    hook: LocalHTTPServer
    config: Path
    child: Child
    client_env: dict[str, str]
    workdir: Path


@pytest.fixture(scope="session")
def served(
    prefect_server: PrefectServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    work = tmp_path_factory.mktemp("served")
    inbox = SMTPInbox().start()
    hook = LocalHTTPServer().start()
    hook.post_status = 500  # a broken webhook: its failure must not fail the run
    child: Child | None = None
    try:
        config = write_config(
            work / "laborwatch.toml",
            db=work / "served.db",
            urls=[
                inbox.apprise_url(),
                f"json://laborwatch:{SECRET}@127.0.0.1:{hook.port}/alerts",
            ],
            sources=[str(SEEDS)],
        )
        name = "e2e"
        env = prefect_server.client_env(
            work / "serve-home",
            # Served runs are picked up within a second instead of the default ten.
            PREFECT_RUNNER_POLL_FREQUENCY="1",
        )
        child = start_child(
            "laborwatch serve",
            [
                sys.executable,
                "-m",
                "laborwatch.cli",
                "serve",
                "--name",
                name,
                "--config",
                str(config),
            ],
            env=env,
            cwd=REPO,
            log=work / "serve.log",
        )

        def registered() -> Any:
            assert child is not None
            if not child.alive():
                raise AssertionError(f"laborwatch serve exited:\n{child.tail()}")
            response = httpx.get(
                f"{prefect_server.api_url}/deployments/name/monitor/{name}", timeout=5
            )
            return response.json() if response.status_code == 200 else None

        try:
            deployment = wait_until(registered, timeout=60, what="served deployment")
        except TimeoutError as exc:
            raise AssertionError(f"{exc}\n{child.tail()}") from None
        quiet_schedules(prefect_server.api_url, deployment)
        yield Served(
            name=name,
            deployment_id=str(deployment["id"]),
            deployment_name=f"monitor/{name}",
            inbox=inbox,
            hook=hook,
            config=config,
            child=child,
            client_env=prefect_server.client_env(work / "cli-home"),
            workdir=work,
        )
    finally:
        if child is not None:
            child.stop()
        hook.stop()
        inbox.stop()


@pytest.fixture()
def runs(prefect_server: PrefectServer) -> Iterator[RunReader]:
    reader = RunReader(prefect_server.api_url)
    try:
        yield reader
    finally:
        reader.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "e2e: end to end against a real `prefect server start` and `laborwatch serve` "
        "(subprocesses; about a minute)",
    )
