"""`history --chart` writes a picture of one figure; `run` and `reextract` draw a progress bar on
a terminal (a real pseudo-terminal here) and stay quiet with --json or when piped."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from laborwatch.cli import app

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()
SUBJECT = "Connecticut state employees"


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_history_chart_writes_one_figure(seeded: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"concessions{suffix}"
    args = ["history", "--db", f"sqlite:///{seeded}", "--subject", SUBJECT]
    result = runner.invoke(app, [*args, "--metric", "concessions", "--chart", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG" if suffix == ".png" else b"<?xml")
    assert "Concessions: Connecticut state employees — " in result.stderr
    assert "$2 billion → $869 million (3 values" in result.stderr
    assert result.stdout == ""


def test_history_chart_asks_for_one_figure(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.svg"
    args = ["history", "--db", f"sqlite:///{seeded}", "--subject", SUBJECT, "--chart", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "figures match; narrow it down" in result.stderr
    assert f"--subject '{SUBJECT}' --metric concessions  (USD)" in result.stderr
    assert not out.exists()
    wrong = runner.invoke(app, ["history", "--db", f"sqlite:///{seeded}", "--chart", "x.gif"])
    assert wrong.exit_code == 2 and "must end in .svg or .png" in wrong.stderr


def _on_a_terminal(args: list[str], cwd: Path, timeout: float = 120) -> str:
    """Run the CLI with stdout and stderr on a pseudo-terminal; everything it drew."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LABORWATCH_"))}
    env.update(COLUMNS="120", TERM="xterm-256color")
    process = subprocess.Popen(
        [sys.executable, "-m", "laborwatch.cli", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        cwd=cwd,
        env=env,
    )
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    data = os.read(leader, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif process.poll() is not None:
                break
        assert process.wait(timeout=30) == 0, b"".join(chunks).decode(errors="replace")
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_run_on_a_terminal_draws_a_progress_bar(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'lw.db'}"
    drawn = _on_a_terminal(["run", "--sample", "--db", db], tmp_path)
    assert "━" in drawn and "%" in drawn
    assert "article(s) extracted and stored" in drawn
    assert "recorded only" in drawn  # the summary still follows it

    quiet = _on_a_terminal(["run", "--sample", "--db", db, "--json"], tmp_path)
    assert "━" not in quiet and "extracted and stored" not in quiet

    again = _on_a_terminal(["reextract", "--db", db], tmp_path)
    assert "articles read again" in again and "━" in again
    assert "would change" in again


def test_piped_output_has_no_bar(seeded: Path) -> None:
    result = runner.invoke(app, ["reextract", "--db", f"sqlite:///{seeded}"])
    assert result.exit_code == 0, result.output
    assert "━" not in result.output and "3 article(s) read" in result.output
