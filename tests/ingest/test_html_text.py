from laborwatch.parsers.html_text import extract_article_text, html_to_text

PAGE = (
    b"""<!doctype html><html><head><title>Plant to close - Example News</title>
<meta property="og:title" content="Harlow Axle to close Toledo plant">
<script>var tracking = "lay off 9999 workers";</script><style>p { color: red }</style></head>
<body>
<header class="site-header"><a href="/">Example News</a></header>
<nav><ul><li>Home</li><li>Business 5000 jobs</li></ul></nav>
<article>
  <h1>Harlow Axle to close Toledo plant</h1>
  <p>TOLEDO, Ohio &mdash; Harlow Axle Co. will lay off 350 workers, the company said.</p>
  <!-- an editor's note: 777 -->
  <p>The plant employs about 410 people.<br>Production moves to Tennessee.</p>
  <aside class="related">Related: 12 other closures</aside>
  <p>The union said it was not consulted. """
    + b"More words here. " * 20
    + b"""</p>
</article>
<div id="comments"><p>Reader comment: fire 100 managers</p></div>
<footer>Copyright 2024, 1,000,000 readers</footer>
</body></html>"""
)


def test_article_body_without_furniture() -> None:
    title, body = extract_article_text(PAGE)
    assert title == "Harlow Axle to close Toledo plant"
    assert "will lay off 350 workers" in body
    assert "about 410 people.\nProduction moves" in body
    for furniture in ("9999", "color: red", "5000", "777", "12 other", "fire 100", "1,000,000"):
        assert furniture not in body, furniture


def test_paragraphs_are_separated_by_blank_lines() -> None:
    _, body = extract_article_text(PAGE)
    paragraphs = body.split("\n\n")
    assert paragraphs[1].startswith("TOLEDO, Ohio — Harlow Axle Co.")
    assert paragraphs[2].startswith("The plant employs about 410 people.")
    assert all(p == p.strip() and p for p in paragraphs)


def test_title_falls_back_to_title_element_without_site_name() -> None:
    title, _ = extract_article_text(
        "<html><head><title>Mill cuts 80 jobs | Valley Gazette</title></head>"
        "<body><p>The mill will cut 80 jobs.</p></body></html>"
    )
    assert title == "Mill cuts 80 jobs"


def test_page_without_article_element_uses_densest_paragraphs() -> None:
    filler = "Workers gathered outside the gates on Friday morning. " * 8
    html = (
        "<html><body><div class='menu'><p>Home</p><p>Sports</p></div>"
        "<div class='story'><p>The district will cut 45 teaching positions.</p>"
        f"<p>{filler}</p></div>"
        "<div class='footer-links'><p>About us</p></div></body></html>"
    )
    _, body = extract_article_text(html)
    assert body.startswith("The district will cut 45 teaching positions.")
    assert "Home" not in body and "About us" not in body


def test_bytes_with_declared_charset() -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 workers \u2013 12</p>'
    _, body = extract_article_text(html.encode("cp1252"))
    assert body == "Café workers – 12"


def test_html_to_text_drops_scripts_and_comments_keeps_paragraphs() -> None:
    text = html_to_text(
        "<p>One <b>two</b></p><script>alert(1)</script><!-- hidden --><p>Three<br/>four</p>"
    )
    assert text == "One two\n\nThree\nfour"


def test_html_to_text_entities_and_plain_text() -> None:
    assert html_to_text("AT&amp;T cuts 5&nbsp;percent") == "AT&T cuts 5 percent"
    assert html_to_text("Plain text,\n\n  second   paragraph ") == "Plain text,\n\nsecond paragraph"
    assert html_to_text("") == ""


def test_double_escaped_markup_does_not_survive() -> None:
    text = html_to_text(
        "<p>&lt;script&gt;alert('x')&lt;/script&gt;Layoffs &lt;b&gt;announced&lt;/b&gt;</p>"
        "<p>&lt;img src=x onerror=alert(1)&gt;Second</p>"
    )
    assert "<" not in text and "alert" not in text and "onerror" not in text
    assert text == "Layoffs announced\n\nSecond"


def test_unicode_is_nfc() -> None:
    assert html_to_text("<p>Cafe\u0301</p>") == "Caf\u00e9"
