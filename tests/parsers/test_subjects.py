"""Subjects: stable canonical names for governments, companies and unions."""

from __future__ import annotations

from pathlib import Path

import pytest

from laborwatch.parsers.figures import extract_figures
from laborwatch.parsers.subjects import FALLBACK_SUBJECT, resolve_subject


@pytest.mark.parametrize(
    ("title", "text", "subject"),
    [
        (
            "",
            "HARTFORD, CT - The state will lay off 4,200 state employees.",
            "Connecticut state employees",
        ),
        (
            "",
            "Gov. Dannel P. Malloy asked state employees for concessions. Malloy said so.",
            "Connecticut state employees",
        ),
        (
            "",
            "ALBANY, N.Y. - Gov. Kathy Hochul proposed a hiring freeze for state workers and "
            "state agencies.",
            "New York state employees",
        ),
        (
            "",
            "OAKLAND, Calif. - Mayor Sheng Thao proposed laying off 300 city employees; "
            "the city faces a gap.",
            "Oakland city employees",
        ),
        (
            "",
            "Cook County Board President Toni Preckwinkle ordered a freeze; "
            "the county employs 22,000.",
            "Cook County employees",
        ),
        (
            "Northwind to cut jobs",
            "SEATTLE - Northwind Logistics Inc. said Thursday it will eliminate 850 jobs.",
            "Northwind Logistics",
        ),
        (
            "",
            "Chief Executive Dana Ruiz told employees that Cloudbase is cutting 12% of its staff. "
            "Cloudbase said it will pay severance.",
            "Cloudbase",
        ),
        (
            "",
            "Members of Teamsters Local 727 ratified a five-year agreement with "
            "Metro Beverage Distributors.",
            "Metro Beverage Distributors",
        ),
        ("", "The Machinists voted 64% to reject Boeing's contract offer.", "Boeing"),
    ],
)
def test_detected_subject(title: str, text: str, subject: str) -> None:
    assert resolve_subject(title, text) == subject


def test_aliases_map_variants_onto_the_canonical_subject() -> None:
    aliases = {"Acme Corporation": ["Acme", "Acme Widgets"]}
    text = "Acme Widgets Inc. said it will cut 300 jobs at its Ohio plant."
    assert resolve_subject("", text, aliases) == "Acme Corporation"
    figures = extract_figures(text, aliases=aliases)
    assert [f.subject for f in figures] == ["Acme Corporation"]


def test_aliases_apply_per_sentence() -> None:
    aliases = {"Connecticut state employees": ["SEBAC"], "Boeing": ["Boeing Co."]}
    text = "SEBAC members face 1,000 layoffs. Separately, Boeing Co. will cut 400 jobs."
    assert [f.subject for f in extract_figures(text, aliases=aliases)] == [
        "Connecticut state employees",
        "Boeing",
    ]


def test_never_empty() -> None:
    assert resolve_subject("", "someone will cut 40 jobs.") == FALLBACK_SUBJECT
    assert resolve_subject("", "") == FALLBACK_SUBJECT


def test_empty_canonical_alias_is_rejected() -> None:
    with pytest.raises(ValueError):
        resolve_subject("", "text", {" ": ["x"]})


def test_sample_feed_story_has_one_employer_subject() -> None:
    # The bundled feed tells one plant closure in four items; history must line up under one name.
    from pathlib import Path

    from laborwatch.parsers.analyze import analyze_article
    from laborwatch.parsers.feeds import parse_feed
    from laborwatch.parsers.html_text import html_to_text

    feed_path = Path(__file__).resolve().parents[2] / "data" / "samples" / "labor-news.xml"
    feed = parse_feed(feed_path.read_bytes())
    subjects = set()
    for entry in feed.entries:
        text = html_to_text(entry.content or entry.summary or "")
        analysis = analyze_article(entry.title or "", text)
        assert analysis.labor_relevant and analysis.figures
        subjects |= {f.subject for f in analysis.figures}
    assert subjects == {"Harlow Axle"}


@pytest.mark.parametrize(
    "text",
    [
        "Harlow Axle Co. will close its Toledo plant and lay off 350 workers.",
        "Harlow Axle Co will close its Toledo plant and lay off 350 workers.",
        "The union asked Harlow Axle's Toledo management to keep 350 workers on.",
        "Harlow Axle Inc. said it will lay off 350 workers in Toledo.",
    ],
)
def test_possessives_and_legal_forms_do_not_make_new_subjects(text: str) -> None:
    assert {f.subject for f in extract_figures(text)} == {"Harlow Axle"}


def test_union_is_subject_of_its_own_membership_only() -> None:
    text = (
        "Ridgeway Appliance Corp. will close its plant here, eliminating 1,040 jobs. The plant's "
        "workers are represented by Electrical Workers Local 1701. The local has 860 members at "
        "the plant. Ridgeway employs 14,500 people worldwide."
    )
    subjects = {f.value: f.subject for f in extract_figures(text)}
    assert subjects == {
        1040: "Ridgeway Appliance",
        860: "Electrical Workers Local 1701",
        14500: "Ridgeway Appliance",
    }


def test_table_rows_name_their_employer() -> None:
    text = (
        "WARN notices received this week:\n\n"
        "Company | City | Workers Affected\n"
        "Garden State Bottling Co. | Newark | 231\n"
        "Eastbay Logistics Inc. | Edison | 64\n"
    )
    assert [(f.value, f.subject) for f in extract_figures(text)] == [
        (231, "Garden State Bottling"),
        (64, "Eastbay Logistics"),
    ]


# Issue 15: a figure belongs to the organisation named in its own clause or sentence.

VERGE_ROUNDUP = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "corpus"
    / "feeds"
    / "readability"
    / "test"
    / "test-pages"
    / "theverge"
    / "source.html"
)


def test_roundup_page_gives_each_figure_its_own_company() -> None:
    if not VERGE_ROUNDUP.is_file():
        pytest.skip(f"The Verge roundup not found at {VERGE_ROUNDUP} (it lives in ../shared)")
    from laborwatch.parsers.analyze import analyze_article
    from laborwatch.parsers.html_text import html_to_text

    text = html_to_text(VERGE_ROUNDUP.read_text(encoding="utf-8"))
    subjects = {f.text: f.subject for f in analyze_article("", text).figures}
    assert subjects["around a thousand employees"] == "Google"
    assert subjects["17 percent"] == "Discord"


def test_headline_list_items_name_their_own_company() -> None:
    text = (
        "Apple Vision Pro review: the headset Apple wants you to wear\n\n"
        "Apple says the headset ships next month.\n\n"
        "Google confirms it just laid off around a thousand employees\n\n"
        "Discord is laying off 17 percent of employees\n"
    )
    figures = extract_figures(text, title="Apple Vision Pro review")
    assert [(f.value, f.subject) for f in figures] == [(1000, "Google"), (17, "Discord")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Salesforce is laying off around 700 employees. Earlier in the week, eBay revealed its "
            "plan to cut around 1,000 positions, while Microsoft announced layoffs affecting 1,900 "
            "employees at Activision Blizzard and Xbox.",
            {700: "Salesforce", 1000: "eBay", 1900: "Microsoft"},
        ),
        (
            "Salesforce will cut 700 jobs. Google has already let 1,000 employees go, while "
            "Amazon began the month announcing it would cut 18,000 jobs.",
            {700: "Salesforce", 1000: "Google", 18000: "Amazon"},
        ),
        (
            # The news outlet quoted for a figure is not whom it is about.
            "Salesforce is set to lay off 700 employees, The Wall Street Journal reported.",
            {700: "Salesforce"},
        ),
    ],
)
def test_clause_names_the_figure_owner(text: str, expected: dict[float, str]) -> None:
    assert {f.value: f.subject for f in extract_figures(text)} == expected


def test_roundup_items_carry_their_company_to_the_next_sentences() -> None:
    text = (
        "Several health systems are cutting jobs.\n"
        "1. West Reading, Pa.-based Tower Health laid off 52 corporate employees.\n"
        "2. Fayetteville, N.C.-based Cape Fear Valley Health is eliminating 200 positions. "
        "The decision affects 42 employees. The other 158 positions were unfilled.\n"
    )
    assert {f.value: f.subject for f in extract_figures(text)} == {
        52: "Tower Health",
        200: "Cape Fear Valley Health",
        42: "Cape Fear Valley Health",
        158: "Cape Fear Valley Health",
    }


def test_organisation_after_the_figure_owns_it_only_when_joined_to_it() -> None:
    text = (
        "Harlow Axle Co. will close its Toledo plant and lay off 350 workers. "
        "The state has approved a $1.2 million grant for retraining laid-off workers at "
        "Owens Community College. The closing adds to 400 workers at Ridgeway Appliance Corp."
    )
    assert {f.value: f.subject for f in extract_figures(text)} == {
        350: "Harlow Axle",
        1_200_000: "Harlow Axle",
        400: "Ridgeway Appliance",
    }


def test_acronyms_and_short_names_are_the_spelled_out_organisation() -> None:
    text = (
        "General Motors will lay off 1,600 workers at three factories. "
        "GM will also cut 500 jobs in Detroit. "
        "The International Longshoremen's Association represents 45,000 dockworkers; "
        "ILA members earn about $81,000 a year."
    )
    subjects = {f.value: f.subject for f in extract_figures(text)}
    assert subjects[1600] == subjects[500] == "General Motors"


def test_union_that_represents_a_workforce_is_its_subject() -> None:
    text = (
        "Boeing lays off 2,199 workers in Washington. The Society of Professional Engineering "
        "Employees in Aerospace (SPEEA) got notices for 438 members. "
        "SPEEA, which represents 17,000 Boeing employees, called the cuts reckless."
    )
    subjects = {f.value: f.subject for f in extract_figures(text)}
    assert subjects[2199] == subjects[438] == "Boeing"
    assert subjects[17000].startswith("Society of Professional Engineering Employees")


def test_aliases_still_map_clause_subjects_onto_the_canonical_name() -> None:
    aliases = {"Alphabet": ["Google"], "Connecticut state employees": ["SEBAC"]}
    text = (
        "Discord is laying off 17 percent of employees. Google confirms it laid off 1,000 "
        "employees. SEBAC members face 4,200 layoffs."
    )
    assert {f.value: f.subject for f in extract_figures(text, aliases=aliases)} == {
        17: "Discord",
        1000: "Alphabet",
        4200: "Connecticut state employees",
    }


def test_places_and_persons_in_the_sentence_are_not_subjects() -> None:
    text = (
        "Tyson Foods will close four plants. A Tyson plant in North Little Rock, Arkansas "
        "has more than 300 employees. About 700 workers at the plant in Pontiac will be "
        "furloughed. Union business manager Chuck Thiel added that 10 jobs were saved."
    )
    assert {f.subject for f in extract_figures(text)} == {"Tyson Foods"}


def test_the_name_a_story_keeps_repeating_leads_over_one_named_in_passing() -> None:
    title = "Regulators look into Zentrovo as its staff waits"
    text = (
        "Zentrovo is being looked into by state regulators. Zentrovo declined to comment. "
        "The questions for Zentrovo concern its leases. Zentrovo has been cutting costs, "
        "including layoffs at Pixelworth, which it acquired in 2017. People close to Zentrovo "
        "said more news would follow. Zentrovo shares are not traded."
    )
    assert resolve_subject(title, text) == "Zentrovo"
    # Spelled out once with its corporate suffix, the short name is that company.
    spelled = text.replace("Zentrovo is being", "Zentrovo Stores is being")
    assert resolve_subject(title, spelled) == "Zentrovo Stores"


def test_an_attorney_general_investigating_is_not_the_employer() -> None:
    title = "State Attorney General reportedly investigating Zentrovo"
    text = (
        "Zentrovo is being investigated by the State Attorney General, Reuters reported. "
        "More than a third of Zentrovo's 12,000 employees will receive notice this week."
    )
    assert resolve_subject(title, text) == "Zentrovo"


def test_a_company_reporting_on_itself_owns_the_figure_of_its_sentence() -> None:
    from laborwatch.parsers.subjects import SubjectResolver

    title = "Zentrovo and Pixelworth merger signals hard times for newspapers"
    text = (
        "Zentrovo will combine with Pixelworth Media. Zentrovo expects savings. "
        "Zentrovo has 260 dailies. Pixelworth Media laid off 60 employees this year.\n\n"
        "Brightline said its finances were so impaired that it could not make a required "
        "contribution of $124 million to its pension fund."
    )
    resolver = SubjectResolver(title=title, text=text)
    sentence = text.split("\n\n")[1]
    at = sentence.index("$124")
    assert resolver.subject_for(sentence, span=(at, at + 12)) == "Brightline"
    # A person speaking does not own the figure: "Williamson said it would cost $77,000".
    quoted = "Williamson said the raise would cost about $77,000."
    at = quoted.index("$77")
    assert resolver.subject_for(quoted, span=(at, at + 7)) != "Williamson"
