"""Subjects: stable canonical names for governments, companies and unions."""

from __future__ import annotations

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
