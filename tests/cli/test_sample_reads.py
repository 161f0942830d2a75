"""After `laborwatch run --sample`, the commands that read the database take `--sample` too and
read the sample's database (./var/laborwatch-sample.db in the directory one is in): no --db URL
to copy from the run's first line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from laborwatch.cli import app

runner = CliRunner()


def test_read_commands_with_sample_show_what_the_sample_run_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LABORWATCH_CONFIG", raising=False)
    monkeypatch.delenv("LABORWATCH_DB_URL", raising=False)

    ran = runner.invoke(app, ["run", "--sample", "--json"])
    assert ran.exit_code == 0, ran.output
    report = json.loads(ran.stdout)
    assert (tmp_path / "var" / "laborwatch-sample.db").is_file()

    listed = runner.invoke(app, ["developments", "--sample", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    stored = report["developments"] + report["recorded_only"]  # every value, folded ones too
    assert len(rows) == len(stored) > report["counts"]["developments"] > 0
    assert sorted((r["subject"], r["metric"], r["new_value"]) for r in rows) == sorted(
        (d["subject"], d["metric"], d["new_value"]) for d in stored
    )

    history = runner.invoke(app, ["history", "--sample", "--subject", "harlow axle", "--json"])
    assert history.exit_code == 0, history.output
    values = [(e["metric"], e["value"]) for e in json.loads(history.stdout)]
    assert ("layoffs", 350.0) in values and ("layoffs", 420.0) in values

    for command in (["sources", "--sample"], ["alerts", "--sample"]):
        shown = runner.invoke(app, command)
        assert shown.exit_code == 0, shown.output

    # Without --sample, and no config here, the same command says how to start.
    bare = runner.invoke(app, ["developments"])
    assert bare.exit_code == 2 and "laborwatch init" in bare.output


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--min-change", "-1"], "error: --min-change -1.0: should be greater than or equal to 0"),
        (["--min-change", "inf"], "error: --min-change inf: should be a finite number"),
        (["--shard", "5/4"], "error: shard '5/4': K must be between 1 and N"),
        (["--mode", "weekly"], "error: --mode must be 'digest' or 'each'"),
    ],
)
def test_a_bad_run_option_is_one_line_naming_the_option(
    arguments: list[str], expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["run", "--sample", *arguments])
    assert result.exit_code == 2
    assert result.output.strip() == expected
    assert not (tmp_path / "var").exists()  # refused before anything ran


def test_extract_says_a_bad_front_matter_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\nAcme cut 30 jobs.\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(bad)])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {bad}: front matter is not valid YAML")
