from __future__ import annotations

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
