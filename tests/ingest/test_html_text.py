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
    # The headline is the title, not a paragraph of the body.
    assert paragraphs[0].startswith("TOLEDO, Ohio — Harlow Axle Co.")
    assert paragraphs[1].startswith("The plant employs about 410 people.")
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


FILLER = "The company said the cuts would take effect in March, after talks with the union. " * 4


def test_a_class_word_is_judged_whole_pager_is_not_page_row() -> None:
    html = (
        "<html><body><div class='PageBuilder-pageRow'><div class='ArticleBody-articleBody'>"
        f"<p>Boeing will cut 1,200 jobs at its Everett plant.</p><p>{FILLER}</p></div></div>"
        "<div class='pager'><a href='/2'>Next page</a></div></body></html>"
    )
    _, body = extract_article_text(html)
    assert body.startswith("Boeing will cut 1,200 jobs")
    assert "Next page" not in body


def test_wordpress_comments_are_not_the_story() -> None:
    comment = "I was laid off too, along with 300 others, and nobody told us anything. " * 3
    html = (
        "<html><body><div id='content'><article class='post type-post'>"
        "<h1 class='entry-title'>Mill closes</h1><div class='entry-content'>"
        f"<p>The mill will close, costing 85 jobs.</p><p>{FILLER}</p></div></article>"
        "<div id='comments' class='comments-area'><ol class='comment-list'>"
        f"<li><article class='comment-body'><p>{comment}</p></article></li>"
        f"<li><article class='comment-body'><p>{comment}</p></article></li>"
        f"<li><article class='comment-body'><p>{comment}</p></article></li>"
        "</ol></div></div></body></html>"
    )
    _, body = extract_article_text(html)
    assert body.startswith("The mill will close, costing 85 jobs.")
    assert "300 others" not in body


def test_text_between_br_tags_is_kept() -> None:
    lines = "<br>".join(
        f"Line {n}: the district will cut {n * 10} teaching positions next year." for n in range(8)
    )
    html = (
        "<html><body><div class='menu'><a href='/'>Home</a> <a href='/news'>News</a></div>"
        f"<div class='story'>{lines}</div><div class='footer'>About us</div></body></html>"
    )
    _, body = extract_article_text(html)
    assert body.startswith("Line 0: the district will cut 0 teaching positions")
    assert "Line 7: the district will cut 70 teaching positions" in body
    assert body.count("\n") == 7
    assert "Home" not in body and "About us" not in body


def test_captions_bylines_labels_and_link_lists_are_left_out() -> None:
    html = (
        "<html><head><meta property='og:title' content='Plant to close'></head><body><article>"
        "<h1>Plant to close</h1><div class='byline'>By A. Writer</div>"
        "<time datetime='2024-01-02'>Jan. 2, 2024</time>"
        "<figure><img src='x.jpg'><figcaption>Workers in 2019. Photo: AP</figcaption></figure>"
        f"<p>The plant will close, the company said, and 410 workers will lose their jobs.</p>"
        f"<div class='ad-slot'>Advertisement</div><p>{FILLER}</p><span>Advertisement</span>"
        "<ul><li><a href='/a'>Another story about 50 jobs</a></li>"
        "<li><a href='/b'>A third story about 70 jobs</a></li></ul>"
        "<div class='share-tools'><a href='#'>Facebook</a><a href='#'>Twitter</a></div>"
        "</article></body></html>"
    )
    title, body = extract_article_text(html)
    assert title == "Plant to close"
    assert body.startswith("The plant will close, the company said, and 410 workers")
    for furniture in ("By A. Writer", "Jan. 2", "Photo: AP", "Advertisement", "50 jobs", "Twitter"):
        assert furniture not in body, furniture


def test_a_list_of_teasers_does_not_outweigh_a_short_story() -> None:
    teasers = "".join(
        f"<div class='item'><a href='/s{n}'><span>Headline number {n} about a strike at a "
        f"factory in town</span><ul><li>By Staff</li><li>11/20/2019</li></ul></a></div>"
        for n in range(12)
    )
    html = (
        "<html><body><div class='main-col'><h1>Stabbing in Berlin</h1><div class='text'>"
        "The son of a former president was stabbed to death on Tuesday, police said."
        " Another man was injured trying to stop the attacker.</div></div>"
        f"<div class='list'>{teasers}</div></body></html>"
    )
    _, body = extract_article_text(html)
    assert body.startswith("The son of a former president was stabbed")
    assert "Headline number" not in body


def test_schema_article_body_is_preferred_to_a_longer_teaser_list() -> None:
    teasers = "".join(
        f"<li><a href='/s{n}'>Headline {n}</a> A summary of another story, which runs on for "
        "a while so that it looks like a paragraph of text.</li>"
        for n in range(20)
    )
    html = (
        "<html><body><div itemprop='articleBody'>"
        f"<p>The union said 2,000 members would strike on Monday.</p><p>{FILLER}</p>"
        f"<p>{FILLER}</p></div><div class='more'><ul>{teasers}</ul></div></body></html>"
    )
    _, body = extract_article_text(html)
    assert body.startswith("The union said 2,000 members would strike on Monday.")
    assert "Headline" not in body and "summary of another" not in body
