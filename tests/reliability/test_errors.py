"""Every user error ends in one clear line, rc 2 for bad input and rc 1 for a failed run, and no
traceback without --debug (issue 13, item 2). Each scenario runs the real CLI against real
files, a real local HTTP server and the real PostgreSQL when one is reachable."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from laborwatch.cli import app
from laborwatch.cli.errors import explain
from tests.support.logging_state import restore_logging  # noqa: F401  (autouse)
from tests.support.servers import Response, free_port, http_server

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "data" / "samples" / "articles"
PASSWORD = "Sup3rSecretPw"
POSTGRES_HOST = os.environ.get("LABORWATCH_TEST_POSTGRES_HOST", "127.0.0.1")
runner = CliRunner()


def postgres_reachable() -> bool:
    try:
        with socket.create_connection((POSTGRES_HOST, 5432), timeout=1):
            return True
    except OSError:
        return False


needs_postgres = pytest.mark.skipif(not postgres_reachable(), reason="no PostgreSQL on :5432")


def assert_one_error(
    stderr: str, rc: int, expected_rc: int, *needles: str, secrets: tuple[str, ...] = ()
) -> str:
    """rc as expected, exactly one error line — besides it only a run's 'config: …' line and
    its one-line log records — the needles in it, no traceback and no secret anywhere."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("error:", "run failed:"))]
    assert rc == expected_rc, stderr
    assert len(errors) == 1, stderr
    others = [line for line in lines if line not in errors]
    assert len(others) <= 3 and all(
        line.startswith(("config:", "ERROR laborwatch", "WARNING laborwatch")) for line in others
    ), stderr
    assert "Traceback" not in stderr and "╭" not in stderr
    for needle in needles:  # "a|b": either (storage may word a database fault its own way)
        assert any(n.lower() in errors[0].lower() for n in needle.split("|")), stderr
    for secret in (PASSWORD, *secrets):
        assert secret not in stderr
    return errors[0]


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stderr


@pytest.fixture()
def existing_db(tmp_path: Path) -> Path:
    db = tmp_path / "lw.db"
    rc, stderr = invoke("history", "--db", f"sqlite:///{db}")
    assert rc == 0, stderr
    return db


# --- databases -------------------------------------------------------------------------------


def test_corrupt_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / "corrupt.db"
    db.write_bytes(b"this is not a database " * 400)
    rc, stderr = invoke("history", "--db", f"sqlite:///{db}")
    assert_one_error(stderr, rc, 1, "corrupt|damaged", str(db))


def test_read_only_sqlite_file(existing_db: Path) -> None:
    url = f"sqlite:///file:{existing_db}?mode=ro&uri=true"
    rc, stderr = invoke("run", "--db", url, "--source", str(SEED), "--dry-run")
    assert_one_error(stderr, rc, 1, "read-only|readonly")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only files")
def test_read_only_sqlite_permissions(existing_db: Path) -> None:
    existing_db.chmod(0o444)
    existing_db.parent.chmod(0o555)
    try:
        rc, stderr = invoke("run", "--db", f"sqlite:///{existing_db}", "--source", str(SEED))
    finally:
        existing_db.parent.chmod(0o755)
    assert_one_error(stderr, rc, 1)


def test_sqlite_folder_that_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("in the way")
    rc, stderr = invoke("history", "--db", f"sqlite:///{tmp_path}/afile/sub/lw.db")
    assert_one_error(stderr, rc, 2, "cannot make the folder", "is a file")


def test_sqlite_path_that_is_a_folder(tmp_path: Path) -> None:
    rc, stderr = invoke("developments", "--db", f"sqlite:///{tmp_path}")
    assert_one_error(stderr, rc, 2, "is a folder")


@pytest.mark.parametrize(
    ("url", "rc", "needle"),
    [
        ("garbage", 2, "is not a database URL"),
        ("", 2, "no configuration"),  # an empty --db is no --db: say how to start
        (f"mysql://bob:{PASSWORD}@localhost/lw", 2, "driver for mysql is not installed"),
        (f"postgresql+psycopg://bob:{PASSWORD}@{POSTGRES_HOST}:99999/test", 2, "out of range"),
        (f"postgresql+psycopg://bob:{PASSWORD}@{POSTGRES_HOST}:abc/test", 2, "not a database"),
        (f"nosuchdb://bob:{PASSWORD}@localhost/lw", 2, "unknown kind of database"),
    ],
)
def test_database_urls_that_cannot_work(url: str, rc: int, needle: str, tmp_path: Path) -> None:
    os.chdir(tmp_path)  # no ./laborwatch.toml here
    code, stderr = invoke("history", "--db", url)
    assert_one_error(stderr, code, rc, needle)


@pytest.mark.parametrize(
    ("option", "needle"),
    [("connect_timeout=abc", "bad value for connect_timeout"), ("nonsense=1", "unknown option")],
)
def test_a_bad_postgres_url_option_is_bad_input(option: str, needle: str) -> None:
    url = f"postgresql+psycopg://bob:{PASSWORD}@127.0.0.1:{free_port()}/test?{option}"
    rc, stderr = invoke("history", "--db", url)
    assert_one_error(stderr, rc, 2, needle)


def test_connection_refused() -> None:
    url = f"postgresql+psycopg://bob:{PASSWORD}@127.0.0.1:{free_port()}/test"
    rc, stderr = invoke("history", "--db", url)
    assert_one_error(stderr, rc, 1, "refused|cannot reach", "***@127.0.0.1")


@needs_postgres
@pytest.mark.parametrize(
    ("url", "needle"),
    [
        (f"postgresql+psycopg://nobody_here:{PASSWORD}@{POSTGRES_HOST}:5432/test", "nobody_here"),
        (f"postgresql+psycopg://postgres@{POSTGRES_HOST}:5432/no_such_db_lw", "no_such_db_lw"),
    ],
)
def test_unknown_postgres_role_or_database(url: str, needle: str) -> None:
    rc, stderr = invoke("history", "--db", url)
    line = assert_one_error(stderr, rc, 2, needle)
    assert "FATAL" not in line or len(line) < 300


@pytest.mark.parametrize("command", ["history", "developments", "alerts", "sources", "reextract"])
def test_every_database_command_gives_one_line(command: str, tmp_path: Path) -> None:
    db = tmp_path / "corrupt.db"
    db.write_bytes(b"\x00garbage" * 1000)
    rc, stderr = invoke(command, "--db", f"sqlite:///{db}")
    assert_one_error(stderr, rc, 1, "corrupt|damaged")
    rc, stderr = invoke(command, "--db", f"mysql://u:{PASSWORD}@h/db")
    assert_one_error(stderr, rc, 2, "not installed")


# --- runs ----------------------------------------------------------------------------------


def config_text(db: Path, sources: list[str], fetch: str = "allow_private_addresses = true") -> str:
    lines = ["[database]", f'url = "sqlite:///{db}"', ""]
    for source in sources:
        lines += ["[[sources]]", f'location = "{source}"', ""]
    return "\n".join([*lines, "[fetch]", fetch, ""])


def test_all_sources_failed(tmp_path: Path) -> None:
    feed = f"http://reader:{PASSWORD}@127.0.0.1:{free_port()}/feed.xml"
    config = tmp_path / "lw.toml"
    config.write_text(config_text(tmp_path / "lw.db", [feed]))
    rc, stderr = invoke("run", "-c", str(config))
    assert_one_error(stderr, rc, 1, "every source failed", "Connection refused")


def test_all_sources_failed_with_json_still_prints_the_report(tmp_path: Path) -> None:
    import json

    feed = f"http://reader:{PASSWORD}@127.0.0.1:{free_port()}/feed.xml"
    config = tmp_path / "lw.toml"
    config.write_text(config_text(tmp_path / "lw.db", [feed, str(tmp_path / "gone.xml")]))
    result = runner.invoke(app, ["run", "-c", str(config), "--json"])
    assert_one_error(result.stderr, result.exit_code, 1, "every source failed")
    report = json.loads(result.stdout)
    assert report["counts"]["sources_failed"] == 2 and len(report["errors"]) == 2
    assert PASSWORD not in result.stdout


def test_all_sources_refused_by_the_ssrf_guard(tmp_path: Path) -> None:
    config = tmp_path / "lw.toml"
    sources = ["http://10.1.2.3/feed.xml", "http://127.0.0.1:9/feed.xml?token=AbC123xyz789"]
    config.write_text(config_text(tmp_path / "lw.db", sources, fetch="connect_timeout = 2"))
    rc, stderr = invoke("run", "-c", str(config))
    assert_one_error(stderr, rc, 1, "every source failed", "non-public", secrets=("AbC123xyz789",))


def test_a_malformed_source_url_fails_that_source_only_and_then_backs_off(tmp_path: Path) -> None:
    config = tmp_path / "lw.toml"
    config.write_text(config_text(tmp_path / "lw.db", [f"http://reader:{PASSWORD}@[::1/feed"]))
    rc, stderr = invoke("run", "-c", str(config))
    assert_one_error(stderr, rc, 1, "every source failed", "invalid URL")
    again = runner.invoke(app, ["run", "-c", str(config)])  # the next run: its back-off
    assert again.exit_code == 0, again.output
    assert "1/1 sources (1 backing off)" in again.stderr and PASSWORD not in again.output


def test_an_oversized_only_source(tmp_path: Path) -> None:
    with http_server() as server:
        server.routes["/big.xml"] = Response(
            200, b"<rss>" + b"x" * 50_000 + b"</rss>", {"Content-Type": "application/rss+xml"}
        )
        config = tmp_path / "lw.toml"
        fetch = "allow_private_addresses = true\nmax_bytes = 1000"
        config.write_text(config_text(tmp_path / "lw.db", [server.url("/big.xml")], fetch))
        rc, stderr = run_cli("run", "-c", str(config))  # the server's own noise stays out
    assert_one_error(stderr, rc, 1, "every source failed", "1000")


@pytest.mark.parametrize("location", ["", "   "])
def test_an_empty_source_option_reads_no_folder(location: str, tmp_path: Path) -> None:
    config = tmp_path / "lw.toml"
    config.write_text(config_text(tmp_path / "lw.db", [str(tmp_path)]))
    rc, stderr = invoke("run", "-c", str(config), "--source", location)
    assert_one_error(stderr, rc, 2, "a source is empty")
    assert not (tmp_path / "lw.db").exists()


def test_a_source_given_twice_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "lw.toml"
    config.write_text(config_text(tmp_path / "lw.db", [str(tmp_path)]))
    rc, stderr = invoke("run", "-c", str(config), "--source", "art", "--source", "art/")
    assert_one_error(stderr, rc, 2, "--source art/ is given twice")


def test_no_sources_is_bad_config(tmp_path: Path) -> None:
    config = tmp_path / "lw.toml"
    config.write_text(config_text(tmp_path / "lw.db", []))
    rc, stderr = invoke("run", "-c", str(config))
    assert_one_error(stderr, rc, 2, "no sources configured")


# --- configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[database\nurl=", "not valid TOML"),
        ('[databse]\nurl = "sqlite:///x.db"\n', "databse: Extra inputs are not permitted"),
        ('[alerts]\nmode = "sometimes"\n[fetch]\nconnect_timeout = -1\n', "alerts.mode"),
        ('[alerts]\nmetrics = ["nonsense"]\n', "unknown metric"),
        ("[[sources]]\nlocation = 5\n", "sources.0.location"),
        ('[[sources]]\nlocation = "  "\n', "sources.0.location: empty: give a feed URL"),
        ('[[sources]]\nlocation = "art"\n[[sources]]\nlocation = "art/"\n', "is listed twice"),
        ('[database]\nurl = "mysql://u:pw@h/db"\n', "not installed"),
    ],
)
@pytest.mark.parametrize("command", ["run", "history", "sources"])
def test_bad_config_files(text: str, needle: str, command: str, tmp_path: Path) -> None:
    config = tmp_path / "lw.toml"
    config.write_text(text)
    rc, stderr = invoke(command, "-c", str(config))
    assert_one_error(stderr, rc, 2, needle)


@pytest.mark.parametrize("command", ["run", "history", "developments", "alerts", "test-notify"])
def test_config_path_that_is_a_directory(command: str, tmp_path: Path) -> None:
    rc, stderr = invoke(command, "-c", str(tmp_path))
    assert_one_error(stderr, rc, 2, "is a directory")


def test_missing_config_says_how_to_start(tmp_path: Path) -> None:
    os.chdir(tmp_path)
    rc, stderr = invoke("run")
    assert_one_error(stderr, rc, 2, "laborwatch init")


def test_serve_with_a_bad_config(tmp_path: Path) -> None:
    config = tmp_path / "lw.toml"
    config.write_text("[database\n")
    rc, stderr = invoke("serve", "-c", str(config))
    assert_one_error(stderr, rc, 2, "not valid TOML")


def test_test_notify_with_an_invalid_url(tmp_path: Path) -> None:
    rc, stderr = run_cli("test-notify", "--notify", "nosuchscheme://whatever", cwd=tmp_path)
    assert_one_error(stderr, rc, 2, "not a valid Apprise URL")


# --- the handler itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["sources", "--json"], "No such option: --json (see `"),
        (["extract"], "Missing argument 'paths'"),
        (["run", "--mode"], "Option '--mode' requires an argument"),
        (["run", "--min-change", "abc"], "Invalid value for '--min-change'"),
        (["nosuch"], "No such command 'nosuch'"),
    ],
)
def test_a_usage_error_is_one_line_with_rc_2(args: list[str], needle: str) -> None:
    rc, stderr = run_cli(*args)
    assert rc == 2, stderr
    [line] = stderr.strip().splitlines()
    assert line.startswith("error: ") and needle in line, stderr


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError(f"postgresql://u:{PASSWORD}@db/x")

    monkeypatch.setattr("laborwatch.storage.store.Store.figure_history", broken)
    url = f"sqlite:///{tmp_path / 'lw.db'}"
    rc, stderr = invoke("history", "--db", url)
    assert_one_error(stderr, rc, 1, "unexpected KeyError", "--debug")
    for args in (["--debug", "history", "--db", url], ["history", "--db", url, "--debug"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert "Traceback" in result.stderr and "figure_history" in result.stderr
        assert PASSWORD not in result.stderr


@pytest.mark.parametrize(
    ("exc", "rc"),
    [
        (FileExistsError(17, "File exists", "/srv/lw"), 1),
        (PermissionError(13, "Permission denied", "/srv/lw.db"), 1),
        (RuntimeError("Timed out while attempting to connect to ephemeral Prefect API server."), 1),
        (MemoryError(), 1),
    ],
)
def test_explain_rules(exc: BaseException, rc: int) -> None:
    message, code = explain(exc)
    assert code == rc and "\n" not in message and message


def test_database_errors_use_the_rule_table() -> None:
    from sqlalchemy.exc import OperationalError

    def error(text: str) -> OperationalError:
        return OperationalError("SELECT 1", {}, sqlite3.OperationalError(text))

    assert explain(error("attempt to write a readonly database"))[1] == 1
    assert explain(error("database is locked"))[0].endswith("locked by another process")
    message, code = explain(error('FATAL:  database "x" does not exist'))
    assert code == 2 and message.startswith("database")
    assert message.endswith(': PostgreSQL has no database "x" (create it: createdb x)')
    assert explain(error("something new"))[0].endswith(": something new")


# --- the real command, in its own process ----------------------------------------------------


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[int, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "laborwatch.cli", *args],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200", **(env or {})},
    )
    return proc.returncode, proc.stderr


def test_subprocess_database_fault_has_no_traceback(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://bob:{PASSWORD}@127.0.0.1:{free_port()}/test"
    rc, stderr = run_cli("developments", "--db", url, cwd=tmp_path)
    assert_one_error(stderr, rc, 1, "refused|cannot reach")


def test_subprocess_config_directory_is_rc_2(tmp_path: Path) -> None:
    rc, stderr = run_cli("run", "-c", str(tmp_path), cwd=tmp_path)
    assert_one_error(stderr, rc, 2, "is a directory")


@pytest.fixture(scope="module")
def prefect_api() -> Iterator[str]:
    """A Prefect API for flow runs of the real command (one local server for the module)."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield str(PREFECT_API_URL.value())


@pytest.mark.flow
def test_flow_run_where_every_source_failed_prints_no_traceback(
    prefect_api: str, tmp_path: Path
) -> None:
    feed = f"http://reader:{PASSWORD}@127.0.0.1:{free_port()}/feed.xml?token=AbC123xyz789"
    config = tmp_path / "lw.toml"
    config.write_text(config_text(tmp_path / "lw.db", [feed]))
    rc, stderr = run_cli("run", "-c", str(config), env={"PREFECT_API_URL": prefect_api})
    assert rc == 1, stderr
    assert "as a Prefect flow run" in stderr
    assert "Traceback" not in stderr and PASSWORD not in stderr and "AbC123xyz789" not in stderr
    [failed] = [line for line in stderr.splitlines() if line.startswith("run failed:")]
    assert "every source failed" in failed
