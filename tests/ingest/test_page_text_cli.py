"""`laborwatch text`: the pipeline's page text of saved pages, as a person runs it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from laborwatch.cli.text import text
from laborwatch.parsers.html_text import extract_article_text

PAGE = (
    "<html><head><title>Mill cuts 80 jobs | Valley Gazette</title></head><body>"
    "<nav><a href='/'>Home</a></nav><article><h1>Mill cuts 80 jobs</h1>"
    "<p>The mill will cut 80 jobs, the company said on Tuesday.</p>"
    "<p>Production moves to Georgia by the end of the year, and the union objects.</p>"
    "</article><footer>Copyright 1,000,000 readers</footer></body></html>"
)

app = typer.Typer()
app.command()(text)
runner = CliRunner()


def test_json_lists_path_title_and_text_as_the_pipeline_reads_them(tmp_path: Path) -> None:
    plain = tmp_path / "mill.html"
    plain.write_text(PAGE, encoding="utf-8")
    packed = tmp_path / "mill.html.gz"
    packed.write_bytes(gzip.compress(PAGE.encode("utf-8")))
    result = runner.invoke(app, ["--json", str(plain), str(packed)])
    assert result.exit_code == 0, result.output
    pages = json.loads(result.stdout)
    title, body = extract_article_text(PAGE.encode("utf-8"))
    assert [p["path"] for p in pages] == [str(plain), str(packed)]
    for page in pages:
        assert page["title"] == title == "Mill cuts 80 jobs"
        assert page["text"] == body
        assert body.startswith("The mill will cut 80 jobs") and "Copyright" not in body


def test_plain_output_is_title_then_text(tmp_path: Path) -> None:
    page = tmp_path / "mill.htm"
    page.write_text(PAGE, encoding="utf-8")
    result = runner.invoke(app, [str(page)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Mill cuts 80 jobs\n\nThe mill will cut 80 jobs")


def test_unreadable_files_give_one_error_line_each_and_exit_1(tmp_path: Path) -> None:
    good = tmp_path / "good.html"
    good.write_text(PAGE, encoding="utf-8")
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"\x1f\x8b not really gzip")
    folder = tmp_path / "folder.html"
    folder.mkdir()
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    missing = tmp_path / "missing.html"
    args = ["--json", str(good), str(broken), str(folder), str(notes), str(missing)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert [p["path"] for p in json.loads(result.stdout)] == [str(good)]
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 4, errors
    assert all(line.startswith("error: ") for line in errors)
    assert "Traceback" not in result.stderr
    for path, reason in [
        (broken, "gzip"),
        (folder, "folder"),
        (notes, "not an HTML page"),
        (missing, "no such file"),
    ]:
        assert any(str(path) in line and reason in line for line in errors), (path, errors)


def test_a_binary_file_named_like_a_page_is_refused(tmp_path: Path) -> None:
    binary = tmp_path / "photo.html"
    binary.write_bytes(bytes(range(256)) * 8)
    result = runner.invoke(app, [str(binary)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {binary}: binary data, not an HTML page"
    assert result.stdout == ""
