"""A story updated in place — same feed, same link and GUID, new text — through the real
`monitor` flow: the changed figure is alerted once, restated figures are not, and an unchanged
entry's page is not fetched again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.config import write_config
from tests.support.servers import Response, http_server

pytestmark = pytest.mark.flow

PAGE = """<html><head><title>Harlow Axle to cut Toledo jobs</title></head><body>
<nav>Home | Business | Sports</nav><article>
<h1>Harlow Axle to cut Toledo jobs</h1>
<p>Harlow Axle Co. said Tuesday it will lay off {layoffs} workers at its Toledo plant as it
moves production of truck axles to Mexico, the company told the state in a notice.</p>
<p>The plant employs 1,900 people. The United Auto Workers local said it would fight the cuts
and asked the company to reopen contract talks.</p>
</article><footer>Copyright Toledo Daily</footer></body></html>"""


def atom(base: str, updated: str, extra_entry: bool = False) -> bytes:
    entries = f"""<entry><title>Harlow Axle to cut Toledo jobs</title>
<link href="{base}/story.html"/><id>tag:toledo.example,2026:harlow-1</id>
<published>2026-11-20T09:00:00Z</published><updated>{updated}</updated>
<summary>Harlow Axle Co. plans cuts in Toledo.</summary></entry>"""
    if extra_entry:
        entries += f"""<entry><title>County fair opens</title>
<link href="{base}/fair.html"/><id>tag:toledo.example,2026:fair</id>
<published>2026-11-21T09:00:00Z</published><updated>2026-11-21T09:00:00Z</updated>
<summary>The county fair opens Friday with rides, food and a pie contest for all ages
and families from across the region, organisers said.</summary></entry>"""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Toledo Daily</title>
<id>tag:toledo.example,2026:feed</id><updated>{updated}</updated>
{entries}</feed>""".encode()


def test_a_story_updated_in_place_alerts_its_changed_figure_once(
    prefect_harness, tmp_path: Path
) -> None:
    from laborwatch.flows.monitor import monitor

    with http_server() as server:
        base = server.base_url

        def serve(feed: bytes, layoffs: str) -> None:
            server.routes["/feed.xml"] = Response(200, feed, {"Content-Type": "application/xml"})
            server.routes["/story.html"] = Response(
                200, PAGE.format(layoffs=layoffs).encode(), {"Content-Type": "text/html"}
            )
            server.routes["/fair.html"] = Response(
                200, b"<html><body><p>The county fair opens Friday.</p></body></html>"
            )

        def page_fetches() -> int:
            return sum(1 for r in server.requests if r.path == "/story.html")

        config = write_config(
            tmp_path / "r.toml",
            db=tmp_path / "r.db",
            urls=[f"json://127.0.0.1:{server.port}/alerts"],
            sources=[f"{base}/feed.xml"],
        )

        def run() -> list[tuple[str, float | None, float]]:
            report = monitor(config_path=str(config))
            assert report.errors == []
            return [
                (d.kind, d.old_value, d.new_value)
                for d in report.developments
                if d.metric == "layoffs"
            ]

        serve(atom(base, "2026-11-20T09:00:00Z"), "400")
        assert run() == [("new", None, 400.0)]
        assert page_fetches() == 1

        # The outlet updates the story: same link and id, new <updated>, new figure.
        serve(atom(base, "2026-11-20T15:30:00Z"), "650")
        assert run() == [("changed", 400.0, 650.0)]
        assert page_fetches() == 2
        messages = [json.loads(p.body)["message"] for p in server.posts()]
        assert len(messages) == 2 and "650" in messages[1] and "400" in messages[1]
        assert "in an updated story" in messages[1] and "updated story" not in messages[0]
        # The workforce figure (1,900) was restated, not changed: no second alert for it.
        assert "1,900" not in messages[1]

        # Another entry arrives; the updated story is unchanged: its page is not fetched again.
        serve(atom(base, "2026-11-20T15:30:00Z", extra_entry=True), "650")
        assert run() == []
        assert page_fetches() == 2
        assert len(server.posts()) == 2


def test_an_article_file_edited_in_place_is_read_again(prefect_harness, tmp_path: Path) -> None:
    from laborwatch.flows.monitor import monitor

    folder = tmp_path / "articles"
    folder.mkdir()
    story = folder / "mill.md"
    front = "---\ntitle: Bayside Paper Mill cuts jobs\nurl: https://news.example.org/mill\n---\n"
    body = (
        "Bayside Paper Mill will lay off {n} workers at its Portland mill, the company said "
        "Monday, citing falling demand for newsprint. The union said it would seek talks.\n"
    )
    config = write_config(tmp_path / "f.toml", db=tmp_path / "f.db", urls=[], sources=[])

    def layoffs() -> list[tuple[str, float | None, float]]:
        report = monitor(sources=[str(folder)], config_path=str(config))
        assert report.errors == []
        return [
            (d.kind, d.old_value, d.new_value) for d in report.developments if d.metric == "layoffs"
        ]

    story.write_text(front + body.format(n=40), encoding="utf-8")
    assert layoffs() == [("new", None, 40.0)]
    assert layoffs() == []
    story.write_text(front + body.format(n=60), encoding="utf-8")
    assert layoffs() == [("changed", 40.0, 60.0)]
