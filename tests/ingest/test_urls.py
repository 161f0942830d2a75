import pytest

from laborwatch.parsers.urls import canonical_url
from laborwatch.redaction import redact_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "HTTPS://News.Example.ORG:443/a/b?utm_source=x&id=7&fbclid=abc#top",
            "https://news.example.org/a/b?id=7",
        ),
        ("http://example.org:80", "http://example.org/"),
        ("http://example.org:8080/x", "http://example.org:8080/x"),
        ("https://example.org/p?gclid=1&utm_medium=email&utm_campaign=c", "https://example.org/p"),
        ("https://example.org/p?b=2&a=1&mc_cid=9", "https://example.org/p?b=2&a=1"),
        ("  https://example.org/p?q=  ", "https://example.org/p?q="),
        ("https://Example.org./story", "https://example.org/story"),
        ("https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x"),
        # url-normalize: dot segments, IDN hosts, percent-encoding, empty pairs
        ("https://ex.org/a/./b/../c?x=a b&&y=%7e", "https://ex.org/a/c?x=a%20b&y=~"),
        ("https://München.example/ä", "https://xn--mnchen-3ya.example/%C3%A4"),
        ("https://ex.org/p?%75tm_source=x&id=1", "https://ex.org/p?id=1"),
        ("https://ex.org/p?utm_source=x#frag", "https://ex.org/p"),
    ],
)
def test_canonical_url(given: str, expected: str) -> None:
    assert canonical_url(given) == expected


def test_canonical_url_keeps_path_case_and_non_tracking_params() -> None:
    assert canonical_url("https://ex.org/Story/ABC?Page=2") == "https://ex.org/Story/ABC?Page=2"


def test_canonical_url_leaves_non_http_alone() -> None:
    assert canonical_url("mailto:a@b.org") == "mailto:a@b.org"
    assert canonical_url("/relative/path") == "/relative/path"


def test_same_story_from_two_links_is_one_url() -> None:
    a = canonical_url("https://ex.org/s/1?utm_source=twitter#comments")
    b = canonical_url("https://EX.org:443/s/1?fbclid=zzz")
    assert a == b


def test_redact_url_hides_credentials_and_query_values() -> None:
    redacted = redact_url("https://user:s3cret@feeds.example.org:8443/f.xml?token=ABCDEF&x=1#f")
    assert "s3cret" not in redacted and "ABCDEF" not in redacted and "user" not in redacted
    assert redacted == "https://***@feeds.example.org:8443/f.xml?token=***&x=***#f"
    assert redact_url("/data/feed.xml?key=1") == "/data/feed.xml"
