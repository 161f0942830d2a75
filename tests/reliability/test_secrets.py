"""No credential leaves the process (issue 13 item 4, issue 12 item 4): one redaction
(`laborwatch.redaction`) applied to CLI output, errors, logs, the run-summary artifact and
alert errors. Feed URLs with user:password@ or tokens, Apprise URLs (Slack tokens, mailto
passwords, json://user:pass@) and database passwords are masked everywhere."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from laborwatch.cli import app
from laborwatch.domain import SourceError
from laborwatch.redaction import MASK, credentials_of, looks_like_token, redact, redact_url
from tests.support.logging_state import restore_logging  # noqa: F401  (autouse)
from tests.support.servers import free_port

REPO = Path(__file__).resolve().parents[2]
SLACK_TOKEN = "TIiajkdnlazkcOXrIdevi7FQ"
SLACK = f"slack://T1JJ3T3L2/A1BRTD4JD/{SLACK_TOKEN}/#labor"
MAIL_PASSWORD = "Hunter2Secret"
MAIL = f"mailtos://newsroom:{MAIL_PASSWORD}@example.org?to=desk@example.org"
JSON_PASSWORD = "js0nPassw0rd"
JSON = f"json://hook:{JSON_PASSWORD}@127.0.0.1:{free_port()}/in"
FEED_PASSWORD = "feedPa55word"
FEED_TOKEN = "AbC123xyz789tok"
SECRETS = (SLACK_TOKEN, "T1JJ3T3L2", "A1BRTD4JD", MAIL_PASSWORD, JSON_PASSWORD)
FEED_SECRETS = (FEED_PASSWORD, FEED_TOKEN)
runner = CliRunner()


def feed_urls() -> list[str]:
    """Feeds nobody answers (refused at once), with credentials in both usual places."""
    return [
        f"http://reader:{FEED_PASSWORD}@127.0.0.1:{free_port()}/private/feed.xml",
        f"http://127.0.0.1:{free_port()}/feed.xml?api_token={FEED_TOKEN}&page=2",
    ]


def assert_clean(text: str) -> None:
    for secret in (*SECRETS, *FEED_SECRETS):
        assert secret not in text, f"{secret} leaked in:\n{text}"


# --- the rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            f"https://reader:{FEED_PASSWORD}@feeds.example.org/f.xml?token={FEED_TOKEN}&page=2",
            "https://***@feeds.example.org/f.xml?token=***&page=2",
        ),
        (
            "https://example.org/news/acme-layoffs-2024-11-05",
            "https://example.org/news/acme-layoffs-2024-11-05",
        ),
        ("https://example.org/hooks/a8F3k2j4H5g6d7s8x9", "https://example.org/hooks/***"),
        ("https://hooks.slack.com/services/T00/B00/XXXXsecretXXXX", "https://hooks.slack.com/***"),
        (SLACK, "slack://T1…/***#labor"),
        (MAIL, "mailtos://***@example.org?to=desk@example.org"),
        (JSON, f"json://***@{JSON.split('@')[1]}"),
        ("sqlite:////srv/laborwatch/lw.db", "sqlite:////srv/laborwatch/lw.db"),
        (
            f"postgresql+psycopg://lw:{FEED_PASSWORD}@db.example.org:5432/lw?sslmode=require",
            "postgresql+psycopg://***@db.example.org:5432/lw?sslmode=require",
        ),
        ("/data/feed.xml?key=1", "/data/feed.xml"),
    ],
)
def test_one_rule_for_every_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown
    if "://" in url:  # in running text, the same (a bare path is not recognised as a URL)
        assert redact(f"failed: {url}.") == f"failed: {shown}."


def test_tokens_outside_urls() -> None:
    assert redact(f"Token ({SLACK_TOKEN}) was specified") == f"Token ({MASK}) was specified"
    assert redact("password=abc123 host=db") == "password=*** host=db"
    assert redact("sha 3f786850e387550fdab836ed7e6dc881de23001b ok") == (
        "sha 3f786850e387550fdab836ed7e6dc881de23001b ok"
    )
    assert not looks_like_token("acme-layoffs-2024-11-05") and looks_like_token(SLACK_TOKEN)
    kept = "run run-20261202T013733Z-abc123 failed: CERTIFICATE_VERIFY_FAILED in test_file0"
    assert redact(kept) == kept


def test_a_secret_url_hides_its_parts_wherever_they_appear() -> None:
    """Apprise quotes one token of a URL alone; given the URL as a secret, the token goes."""
    text = "An invalid Slack (second) Token (A1BRTD4JD) was specified for T1JJ3T3L2."
    assert (
        redact(text, [SLACK])
        == f"An invalid Slack (second) Token ({MASK}) was specified for {MASK}."
    )
    assert credentials_of(MAIL) >= {MAIL_PASSWORD, "newsroom"}
    feed = f"http://reader:{FEED_PASSWORD}@example.org/f.xml?api_token={FEED_TOKEN}&page=2"
    assert credentials_of(feed) == {FEED_PASSWORD, FEED_TOKEN}
    assert credentials_of("https://example.org/rss") == set()


# --- alerts: Apprise's error text ------------------------------------------------------------


def test_slack_token_in_apprise_error_text_is_masked() -> None:
    """Apprise rejects a malformed token by quoting it; the error must not repeat it."""
    from laborwatch.alerts.targets import TargetError, load_targets

    bad = f"slack://T1JJ3T3L2/A1BRTD4JD/{SLACK_TOKEN}%21/#labor"
    with pytest.raises(TargetError) as caught:
        load_targets([bad])
    assert "Token" in str(caught.value)
    assert_clean(str(caught.value))


def test_test_notify_output_has_no_token(tmp_path: Path) -> None:
    """The real command in its own process (in-process, Prefect's console handler may hold a
    stream an earlier CliRunner closed)."""
    bad = f"slack://T1JJ3T3L2/A1BRTD4JD/{SLACK_TOKEN}%21/#labor"
    proc = subprocess.run(
        [sys.executable, "-m", "laborwatch.cli", "test-notify", "--notify", bad, "--notify", JSON],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 2, proc.stderr
    assert "Token (***" in proc.stderr
    assert_clean(proc.stdout + proc.stderr)


def test_failed_delivery_error_has_no_credentials() -> None:
    from laborwatch.alerts.send import send_developments
    from laborwatch.alerts.targets import load_targets
    from tests.alerts.conftest import _development

    [target] = load_targets([JSON])
    outcome = send_developments(target, [_development()], timeout=2)
    assert not outcome.ok and outcome.error
    assert_clean(outcome.error)


# --- CLI output: sources, run, run --json ----------------------------------------------------


@pytest.fixture()
def credentialed(tmp_path: Path) -> Iterator[Path]:
    """A config whose feeds and alert URLs carry credentials, after one (failed) run."""
    config = tmp_path / "lw.toml"
    lines = ["[database]", f'url = "sqlite:///{tmp_path / "lw.db"}"', ""]
    for url in feed_urls():
        lines += ["[[sources]]", f'location = "{url}"', ""]
    lines += ["[alerts]", f'urls = ["{SLACK}", "{MAIL}"]', ""]
    lines += ["[fetch]", "allow_private_addresses = true", ""]
    config.write_text("\n".join(lines))
    yield config


def test_run_and_sources_print_no_credentials(credentialed: Path) -> None:
    result = runner.invoke(app, ["run", "-c", str(credentialed)], env={"COLUMNS": "400"})
    assert result.exit_code == 1
    assert "127.0.0.1" in result.stderr  # the feeds are named …
    assert_clean(result.stdout + result.stderr)  # … without their credentials
    result = runner.invoke(app, ["sources", "-c", str(credentialed)], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "/private/feed.xml" in result.stdout and "api_token=***" in result.stdout
    assert_clean(result.stdout + result.stderr)


def test_run_json_has_no_credentials(credentialed: Path, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Acme to cut jobs\n\nAcme Corp. said it will lay off 250 workers.")
    text = credentialed.read_text().replace(
        "[alerts]", f'[[sources]]\nlocation = "{article}"\n\n[alerts]'
    )
    credentialed.write_text(text)
    result = runner.invoke(app, ["run", "-c", str(credentialed), "--json", "--dry-run"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["sources"]) == 3 and data["errors"]
    assert_clean(result.stdout + result.stderr)


def test_database_password_never_printed() -> None:
    url = f"postgresql+psycopg://lw:{FEED_PASSWORD}@127.0.0.1:{free_port()}/lw"
    for args in (["history", "--db", url], ["--debug", "history", "--db", url]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert "127.0.0.1" in result.stderr
        assert_clean(result.stdout + result.stderr)


# --- logs --------------------------------------------------------------------------------------


def test_log_records_with_feed_and_apprise_credentials_are_masked() -> None:
    from laborwatch.log_redaction import RedactingFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter([SLACK, MAIL]))
    logger = logging.getLogger("laborwatch.test_secrets")
    logger.addHandler(handler)
    try:
        for url in feed_urls():
            logger.warning("cannot connect to %s", url)
        logger.error("Slack said: invalid token %s", SLACK_TOKEN)
        logger.error("login failed for newsroom with %s", MAIL_PASSWORD)
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().count("\n") == 4
    assert_clean(stream.getvalue())


# --- the run-summary artifact ------------------------------------------------------------------


def test_run_summary_artifact_has_no_credentials() -> None:
    from laborwatch.flows.artifacts import summary_markdown
    from laborwatch.log_redaction import RedactingFilter, install_log_redaction
    from laborwatch.pipeline.report import RunReport

    installed: RedactingFilter = install_log_redaction([SLACK])  # as the monitor flow does
    try:
        report = RunReport(run_label="run-test", sources_total=2, sources_failed=2)
        for url in feed_urls():
            report.per_source.append(
                {"source": url, "status": "failed", "articles": 0, "figures": 0, "errors": 1}
            )
            report.errors.append(SourceError(url, f"cannot connect to {url}", "fetch"))
        report.errors.append(SourceError("alerts", f"Token ({SLACK_TOKEN}) rejected", "notify"))
        markdown = summary_markdown(report)
    finally:
        for lg in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
            for handler in getattr(lg, "handlers", []):
                handler.removeFilter(installed)
    assert "/private/feed.xml" in markdown and "api\\_token=\\*\\*\\*" in markdown
    assert_clean(markdown)
    assert_clean(report.summary_line())


# --- the outbox ------------------------------------------------------------------------------


def test_outbox_errors_are_stored_redacted() -> None:
    from laborwatch.storage.outbox import redact_secrets

    stored = redact_secrets(f"HTTP 500 from {SLACK} and {MAIL}; Bearer abcdefgh12345678")
    assert "HTTP 500" in stored and "slack://" in stored
    assert_clean(stored)
    assert "abcdefgh12345678" not in stored


# --- flow-run parameters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--db", f"postgresql+psycopg://lw:{FEED_PASSWORD}@127.0.0.1:5432/lw"],
        ["--source", f"https://reader:{FEED_PASSWORD}@example.org/feed.xml"],
        ["--source", f"https://example.org/feed.xml?api_token={FEED_TOKEN}"],
    ],
)
def test_credentials_never_become_flow_run_parameters(args: list[str], tmp_path: Path) -> None:
    """Prefect stores a flow run's parameters and shows them in the UI: refused up front."""
    config = tmp_path / "lw.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "lw.db"}"\n')
    result = runner.invoke(app, ["run", "-c", str(config), "--flow", *args])
    assert result.exit_code == 2 and "flow run would store" in result.stderr
    assert_clean(result.stdout + result.stderr)


def test_a_configured_database_password_stays_out_of_flow_parameters() -> None:
    from laborwatch.cli.run import _flow_database_url
    from laborwatch.settings import Settings

    with_password = Settings(database_url=f"postgresql+psycopg://lw:{FEED_PASSWORD}@db/lw")
    assert _flow_database_url(with_password) is None  # the flow reads the config again
    assert _flow_database_url(Settings(database_url="sqlite:////x/lw.db")) == "sqlite:////x/lw.db"
