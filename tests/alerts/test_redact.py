from __future__ import annotations

from pathlib import Path

import pytest

from laborwatch.redaction import redact

SLACK_TOKEN = "TIiajkdnlazkcOXrIdevi7FQ"


@pytest.mark.parametrize(
    ("text", "secret", "kept"),
    [
        (f"slack://T1JJ3T3L2/A1BRTD4JD/{SLACK_TOKEN}", SLACK_TOKEN, "slack://T1"),
        (f"slack://T1JJ3T3L2/A1BRTD4JD/{SLACK_TOKEN}", "A1BRTD4JD", "slack://"),
        (
            "mailto://bob:hunter2pw@smtp.example.org?to=a@example.org",
            "hunter2pw",
            "smtp.example.org",
        ),
        ("mailto://bob:hunter2pw@smtp.example.org", "bob", "smtp.example.org"),
        (
            "json://127.0.0.1:8080/hook?token=abc123secret&x=1",
            "abc123secret",
            "127.0.0.1:8080/hook",
        ),
        ("https://user:pa55word@example.org/feed", "pa55word", "example.org/feed"),
        ("form://example.org/in?apikey=k3y-v4lue", "k3y-v4lue", "example.org/in"),
        ("json://example.org/x?+Authorization=Bearer%20tok3nvalue", "tok3nvalue", "example.org/x"),
        (
            "sent to https://hooks.slack.com/services/T00/B00/XXXXsecretXXXX: 500",
            "XXXXsecretXXXX",
            ": 500",
        ),
        (
            "tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/12345",
            "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
            "tgram://",
        ),
        (
            "pbul://o.gn5kj6nfhv736I7jC3cj3QLRiyhgl98b",
            "gn5kj6nfhv736I7jC3cj3QLRiyhgl98b",
            "pbul://",
        ),
        ("token xoxb-123456789012-abcdefghijkl leaked", "xoxb-123456789012", "leaked"),
    ],
)
def test_secrets_are_removed_and_context_kept(text: str, secret: str, kept: str) -> None:
    cleaned = redact(text)
    assert secret not in cleaned
    assert kept in cleaned


def test_explicit_secrets_are_removed_in_raw_and_url_quoted_form() -> None:
    text = "login p@ss/word failed for https://example.org/x?u=p%40ss%2Fword"
    cleaned = redact(text, ["p@ss/word"])
    assert "p@ss" not in cleaned
    assert "p%40ss" not in cleaned
    assert cleaned.startswith("login *** failed")


def test_plain_text_and_feed_urls_are_left_alone() -> None:
    text = "feed https://news.example.org/2024/acme-foods-layoffs.rss?page=2 answered 404."
    assert redact(text) == text
    assert redact("") == ""
    assert redact("no urls here", ["", "  "]) == "no urls here"


@pytest.mark.parametrize(
    ("link", "shown"),
    [
        (
            "https://alice:LINKPW@news.example.org/a?token=LINKTOKEN&api_key=K3Y&page=2",
            "https://news.example.org/a?token=***&api_key=***&page=2",
        ),
        ("https://news.example.org/?p=1234", "https://news.example.org/?p=1234"),
        ("https://medium.com/@bob/story?source=rss", "https://medium.com/@bob/story?source=rss"),
        (
            "https://cdn.example.org/a?X-Amz-Signature=abc&X-Amz-Credential=def&id=3",
            "https://cdn.example.org/a?X-Amz-Signature=***&X-Amz-Credential=***&id=3",
        ),
        (None, None),
    ],
)
def test_public_link_keeps_the_story_and_drops_credentials(
    link: str | None, shown: str | None
) -> None:
    from laborwatch.redaction import public_link

    assert public_link(link) == shown


def test_a_feed_link_with_credentials_reaches_no_output_and_no_alert(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from laborwatch.cli import app
    from tests.support.config import write_config
    from tests.support.servers import http_server

    feed = tmp_path / "feed.xml"
    feed.write_text(
        """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Nimbus Freight to lay off 240 workers</title>
<link>https://alice:LINKPW@news.example.org/a?token=LINKTOKEN&amp;page=2</link>
<description>Nimbus Freight will lay off 240 workers at its Reno depot, the company said.
</description><pubDate>Tue, 12 Mar 2024 10:00:00 GMT</pubDate></item>
</channel></rss>""",
        encoding="utf-8",
    )
    with http_server() as hook:
        url = f"json://127.0.0.1:{hook.port}/hook"
        config = write_config(tmp_path / "c.toml", db=tmp_path / "lw.db", urls=[url],
                              sources=[str(feed)])  # fmt: skip
        runner = CliRunner()
        ran = runner.invoke(app, ["run", "--config", str(config), "--json"])
        assert ran.exit_code == 0, ran.output
        listed = runner.invoke(app, ["developments", "--config", str(config), "--json"])
        history = runner.invoke(app, ["history", "--config", str(config), "--json"])
        posted = " ".join(json.loads(r.body)["message"] for r in hook.posts())
    everything = ran.output + listed.output + history.output + posted
    assert "240" in posted and "news.example.org/a?token=***&page=2" in everything
    assert "LINKPW" not in everything and "LINKTOKEN" not in everything


def test_a_masked_value_keeps_the_bracket_that_closes_around_it() -> None:
    url = "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#c?token=abc"
    said = redact(f"notification URL #1 ({url}) is not a valid Apprise URL", [url])
    assert said.endswith("token=***) is not a valid Apprise URL"), said
    assert redact("(password=hunter22) and [token=abcdef]") == "(password=***) and [token=***]"
