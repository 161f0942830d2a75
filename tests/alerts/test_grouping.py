"""Several new values for one key in one article make one alert entry, not a cascade."""

from __future__ import annotations

import json

from laborwatch.alerts.render import group_same_article
from laborwatch.alerts.send import send_developments
from laborwatch.alerts.targets import load_targets
from laborwatch.domain import Development
from tests.support.servers import http_server


def _dev(value: float, text: str, *, url: str = "https://example.org/a", metric: str = "layoffs"):
    return Development(
        kind="changed",
        subject="Connecticut state employees",
        metric=metric,
        unit="people",
        new_value=value,
        approx=text.startswith("about"),
        text=text,
        sentence=f"... {text} ...",
        article_title="Malloy budget",
        article_url=url,
        published=None,
        source="seeds",
        old_value=1000,
        old_text="1,000 layoffs",
    )


def test_same_article_and_key_fold_into_the_first_mentioned() -> None:
    devs = [
        _dev(4200, "4,200 state employees"),
        _dev(825, "about 825 executive branch employees"),
        _dev(3.6e9, "$3.6 billion", metric="deficit"),
        _dev(300, "about 300"),
        _dev(500, "500 workers", url="https://example.org/other"),
    ]
    grouped = group_same_article(devs)
    assert [d.new_value for d in grouped] == [4200, 3.6e9, 500]
    assert grouped[0].also_in_article == ["about 825", "about 300"]
    assert grouped[1].also_in_article == [] and grouped[2].also_in_article == []
    assert devs[0].also_in_article == []  # the caller's objects are left alone


def test_a_digest_shows_the_folded_values_once() -> None:
    with http_server() as receiver:
        target = load_targets([f"json://127.0.0.1:{receiver.port}/hook"])[0]
        outcome = send_developments(
            target, [_dev(4200, "4,200 state employees"), _dev(300, "about 300")]
        )
        assert outcome.ok and outcome.messages == 1
        message = json.loads(receiver.posts()[0].body)["message"]
    assert "1,000 → 4,200" in message
    assert "Also in this article: about 300" in message
    assert "1,000 → about 300" not in message
