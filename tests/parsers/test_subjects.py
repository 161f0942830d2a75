"""Subjects: stable canonical names for governments, companies and unions."""

from __future__ import annotations

import pytest

from parsers.figures import extract_figures
from parsers.subjects import FALLBACK_SUBJECT, resolve_subject


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
