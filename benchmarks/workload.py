"""The synthetic benchmark corpus: feeds of labor news whose entries link to full article pages.

Everything is a pure function of (feed, entry) numbers, so the HTTP server, the floor loop and the
history pre-fill all see the same corpus without sharing state. Feed `f` at shift `s` lists entries
s .. s+n-1, newest first: raising a feed's shift is how a run gets new entries."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)
MIN_PAGE_BYTES = 20_000
MAX_PAGE_BYTES = 60_000

_FIRST = (
    "Allied", "Atlas", "Beacon", "Cardinal", "Cascade", "Centennial", "Summit", "Harbor",
    "Keystone", "Liberty", "Meridian", "Northstar", "Pinnacle", "Riverside", "Sterling",
    "Redwood", "Granite", "Evergreen", "Frontier", "Heritage", "Ironwood", "Lakeshore", "Magnolia",
    "Oakridge", "Prairie", "Silverline", "Tidewater", "Union Pacific", "Westfield", "Bluewater",
)  # fmt: skip
_SECOND = (
    "Logistics", "Foods", "Health", "Motors", "Steel", "Textiles", "Paper", "Electronics",
    "Aerospace", "Chemicals", "Brewing", "Airlines", "Telecom", "Hospital", "Furniture", "Glass",
    "Plastics", "Mills", "Pharmaceuticals", "Bakeries",
)  # fmt: skip
_SUFFIX = ("Inc.", "Corp.", "Co.", "Group", "Industries", "Systems")
_PLACES = (
    "Toledo", "Dayton", "Fresno", "Tulsa", "Spokane", "Akron", "Peoria", "Erie", "Flint",
    "Macon", "Reno", "Boise", "Duluth", "Savannah", "Lansing", "Joliet", "Wichita", "Yakima",
    "Hartford", "Scranton", "Topeka", "Modesto", "Allentown", "Rockford",
)  # fmt: skip
_STATES = ("Ohio", "California", "Oklahoma", "Washington", "Illinois", "Pennsylvania", "Michigan")
_UNIONS = (
    "United Auto Workers", "Teamsters Local 413", "United Steelworkers",
    "Service Employees International Union", "International Association of Machinists",
    "United Food and Commercial Workers", "Communications Workers of America",
)  # fmt: skip
_NAMES = (
    "Maria Lopez", "James Carter", "Priya Shah", "Tom Becker", "Angela Wright", "David Kim",
    "Rosa Alvarez", "Kevin O'Neill", "Linda Park", "Samuel Greene", "Nora Fitzgerald",
)  # fmt: skip
_SECTIONS = (
    "Business", "Economy", "Local", "Politics", "Labor", "Markets", "Technology", "Health",
    "Education", "Opinion", "Sports", "Weather", "Obituaries", "Real Estate", "Autos", "Travel",
)  # fmt: skip
_WORDS = (
    "officials", "council", "plant", "contract", "agreement", "market", "quarter", "region",
    "residents", "company", "schedule", "workers", "analysts", "board", "meeting", "proposal",
    "shift", "county", "district", "budget", "season", "report", "industry", "customers",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Story:
    """One article of the corpus: its identity, headline, summary and body paragraphs."""

    feed: int
    entry: int
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    published: datetime
    employer: str


def employer_name(index: int) -> str:
    first = _FIRST[index % len(_FIRST)]
    second = _SECOND[(index // len(_FIRST)) % len(_SECOND)]
    suffix = _SUFFIX[(index // (len(_FIRST) * len(_SECOND))) % len(_SUFFIX)]
    return f"{first} {second} {suffix}"


def _rng(*parts: object) -> random.Random:
    seed = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(seed[:8], "big"))


def published_at(feed: int, entry: int) -> datetime:
    # Entries of all feeds interleave in time: entry e of every feed falls within the same hour.
    return BASE_TIME + timedelta(hours=entry, seconds=feed * 7)


def _filler(rng: random.Random, employer: str, place: str) -> str:
    name = rng.choice(_NAMES)
    templates = (
        f"“We are doing everything we can to support the families affected,” said {name}, a "
        f"spokesperson for the company. “This was not a decision we made lightly.”",
        f"The {place} city council is scheduled to discuss the situation at its meeting on "
        f"{rng.choice(('Monday', 'Tuesday', 'Thursday'))}, according to an agenda posted online.",
        f"{employer} was founded in {rng.randint(1921, 1988)} and has operated in {place} since "
        f"the {rng.choice(('1950s', '1960s', '1970s'))}. Its headquarters moved to "
        f"{rng.choice(_PLACES)} in {rng.randint(1990, 2015)}.",
        f"Local business leaders said they were watching closely. “Every job matters in a town "
        f"like {place},” said {name}, who heads the regional chamber of commerce.",
        f"Analysts said demand had softened over the past two quarters as customers delayed "
        f"orders, and that competitors in the {rng.choice(_STATES)} market faced similar pressure.",
        f"Workers leaving the afternoon shift on {rng.choice(('Friday', 'Wednesday'))} said rumors "
        f"had circulated for weeks. “Nobody told us anything until the meeting,” one said.",
        "State economic development officials said they would send a rapid response team to "
        "help with job searches, retraining and unemployment claims starting next week.",
        f"The company’s shares rose slightly in afternoon trading. It reported results for the "
        f"third quarter on {rng.choice(('October 24', 'November 2', 'October 30'))}.",
        f"Residents who packed the {rng.choice(('library', 'high school gym', 'union hall'))} on "
        f"{rng.choice(('Monday', 'Thursday'))} night asked pointed questions about pensions, "
        f"health coverage and what would happen to the site if production ended for good. Several "
        f"said their parents had worked at the same plant, and that the town had weathered "
        f"downturns before, but never one that felt this permanent.",
        f"In a letter to employees, the chief executive blamed higher material costs, a slump in "
        f"orders from {rng.choice(('automakers', 'retailers', 'hospitals', 'builders'))} and "
        f"competition from overseas suppliers. The letter said the company remained committed to "
        f"{place} and would continue to invest in its remaining operations there.",
        f"{name}, who has worked at the site for {rng.randint(3, 31)} years, said she learned "
        f"about the decision from a text message. “You give a place your whole life and then "
        f"you find out on your phone,” she said, standing in the parking lot after her shift.",
        "Economists at the regional university said the effect would spread well beyond the "
        "plant gates, to suppliers, restaurants and shops that depend on its payroll. They "
        "estimated it could take years for the local job market to recover fully.",
        f"The governor’s office said in a statement that it had been in contact with the company "
        f"for several weeks and had offered incentives to keep production in {place}, but that "
        f"the company had decided otherwise. Lawmakers from the area called for a hearing.",
    )
    return rng.choice(templates)


def story(feed: int, entry: int) -> Story:
    """The article for entry `entry` of feed `feed`: a plant layoff, union contract or public
    budget story whose numbers vary with the entry, so each run's figures extend the history."""
    rng = _rng("story", feed, entry)
    employer_index = (feed * 7 + entry * 3) % 600
    employer = employer_name(employer_index)
    place = rng.choice(_PLACES)
    state = rng.choice(_STATES)
    union = rng.choice(_UNIONS)
    kind = (feed + entry) % 3
    layoffs = rng.randrange(40, 4_000, 5)
    notices = rng.randrange(20, 900)
    members = rng.randrange(800, 60_000, 100)
    raise_pct = rng.choice((2, 2.5, 3, 3.5, 4, 5, 6))
    deficit = rng.randrange(3, 900)
    savings = rng.randrange(2, 120)
    budget = round(rng.uniform(0.4, 9.5), 1)
    paragraphs: list[str]
    if kind == 0:
        title = f"{employer} to lay off {layoffs:,} workers at {place} plant"
        summary = f"{employer} said it will cut {layoffs:,} jobs in {place}, {state}."
        paragraphs = [
            f"{employer} will lay off {layoffs:,} workers at its {place} plant, the company said "
            f"on {rng.choice(('Monday', 'Tuesday', 'Wednesday'))}, as it consolidates production.",
            f"The company filed {notices} layoff notices with the {state} Department of Labor "
            f"under the WARN Act, with the first separations expected in "
            f"{rng.choice(('March', 'April', 'June'))}.",
            f"The {union}, which represents about {members:,} workers at {employer}, said it "
            f"would seek to bargain over severance.",
            f"The cuts are expected to save ${savings} million a year, according to a filing.",
        ]
    elif kind == 1:
        title = f"{union} reaches tentative contract with {employer}"
        summary = f"Workers at {employer} would get {raise_pct}% raises under the deal."
        paragraphs = [
            f"The {union} reached a tentative agreement with {employer} covering "
            f"{members:,} workers, ending weeks of negotiations in {place}.",
            f"The deal includes a {raise_pct} percent wage increase in the first year and "
            f"smaller raises after that, union officials said.",
            f"{employer} had warned it could issue {notices} layoff notices if talks failed, "
            f"and had sought ${savings} million in concessions from the union.",
        ]
    else:
        title = f"{place} faces ${deficit} million deficit; {layoffs:,} city jobs at risk"
        summary = f"The mayor of {place} proposed cutting {layoffs:,} positions."
        paragraphs = [
            f"The city of {place} faces a ${deficit} million budget deficit next year, and the "
            f"mayor has proposed eliminating {layoffs:,} positions to close the gap.",
            f"The proposed ${budget} billion budget would also cut ${savings} million in spending "
            f"on parks and libraries.",
            f"Municipal unions, which represent about {members:,} city employees, said they were "
            f"ready to discuss concessions but would fight any layoffs.",
        ]
    body: list[str] = []
    for paragraph in paragraphs:
        body.append(paragraph)
        for _ in range(rng.randint(2, 4)):
            body.append(_filler(rng, employer, place))
    return Story(
        feed=feed,
        entry=entry,
        title=title,
        summary=summary,
        paragraphs=tuple(body),
        published=published_at(feed, entry),
        employer=employer,
    )


# --- HTML page ------------------------------------------------------------------------------------


def _nav(rng: random.Random, base: str, count: int) -> str:
    links = "".join(
        f'<li class="menu-item"><a href="{base}/section/{rng.choice(_SECTIONS).lower()}/'
        f'{rng.randrange(10_000)}">{rng.choice(_SECTIONS)}</a></li>'
        for _ in range(count)
    )
    return f'<nav class="site-nav" role="navigation"><ul class="menu">{links}</ul></nav>'


def _script(rng: random.Random, size: int) -> str:
    # Minified-looking tracking and ad code: the kind of inline script real pages carry.
    parts: list[str] = []
    while sum(len(part) for part in parts) < size:
        name = "".join(rng.choice("abcdefghijklmnop") for _ in range(6))
        parts.append(
            f"window.{name}=window.{name}||[];{name}.push({{event:'pv',id:{rng.randrange(10**9)},"
            f"slot:'div-gpt-ad-{rng.randrange(10**6)}',sizes:[[300,250],[728,90]]}});"
            f"function {name}_f(e){{return e&&e.length>{rng.randrange(9)}?e.slice(0,8):e}}"
        )
    return "<script>" + "".join(parts) + "</script>"


def _teasers(rng: random.Random, base: str, count: int, css: str) -> str:
    items = "".join(
        f'<li><a href="{base}/story/{rng.randrange(10**6)}">'
        f"{rng.choice(_FIRST)} {rng.choice(_WORDS)} {rng.choice(_WORDS)} in "
        f'{rng.choice(_PLACES)}</a> <span class="time">{rng.randint(1, 59)} min ago</span></li>'
        for _ in range(count)
    )
    return f'<aside class="{css}"><h3>Trending</h3><ul>{items}</ul></aside>'


def _comments(rng: random.Random, count: int) -> str:
    items = "".join(
        f'<div class="comment"><span class="author">{rng.choice(_NAMES)}</span>'
        f"<p>The {rng.choice(_WORDS)} was {rng.randint(2, 90)} percent better last year, "
        f"the {rng.choice(_WORDS)} should know.</p></div>"
        for _ in range(count)
    )
    return f'<section id="comments" class="comments-area">{items}</section>'


def render_page(feed: int, entry: int, base: str) -> bytes:
    """The article page: a news site's full markup around the story, 20–60 KB."""
    item = story(feed, entry)
    rng = _rng("page", feed, entry)
    target = rng.randint(MIN_PAGE_BYTES, MAX_PAGE_BYTES)
    title = escape(item.title)
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in item.paragraphs)
    head = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title} | The Daily Ledger</title>"
        f'<meta property="og:title" content="{title}">'
        f'<meta name="description" content="{escape(item.summary)}">'
        '<link rel="stylesheet" href="/static/site.css">'
        "<style>body{font-family:Georgia,serif}.menu{display:flex}.ad{min-height:250px}</style>"
        f"{_script(rng, 2_000)}</head>"
    )
    article = (
        '<main id="main"><article class="story">'
        f'<h1 class="headline">{title}</h1>'
        f'<div class="byline">By {escape(rng.choice(_NAMES))} · '
        f'<time datetime="{item.published.isoformat()}">{item.published:%B %d, %Y}</time></div>'
        '<figure><img src="/img/plant.jpg" alt=""><figcaption>The plant. (Staff photo)'
        "</figcaption></figure>"
        f'<div class="article-body" itemprop="articleBody">{paragraphs}</div>'
        '<div class="share-tools"><a href="#">Share</a><a href="#">Tweet</a></div>'
        "</article></main>"
    )
    fixed = (
        f'<body><!-- header start --><header class="masthead">{_nav(rng, base, 30)}</header>'
        f'<div class="breadcrumbs"><a href="/">Home</a> › <a href="/business">Business</a></div>'
        f"{article}{_teasers(rng, base, 10, 'sidebar')}"
    )
    tail = (
        f'<footer class="site-footer">{_nav(rng, base, 40)}'
        "<p>© 2024 The Daily Ledger. All rights reserved.</p></footer>"
        f"{_comments(rng, 4)}<!-- analytics -->"
    )
    used = len(head) + len(fixed) + len(tail) + 40
    filler_scripts = _script(rng, max(0, (target - used) // 2))
    filler_related = _teasers(rng, base, max(0, (target - used) // 2 // 150), "related-links")
    page = f"{head}{fixed}{filler_related}{tail}{filler_scripts}</body></html>"
    return page.encode("utf-8")


# --- feed -----------------------------------------------------------------------------------------


def page_path(feed: int, entry: int) -> str:
    return f"/news/{feed}/{entry}.html"


def feed_path(feed: int) -> str:
    return f"/feed/{feed}.xml"


def render_feed(feed: int, first: int, count: int, base: str) -> bytes:
    """RSS 2.0 with entries first .. first+count-1, newest first; each entry carries only a
    short summary and the link to its page."""
    items = []
    for entry in range(first + count - 1, first - 1, -1):
        item = story(feed, entry)
        items.append(
            "<item>"
            f"<title>{escape(item.title)}</title>"
            f"<link>{base}{page_path(feed, entry)}</link>"
            f'<guid isPermaLink="false">ledger-{feed}-{entry}</guid>'
            f"<pubDate>{format_datetime(item.published)}</pubDate>"
            f"<description>{escape(item.summary)}</description>"
            "<category>Business</category>"
            "</item>"
        )
    channel = (
        f"<title>The Daily Ledger {feed}: Business</title><link>{base}/</link>"
        "<description>Local business and labor news</description><language>en-us</language>"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"{channel}{''.join(items)}</channel></rss>"
    ).encode()
