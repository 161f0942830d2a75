"""send_developments against real receivers: aiosmtpd for email, a local HTTP server for
Apprise's json:// webhook and for the request Apprise's Slack plugin sends."""

from __future__ import annotations

import json
import logging

import pytest
from apprise.plugins.custom_json import NotifyJSON

from laborwatch.alerts.render import _clip, headline
from laborwatch.alerts.send import SLACK_HEADER_LIMIT, send_developments
from laborwatch.alerts.targets import load_targets
from laborwatch.domain import Development
from tests.alerts.conftest import MakeDev
from tests.support.servers import (
    LocalHTTPServer,
    ReceivedRequest,
    Response,
    SMTPInbox,
    free_port,
)

HOSTILE_TITLE = "<script>alert('x')</script> Layoffs & cuts"
SLACK_URL = "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"


def _payloads(web: LocalHTTPServer) -> list[dict[str, str]]:
    return [json.loads(request.body) for request in web.posts()]


# ---------------------------------------------------------------------------- email


def test_email_digest_has_html_and_plain_parts(
    inbox: SMTPInbox, make_dev: MakeDev, new_dev: Development
) -> None:
    changed = make_dev(
        article_title=HOSTILE_TITLE, also_reported_by=["Hartford Courant"], watches=["ct-budget"]
    )
    [target] = load_targets([inbox.apprise_url()])
    outcome = send_developments(target, [changed, new_dev], run_label="2017-05-06 run")
    assert outcome.ok, outcome.error
    assert (outcome.messages, outcome.error, outcome.target_key) == (1, None, target.key)

    [message] = inbox.wait_for(1)
    assert message["Subject"] == f"2 labor developments; largest change: {headline(changed)}"
    assert message.get_content_type() == "multipart/alternative"
    html_part = message.get_body(("html",))
    plain_part = message.get_body(("plain",))
    assert html_part is not None and plain_part is not None
    html_body, plain_body = html_part.get_content(), plain_part.get_content()

    assert html_body.count("<blockquote") == 2 and "<td" not in html_body
    assert "more than 4,000" in html_body and "nearly 5,000" in html_body and "+25%" in html_body
    assert "<script>" not in html_body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Layoffs &amp; cuts" in html_body
    assert 'href="https://news.example.org/ct/layoff-notices"' in html_body
    assert "Also reported by: Hartford Courant" in html_body
    assert "Watches: ct-budget" in html_body
    assert "2017-05-06 run" in html_body

    # the plain alternative carries the same alert readable as text, URL included
    for part in (
        headline(changed),
        "The administration has now sent nearly 5,000 layoff notices to unions.",
        "https://news.example.org/ct/layoff-notices",
        "Layoffs — Acme Foods: 350 (new)",
        HOSTILE_TITLE,
    ):
        assert part in plain_body
    # written for reading: each development's headline on one line, its quote right below
    lines = plain_body.splitlines()
    at = lines.index(headline(changed))
    assert "nearly 5,000 layoff notices to unions" in lines[at + 1]
    assert len(lines) < 25, plain_body


def test_email_failure_is_reported_redacted(
    inbox: SMTPInbox, new_dev: Development, caplog: pytest.LogCaptureFixture
) -> None:
    # aiosmtpd offers no AUTH on a plain connection, so a login URL fails for real.
    url = (
        f"mailto://bob:Sup3rSecretPw@127.0.0.1:{inbox.port}"
        "?from=bob@example.org&to=news@example.org&mode=insecure"
    )
    [target] = load_targets([url])
    with caplog.at_level(logging.DEBUG, logger="apprise"):
        outcome = send_developments(target, [new_dev], timeout=5)
    assert not outcome.ok and outcome.messages == 0
    assert outcome.error == "email news@example.org: login refused"
    assert "Sup3rSecretPw" not in outcome.error
    assert "Sup3rSecretPw" not in caplog.text
    assert inbox.messages == []


# ---------------------------------------------------------------------------- webhook


def test_json_webhook_receives_markdown(web: LocalHTTPServer, make_dev: MakeDev) -> None:
    dev = make_dev(article_title=HOSTILE_TITLE)
    [target] = load_targets([f"json://127.0.0.1:{web.port}/hook"])
    outcome = send_developments(target, [dev])
    assert outcome.ok and outcome.messages == 1
    [payload] = _payloads(web)
    assert payload["title"] == headline(dev)
    body = payload["message"]
    assert f"**{headline(dev)}**" in body
    assert "> The administration has now sent nearly 5,000 layoff notices to unions." in body
    assert "(https://news.example.org/ct/layoff-notices)" in body
    assert "<script>" not in body and "\\<script\\>" in body


def test_digest_sends_one_message_and_each_sends_one_per_development(
    web: LocalHTTPServer, make_dev: MakeDev
) -> None:
    devs = [make_dev(subject=f"Agency {n}") for n in range(5)]
    [target] = load_targets([f"json://127.0.0.1:{web.port}/hook"])
    assert send_developments(target, devs, mode="digest").messages == 1
    assert len(web.posts()) == 1
    outcome = send_developments(target, devs, mode="each")
    assert (outcome.ok, outcome.messages) == (True, 5)
    titles = [p["title"] for p in _payloads(web)[1:]]
    assert titles == [headline(dev) for dev in devs]


def test_nothing_to_send_sends_nothing(web: LocalHTTPServer) -> None:
    [target] = load_targets([f"json://127.0.0.1:{web.port}/hook"])
    outcome = send_developments(target, [])
    assert (outcome.ok, outcome.messages) == (True, 0)
    assert web.posts() == []


def test_failing_receiver_gives_redacted_error(web: LocalHTTPServer, new_dev: Development) -> None:
    web.post_status = 500
    [target] = load_targets([f"json://hookuser:Hook5ecretPw@127.0.0.1:{web.port}/hook"])
    outcome = send_developments(target, [new_dev])
    assert not outcome.ok and outcome.messages == 0
    assert outcome.error is not None
    assert "500" in outcome.error
    assert "Hook5ecretPw" not in outcome.error
    assert len(web.posts()) == 1  # it was really tried


def test_partial_failure_counts_what_was_delivered(web: LocalHTTPServer, make_dev: MakeDev) -> None:
    answers = iter([200, 500, 200])

    def flaky(_request: ReceivedRequest) -> Response:
        status = next(answers)
        return Response(status=status, body=b"ok" if status == 200 else b"error")

    web.routes["/hook"] = flaky
    devs = [make_dev(subject=f"Unit {n}") for n in range(3)]
    [target] = load_targets([f"json://127.0.0.1:{web.port}/hook"])
    outcome = send_developments(target, devs, mode="each")
    assert (outcome.ok, outcome.messages) == (False, 2)
    assert outcome.error is not None and "message 2/3" in outcome.error


def test_dead_port_is_not_ok(new_dev: Development) -> None:
    port = free_port()
    [target] = load_targets([f"json://127.0.0.1:{port}/hook"])
    outcome = send_developments(target, [new_dev], timeout=3)
    assert not outcome.ok and outcome.messages == 0
    assert outcome.error == f"webhook 127.0.0.1:{port}: connection refused"


def test_200_development_digest_is_split_within_the_body_limit(
    web: LocalHTTPServer, make_dev: MakeDev
) -> None:
    long_sentence = "The union said the cuts would fall on nurses and aides. " * 8
    devs = [make_dev(subject=f"Agency {n:03d}", sentence=long_sentence) for n in range(200)]
    [target] = load_targets([f"json://127.0.0.1:{web.port}/hook"])
    outcome = send_developments(target, devs)
    assert outcome.ok, outcome.error
    payloads = _payloads(web)
    assert 1 < outcome.messages == len(payloads)
    assert all(len(p["message"]) <= NotifyJSON.body_maxlen for p in payloads)
    bodies = "\n".join(p["message"] for p in payloads)
    for dev in devs:  # every development delivered exactly once
        assert bodies.count(f"**{headline(dev)}**") == 1
    assert [p["title"].split(" ", 1)[0] for p in payloads] == [
        f"[{i}/{len(payloads)}]" for i in range(1, len(payloads) + 1)
    ]
    assert "not shown" not in bodies


def test_a_digest_of_600_developments_is_split_into_as_many_messages_as_needed(
    web: LocalHTTPServer, make_dev: MakeDev
) -> None:
    long_sentence = "The union said the cuts would fall on nurses and aides. " * 10
    devs = [make_dev(subject=f"Agency {n:03d}", sentence=long_sentence) for n in range(600)]
    [target] = load_targets([f"json://127.0.0.1:{web.port}/hook"])
    outcome = send_developments(target, devs)
    payloads = _payloads(web)
    assert outcome.ok and outcome.messages == len(payloads) > 10
    assert sorted(outcome.delivered) == list(range(600)) and outcome.failed == []
    bodies = "\n".join(p["message"] for p in payloads)
    for dev in devs:  # nothing left out, nothing twice
        assert bodies.count(f"**{headline(dev)}**") == 1
    assert "not shown" not in bodies


# ---------------------------------------------------------------------------- Slack


def test_slack_legacy_payload_is_mrkdwn_and_cannot_mention(
    slack_receiver: LocalHTTPServer, make_dev: MakeDev
) -> None:
    dev = make_dev(
        article_title=HOSTILE_TITLE, sentence="Leaders <!channel> said pay rose > 3% & more."
    )
    [target] = load_targets([SLACK_URL])
    outcome = send_developments(target, [dev])
    assert outcome.ok, outcome.error
    [request] = slack_receiver.posts()
    assert request.path == "/services/T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"
    payload = json.loads(request.body)
    assert payload["mrkdwn"] is True
    [attachment] = payload["attachments"]
    text = attachment["text"]
    assert f"*{headline(dev)}*" in text
    assert "<script>" not in text and "<!channel>" not in text
    assert "&gt;Leaders ‹!channel› said pay rose › 3% &amp; more." in text
    assert "https://news.example.org/ct/layoff-notices" in text
    assert attachment["title"] == headline(dev)


def test_slack_blocks_payload_is_escaped_mrkdwn(
    slack_receiver: LocalHTTPServer, make_dev: MakeDev, new_dev: Development
) -> None:
    dev = make_dev(article_title=HOSTILE_TITLE)
    [target] = load_targets([SLACK_URL + "?blocks=yes"])
    outcome = send_developments(target, [dev, new_dev])
    assert outcome.ok, outcome.error
    payload = json.loads(slack_receiver.posts()[0].body)
    blocks = payload["attachments"][0]["blocks"]
    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"] == _clip(
        f"2 labor developments; largest change: {headline(dev)}", SLACK_HEADER_LIMIT
    )
    section = blocks[1]["text"]
    assert section["type"] == "mrkdwn"
    assert len(section["text"]) <= 3000
    assert (
        "<https://news.example.org/ct/layoff-notices|&lt;script&gt;alert('x')&lt;/script&gt; "
        "Layoffs &amp; cuts>" in section["text"]
    )
    assert "*Layoffs — Acme Foods: 350 (new)*" in section["text"]


def test_slack_rejection_is_reported_without_the_token(
    slack_receiver: LocalHTTPServer, new_dev: Development
) -> None:
    slack_receiver.post_status = 500
    [target] = load_targets([SLACK_URL])
    outcome = send_developments(target, [new_dev])
    assert not outcome.ok
    assert outcome.error is not None and "500" in outcome.error
    assert "TIiajkdnlazkcOXrIdevi7FQ" not in outcome.error
